// fetch/uv.h: a multi handle whose scheduler runs on the application's libuv loop.
#include <fetch/uv.h>

#include <new>

#include "multi/multi_handle.h"

extern "C" FETCHM *fetch_multi_init_uv(uv_loop_t *loop) {
  if (loop == nullptr) return nullptr;
  try {
    return std::make_unique<fetch::MultiHandle>(loop).release();
  } catch (const std::bad_alloc &) {
    return nullptr;
  }
}
