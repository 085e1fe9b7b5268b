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
#include <sys/epoll.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/full_backlog.h"

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr int kMaxWakeupsPerSecond = 5;

FETCH *hanging_easy(int port) {
  FETCH *e = fetch_easy_init();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  fetch_easy_setopt(e, FETCHOPT_URL, url.c_str());
  fetch_easy_setopt(e, FETCHOPT_CONNECT_ONLY, 1L);
  fetch_easy_setopt(e, FETCHOPT_CONNECTTIMEOUT_MS, 10000L);
  return e;
}

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

// socket_action mode: an epoll loop that counts what libfetch asks of it.
class CountingApp {
 public:
  explicit CountingApp(FETCHM *m) : m_(m), ep_(epoll_create1(EPOLL_CLOEXEC)) {
    fetch_multi_setopt(m_, FETCHMOPT_SOCKETFUNCTION, &CountingApp::socket_cb);
    fetch_multi_setopt(m_, FETCHMOPT_SOCKETDATA, this);
    fetch_multi_setopt(m_, FETCHMOPT_TIMERFUNCTION, &CountingApp::timer_cb);
    fetch_multi_setopt(m_, FETCHMOPT_TIMERDATA, this);
  }
  // Clean the multi up first: its last socket and timer calls still reach this object.
  ~CountingApp() { close(ep_); }
  CountingApp(const CountingApp &) = delete;
  CountingApp &operator=(const CountingApp &) = delete;

  void step(int max_ms) {
    int wait_ms = max_ms;
    if (timer_due_) {
      auto left = std::chrono::duration_cast<milliseconds>(*timer_due_ - Clock::now()).count();
      wait_ms = static_cast<int>(std::clamp<int64_t>(left, 0, max_ms));
    }
    epoll_event events[16];
    int n = epoll_wait(ep_, events, 16, wait_ms);
    for (int i = 0; i < n; ++i) {
      int bits = 0;
      if (events[i].events & EPOLLIN) bits |= FETCH_CSELECT_IN;
      if (events[i].events & EPOLLOUT) bits |= FETCH_CSELECT_OUT;
      if (events[i].events & (EPOLLERR | EPOLLHUP)) bits |= FETCH_CSELECT_ERR;
      ++actions;
      fetch_multi_socket_action(m_, events[i].data.fd, bits, &running);
    }
    if (timer_due_ && Clock::now() >= *timer_due_) {
      timer_due_.reset();
      ++actions;
      fetch_multi_socket_action(m_, FETCH_SOCKET_TIMEOUT, 0, &running);
    }
  }

  void reset_counts() { socket_calls = timer_calls = actions = 0; }

  int socket_calls = 0;
  int timer_calls = 0;
  int actions = 0;
  int running = 0;
  size_t watched() const { return watched_.size(); }

 private:
  static int socket_cb(FETCH *, fetch_socket_t fd, int what, void *userp, void *) {
    auto *self = static_cast<CountingApp *>(userp);
    ++self->socket_calls;
    if (what == FETCH_POLL_REMOVE) {
      epoll_ctl(self->ep_, EPOLL_CTL_DEL, fd, nullptr);
      self->watched_.erase(fd);
      return 0;
    }
    epoll_event ev{};
    ev.data.fd = fd;
    if (what & FETCH_POLL_IN) ev.events |= EPOLLIN;
    if (what & FETCH_POLL_OUT) ev.events |= EPOLLOUT;
    int op = self->watched_.count(fd) != 0 ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    epoll_ctl(self->ep_, op, fd, &ev);
    self->watched_[fd] = what;
    return 0;
  }

  static int timer_cb(FETCHM *, long ms, void *userp) {
    auto *self = static_cast<CountingApp *>(userp);
    ++self->timer_calls;
    if (ms < 0) {
      self->timer_due_.reset();
    } else {
      self->timer_due_ = Clock::now() + milliseconds(ms);
    }
    return 0;
  }

  FETCHM *m_;
  int ep_;
  std::optional<Clock::time_point> timer_due_;
  std::map<int, int> watched_;
};

TEST_F(IdleTest, SocketActionLoopSleeps) {
  FETCHM *m = fetch_multi_init();
  {
    CountingApp app(m);
    ASSERT_EQ(fetch_multi_add_handle(m, a_), FETCHM_OK);
    ASSERT_EQ(fetch_multi_add_handle(m, b_), FETCHM_OK);
    auto warm = Clock::now() + milliseconds(2000);
    while (app.watched() < 2 && Clock::now() < warm) app.step(20);
    ASSERT_EQ(app.watched(), 2u);
    app.reset_counts();
    int rounds = 0;
    auto end = Clock::now() + milliseconds(1000);
    while (Clock::now() < end && rounds < 1000) {
      auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now()).count();
      app.step(static_cast<int>(std::max<int64_t>(left, 1)));
      ++rounds;
    }
    EXPECT_LE(app.timer_calls, kMaxWakeupsPerSecond);
    EXPECT_LE(app.socket_calls, kMaxWakeupsPerSecond);
    EXPECT_LE(app.actions, kMaxWakeupsPerSecond);
    EXPECT_LE(rounds, kMaxWakeupsPerSecond);
    EXPECT_EQ(app.running, 2);
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

}  // namespace
