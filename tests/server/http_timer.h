// HttpTimer: a one-shot libuv timer owned like a plain object. The destructor closes the handle;
// its memory is freed by the close callback, so the owner may be destroyed at any time on the
// loop thread (the loop must keep running until that callback ran).
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>
#include <memory>

namespace fetchtest {

class HttpTimer {
 public:
  explicit HttpTimer(uv_loop_t &loop);
  ~HttpTimer();
  HttpTimer(const HttpTimer &) = delete;
  HttpTimer &operator=(const HttpTimer &) = delete;

  // (Re)arms the timer; `fire` runs once on the loop thread after `delay` unless stop() or the
  // destructor runs first. `fire` may call start() again.
  void start(std::chrono::milliseconds delay, std::function<void()> fire);
  void stop();
  bool active() const;

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

}  // namespace fetchtest
