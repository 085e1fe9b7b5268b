#include "loop_thread.h"

#include <signal.h>

#include <cstdio>
#include <utility>

namespace fetchtest {

struct LoopThread::State {
  uv_loop_t loop{};
  uv_async_t stop_async{};
  Teardown teardown;
  std::thread thread;
};

LoopThread::LoopThread() = default;

LoopThread::~LoopThread() { stop(); }

bool LoopThread::running() const { return state_ != nullptr; }

int LoopThread::leaked_handles() const { return leaked_handles_; }

int LoopThread::start(Setup setup, Teardown teardown) {
  if (state_) return UV_EBUSY;
  auto state = std::make_unique<State>();
  int rc = uv_loop_init(&state->loop);
  if (rc != 0) return rc;
  state->teardown = std::move(teardown);
  rc = uv_async_init(&state->loop, &state->stop_async, &LoopThread::on_stop);
  if (rc != 0) {
    uv_loop_close(&state->loop);
    return rc;
  }
  state->stop_async.data = state.get();
  state_ = std::move(state);

  rc = setup(state_->loop);
  if (rc != 0) {
    state_->teardown();
    uv_close(reinterpret_cast<uv_handle_t *>(&state_->stop_async), nullptr);
    close_loop();
    return rc;
  }
  State &running = *state_;
  running.thread = std::thread([&running] { run(running); });
  return 0;
}

void LoopThread::stop() {
  if (!state_) return;
  uv_async_send(&state_->stop_async);
  state_->thread.join();
  close_loop();
}

void LoopThread::run(State &state) {
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGPIPE);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);
  uv_run(&state.loop, UV_RUN_DEFAULT);
}

void LoopThread::on_stop(uv_async_t *async) {
  auto *state = static_cast<State *>(async->data);
  state->teardown();
  uv_close(reinterpret_cast<uv_handle_t *>(async), nullptr);
}

// Runs close callbacks still queued, closes whatever teardown forgot, then closes the loop.
void LoopThread::close_loop() {
  uv_loop_t &loop = state_->loop;
  uv_run(&loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop) == UV_EBUSY) {
    uv_walk(
        &loop,
        [](uv_handle_t *handle, void *arg) {
          if (uv_is_closing(handle)) return;
          ++*static_cast<int *>(arg);
          std::fprintf(stderr, "fetchtest::LoopThread: leaked %s handle\n",
                       uv_handle_type_name(uv_handle_get_type(handle)));
          uv_close(handle, nullptr);
        },
        &leaked_handles_);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
  state_.reset();
}

}  // namespace fetchtest
