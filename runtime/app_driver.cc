#include "runtime/app_driver.h"

namespace fetch {

bool AppDriver::set_interest(int fd, int what, FETCH *easy, void *socketp) {
  if (callbacks_.socket_cb == nullptr) return true;
  return callbacks_.socket_cb(easy, fd, what, callbacks_.socket_data, socketp) != -1;
}

bool AppDriver::set_timer(long timeout_ms) {
  if (callbacks_.timer_cb == nullptr) return true;
  return callbacks_.timer_cb(multi_, timeout_ms, callbacks_.timer_data) != -1;
}

}  // namespace fetch
