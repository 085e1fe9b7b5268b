// Allocations per request in steady state: keep-alive requests on reused easy handles and
// pooled connections, driven by fetch_multi_perform + fetch_multi_poll, by
// fetch_multi_socket_action and by fetch_easy_perform. A count, not a timing: the target (DESIGN
// "Performance habits", issue 5) is none at all, and that is what is asserted. This binary
// replaces the global operator new, so it counts every C++ allocation the calling thread makes
// while counting is on (the test server's thread is not counted); libuv allocates nothing per
// request.
//
// To see where a new allocation comes from, run with FETCH_ALLOC_BACKTRACE=1: the first counted
// allocations print their call stacks (resolve the addresses with addr2line).
#include <execinfo.h>
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "server/http_server.h"

namespace {

thread_local bool counting = false;
thread_local size_t allocations = 0;
const bool print_backtraces = std::getenv("FETCH_ALLOC_BACKTRACE") != nullptr;
constexpr size_t kBacktracesPrinted = 20;

void note_allocation(std::size_t n) {
  ++allocations;
  if (!print_backtraces || allocations > kBacktracesPrinted) return;
  counting = false;  // backtrace() may allocate
  void *frames[16];
  const int depth = backtrace(frames, 16);
  std::fprintf(stderr, "--- counted allocation %zu: %zu bytes\n", allocations, n);
  backtrace_symbols_fd(frames, depth, 2);
  counting = true;
}

}  // namespace

// Not inlined: GCC 12 at -O2 inlines a replacement delete into a `new T` call site and then
// reports free() on memory from operator new (-Wmismatched-new-delete), though the replacement
// new here is malloc.
[[gnu::noinline]] void *operator new(std::size_t n) {
  if (counting) note_allocation(n);
  if (void *p = std::malloc(n != 0 ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void *operator new[](std::size_t n) { return operator new(n); }
[[gnu::noinline]] void operator delete(void *p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void *p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void *p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void *p, std::size_t) noexcept { std::free(p); }

namespace {

using fetchtest::HttpServer;
using fetchtest::Script;

constexpr int kHandles = 4;
constexpr const char *kPath = "/a/longer/path/to/the/resource/1k";
constexpr int kWarmRounds = 50;
constexpr int kCountedRounds = 250;  // 1,000 requests

size_t discard(char *, size_t size, size_t nmemb, void *) { return size * nmemb; }

class SteadyState : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(server_.start(), 0);
    // A path, a query and nginx's header values all longer than a short string's inline
    // buffer (15 bytes), so every string on the way (URL parts, request target, parser and
    // header store) is a heap buffer that must be reused, as with a real server.
    server_.on(kPath, Script().send(fetchtest::http_response(
                          200,
                          {{"Server", "nginx/1.22.1"},
                           {"Date", "Mon, 30 Nov 2026 14:10:25 GMT"},
                           {"Content-Type", "application/octet-stream"},
                           {"Last-Modified", "Mon, 30 Nov 2026 14:00:00 GMT"},
                           {"Connection", "keep-alive"},
                           {"ETag", "\"6564a2c0-400\""},
                           {"Accept-Ranges", "bytes"}},
                          std::string(1024, 'x'))));
    url_ = server_.origin() + kPath + "?query=abcdefghijklmnop";
    for (int i = 0; i < kHandles; ++i) {
      FETCH *h = fetch_easy_init();
      ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_URL, url_.c_str()), FETCHE_OK);
      ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_WRITEFUNCTION, &discard), FETCHE_OK);
      handles_.push_back(h);
    }
  }
  void TearDown() override {
    for (FETCH *h : handles_) fetch_easy_cleanup(h);
  }
  // Every handle once through `m` (added, run to completion, removed); false on a failure.
  template <class Drive>
  bool round(FETCHM *m, Drive &&drive) {
    for (FETCH *h : handles_) {
      if (fetch_multi_add_handle(m, h) != FETCHM_OK) return false;
    }
    int done = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (done < kHandles && std::chrono::steady_clock::now() < deadline) {
      if (!drive()) return false;
      int left = 0;
      while (FETCHMsg *msg = fetch_multi_info_read(m, &left)) {
        if (msg->data.result != FETCHE_OK) return false;
        ++done;
      }
    }
    for (FETCH *h : handles_) fetch_multi_remove_handle(m, h);
    return done == kHandles;
  }
  // One turn of the fetch_multi_perform + fetch_multi_poll driver; false on an error.
  static bool perform_and_poll(FETCHM *m) {
    int running = 0;
    if (fetch_multi_perform(m, &running) != FETCHM_OK) return false;
    return running == 0 || fetch_multi_poll(m, nullptr, 0, 100, nullptr) == FETCHM_OK;
  }
  // Warm rounds, then counted rounds; returns the allocations counted (-1: a transfer failed).
  template <class Drive>
  long counted(FETCHM *m, Drive &&drive) {
    for (int i = 0; i < kWarmRounds; ++i) {
      if (!round(m, drive)) return -1;
    }
    allocations = 0;
    counting = true;
    bool ok = true;
    for (int i = 0; i < kCountedRounds && ok; ++i) ok = round(m, drive);
    counting = false;
    if (!ok) return -1;
    return static_cast<long>(allocations);
  }

  HttpServer server_;
  std::string url_;
  std::vector<FETCH *> handles_;
};

TEST_F(SteadyState, MultiPerformAllocatesNothing) {
  FETCHM *m = fetch_multi_init();
  const long n = counted(m, [m] { return perform_and_poll(m); });
  fetch_multi_cleanup(m);
  ASSERT_GE(n, 0) << "a transfer failed";
  EXPECT_EQ(n, 0) << "allocations over " << kCountedRounds * kHandles
                  << " requests (FETCH_ALLOC_BACKTRACE=1 shows where)";
}

// An API client's request: a POST with a body and headers of its own, on the same handles.
TEST_F(SteadyState, PostWithHeadersAllocatesNothing) {
  fetch_slist *headers = fetch_slist_append(nullptr, "Content-Type: application/json");
  headers = fetch_slist_append(headers, "Authorization: Bearer 0123456789abcdef0123456789");
  for (FETCH *h : handles_) {
    fetch_easy_setopt(h, FETCHOPT_POSTFIELDS, R"({"query": "a body longer than inline"})");
    fetch_easy_setopt(h, FETCHOPT_HTTPHEADER, headers);
  }
  FETCHM *m = fetch_multi_init();
  const long n = counted(m, [m] { return perform_and_poll(m); });
  fetch_multi_cleanup(m);
  for (FETCH *h : handles_) fetch_easy_setopt(h, FETCHOPT_HTTPHEADER, nullptr);
  fetch_slist_free_all(headers);
  ASSERT_GE(n, 0) << "a transfer failed";
  EXPECT_EQ(n, 0) << "allocations over " << kCountedRounds * kHandles
                  << " requests (FETCH_ALLOC_BACKTRACE=1 shows where)";
}

// The application's epoll loop: SOCKETFUNCTION and TIMERFUNCTION, as bench/load/load.c.
struct EpollLoop {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  long timeout_ms = -1;
  ~EpollLoop() { close(epfd); }
};

int on_socket(FETCH *, fetch_socket_t fd, int what, void *userp, void *socketp) {
  auto *loop = static_cast<EpollLoop *>(userp);
  if (what == FETCH_POLL_REMOVE) {
    epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, nullptr);
    return 0;
  }
  epoll_event ev{};
  ev.data.fd = fd;
  ev.events = ((what & FETCH_POLL_IN) ? EPOLLIN : 0u) | ((what & FETCH_POLL_OUT) ? EPOLLOUT : 0u);
  (void)socketp;
  if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) == 0) return 0;
  return epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : -1;
}

int on_timer(FETCHM *, long timeout_ms, void *userp) {
  static_cast<EpollLoop *>(userp)->timeout_ms = timeout_ms;
  return 0;
}

TEST_F(SteadyState, SocketActionAllocatesNothing) {
  EpollLoop loop;
  FETCHM *m = fetch_multi_init();
  fetch_multi_setopt(m, FETCHMOPT_SOCKETFUNCTION, on_socket);
  fetch_multi_setopt(m, FETCHMOPT_SOCKETDATA, &loop);
  fetch_multi_setopt(m, FETCHMOPT_TIMERFUNCTION, on_timer);
  fetch_multi_setopt(m, FETCHMOPT_TIMERDATA, &loop);
  const long n = counted(m, [m, &loop] {
    epoll_event events[16];
    const int wait = loop.timeout_ms < 0 ? 100 : static_cast<int>(loop.timeout_ms);
    const int n = wait == 0 ? 0 : epoll_wait(loop.epfd, events, 16, wait);
    int running = 0;
    if (n <= 0) {
      loop.timeout_ms = -1;
      return fetch_multi_socket_action(m, FETCH_SOCKET_TIMEOUT, 0, &running) == FETCHM_OK;
    }
    for (int i = 0; i < n; ++i) {
      const int bits = ((events[i].events & (EPOLLIN | EPOLLHUP)) ? FETCH_CSELECT_IN : 0) |
                       ((events[i].events & EPOLLOUT) ? FETCH_CSELECT_OUT : 0);
      if (fetch_multi_socket_action(m, events[i].data.fd, bits, &running) != FETCHM_OK) {
        return false;
      }
    }
    return true;
  });
  fetch_multi_cleanup(m);
  ASSERT_GE(n, 0) << "a transfer failed";
  EXPECT_EQ(n, 0) << "allocations over " << kCountedRounds * kHandles
                  << " requests (FETCH_ALLOC_BACKTRACE=1 shows where)";
}

// fetch_easy_perform runs the same scheduler on the handle's private loop: a handle performed
// again reuses its multi, transfer, exchange and pooled connection.
TEST_F(SteadyState, EasyPerformAllocatesNothing) {
  FETCH *h = handles_[0];
  for (int i = 0; i < kWarmRounds; ++i) ASSERT_EQ(fetch_easy_perform(h), FETCHE_OK);
  constexpr int kRequests = kCountedRounds * kHandles;
  allocations = 0;
  counting = true;
  int failed = 0;
  for (int i = 0; i < kRequests; ++i) failed += fetch_easy_perform(h) != FETCHE_OK;
  counting = false;
  ASSERT_EQ(failed, 0);
  EXPECT_EQ(allocations, 0u) << "allocations over " << kRequests
                             << " requests (FETCH_ALLOC_BACKTRACE=1 shows where)";
}

}  // namespace
