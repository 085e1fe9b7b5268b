// Ownership of a libuv handle whose memory must outlive uv_close until its close callback.
//
// libuv may still touch a handle after uv_close returns, so the handle lives in its own heap
// box; close() hands the box to libuv and the close callback frees it. This lets a scheduler
// attached to the application's loop (fetch/uv.h) be destroyed without running that loop.
#pragma once

#include <uv.h>

#include <memory>

namespace fetch {

template <class T>
class UvHandle {
 public:
  UvHandle() : handle_(std::make_unique<T>()) {}
  ~UvHandle() { close(); }
  UvHandle(UvHandle &&) noexcept = default;
  UvHandle &operator=(UvHandle &&) noexcept = default;
  UvHandle(const UvHandle &) = delete;
  UvHandle &operator=(const UvHandle &) = delete;

  T *get() const { return handle_.get(); }
  // Call after the uv_*_init that made the handle live; before it, close() just frees memory.
  void set_live() { live_ = true; }

  void close() {
    if (!handle_) return;
    if (!live_) {
      handle_.reset();
      return;
    }
    auto *raw = reinterpret_cast<uv_handle_t *>(handle_.release());
    uv_close(raw, [](uv_handle_t *h) { std::unique_ptr<T> owned(reinterpret_cast<T *>(h)); });
  }

 private:
  std::unique_ptr<T> handle_;
  bool live_ = false;
};

}  // namespace fetch
