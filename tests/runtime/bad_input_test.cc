// Bad input found by trying to break libfetch: each case gets a specific code, never a crash,
// a hang or undefined behaviour (the asan preset runs these under ASan + UBSan).
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <climits>
#include <string>
#include <vector>

#include "echo_server.h"
#include "runtime/handles.h"

namespace {

using fetchtest::make_easy;
using fetchtest::make_slist;
using fetchtest::SlistPtr;

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(server_.start(), 0); }
  std::string url() const { return fetchtest::loopback_url(server_.port()); }
  FETCHcode perform_with(FETCHoption opt, fetch_slist *list, std::string *message = nullptr) {
    char errbuf[FETCH_ERROR_SIZE] = "";
    FETCH *h = make_easy(url(), {.connect_timeout_ms = 0, .errbuf = errbuf});
    fetch_easy_setopt(h, opt, list);
    FETCHcode rc = fetch_easy_perform(h);
    if (message != nullptr) *message = errbuf;
    fetch_easy_cleanup(h);
    return rc;
  }
  fetchtest::EchoServer server_;
};

TEST_F(BadInput, MalformedConnectToEntriesAreASyntaxError) {
  const std::string port = std::to_string(server_.port());
  for (const std::string &bad :
       {std::string("::127.0.0.1:abc"), std::string(":::::::"),
        std::string("::127.0.0.1:99999999999999"), std::string("::[::1:") + port,
        std::string("::127.0.0.1:-5"), std::string("::127.0.0.1: ") + port,
        std::string("::127.0.0.1:") + port + "xyz"}) {
    SlistPtr list = make_slist({bad});
    std::string message;
    EXPECT_EQ(perform_with(FETCHOPT_CONNECT_TO, list.get(), &message), FETCHE_SETOPT_OPTION_SYNTAX)
        << bad;
    EXPECT_NE(message.find("CONNECT_TO"), std::string::npos) << message;
  }
  SlistPtr good = make_slist({"::127.0.0.1:" + port});
  EXPECT_EQ(perform_with(FETCHOPT_CONNECT_TO, good.get()), FETCHE_OK);
  SlistPtr other_host = make_slist({"elsewhere.invalid::127.0.0.1:1"});  // does not match: ignored
  EXPECT_EQ(perform_with(FETCHOPT_CONNECT_TO, other_host.get()), FETCHE_OK);
}

TEST_F(BadInput, MalformedResolveEntriesAreASyntaxError) {
  const std::string port = std::to_string(server_.port());
  for (const std::string &bad :
       {std::string("a"), std::string("a:b"), std::string("host:80:"), std::string("[::1"),
        std::string(":::"), "h.invalid:" + port + ":", "h.invalid:" + port + ":notanip",
        "h.invalid:" + port + ":[::1", "h.invalid:" + port + ":999.0.0.1",
        std::string("h.invalid:99999999999999999999:127.0.0.1")}) {
    SlistPtr list = make_slist({bad});
    std::string message;
    EXPECT_EQ(perform_with(FETCHOPT_RESOLVE, list.get(), &message), FETCHE_SETOPT_OPTION_SYNTAX)
        << bad;
    EXPECT_NE(message.find(bad), std::string::npos) << message;
  }
  SlistPtr removal = make_slist({"-elsewhere.invalid:80"});
  EXPECT_EQ(perform_with(FETCHOPT_RESOLVE, removal.get()), FETCHE_OK);
}

TEST_F(BadInput, HugeTimeoutsSaturateInsteadOfFiringAtOnce) {
  for (FETCHoption opt : {FETCHOPT_TIMEOUT_MS, FETCHOPT_CONNECTTIMEOUT_MS, FETCHOPT_TIMEOUT,
                          FETCHOPT_CONNECTTIMEOUT}) {
    for (long value : {LONG_MAX, LONG_MAX / 1000 + 1}) {
      FETCH *h = make_easy(url(), {.connect_timeout_ms = 0});
      ASSERT_EQ(fetch_easy_setopt(h, opt, value), FETCHE_OK);
      EXPECT_EQ(fetch_easy_perform(h), FETCHE_OK) << opt << " " << value;
      fetch_easy_cleanup(h);
    }
  }
}

TEST(BadInputMulti, RemoveFromTheWrongMultiIsRefused) {
  FETCHM *m1 = fetch_multi_init();
  FETCHM *m2 = fetch_multi_init();
  FETCH *h = fetch_easy_init();
  ASSERT_EQ(fetch_multi_add_handle(m1, h), FETCHM_OK);
  EXPECT_EQ(fetch_multi_remove_handle(m2, h), FETCHM_BAD_EASY_HANDLE);
  EXPECT_EQ(fetch_multi_add_handle(m2, h), FETCHM_ADDED_ALREADY);
  EXPECT_EQ(fetch_multi_remove_handle(m1, h), FETCHM_OK);
  EXPECT_EQ(fetch_multi_remove_handle(m1, h), FETCHM_OK);  // in no multi: nothing to do
  fetch_easy_cleanup(h);
  fetch_multi_cleanup(m1);
  fetch_multi_cleanup(m2);
}

// The timer callback removes and frees every handle: no callback may run nested inside it and
// nothing may touch the freed handles (ASan checks).
struct TimerCleanup {
  FETCHM *multi = nullptr;
  std::vector<FETCH *> handles;
  int calls = 0;
  int depth = 0;
  int max_depth = 0;
};

int timer_removes_everything(FETCHM *, long, void *userp) {
  auto *s = static_cast<TimerCleanup *>(userp);
  ++s->calls;
  ++s->depth;
  s->max_depth = std::max(s->max_depth, s->depth);
  for (FETCH *&h : s->handles) {
    if (h == nullptr) continue;
    EXPECT_EQ(fetch_multi_remove_handle(s->multi, h), FETCHM_OK);
    fetch_easy_cleanup(h);
    h = nullptr;
  }
  --s->depth;
  return 0;
}

int ignore_sockets(FETCH *, fetch_socket_t, int, void *, void *) { return 0; }

TEST(BadInputMulti, TimerCallbackRemovesAndFreesEveryHandle) {
  TimerCleanup state;
  state.multi = fetch_multi_init();
  fetch_multi_setopt(state.multi, FETCHMOPT_SOCKETFUNCTION, ignore_sockets);
  fetch_multi_setopt(state.multi, FETCHMOPT_TIMERFUNCTION, timer_removes_everything);
  fetch_multi_setopt(state.multi, FETCHMOPT_TIMERDATA, &state);
  for (int i = 0; i < 2; ++i) {
    state.handles.push_back(make_easy("http://127.0.0.1:1/", {.connect_timeout_ms = 0}));
  }
  // The first add arms the timer: the callback frees the first handle at once, so only the
  // handles still alive are added afterwards.
  for (FETCH *&h : state.handles) {
    if (h != nullptr) {
      EXPECT_EQ(fetch_multi_add_handle(state.multi, h), FETCHM_OK);
    }
  }
  EXPECT_GE(state.calls, 1);
  EXPECT_EQ(state.max_depth, 1);  // never nested
  EXPECT_EQ(fetch_multi_cleanup(state.multi), FETCHM_OK);
  for (FETCH *h : state.handles) EXPECT_EQ(h, nullptr);
}

int failing_timer(FETCHM *, long, void *) { return -1; }

TEST(BadInputMulti, FailingTimerCallbackAbortsTheTransfers) {
  FETCHM *m = fetch_multi_init();
  fetch_multi_setopt(m, FETCHMOPT_SOCKETFUNCTION, ignore_sockets);
  fetch_multi_setopt(m, FETCHMOPT_TIMERFUNCTION, failing_timer);
  char errbuf[FETCH_ERROR_SIZE] = "";
  FETCH *h = make_easy("http://127.0.0.1:1/", {.connect_timeout_ms = 0, .errbuf = errbuf});
  ASSERT_EQ(fetch_multi_add_handle(m, h), FETCHM_OK);
  int left = 0;
  FETCHMsg *msg = fetch_multi_info_read(m, &left);
  ASSERT_NE(msg, nullptr);
  EXPECT_EQ(msg->easy_handle, h);
  EXPECT_EQ(msg->data.result, FETCHE_ABORTED_BY_CALLBACK);
  EXPECT_NE(std::string(errbuf).find("timer callback"), std::string::npos) << errbuf;
  fetch_multi_remove_handle(m, h);
  fetch_easy_cleanup(h);
  fetch_multi_cleanup(m);
}

}  // namespace
