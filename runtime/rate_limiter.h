// FETCHOPT_MAX_RECV_SPEED_LARGE / FETCHOPT_MAX_SEND_SPEED_LARGE (CURLOPT_MAX_RECV_SPEED_LARGE(3),
// CURLOPT_MAX_SEND_SPEED_LARGE(3)): keeps one direction of a transfer at or under a number of
// bytes per second, on average, without a busy loop.
//
// A token bucket: credit grows at the limit's rate up to one burst (a tenth of a second's worth,
// at most 64 KiB), each read or write may take up to one burst while the credit is positive and
// takes it into debt, and a direction in debt waits (a deadline in the scheduler's heap, its
// socket unwatched) until the credit is positive again. So a burst overshoots the limit by at
// most one burst, and the long-run average is the limit. Sans-I/O: time is passed in
// (microseconds on the now_us() clock).
#pragma once

#include <cstddef>
#include <cstdint>

namespace fetch {

class RateLimiter {
 public:
  // `bytes_per_second` 0 = no limit. The bucket starts full.
  void begin(int64_t bytes_per_second, int64_t now_us);
  bool active() const { return rate_ > 0; }

  // How many of `want` bytes may move at `now_us`: 0 means wait until resume_at().
  size_t allowance(int64_t now_us, size_t want);
  // `n` bytes moved (after allowance() allowed them).
  void used(size_t n) { credit_ -= static_cast<double>(n); }
  // When the credit is positive again (meaningful after allowance() returned 0).
  int64_t resume_at() const { return resume_at_; }

 private:
  void refill(int64_t now_us);

  int64_t rate_ = 0;   // bytes per second
  double burst_ = 0;   // bucket size in bytes
  double credit_ = 0;  // bytes that may move now; negative = debt
  int64_t last_us_ = 0;
  int64_t resume_at_ = 0;
};

}  // namespace fetch
