// Test harness that runs the same transfers under each of libfetch's four drivers:
//
//   kEasyPerform  fetch_easy_perform (its private multi on the private libuv loop)
//   kMultiPoll    an application multi driven by fetch_multi_perform + fetch_multi_poll
//   kSocketAction an application multi driven by fetch_multi_socket_action from the epoll loop
//                 of runtime/epoll_loop.h (FETCHMOPT_SOCKETFUNCTION / FETCHMOPT_TIMERFUNCTION)
//   kUvLoop       fetch_multi_init_uv on a uv_loop_t owned by the test, with
//                 FETCHMOPT_NOTIFYFUNCTION + FETCHMNOTIFY_EASY_DONE, driven by uv_run
//
// Plus helpers for CONNECT_ONLY tests: an echo round trip through fetch_easy_send /
// fetch_easy_recv that polls the socket itself (getinfo shorthands: runtime/handles.h). Header-only
// (the CMake glob builds only tests/runtime/*_test.cc). Every loop is bounded in iterations and in
// time.
#pragma once

#include <fetch/fetch.h>
#include <fetch/uv.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>
#include <uv.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/epoll_loop.h"
#include "runtime/handles.h"

namespace fetchtest {

enum class Driver { kEasyPerform, kMultiPoll, kSocketAction, kUvLoop };

inline const char *driver_name(Driver d) {
  switch (d) {
    case Driver::kEasyPerform:
      return "EasyPerform";
    case Driver::kMultiPoll:
      return "MultiPoll";
    case Driver::kSocketAction:
      return "SocketActionEpoll";
    case Driver::kUvLoop:
      return "UvLoop";
  }
  return "?";
}

inline std::string driver_param_name(const ::testing::TestParamInfo<Driver> &info) {
  return driver_name(info.param);
}

inline const std::vector<Driver> &all_drivers() {
  static const std::vector<Driver> all = {Driver::kEasyPerform, Driver::kMultiPoll,
                                          Driver::kSocketAction, Driver::kUvLoop};
  return all;
}

inline const std::vector<Driver> &multi_drivers() {
  static const std::vector<Driver> some = {Driver::kMultiPoll, Driver::kSocketAction,
                                           Driver::kUvLoop};
  return some;
}

// The result Harness::run reports for a transfer that did not finish in time (no transfer
// ever ends with FETCHE_AGAIN).
constexpr FETCHcode kNotFinished = FETCHE_AGAIN;

// ---- one harness per test: a multi handle (or none) and the loop that drives it ---------------

class Harness {
 public:
  explicit Harness(Driver driver) : driver_(driver) {
    switch (driver_) {
      case Driver::kEasyPerform:
        break;
      case Driver::kMultiPoll:
        multi_ = fetch_multi_init();
        break;
      case Driver::kSocketAction:
        multi_ = fetch_multi_init();
        if (multi_ != nullptr) epoll_ = std::make_unique<EpollLoop>(multi_);
        break;
      case Driver::kUvLoop:
        loop_ = std::make_unique<uv_loop_t>();
        if (uv_loop_init(loop_.get()) != 0) {
          loop_.reset();
          break;
        }
        multi_ = fetch_multi_init_uv(loop_.get());
        if (multi_ != nullptr) {
          fetch_multi_setopt(multi_, FETCHMOPT_NOTIFYFUNCTION, &Harness::on_notify);
          fetch_multi_setopt(multi_, FETCHMOPT_NOTIFYDATA, this);
          fetch_multi_notify_enable(multi_, FETCHMNOTIFY_EASY_DONE);
        }
        break;
    }
  }

  ~Harness() { shutdown(); }
  Harness(const Harness &) = delete;
  Harness &operator=(const Harness &) = delete;

  // Cleans the multi up (removing what is still added) and closes the loop; idempotent.
  void shutdown() {
    if (multi_ != nullptr) {
      EXPECT_EQ(fetch_multi_cleanup(multi_), FETCHM_OK);
      multi_ = nullptr;
    }
    if (epoll_) {
      EXPECT_EQ(epoll_->watched(), 0u) << "sockets still watched after fetch_multi_cleanup";
      for (const std::string &e : epoll_->errors()) ADD_FAILURE() << "epoll driver: " << e;
      epoll_.reset();
    }
    if (loop_) {
      // fetch/uv.h: the loop frees libfetch's closed handles; run it once more, then close.
      for (int i = 0; i < 10 && uv_run(loop_.get(), UV_RUN_NOWAIT) != 0; ++i) {
      }
      int rc = uv_loop_close(loop_.get());
      EXPECT_EQ(rc, 0) << "uv_loop_close: " << uv_strerror(rc)
                       << " (handles left on the application's loop)";
      loop_.reset();
    }
  }

  Driver driver() const { return driver_; }
  bool uses_multi() const { return driver_ != Driver::kEasyPerform; }
  FETCHM *multi() const { return multi_; }
  EpollLoop *epoll() const { return epoll_.get(); }
  uv_loop_t *loop() const { return loop_.get(); }
  bool ok() const {
    if (driver_ == Driver::kEasyPerform) return true;
    if (multi_ == nullptr) return false;
    if (driver_ == Driver::kSocketAction) return epoll_ && epoll_->ok();
    return true;
  }

  // Runs the transfers of `handles` until each one is done or `timeout` passes. Multi drivers
  // add every handle and run them concurrently (the handles stay added); fetch_easy_perform
  // runs them one after the other. Returns each handle's result, kNotFinished when it did not
  // finish in time (also reported as a test failure).
  std::vector<FETCHcode> run(const std::vector<FETCH *> &handles,
                             milliseconds timeout = milliseconds(10000)) {
    std::vector<FETCHcode> results(handles.size(), kNotFinished);
    const Clock::time_point deadline = Clock::now() + timeout;
    if (driver_ == Driver::kEasyPerform) {
      for (size_t i = 0; i < handles.size(); ++i) results[i] = fetch_easy_perform(handles[i]);
      return results;
    }
    if (!ok()) {
      ADD_FAILURE() << "harness for " << driver_name(driver_) << " failed to initialize";
      return results;
    }
    std::map<FETCH *, size_t> index;
    notified_ = 0;
    notify_target_ = handles.size();
    for (size_t i = 0; i < handles.size(); ++i) {
      index[handles[i]] = i;
      FETCHMcode mc = fetch_multi_add_handle(multi_, handles[i]);
      if (mc != FETCHM_OK) {
        ADD_FAILURE() << "fetch_multi_add_handle: " << fetch_multi_strerror(mc);
        return results;
      }
    }
    size_t done = 0;
    auto drain = [&] {
      int left = 0;
      for (int guard = 0; guard < 1000000; ++guard) {
        FETCHMsg *msg = fetch_multi_info_read(multi_, &left);
        if (msg == nullptr) break;
        if (msg->msg != FETCHMSG_DONE) continue;
        auto it = index.find(msg->easy_handle);
        if (it == index.end()) {
          ADD_FAILURE() << "FETCHMSG_DONE for a handle not run here";
          continue;
        }
        if (results[it->second] == kNotFinished) ++done;
        results[it->second] = msg->data.result;
      }
    };
    for (long round = 0; round < 10000000 && done < handles.size(); ++round) {
      if (Clock::now() >= deadline) break;
      switch (driver_) {
        case Driver::kMultiPoll: {
          int running = 0;
          EXPECT_EQ(fetch_multi_perform(multi_, &running), FETCHM_OK);
          drain();
          if (done == handles.size()) break;
          EXPECT_EQ(fetch_multi_poll(multi_, nullptr, 0, 100, nullptr), FETCHM_OK);
          break;
        }
        case Driver::kSocketAction:
          epoll_->run_once(milliseconds(100));
          drain();
          break;
        case Driver::kUvLoop: {
          // A guard timer bounds each uv_run in time; the notify callback stops the loop
          // as soon as every transfer reported EASY_DONE.
          uv_timer_t guard;
          uv_timer_init(loop_.get(), &guard);
          guard.data = loop_.get();
          uv_timer_start(
              &guard, [](uv_timer_t *t) { uv_stop(static_cast<uv_loop_t *>(t->data)); }, 100, 0);
          uv_run(loop_.get(), UV_RUN_DEFAULT);
          uv_close(reinterpret_cast<uv_handle_t *>(&guard), nullptr);
          uv_run(loop_.get(), UV_RUN_NOWAIT);  // the guard's close callback
          drain();
          break;
        }
        case Driver::kEasyPerform:
          break;
      }
    }
    if (done < handles.size()) {
      ADD_FAILURE() << driver_name(driver_) << ": " << (handles.size() - done) << " of "
                    << handles.size() << " transfers did not finish within " << timeout.count()
                    << " ms";
    }
    if (driver_ == Driver::kUvLoop) {
      EXPECT_EQ(notified_, done) << "FETCHMNOTIFY_EASY_DONE count differs from FETCHMSG_DONE";
    }
    return results;
  }

  FETCHcode run_one(FETCH *h, milliseconds timeout = milliseconds(10000)) {
    return run(std::vector<FETCH *>{h}, timeout)[0];
  }

  // Detaches `h` from the multi (fetch_multi_remove_handle); nothing for fetch_easy_perform.
  void remove(FETCH *h) {
    if (multi_ != nullptr) {
      EXPECT_EQ(fetch_multi_remove_handle(multi_, h), FETCHM_OK);
    }
  }

  // One bounded turn (about 20 ms at most) of a multi driver, for tests that watch a
  // transfer between turns; fetch_easy_perform has no turns.
  void turn() {
    switch (driver_) {
      case Driver::kMultiPoll: {
        int running = 0;
        EXPECT_EQ(fetch_multi_perform(multi_, &running), FETCHM_OK);
        EXPECT_EQ(fetch_multi_poll(multi_, nullptr, 0, 20, nullptr), FETCHM_OK);
        break;
      }
      case Driver::kSocketAction:
        epoll_->run_once(milliseconds(20));
        break;
      case Driver::kUvLoop: {
        uv_timer_t guard;
        uv_timer_init(loop_.get(), &guard);
        guard.data = loop_.get();
        uv_timer_start(
            &guard, [](uv_timer_t *t) { uv_stop(static_cast<uv_loop_t *>(t->data)); }, 20, 0);
        uv_run(loop_.get(), UV_RUN_DEFAULT);
        uv_close(reinterpret_cast<uv_handle_t *>(&guard), nullptr);
        uv_run(loop_.get(), UV_RUN_NOWAIT);
        break;
      }
      case Driver::kEasyPerform:
        ADD_FAILURE() << "turn() is for multi drivers";
        break;
    }
  }

  // For kUvLoop: whether the application's loop still has active handles (it should not once
  // every transfer is done and no socket is watched, fetch/uv.h).
  bool loop_alive() const { return loop_ && uv_loop_alive(loop_.get()) != 0; }

 private:
  static void on_notify(FETCHM *, unsigned int notification, FETCH *, void *user) {
    auto *self = static_cast<Harness *>(user);
    if (notification != FETCHMNOTIFY_EASY_DONE) return;
    ++self->notified_;
    if (self->notified_ >= self->notify_target_) uv_stop(self->loop_.get());
  }

  Driver driver_;
  FETCHM *multi_ = nullptr;
  std::unique_ptr<EpollLoop> epoll_;
  std::unique_ptr<uv_loop_t> loop_;
  size_t notified_ = 0;
  size_t notify_target_ = 0;
};

// ---- CONNECT_ONLY echo through fetch_easy_send / fetch_easy_recv -------------------------------

struct EchoStats {
  size_t send_again = 0;
  size_t recv_again = 0;
};

// Sends `data` over the CONNECT_ONLY connection of `h` while reading the echo back, waiting
// on the socket with poll() whenever neither direction can progress. Returns what came back
// (at most data.size() bytes); a failure or the timeout is reported and ends the exchange.
inline std::string echo_round_trip(FETCH *h, std::string_view data,
                                   milliseconds timeout = milliseconds(10000),
                                   EchoStats *stats = nullptr) {
  EchoStats local;
  EchoStats &st = stats != nullptr ? *stats : local;
  std::string got;
  got.reserve(data.size());
  fetch_socket_t fd = active_socket(h);
  if (fd == FETCH_SOCKET_BAD) {
    ADD_FAILURE() << "no active socket for the echo";
    return got;
  }
  std::vector<char> buf(64 * 1024);
  size_t sent = 0;
  const Clock::time_point deadline = Clock::now() + timeout;
  for (long i = 0; i < 10000000 && got.size() < data.size(); ++i) {
    if (Clock::now() >= deadline) {
      ADD_FAILURE() << "echo timed out: sent " << sent << ", received " << got.size() << " of "
                    << data.size();
      break;
    }
    bool progressed = false;
    if (sent < data.size()) {
      size_t n = 0;
      FETCHcode rc = fetch_easy_send(h, data.data() + sent, data.size() - sent, &n);
      if (rc == FETCHE_OK) {
        sent += n;
        progressed = n > 0;
      } else if (rc == FETCHE_AGAIN) {
        EXPECT_EQ(n, 0u);
        ++st.send_again;
      } else {
        ADD_FAILURE() << "fetch_easy_send: " << fetch_easy_strerror(rc);
        break;
      }
    }
    size_t n = 0;
    FETCHcode rc = fetch_easy_recv(h, buf.data(), buf.size(), &n);
    if (rc == FETCHE_OK) {
      if (n == 0) {
        ADD_FAILURE() << "peer closed after " << got.size() << " echoed bytes";
        break;
      }
      got.append(buf.data(), n);
      progressed = true;
    } else if (rc == FETCHE_AGAIN) {
      EXPECT_EQ(n, 0u);
      ++st.recv_again;
    } else {
      ADD_FAILURE() << "fetch_easy_recv: " << fetch_easy_strerror(rc);
      break;
    }
    if (!progressed) {
      pollfd p{fd, static_cast<short>(POLLIN | (sent < data.size() ? POLLOUT : 0)), 0};
      poll(&p, 1, 100);
    }
  }
  return got;
}

// Reads from `h` until `count` bytes, the peer's close (recv gives 0 bytes: *closed = true),
// an error or the timeout.
inline std::string recv_some(FETCH *h, size_t count, bool *closed,
                             milliseconds timeout = milliseconds(5000)) {
  std::string got;
  *closed = false;
  fetch_socket_t fd = active_socket(h);
  char buf[4096];
  const Clock::time_point deadline = Clock::now() + timeout;
  for (int i = 0; i < 100000 && got.size() < count && Clock::now() < deadline; ++i) {
    size_t n = 0;
    FETCHcode rc = fetch_easy_recv(h, buf, std::min(sizeof buf, count - got.size()), &n);
    if (rc == FETCHE_AGAIN) {
      if (fd == FETCH_SOCKET_BAD) break;
      pollfd p{fd, POLLIN, 0};
      poll(&p, 1, 100);
      continue;
    }
    if (rc != FETCHE_OK) {
      ADD_FAILURE() << "fetch_easy_recv: " << fetch_easy_strerror(rc);
      break;
    }
    if (n == 0) {
      *closed = true;
      break;
    }
    got.append(buf, n);
  }
  return got;
}

// Deterministic bytes covering every value 0..255.
inline std::string pattern_bytes(size_t size, uint32_t seed = 1) {
  std::string out(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < size; ++i) {
    x = x * 1103515245u + 12345u;
    out[i] = static_cast<char>((x >> 16) ^ i);
  }
  return out;
}

// Raises RLIMIT_NOFILE's soft limit to at least `needed` (up to the hard limit). Returns an
// empty string on success, else why it could not.
inline std::string ensure_fd_limit(rlim_t needed) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return std::string("getrlimit: ") + strerror(errno);
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < needed) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
      return std::string("setrlimit: ") + strerror(errno);
    }
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return std::string("getrlimit: ") + strerror(errno);
  }
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < needed) {
    return "RLIMIT_NOFILE is " + std::to_string(lim.rlim_cur) + " (hard " +
           std::to_string(lim.rlim_max) + "), need " + std::to_string(needed) +
           ": raise the hard limit (ulimit -Hn) to run this test";
  }
  return {};
}

}  // namespace fetchtest
