// The application's side of socket_action mode, written once for every runtime suite: an epoll
// set kept by FETCHMOPT_SOCKETFUNCTION, a one-shot timer kept by FETCHMOPT_TIMERFUNCTION, and
// a loop that hands readiness and expiry to fetch_multi_socket_action. Tests can hook into
// both callbacks, read counters of what libfetch asked for, and read an ordered log of every
// socket-callback call and every close (through FETCHOPT_CLOSESOCKETFUNCTION). Header-only.
#pragma once

#include <fetch/fetch.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/handles.h"

namespace fetchtest {

// One entry of EpollLoop::log(): a socket-callback call or a CLOSESOCKETFUNCTION call.
struct SocketEvent {
  enum Kind { kAnnounce, kClose } kind;
  int fd;
  int what;  // FETCH_POLL_* for kAnnounce
};

class EpollLoop {
 public:
  explicit EpollLoop(FETCHM *multi) : multi_(multi), epfd_(epoll_create1(EPOLL_CLOEXEC)) {
    fetch_multi_setopt(multi_, FETCHMOPT_SOCKETFUNCTION, &EpollLoop::on_socket_cb);
    fetch_multi_setopt(multi_, FETCHMOPT_SOCKETDATA, this);
    fetch_multi_setopt(multi_, FETCHMOPT_TIMERFUNCTION, &EpollLoop::on_timer_cb);
    fetch_multi_setopt(multi_, FETCHMOPT_TIMERDATA, this);
  }
  // Clean the multi up first: its last socket and timer calls still reach this object.
  ~EpollLoop() {
    if (epfd_ >= 0) close(epfd_);
  }
  EpollLoop(const EpollLoop &) = delete;
  EpollLoop &operator=(const EpollLoop &) = delete;

  bool ok() const { return epfd_ >= 0; }

  // Makes `easy` close its sockets through this loop, so that the closes appear in log().
  void own_sockets_of(FETCH *easy) {
    fetch_easy_setopt(easy, FETCHOPT_CLOSESOCKETFUNCTION, &EpollLoop::on_close_cb);
    fetch_easy_setopt(easy, FETCHOPT_CLOSESOCKETDATA, this);
  }

  // Run inside the socket callback (after the epoll set is updated) and the timer callback.
  std::function<void(FETCH *easy, int fd, int what)> on_socket;
  std::function<void(long timeout_ms)> on_timer;

  // Waits up to `max_wait` (less when the timer is due sooner) for a watched socket or the
  // timer, then tells the multi.
  void run_once(milliseconds max_wait) {
    int wait_ms = static_cast<int>(max_wait.count());
    if (deadline_) {
      // +1: epoll_wait's millisecond would otherwise wake just before the deadline.
      auto left = std::chrono::duration_cast<milliseconds>(*deadline_ - Clock::now()).count();
      wait_ms = static_cast<int>(std::clamp<int64_t>(left + 1, 0, wait_ms));
    }
    epoll_event events[256];
    int n = epoll_wait(epfd_, events, 256, wait_ms);
    if (n < 0 && errno != EINTR) errors_.push_back(std::string("epoll_wait: ") + strerror(errno));
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (watched_.count(fd) == 0) continue;  // removed by an earlier action of this round
      int bits = 0;
      if (events[i].events & EPOLLIN) bits |= FETCH_CSELECT_IN;
      if (events[i].events & EPOLLOUT) bits |= FETCH_CSELECT_OUT;
      if (events[i].events & (EPOLLERR | EPOLLHUP)) bits |= FETCH_CSELECT_ERR;
      ++actions_;
      FETCHMcode mc = fetch_multi_socket_action(multi_, fd, bits, &running_);
      if (mc != FETCHM_OK) {
        errors_.push_back("socket_action(" + std::to_string(fd) + ") = " + std::to_string(mc));
      }
    }
    if (deadline_ && Clock::now() >= *deadline_) {
      deadline_.reset();  // a timer fires once; the multi re-arms it through on_timer_cb
      ++actions_;
      FETCHMcode mc = fetch_multi_socket_action(multi_, FETCH_SOCKET_TIMEOUT, 0, &running_);
      if (mc != FETCHM_OK) errors_.push_back("socket_action(TIMEOUT) = " + std::to_string(mc));
    }
  }

  // Runs rounds of up to 50 ms until `done` holds or `limit` passes; true when done.
  bool run_until(const std::function<bool()> &done, milliseconds limit = milliseconds(5000)) {
    const Clock::time_point end = Clock::now() + limit;
    while (!done()) {
      if (Clock::now() >= end) return false;
      run_once(milliseconds(50));
    }
    return true;
  }

  // ---- what libfetch asked for ----

  size_t watched() const { return watched_.size(); }
  bool is_watched(int fd) const { return watched_.count(fd) != 0; }
  const std::map<int, int> &watches() const { return watched_; }  // fd -> last FETCH_POLL_*
  // "fd=target(what)" for every watched fd, e.g. "7=socket:[123](2)", for failure messages.
  std::string describe() const {
    std::string out;
    for (const auto &[fd, what] : watched_) {
      char target[256];
      std::string path = "/proc/self/fd/" + std::to_string(fd);
      ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
      target[n > 0 ? n : 0] = '\0';
      out += " " + std::to_string(fd) + "=" + target + "(" + std::to_string(what) + ")";
    }
    return out;
  }
  // Every socket-callback call and every close through own_sockets_of, in order.
  const std::vector<SocketEvent> &log() const { return log_; }
  // Problems seen in callbacks (a REMOVE for an unknown fd, epoll_ctl failures, ...).
  const std::vector<std::string> &errors() const { return errors_; }

  int socket_calls() const { return socket_calls_; }
  int timer_calls() const { return timer_calls_; }
  int actions() const { return actions_; }  // fetch_multi_socket_action calls made by run_once
  int running() const { return running_; }  // as the last of them reported
  void reset_counts() { socket_calls_ = timer_calls_ = actions_ = 0; }

 private:
  static int on_socket_cb(FETCH *easy, fetch_socket_t s, int what, void *userp, void *) {
    auto *self = static_cast<EpollLoop *>(userp);
    ++self->socket_calls_;
    self->log_.push_back({SocketEvent::kAnnounce, s, what});
    const bool ok = self->update_epoll_set(s, what);
    if (self->on_socket) self->on_socket(easy, s, what);
    return ok ? 0 : -1;
  }

  // Makes the epoll set follow one socket-callback call; false when it could not.
  bool update_epoll_set(fetch_socket_t s, int what) {
    if (what == FETCH_POLL_REMOVE) {
      if (watched_.erase(s) == 0) {
        errors_.push_back("REMOVE for unwatched fd " + std::to_string(s));
      } else if (epoll_ctl(epfd_, EPOLL_CTL_DEL, s, nullptr) != 0) {
        errors_.push_back("EPOLL_CTL_DEL " + std::to_string(s) + ": " + strerror(errno));
      }
      return true;
    }
    epoll_event ev{};
    ev.data.fd = s;
    if (what & FETCH_POLL_IN) ev.events |= EPOLLIN;
    if (what & FETCH_POLL_OUT) ev.events |= EPOLLOUT;
    const int op = watched_.count(s) != 0 ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(epfd_, op, s, &ev) != 0) {
      errors_.push_back("epoll_ctl " + std::to_string(s) + ": " + strerror(errno));
      return false;
    }
    watched_[s] = what;
    return true;
  }

  static int on_timer_cb(FETCHM *, long timeout_ms, void *userp) {
    auto *self = static_cast<EpollLoop *>(userp);
    ++self->timer_calls_;
    if (timeout_ms < 0) {
      self->deadline_.reset();
    } else {
      self->deadline_ = Clock::now() + milliseconds(timeout_ms);
    }
    if (self->on_timer) self->on_timer(timeout_ms);
    return 0;
  }

  static int on_close_cb(void *clientp, fetch_socket_t fd) {
    auto *self = static_cast<EpollLoop *>(clientp);
    // A socket closed while still in the epoll set would be a missing REMOVE; the log shows it.
    self->log_.push_back({SocketEvent::kClose, fd, 0});
    return close(fd);
  }

  FETCHM *multi_;
  int epfd_;
  std::map<int, int> watched_;  // fd -> FETCH_POLL_* last announced
  std::optional<Clock::time_point> deadline_;
  std::vector<SocketEvent> log_;
  std::vector<std::string> errors_;
  int socket_calls_ = 0;
  int timer_calls_ = 0;
  int actions_ = 0;
  int running_ = 0;
};

}  // namespace fetchtest
