// Where readiness and timers come from: the seam that lets one scheduler serve three drivers
// (DESIGN invariant 3).
//
//  - UvDriver: a uv_poll_t per socket and one uv_timer_t on a libuv loop: libfetch's private
//    loop (fetch_easy_perform, fetch_multi_perform/poll/wait) or the application's own loop
//    (fetch/uv.h).
//  - AppDriver: FETCHMOPT_SOCKETFUNCTION / TIMERFUNCTION; the application's loop calls
//    fetch_multi_socket_action.
//
// The scheduler diffs what each socket wants and calls set_interest only on a change, and
// always with FETCH_POLL_REMOVE before the socket is closed.
#pragma once

#include <fetch/multi.h>
#include <uv.h>

#include <cstdint>

namespace fetch {

class EventDriver {
 public:
  virtual ~EventDriver() = default;
  // `what` is FETCH_POLL_IN, FETCH_POLL_OUT, FETCH_POLL_INOUT or FETCH_POLL_REMOVE. `socketp` is
  // the pointer fetch_multi_assign stored for the fd. Returns false when the application's
  // callback failed (returned -1).
  virtual bool set_interest(int fd, int what, FETCH *easy, void *socketp) = 0;
  // Arms the single timer: `timeout_ms` from now, 0 = as soon as possible, -1 = disarm.
  // Returns false when the application's callback failed.
  virtual bool set_timer(long timeout_ms) = 0;
  // The loop that runs name resolution (uv_getaddrinfo) and the cross-thread wake-up.
  virtual uv_loop_t *loop() = 0;
  // True when this driver is the application's socket callback (socket_action mode).
  virtual bool app_driven() const { return false; }
  // A pooled connection's fd (`idle` true) is still watched, for a close while idle, but must
  // not keep the application's uv loop alive: fetch/uv.h promises that uv_run returns once every
  // transfer is done. A reused connection's fd counts again (`idle` false).
  virtual void set_idle(int /*fd*/, bool /*idle*/) {}
};

}  // namespace fetch
