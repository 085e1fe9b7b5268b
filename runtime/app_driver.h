// EventDriver for FETCHMOPT_SOCKETFUNCTION / TIMERFUNCTION: the application's loop watches the
// sockets and calls fetch_multi_socket_action (see event_driver.h).
//
// Name resolution still runs on libuv's thread pool through the scheduler's private loop; that
// loop's backend fd is announced to the application as one more readable socket while a lookup
// is in flight, so its completion reaches the application's loop (DESIGN "hints").
#pragma once

#include "runtime/event_driver.h"

namespace fetch {

struct MultiCallbacks {
  fetch_socket_callback socket_cb = nullptr;
  void *socket_data = nullptr;
  fetch_multi_timer_callback timer_cb = nullptr;
  void *timer_data = nullptr;
};

class AppDriver final : public EventDriver {
 public:
  AppDriver(FETCHM *multi, const MultiCallbacks &callbacks, uv_loop_t *private_loop)
      : multi_(multi), callbacks_(callbacks), private_loop_(private_loop) {}

  bool set_interest(int fd, int what, FETCH *easy, void *socketp) override;
  bool set_timer(long timeout_ms) override;
  uv_loop_t *loop() override { return private_loop_; }
  bool app_driven() const override { return true; }

 private:
  FETCHM *multi_;
  const MultiCallbacks &callbacks_;
  uv_loop_t *private_loop_;
};

}  // namespace fetch
