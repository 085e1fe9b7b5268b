// The object behind a FETCHM * (a multi handle): the scheduler plus its API-level checks.
#pragma once

#include <fetch/multi.h>

#include <cstdint>
#include <memory>

#include "runtime/scheduler.h"

namespace fetch {

class MultiHandle {
 public:
  static constexpr uint32_t kMagic = 0xFE7C3017;

  explicit MultiHandle(uv_loop_t *app_loop = nullptr)
      : scheduler(std::make_unique<Scheduler>(static_cast<FETCHM *>(this), app_loop)) {}

  uint32_t magic = kMagic;
  std::unique_ptr<Scheduler> scheduler;
  // > 0 while a multi-level callback (socket, timer) runs: multi calls other than the allowed
  // ones return FETCHM_RECURSIVE_API_CALL.
  bool is_private = false;  // the private multi of fetch_easy_perform
};

inline MultiHandle *as_multi(void *m) {
  auto *h = static_cast<MultiHandle *>(m);
  return (h != nullptr && h->magic == MultiHandle::kMagic) ? h : nullptr;
}

}  // namespace fetch
