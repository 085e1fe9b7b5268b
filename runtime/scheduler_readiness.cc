// Scheduler, part 3: readiness (what each socket wants, told to the driver only on change)
// and deadlines (one heap, one timer).
#include "runtime/scheduler.h"

#include <poll.h>
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

void Scheduler::watch(int fd, int what, uint64_t owner) {
  SocketEntry &e = socket_nodes_.at(sockets_, fd);
  e.owner = owner;
  if (e.announced == what) return;  // unchanged: no syscall, no callback
  e.announced = what;
  Transfer *t = find(owner);
  EasyHandle *easy = t != nullptr ? t->easy : nullptr;
  bool ok;
  {
    CallbackGuard guard(easy);
    ++callback_depth_;
    ok = driver_->set_interest(fd, what, easy, e.socketp);
    ++interest_changes_;
    --callback_depth_;
  }
  if (!ok) {
    Transfer *again = find(owner);
    if (again != nullptr && again->state != TransferState::kDone) {
      fail(*again->easy, FETCHE_ABORTED_BY_CALLBACK, "socket callback returned error");
      finish(*again, FETCHE_ABORTED_BY_CALLBACK);
    }
  }
}

void Scheduler::unwatch(int fd) {
  auto it = sockets_.find(fd);
  if (it == sockets_.end()) return;
  SocketEntry e = socket_nodes_.take(sockets_, it);
  if (e.announced == 0) return;
  Transfer *t = find(e.owner);
  EasyHandle *easy = t != nullptr ? t->easy : nullptr;
  CallbackGuard guard(easy);
  ++callback_depth_;
  driver_->set_interest(fd, FETCH_POLL_REMOVE, easy, e.socketp);
  ++interest_changes_;
  --callback_depth_;
}

void Scheduler::set_backend_watch(bool on, uint64_t for_transfer) {
  if (on == backend_watched_) return;
  backend_watched_ = on;
  int fd = uv_backend_fd(&private_loop_);
  // libcurl passes an easy handle with every socket: the lookup fd is announced for the
  // transfer that started the lookup, and removed for it or, if it is gone, for any transfer
  // still in this multi. Only when none is left (multi cleanup) is the handle NULL.
  if (on) backend_owner_ = for_transfer;
  EasyHandle *easy = nullptr;
  if (Transfer *t = find(backend_owner_); t != nullptr && t->easy != nullptr) {
    easy = t->easy;
  } else if (Transfer *any = transfers_.any(); any != nullptr) {
    easy = any->easy;
  }
  CallbackGuard guard(easy);
  ++callback_depth_;
  driver_->set_interest(fd, on ? FETCH_POLL_IN : FETCH_POLL_REMOVE, easy, nullptr);
  --callback_depth_;
}

void Scheduler::on_socket_event(int fd, int bits, Readiness from) {
  Entry entry(*this);
  auto it = sockets_.find(fd);
  if (it == sockets_.end()) return;
  if (it->second.owner == 0) return drop_pooled(fd);  // an idle connection spoke: it is gone
  Transfer *t = find(it->second.owner);
  if (t == nullptr || t->removing || t->easy == nullptr) return;
  if (t->state == TransferState::kConnect) {
    const bool writable = from == Readiness::kKernel && (bits & FETCH_CSELECT_OUT) != 0 &&
                          (bits & FETCH_CSELECT_ERR) == 0;
    return check_attempt(*t, fd, writable);
  }
  if (t->state == TransferState::kProtocol && t->exchange) return progress_http(*t);
}

void Scheduler::on_timer() {
  Entry entry(*this);
  timer_armed_ = false;  // the timer fired: the next deadline must be announced again
  process_deadlines();
}

void Scheduler::process_deadlines() {
  int64_t now = now_us();
  for (;;) {
    // Transfers asked to run come first, as a time-0 deadline would (and any that a step or a
    // deadline below asks for run before the next deadline).
    if (!run_now_.empty()) {
      const uint64_t id = run_now_.front();
      run_now_.pop_front();
      if (run_now_valid(id)) step(id);
      continue;
    }
    std::optional<Deadline> d = deadlines_.pop_due(now);
    if (!d) break;
    if (!deadline_valid(*d)) continue;
    Transfer *t = find(d->transfer_id);
    switch (d->kind) {
      case DeadlineKind::kConnectTimeout:
        if (t->state != TransferState::kConnect || d->generation != t->deadline_generation) break;
        fail(*t->easy, FETCHE_OPERATION_TIMEDOUT, "Connection timed out after %lld milliseconds",
             static_cast<long long>(
                 (now - (t->connect_phase_us != 0 ? t->connect_phase_us : t->start_us)) / 1000));
        finish(*t, FETCHE_OPERATION_TIMEDOUT);
        break;
      case DeadlineKind::kTotalTimeout:
        fail(*t->easy, FETCHE_OPERATION_TIMEDOUT, "Operation timed out after %lld milliseconds",
             static_cast<long long>((now - t->start_us) / 1000));
        finish(*t, FETCHE_OPERATION_TIMEDOUT);
        break;
      case DeadlineKind::kHappyEyeballs:
        if (t->state == TransferState::kConnect && d->generation == t->deadline_generation) {
          start_next_attempt(*t);
        }
        break;
      case DeadlineKind::kResume:  // runtime/transfer_pause.h, runtime/rate_limiter.h
      case DeadlineKind::kExchangeCheck:
        if (t->state == TransferState::kProtocol && t->exchange) progress_http(*t);
        break;
      case DeadlineKind::kProgress:  // runtime/scheduler_progress.cc
        on_progress_tick(*t);
        break;
    }
  }
}

bool Scheduler::run_now_valid(uint64_t id) {
  Transfer *t = find(id);
  return t != nullptr && t->state != TransferState::kDone;
}

std::optional<int64_t> Scheduler::next_deadline_us() {
  while (!run_now_.empty() && !run_now_valid(run_now_.front())) run_now_.pop_front();
  if (!run_now_.empty()) return 0;  // due at once
  deadlines_.drop_while([this](const Deadline &d) { return !deadline_valid(d); });
  return deadlines_.next_when();
}

void Scheduler::update_timer() {
  // Announce only a changed deadline: the application's timer callback hears each one once.
  // The clock is read only for a changed deadline: this runs after every entry point.
  int64_t next = -1;
  if (auto when = next_deadline_us()) next = *when;
  if (timer_armed_ && next == timer_deadline_us_) return;
  long ms = -1;
  if (next >= 0) {
    int64_t diff = next - now_us();
    ms = diff <= 0 ? 0 : static_cast<long>(std::min<int64_t>((diff + 999) / 1000, LONG_MAX));
  }
  timer_armed_ = true;
  timer_deadline_us_ = next;
  ++callback_depth_;
  bool ok = driver_->set_timer(ms);
  --callback_depth_;
  if (!ok) {
    timer_failed_ = true;
    flush_again_ = true;
  }
}

}  // namespace fetch
