// Marks "libfetch is inside an application callback" for the re-entrancy rules of
// docs/ARCHITECTURE.md: while a guard lives, API calls that are not allowed from a callback
// return FETCHM_RECURSIVE_API_CALL / FETCHE_RECURSIVE_API_CALL.
#pragma once

#include "easy/easy_handle.h"

namespace fetch {

class CallbackGuard {
 public:
  explicit CallbackGuard(EasyHandle *easy) : easy_(easy) {
    if (easy_ != nullptr) ++easy_->callback_depth;
  }
  ~CallbackGuard() {
    if (easy_ != nullptr) --easy_->callback_depth;
  }
  CallbackGuard(const CallbackGuard &) = delete;
  CallbackGuard &operator=(const CallbackGuard &) = delete;

 private:
  EasyHandle *easy_;
};

}  // namespace fetch
