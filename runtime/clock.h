// Monotonic time for deadlines and timing infos, in microseconds.
#pragma once

#include <uv.h>

#include <cstdint>

namespace fetch {

inline int64_t now_us() { return static_cast<int64_t>(uv_hrtime() / 1000); }

}  // namespace fetch
