// Helpers for the scheduler benchmarks: a loopback listener that never answers, and a minimal
// application event loop (epoll + FETCHMOPT_SOCKETFUNCTION/TIMERFUNCTION) driving a multi
// through fetch_multi_socket_action, as an application's own loop would.
//
// Loopback only (127.0.0.1). Errors abort the benchmark through SkipWithError at the caller:
// every function here reports failure with a bool or an empty optional, never by throwing.
#pragma once

#include <fetch/fetch.h>
#include <fetch/multi.h>

#include <cstdint>
#include <string>
#include <unordered_map>

namespace fetch_bench {

// A TCP listener on 127.0.0.1, port chosen by the kernel. It never accepts unless asked to:
// the kernel completes up to `backlog` handshakes on its own, so a client's connect succeeds
// and its request sits in the kernel buffer, unanswered, without costing a server-side fd.
class Listener {
 public:
  explicit Listener(int backlog = 4096);
  ~Listener();
  Listener(const Listener &) = delete;
  Listener &operator=(const Listener &) = delete;

  bool ok() const { return fd_ >= 0; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  // Accepts one connection (waiting up to `timeout_ms`), non-blocking; -1 on failure. The
  // caller owns the fd.
  int accept_one(int timeout_ms);

 private:
  int fd_ = -1;
  int port_ = 0;
};

// The application's loop: the multi's socket callback keeps an epoll set and a map of what
// each fd wants; its timer callback keeps one deadline.
class AppLoop {
 public:
  explicit AppLoop(FETCHM *multi);
  ~AppLoop();
  AppLoop(const AppLoop &) = delete;
  AppLoop &operator=(const AppLoop &) = delete;

  bool ok() const { return epoll_fd_ >= 0; }
  // Runs the loop (socket events and the timer) until `done()` is true or `limit_ms` passed;
  // returns done().
  template <class Done>
  bool run_until(Done done, int limit_ms) {
    int64_t end = now_ms() + limit_ms;
    while (!done()) {
      if (now_ms() >= end) return false;
      turn(static_cast<int>(end - now_ms()));
    }
    return true;
  }
  // One turn: waits for sockets up to the timer or `max_wait_ms`, then dispatches.
  void turn(int max_wait_ms);

  // Runs fetch_multi_socket_action(FETCH_SOCKET_TIMEOUT) if the timer is due; false if not.
  bool run_due_timer();

  // What the socket callback last said for `fd` (FETCH_POLL_*), 0 if it is not watched.
  int interest(int fd) const;
  size_t watched() const { return interest_.size(); }
  // How many watched fds want exactly FETCH_POLL_IN.
  size_t read_only_watches() const { return read_only_; }
  // The fd the socket callback last announced for `easy` (-1: none).
  int fd_of(FETCH *easy) const;
  int running() const { return running_; }

  static int64_t now_ms();

 private:
  static int on_socket(FETCH *easy, fetch_socket_t s, int what, void *userp, void *socketp);
  static int on_timer(FETCHM *multi, long timeout_ms, void *userp);
  void dispatch(fetch_socket_t s, int bits);

  FETCHM *multi_;
  int epoll_fd_ = -1;
  int64_t timer_at_ms_ = -1;  // -1: no timer
  int running_ = 0;
  size_t read_only_ = 0;
  std::unordered_map<int, int> interest_;
  std::unordered_map<FETCH *, int> easy_fd_;
};

// Raises the soft RLIMIT_NOFILE to at least `want` (up to the hard limit); returns the soft
// limit in force afterwards.
uint64_t raise_fd_limit(uint64_t want);

// A write callback that discards the body (and counts its bytes in *userdata, a uint64_t).
size_t discard_body(char *ptr, size_t size, size_t nmemb, void *userdata);

}  // namespace fetch_bench
