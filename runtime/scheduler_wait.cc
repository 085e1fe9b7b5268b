// Scheduler, part 4: waiting without running anything (fetch_multi_wait/poll, fdset,
// waitfds, timeout), wake-ups, the message queue.
#include "runtime/scheduler.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "easy/easy_handle.h"
#include "runtime/callback_guard.h"
#include "runtime/clock.h"
#include "runtime/scheduler_entry.h"
#include "runtime/trace.h"

namespace fetch {

FETCHMcode Scheduler::timeout(long *ms) {
  if (watches_unapplied_) {  // perform() returned with a watch libuv has not applied yet
    *ms = 0;
    return FETCHM_OK;
  }
  if (auto when = next_deadline_us()) {
    int64_t diff = *when - now_us();
    *ms = diff <= 0 ? 0 : static_cast<long>((diff + 999) / 1000);
  } else {
    *ms = -1;
  }
  return FETCHM_OK;
}

FETCHMcode Scheduler::wait(fetch_waitfd *extra, unsigned extra_n, int timeout_ms, int *numfds,
                           bool is_poll) {
  if (numfds != nullptr) *numfds = 0;
  std::vector<pollfd> &fds = poll_fds_;  // kept between calls: waiting allocates nothing
  fds.clear();
  fds.reserve(extra_n + 2 + (driver_->app_driven() ? sockets_.size() : 0));
  bool have_own = !sockets_.empty() || resolver_->pending() > 0;
  size_t own_begin = 0;
  if (driver_->app_driven()) {
    for (const auto &[fd, e] : sockets_) {
      short ev = 0;
      if (e.announced & FETCH_POLL_IN) ev |= POLLIN;
      if (e.announced & FETCH_POLL_OUT) ev |= POLLOUT;
      fds.push_back(pollfd{fd, ev, 0});
    }
    fds.push_back(pollfd{uv_backend_fd(&private_loop_), POLLIN, 0});
  } else {
    // One fd stands for every socket, lookup and wake-up: the loop's epoll fd.
    fds.push_back(pollfd{uv_backend_fd(driver_->loop()), POLLIN, 0});
  }
  size_t own_end = fds.size();
  size_t wake_index = fds.size();
  if (is_poll && wakeup_fd_ >= 0) fds.push_back(pollfd{wakeup_fd_, POLLIN, 0});
  size_t extra_begin = fds.size();
  for (unsigned i = 0; i < extra_n; ++i) {
    short ev = 0;
    if (extra[i].events & FETCH_WAIT_POLLIN) ev |= POLLIN;
    if (extra[i].events & FETCH_WAIT_POLLPRI) ev |= POLLPRI;
    if (extra[i].events & FETCH_WAIT_POLLOUT) ev |= POLLOUT;
    fds.push_back(pollfd{extra[i].fd, ev, 0});
  }
  if (!is_poll && !have_own && extra_n == 0) return FETCHM_OK;  // nothing to wait for
  long next = -1;
  timeout(&next);
  int wait_ms = timeout_ms;
  if (next >= 0 && next < wait_ms) wait_ms = static_cast<int>(next);
  int rc;
  do {
    rc = ::poll(fds.data(), fds.size(), wait_ms);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return FETCHM_OK;
  if (is_poll && wake_index < fds.size() && fds[wake_index].revents != 0) {
    uint64_t drained = 0;
    ssize_t r = read(wakeup_fd_, &drained, sizeof drained);  // consumes the wake-up
    (void)r;
  }
  int count = 0;
  for (size_t i = own_begin; i < own_end; ++i) {
    if (fds[i].revents != 0) ++count;
  }
  for (unsigned i = 0; i < extra_n; ++i) {
    extra[i].revents = 0;
    short r = fds[extra_begin + i].revents;
    if (r & POLLIN) extra[i].revents |= FETCH_WAIT_POLLIN;
    if (r & POLLPRI) extra[i].revents |= FETCH_WAIT_POLLPRI;
    if (r & POLLOUT) extra[i].revents |= FETCH_WAIT_POLLOUT;
    if (r != 0) ++count;
  }
  if (numfds != nullptr) *numfds = count;
  return FETCHM_OK;
}

FETCHMcode Scheduler::wakeup() {
  uint64_t one = 1;
  if (wakeup_fd_ < 0 || write(wakeup_fd_, &one, sizeof one) < 0) return FETCHM_WAKEUP_FAILURE;
  return FETCHM_OK;
}

FETCHMcode Scheduler::fdset(fd_set *r, fd_set *w, fd_set *e, int *max_fd) {
  int highest = -1;
  auto add = [&](int fd, int what) {
    if (fd < 0 || fd >= FD_SETSIZE) return;
    if ((what & FETCH_POLL_IN) && r != nullptr) FD_SET(fd, r);
    if ((what & FETCH_POLL_OUT) && w != nullptr) FD_SET(fd, w);
    (void)e;
    highest = std::max(highest, fd);
  };
  if (driver_->app_driven()) {
    for (const auto &[fd, se] : sockets_) add(fd, se.announced);
    if (backend_watched_) add(uv_backend_fd(&private_loop_), FETCH_POLL_IN);
  } else if (!sockets_.empty() || resolver_->pending() > 0) {
    add(uv_backend_fd(driver_->loop()), FETCH_POLL_IN);
  }
  if (max_fd != nullptr) *max_fd = highest;
  return FETCHM_OK;
}

FETCHMcode Scheduler::waitfds(fetch_waitfd *ufds, unsigned size, unsigned *count) {
  std::vector<fetch_waitfd> all;
  if (driver_->app_driven()) {
    for (const auto &[fd, se] : sockets_) {
      short ev = 0;
      if (se.announced & FETCH_POLL_IN) ev |= FETCH_WAIT_POLLIN;
      if (se.announced & FETCH_POLL_OUT) ev |= FETCH_WAIT_POLLOUT;
      all.push_back(fetch_waitfd{fd, ev, 0});
    }
  } else if (!sockets_.empty() || resolver_->pending() > 0) {
    all.push_back(fetch_waitfd{uv_backend_fd(driver_->loop()), FETCH_WAIT_POLLIN, 0});
  }
  if (count != nullptr) *count = static_cast<unsigned>(all.size());
  if (ufds == nullptr) return FETCHM_OK;
  if (all.size() > size) return FETCHM_OUT_OF_MEMORY;
  std::copy(all.begin(), all.end(), ufds);
  return FETCHM_OK;
}

FETCHMcode Scheduler::assign(fetch_socket_t s, void *p) {
  auto it = sockets_.find(s);
  if (it == sockets_.end()) return FETCHM_BAD_SOCKET;
  it->second.socketp = p;
  return FETCHM_OK;
}

FETCHMsg *Scheduler::info_read(int *msgs_in_queue) {
  // Messages of handles removed meanwhile are skipped (remove() leaves them, to stay O(1)).
  while (!messages_.empty()) {
    Message m = messages_.front();
    messages_.pop_front();
    Transfer *t = find(m.transfer_id);
    if (t == nullptr || !t->message_queued) continue;
    t->message_queued = false;
    --live_messages_;
    // One per handle (EasyHandle::done_message): a later read does not overwrite it, and it
    // outlives fetch_multi_remove_handle.
    t->easy->done_message = m.msg;
    if (msgs_in_queue != nullptr) *msgs_in_queue = static_cast<int>(live_messages_);
    return &t->easy->done_message;
  }
  if (msgs_in_queue != nullptr) *msgs_in_queue = 0;
  return nullptr;
}

}  // namespace fetch
