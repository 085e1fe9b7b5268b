// LoopThread: one uv_loop_t running on its own std::thread, stopped through a uv_async_t.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <thread>

namespace fetchtest {

// Lifetime rules:
//  1. start() creates a fresh loop and calls `setup(loop)` on the caller's thread before the loop
//     thread exists, so setup may use the loop freely. Then the thread starts running the loop.
//  2. If setup returns non-zero, `teardown()` runs on the caller's thread (it must cope with a
//     partial setup), the loop is drained and closed, and start() returns setup's code.
//  3. stop() wakes the loop through uv_async; on the loop thread `teardown()` runs and must
//     uv_close every handle opened by setup or by later callbacks. The loop then runs dry, the
//     thread is joined and the loop closed. stop() on a stopped LoopThread does nothing.
//  4. Handles still open after teardown are closed here and counted in leaked_handles(), so a
//     buggy teardown shows up in tests instead of hanging them.
//  5. Not synchronised: the owner serialises start()/stop(). stop() must not be called from the
//     loop thread. The destructor calls stop().
//  6. The loop thread blocks SIGPIPE (writes to a reset peer return EPIPE instead of killing the
//     process) and SIGINT/SIGTERM (left to the process's main thread).
class LoopThread {
 public:
  using Setup = std::function<int(uv_loop_t &)>;
  using Teardown = std::function<void()>;

  LoopThread();
  ~LoopThread();
  LoopThread(const LoopThread &) = delete;
  LoopThread &operator=(const LoopThread &) = delete;

  // 0 on success, UV_EBUSY if already running, or a negative libuv error code.
  int start(Setup setup, Teardown teardown);
  void stop();
  bool running() const;
  int leaked_handles() const;

 private:
  struct State;
  static void run(State &state);
  static void on_stop(uv_async_t *async);
  void close_loop();

  std::unique_ptr<State> state_;
  int leaked_handles_ = 0;
};

}  // namespace fetchtest
