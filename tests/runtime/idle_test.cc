// An idle multi does not spin: with two transfers stuck mid-connect (a listener whose accept
// queue is full, CONNECTTIMEOUT_MS 10000) nothing is due for seconds, so every driver must
// sleep — fetch_multi_poll, an application's epoll loop in socket_action mode, and an
// application's libuv loop with fetch/uv.h. fetch_multi_wakeup from another thread ends a long
// fetch_multi_poll at once.
//
// Bounds are generous on purpose: "at most 5 wake-ups in a second" catches a busy loop (which
// makes thousands) without depending on the machine's speed.
#include <fetch/fetch.h>
#include <fetch/uv.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "runtime/epoll_loop.h"
#include "runtime/handles.h"
#include "server/http_server.h"
#include "support/full_backlog.h"

namespace {

using fetchtest::Clock;
using std::chrono::milliseconds;

constexpr int kMaxWakeupsPerSecond = 5;

// Connects to the full backlog: stays mid-connect, with nothing due for 10 s.
FETCH *hanging_easy(int port) { return fetchtest::connect_only_easy(port, 10000); }

class IdleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backlog_.ok());
    ASSERT_TRUE(backlog_.fill());
    a_ = hanging_easy(backlog_.port());
    b_ = hanging_easy(backlog_.port());
  }
  void TearDown() override {
    fetch_easy_cleanup(a_);
    fetch_easy_cleanup(b_);
  }

  fetchtest::ListenerWithFullBacklog backlog_;
  FETCH *a_ = nullptr;
  FETCH *b_ = nullptr;
};

// Performs and polls briefly until both transfers are connecting.
void start_both(FETCHM *m) {
  int running = 0;
  for (int i = 0; i < 5; ++i) {
    fetch_multi_perform(m, &running);
    fetch_multi_poll(m, nullptr, 0, 20, nullptr);
  }
  fetch_multi_perform(m, &running);
  EXPECT_EQ(running, 2);
}

TEST_F(IdleTest, PollLoopSleeps) {
  FETCHM *m = fetch_multi_init();
  ASSERT_EQ(fetch_multi_add_handle(m, a_), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, b_), FETCHM_OK);
  start_both(m);
  int iterations = 0;
  int running = 0;
  auto end = Clock::now() + milliseconds(1000);
  while (Clock::now() < end && iterations < 1000) {
    int numfds = 0;
    ASSERT_EQ(fetch_multi_poll(m, nullptr, 0, 1000, &numfds), FETCHM_OK);
    ASSERT_EQ(fetch_multi_perform(m, &running), FETCHM_OK);
    ++iterations;
  }
  EXPECT_LE(iterations, kMaxWakeupsPerSecond);
  EXPECT_EQ(running, 2);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
}

TEST_F(IdleTest, SocketActionLoopSleeps) {
  FETCHM *m = fetch_multi_init();
  {
    fetchtest::EpollLoop app(m);  // counts what libfetch asks of it
    ASSERT_EQ(fetch_multi_add_handle(m, a_), FETCHM_OK);
    ASSERT_EQ(fetch_multi_add_handle(m, b_), FETCHM_OK);
    auto warm = Clock::now() + milliseconds(2000);
    while (app.watched() < 2 && Clock::now() < warm) app.run_once(milliseconds(20));
    ASSERT_EQ(app.watched(), 2u);
    app.reset_counts();
    int rounds = 0;
    auto end = Clock::now() + milliseconds(1000);
    while (Clock::now() < end && rounds < 1000) {
      auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now()).count();
      app.run_once(milliseconds(std::max<int64_t>(left, 1)));
      ++rounds;
    }
    EXPECT_LE(app.timer_calls(), kMaxWakeupsPerSecond);
    EXPECT_LE(app.socket_calls(), kMaxWakeupsPerSecond);
    EXPECT_LE(app.actions(), kMaxWakeupsPerSecond);
    EXPECT_LE(rounds, kMaxWakeupsPerSecond);
    EXPECT_EQ(app.running(), 2);
    EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
  }
}

// Calls fetch_multi_wakeup from another thread after `delay`, while the caller polls for 10 s.
// Returns how long fetch_multi_poll took.
milliseconds poll_with_wakeup_after(FETCHM *m, milliseconds delay) {
  std::atomic<bool> polling{false};
  std::thread waker([&] {
    while (!polling.load()) std::this_thread::sleep_for(milliseconds(1));
    std::this_thread::sleep_for(delay);
    fetch_multi_wakeup(m);
  });
  auto start = Clock::now();
  polling.store(true);
  int numfds = 0;
  FETCHMcode rc = fetch_multi_poll(m, nullptr, 0, 10000, &numfds);
  auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  waker.join();
  EXPECT_EQ(rc, FETCHM_OK);
  return took;
}

TEST_F(IdleTest, WakeupEndsALongPollOfABusyMulti) {
  FETCHM *m = fetch_multi_init();
  ASSERT_EQ(fetch_multi_add_handle(m, a_), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, b_), FETCHM_OK);
  start_both(m);
  EXPECT_LT(poll_with_wakeup_after(m, milliseconds(100)), milliseconds(1000));
  // And again: a wake-up is not used up for good.
  int running = 0;
  fetch_multi_perform(m, &running);
  EXPECT_LT(poll_with_wakeup_after(m, milliseconds(100)), milliseconds(1000));
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
}

TEST_F(IdleTest, WakeupEndsALongPollOfAFreshMulti) {
  // Nothing was ever added or performed: the wake-up must still reach fetch_multi_poll.
  FETCHM *m = fetch_multi_init();
  EXPECT_LT(poll_with_wakeup_after(m, milliseconds(100)), milliseconds(1000));
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
}

TEST_F(IdleTest, UvAttachedLoopSleeps) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  FETCHM *m = fetch_multi_init_uv(&loop);
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(fetch_multi_add_handle(m, a_), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, b_), FETCHM_OK);
  for (int i = 0; i < 5; ++i) uv_run(&loop, UV_RUN_NOWAIT);
  // One test timer ends the measured second; everything else that wakes the loop is libfetch.
  bool stop = false;
  uv_timer_t timer;
  uv_timer_init(&loop, &timer);
  timer.data = &stop;
  uv_timer_start(
      &timer, [](uv_timer_t *t) { *static_cast<bool *>(t->data) = true; }, 1000, 0);
  int iterations = 0;
  auto end = Clock::now() + milliseconds(3000);  // guard: the test timer should end it
  while (!stop && Clock::now() < end && iterations < 1000) {
    uv_run(&loop, UV_RUN_ONCE);
    ++iterations;
  }
  EXPECT_TRUE(stop);
  EXPECT_LE(iterations, kMaxWakeupsPerSecond);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
  uv_close(reinterpret_cast<uv_handle_t *>(&timer), nullptr);
  uv_run(&loop, UV_RUN_NOWAIT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

size_t discard_body(char *, size_t size, size_t nmemb, void *) { return size * nmemb; }

// fetch/uv.h: uv_run(UV_RUN_DEFAULT) returns once every transfer is done, also when their
// keep-alive connections stay in the pool (their polls no longer keep the loop alive).
TEST(UvLoop, RunReturnsWhenTransfersAreDoneWithConnectionsPooled) {
  fetchtest::HttpServer server;
  server.on("/k", fetchtest::Script().send(fetchtest::http_response(200, {}, "kept")));
  ASSERT_EQ(server.start(), 0);
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  FETCHM *m = fetch_multi_init_uv(&loop);
  ASSERT_NE(m, nullptr);
  FETCH *a = fetchtest::make_easy(server.origin() + "/k", {.connect_only = false});
  FETCH *b = fetchtest::make_easy(server.origin() + "/k", {.connect_only = false});
  for (FETCH *e : {a, b}) {
    fetch_easy_setopt(e, FETCHOPT_WRITEFUNCTION, &discard_body);
    ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
  }
  // The guard does not keep the loop alive either; it only fires if something else does.
  bool guard_fired = false;
  uv_timer_t guard;
  uv_timer_init(&loop, &guard);
  guard.data = &guard_fired;
  uv_timer_start(
      &guard,
      [](uv_timer_t *t) {
        *static_cast<bool *>(t->data) = true;
        uv_stop(t->loop);
      },
      5000, 0);
  uv_unref(reinterpret_cast<uv_handle_t *>(&guard));
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_FALSE(guard_fired) << "uv_run kept running after the transfers were done";
  int left = 0;
  int done = 0;
  while (FETCHMsg *msg = fetch_multi_info_read(m, &left)) {
    if (msg->msg == FETCHMSG_DONE && msg->data.result == FETCHE_OK) ++done;
  }
  EXPECT_EQ(done, 2);
  EXPECT_EQ(server.open_connections(), 2u) << "the connections were pooled, not closed";
  for (FETCH *e : {a, b}) {
    fetch_multi_remove_handle(m, e);
    fetch_easy_cleanup(e);
  }
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
  uv_close(reinterpret_cast<uv_handle_t *>(&guard), nullptr);
  uv_run(&loop, UV_RUN_NOWAIT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
