// EventDriver on a libuv loop: one uv_poll_t per socket, one uv_timer_t (see event_driver.h).
#pragma once

#include <unordered_map>

#include "runtime/event_driver.h"
#include "runtime/uv_handle.h"

namespace fetch {

class Scheduler;

class UvDriver final : public EventDriver {
 public:
  UvDriver(uv_loop_t *loop, Scheduler &scheduler);
  ~UvDriver() override;

  bool set_interest(int fd, int what, FETCH *easy, void *socketp) override;
  bool set_timer(long timeout_ms) override;
  uv_loop_t *loop() override { return loop_; }
  void set_idle(int fd, bool idle) override;

 private:
  static void on_poll(uv_poll_t *handle, int status, int events);
  static void on_timer(uv_timer_t *handle);

  uv_loop_t *loop_;
  Scheduler &scheduler_;
  std::unordered_map<int, UvHandle<uv_poll_t>> polls_;
  UvHandle<uv_timer_t> timer_;
};

}  // namespace fetch
