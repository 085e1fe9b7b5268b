#include "runtime/uv_driver.h"

#include "runtime/scheduler.h"

namespace fetch {

UvDriver::UvDriver(uv_loop_t *loop, Scheduler &scheduler) : loop_(loop), scheduler_(scheduler) {
  uv_timer_init(loop_, timer_.get());
  timer_.set_live();
  timer_.get()->data = this;
}

UvDriver::~UvDriver() = default;  // UvHandle closes each poll and the timer

bool UvDriver::set_interest(int fd, int what, FETCH *, void *) {
  if (what == FETCH_POLL_REMOVE) {
    auto it = polls_.find(fd);
    if (it != polls_.end()) {
      // uv_close stops the poll (epoll_ctl DEL) at once, so the caller may close fd next.
      polls_.erase(it);
    }
    return true;
  }
  auto it = polls_.find(fd);
  if (it == polls_.end()) {
    UvHandle<uv_poll_t> poll;
    if (uv_poll_init_socket(loop_, poll.get(), fd) != 0) return false;
    poll.set_live();
    poll.get()->data = this;
    it = polls_.emplace(fd, std::move(poll)).first;
  }
  int events = 0;
  if (what & FETCH_POLL_IN) events |= UV_READABLE;
  if (what & FETCH_POLL_OUT) events |= UV_WRITABLE;
  return uv_poll_start(it->second.get(), events, &UvDriver::on_poll) == 0;
}

void UvDriver::set_idle(int fd, bool idle) {
  auto it = polls_.find(fd);
  if (it == polls_.end()) return;
  auto *handle = reinterpret_cast<uv_handle_t *>(it->second.get());
  if (idle) {
    uv_unref(handle);
  } else {
    uv_ref(handle);
  }
}

bool UvDriver::set_timer(long timeout_ms) {
  if (timeout_ms < 0) {
    uv_timer_stop(timer_.get());
    return true;
  }
  // The loop's cached time may be stale when we are called outside uv_run.
  uv_update_time(loop_);
  return uv_timer_start(timer_.get(), &UvDriver::on_timer, static_cast<uint64_t>(timeout_ms), 0) ==
         0;
}

void UvDriver::on_poll(uv_poll_t *handle, int status, int events) {
  auto *self = static_cast<UvDriver *>(handle->data);
  uv_os_fd_t fd = -1;
  uv_fileno(reinterpret_cast<uv_handle_t *>(handle), &fd);
  int bits = 0;
  if (status < 0) {
    // Let the owner find the error through its own recv/send/getsockopt.
    bits = FETCH_CSELECT_IN | FETCH_CSELECT_OUT | FETCH_CSELECT_ERR;
  } else {
    if (events & UV_READABLE) bits |= FETCH_CSELECT_IN;
    if (events & UV_WRITABLE) bits |= FETCH_CSELECT_OUT;
    if (events & UV_DISCONNECT) bits |= FETCH_CSELECT_IN;
  }
  self->scheduler_.on_socket_event(fd, bits, Scheduler::Readiness::kKernel);
}

void UvDriver::on_timer(uv_timer_t *handle) {
  auto *self = static_cast<UvDriver *>(handle->data);
  self->scheduler_.on_timer();
}

}  // namespace fetch
