#include "runtime/receive_low_water.h"

#include <algorithm>

namespace fetch {

int ReceiveLowWater::after_drained_read(size_t got, uint64_t body_left, int current) {
  if (body_left == 0 || got < kFastReadBytes) return kOff;  // nothing known, or a slow sender
  const bool raised = current > kOff;
  // Raised only for a body that is long yet; once raised, it follows the body down to its end.
  if (!raised && body_left < static_cast<uint64_t>(kRaisedBytes)) return kOff;
  return static_cast<int>(std::min<uint64_t>(body_left, kRaisedBytes));
}

}  // namespace fetch
