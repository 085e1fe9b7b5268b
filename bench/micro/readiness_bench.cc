// Scheduler readiness cost: one fetch_multi_socket_action call for one connection that became
// readable while N = 10, 1,000, 10,000 (and 100,000 where file descriptors allow) other
// transfers sit idle, each connected and waiting for its response. The time must not grow
// with N.
//
// Set-up (once per size, outside the timing): the application's loop (bench_loop.h: epoll,
// SOCKETFUNCTION, TIMERFUNCTION) drives N + 1 transfers until every one has sent its GET and
// waits to read. The N idle ones connect to loopback listeners that never accept (the kernel
// completes the handshakes and buffers the requests, up to the backlog of 4096 per listener,
// so an idle transfer costs one fd, not two). The active one's connection is accepted; its
// server answers a head with a huge Content-Length, then each iteration writes 64 more body
// bytes (untimed) and times only the socket_action that reads them through the reader into
// the write callback (manual timing around that one call). BM_KeepAliveRequest uses the same
// set-up but times whole keep-alive requests of the active handle instead.
#include <benchmark/benchmark.h>
#include <fetch/fetch.h>
#include <fetch/multi.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bench/micro/bench_loop.h"
#include "bench/micro/rig_cache.h"

namespace {

using fetch_bench::AppLoop;
using fetch_bench::Listener;
using fetch_bench::Rig;

constexpr int64_t kPerListener = 4000;  // below the 4096 accept backlog
constexpr size_t kChunk = 64;

// What the one active transfer does while the N others idle.
enum class Active {
  kStream,  // one endless response body, 64 bytes per readable event
  kCycle,   // whole keep-alive requests, one per iteration, on a pooled connection
};

constexpr const char kCycleResponse[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

class ReadinessRig final : public Rig {
 public:
  ReadinessRig(int64_t n, Active mode) {
    const uint64_t need = static_cast<uint64_t>(n) + 256;
    const uint64_t have = fetch_bench::raise_fd_limit(need);
    if (have < need) {
      error = "needs " + std::to_string(need) + " fds; RLIMIT_NOFILE allows " +
              std::to_string(have) + " (hard limit)";
      return;
    }
    multi = fetch_multi_init();
    loop = std::make_unique<AppLoop>(multi);
    for (int64_t i = 0; i < (n + kPerListener - 1) / kPerListener; ++i) {
      listeners.push_back(std::make_unique<Listener>(4096));
      if (!listeners.back()->ok()) {
        error = "no loopback listener";
        return;
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      FETCH *e = new_handle(listeners[static_cast<size_t>(i / kPerListener)]->url());
      if (fetch_multi_add_handle(multi, e) != FETCHM_OK) {
        error = "fetch_multi_add_handle failed";
        return;
      }
    }
    if (!active_listener.ok()) {
      error = "no loopback listener";
      return;
    }
    active = new_handle(active_listener.url());
    fetch_easy_setopt(active, FETCHOPT_WRITEDATA, &received);
    fetch_multi_add_handle(multi, active);
    const size_t all = static_cast<size_t>(n) + 1;
    if (!loop->run_until([&] { return loop->read_only_watches() == all; }, 120000)) {
      error = "transfers did not all reach the waiting-to-read state (" +
              std::to_string(loop->read_only_watches()) + " of " + std::to_string(all) + ")";
      return;
    }
    client_fd = loop->fd_of(active);
    if (client_fd < 0) {
      error = "the active transfer's socket is unknown";
      return;
    }
    if (mode == Active::kStream) {
      answer("HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n");
      return;
    }
    // The first request opens the connection; it then waits in the pool for the timed ones.
    if (!answer(kCycleResponse)) return;
    if (!loop->run_until([&] { return loop->running() == n; }, 5000)) {
      error = "the first keep-alive request did not finish";
      return;
    }
    int left = 0;
    while (fetch_multi_info_read(multi, &left) != nullptr) {
    }
    fetch_multi_remove_handle(multi, active);
  }

  ~ReadinessRig() override {
    if (multi != nullptr) fetch_multi_cleanup(multi);
    for (FETCH *e : handles) fetch_easy_cleanup(e);
    if (server_fd >= 0) close(server_fd);
  }

  FETCH *new_handle(const std::string &url) {
    FETCH *e = fetch_easy_init();
    fetch_easy_setopt(e, FETCHOPT_URL, url.c_str());
    fetch_easy_setopt(e, FETCHOPT_WRITEFUNCTION, &fetch_bench::discard_body);
    handles.push_back(e);
    return e;
  }

  // Accepts the active connection, reads its request and sends `response`; waits until the
  // active transfer saw the head.
  bool answer(const char *response) {
    server_fd = active_listener.accept_one(5000);
    if (server_fd < 0) {
      error = "the active connection was not accepted";
      return false;
    }
    int one = 1;
    setsockopt(server_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      pollfd p{server_fd, POLLIN, 0};
      ssize_t r = poll(&p, 1, 5000) == 1 ? read(server_fd, buf, sizeof buf) : -1;
      if (r <= 0) {
        error = "no request from the active transfer";
        return false;
      }
      request.append(buf, static_cast<size_t>(r));
    }
    const std::string head = response;
    if (write(server_fd, head.data(), head.size()) != static_cast<ssize_t>(head.size())) {
      error = "could not answer the active transfer";
      return false;
    }
    long code = 0;
    loop->run_until(
        [&] {
          fetch_easy_getinfo(active, FETCHINFO_RESPONSE_CODE, &code);
          return code == 200;
        },
        5000);
    if (code != 200) error = "the active transfer did not see its response head";
    return code == 200;
  }

  FETCHM *multi = nullptr;
  std::unique_ptr<AppLoop> loop;
  std::vector<std::unique_ptr<Listener>> listeners;
  Listener active_listener;
  std::vector<FETCH *> handles;
  FETCH *active = nullptr;
  int server_fd = -1;
  int client_fd = -1;
  uint64_t received = 0;
};

void BM_SocketActionReadable(benchmark::State &state) {
  const int64_t n = state.range(0);
  ReadinessRig &rig = fetch_bench::cached_rig<ReadinessRig>("readiness/" + std::to_string(n), [&] {
    return std::make_unique<ReadinessRig>(n, Active::kStream);
  });
  if (!rig.error.empty()) {
    state.SkipWithError(rig.error.c_str());
    return;
  }
  const char chunk[kChunk] = {};
  const uint64_t before = rig.received;
  int running = 0;
  for (auto _ : state) {
    if (write(rig.server_fd, chunk, kChunk) != static_cast<ssize_t>(kChunk)) {
      state.SkipWithError("server write failed");
      break;
    }
    auto t0 = std::chrono::steady_clock::now();
    fetch_multi_socket_action(rig.multi, rig.client_fd, FETCH_CSELECT_IN, &running);
    auto t1 = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
  }
  if (running != n + 1) state.SkipWithError("a transfer ended during the run");
  // Loopback delivers a write before write() returns, so each call should have read its chunk.
  state.counters["bytes_per_call"] =
      static_cast<double>(rig.received - before) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());  // items = socket_action calls
}
BENCHMARK(BM_SocketActionReadable)->Arg(10)->Arg(1000)->Arg(10000)->Arg(100000)->UseManualTime();

// One whole keep-alive request through the scheduler while N other transfers idle: add the
// handle, the timer turn that starts it (INIT, a connection from the pool, the request sent),
// the server's read and answer (two syscalls on the server end, timed too), the readable event
// that reads the response and finishes, fetch_multi_info_read, remove (the connection back to
// the pool). All timed: this is the scheduler's cost per request.
void BM_KeepAliveRequest(benchmark::State &state) {
  const int64_t n = state.range(0);
  ReadinessRig &rig = fetch_bench::cached_rig<ReadinessRig>("cycle/" + std::to_string(n), [&] {
    return std::make_unique<ReadinessRig>(n, Active::kCycle);
  });
  if (!rig.error.empty()) {
    state.SkipWithError(rig.error.c_str());
    return;
  }
  const size_t response_len = sizeof kCycleResponse - 1;
  char request[4096];
  int running = 0;
  for (auto _ : state) {
    fetch_multi_add_handle(rig.multi, rig.active);
    for (int turns = 0; turns < 4 && rig.loop->run_due_timer(); ++turns) {
    }
    if (read(rig.server_fd, request, sizeof request) <= 0) {
      state.SkipWithError("no request on the kept connection (not reused?)");
      break;
    }
    if (write(rig.server_fd, kCycleResponse, response_len) != static_cast<ssize_t>(response_len)) {
      state.SkipWithError("server write failed");
      break;
    }
    fetch_multi_socket_action(rig.multi, rig.client_fd, FETCH_CSELECT_IN, &running);
    int left = 0;
    FETCHMsg *msg = fetch_multi_info_read(rig.multi, &left);
    if (msg == nullptr || msg->msg != FETCHMSG_DONE || msg->data.result != FETCHE_OK) {
      state.SkipWithError("the request did not complete in one readable event");
      break;
    }
    fetch_multi_remove_handle(rig.multi, rig.active);
  }
  state.SetItemsProcessed(state.iterations());  // items = requests
}
BENCHMARK(BM_KeepAliveRequest)->Arg(10)->Arg(1000)->Arg(10000)->Arg(100000);

}  // namespace
