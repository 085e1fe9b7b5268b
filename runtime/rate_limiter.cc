#include "runtime/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace fetch {

namespace {
constexpr double kMaxBurstBytes = 64 * 1024;
constexpr double kUsPerSecond = 1e6;
}  // namespace

void RateLimiter::begin(int64_t bytes_per_second, int64_t now_us) {
  rate_ = bytes_per_second > 0 ? bytes_per_second : 0;
  // A tenth of a second's worth per read or write: small enough that one burst barely moves
  // the average, large enough that a fast limit does not cost a syscall per few bytes.
  burst_ = std::clamp(static_cast<double>(rate_) / 10.0, 1.0, kMaxBurstBytes);
  credit_ = burst_;
  last_us_ = now_us;
  resume_at_ = now_us;
}

void RateLimiter::refill(int64_t now_us) {
  if (now_us > last_us_) {
    credit_ = std::min(burst_, credit_ + static_cast<double>(now_us - last_us_) *
                                             static_cast<double>(rate_) / kUsPerSecond);
    last_us_ = now_us;
  }
}

size_t RateLimiter::allowance(int64_t now_us, size_t want) {
  if (!active()) return want;
  refill(now_us);
  if (credit_ <= 0) {
    // +1 µs: the deadline must not fire a hair before the credit turns positive.
    resume_at_ =
        now_us +
        static_cast<int64_t>(std::ceil(-credit_ * kUsPerSecond / static_cast<double>(rate_))) + 1;
    return 0;
  }
  return std::min(want, static_cast<size_t>(burst_));
}

}  // namespace fetch
