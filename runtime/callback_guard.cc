#include "runtime/callback_guard.h"

#include "multi/multi_handle.h"

namespace fetch {

CallbackGuard::CallbackGuard(EasyHandle *easy)
    : easy_(easy), multi_(easy != nullptr ? easy->multi : nullptr) {
  if (easy_ != nullptr) ++easy_->callback_depth;
  if (multi_ != nullptr) multi_->scheduler->enter_callback();
}

CallbackGuard::~CallbackGuard() {
  if (easy_ != nullptr) --easy_->callback_depth;
  // The multi outlives any callback it runs (fetch_multi_cleanup is refused inside one).
  if (multi_ != nullptr) multi_->scheduler->leave_callback();
}

}  // namespace fetch
