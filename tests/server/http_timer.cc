#include "http_timer.h"

#include <utility>

namespace fetchtest {

struct HttpTimer::Handle {
  uv_timer_t timer{};
  std::function<void()> fire;
};

HttpTimer::HttpTimer(uv_loop_t &loop) : handle_(std::make_unique<Handle>()) {
  uv_timer_init(&loop, &handle_->timer);
  handle_->timer.data = handle_.get();
}

HttpTimer::~HttpTimer() {
  uv_timer_stop(&handle_->timer);
  handle_->fire = nullptr;
  uv_close(reinterpret_cast<uv_handle_t *>(&handle_->timer), [](uv_handle_t *h) {
    std::unique_ptr<Handle> owned(static_cast<Handle *>(h->data));  // frees the handle
  });
  handle_.release();  // owned by the close callback from here on
}

void HttpTimer::start(std::chrono::milliseconds delay, std::function<void()> fire) {
  handle_->fire = std::move(fire);
  auto on_timer = [](uv_timer_t *t) {
    auto *self = static_cast<Handle *>(t->data);
    std::function<void()> fire = std::move(self->fire);  // fire may re-arm the timer
    self->fire = nullptr;
    if (fire) fire();
  };
  uint64_t ms = delay.count() < 0 ? 0 : static_cast<uint64_t>(delay.count());
  uv_timer_start(&handle_->timer, on_timer, ms, 0);
}

void HttpTimer::stop() {
  uv_timer_stop(&handle_->timer);
  handle_->fire = nullptr;
}

bool HttpTimer::active() const {
  return uv_is_active(reinterpret_cast<const uv_handle_t *>(&handle_->timer)) != 0;
}

}  // namespace fetchtest
