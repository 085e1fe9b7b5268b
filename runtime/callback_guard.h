// Marks "libfetch is inside an application callback" for the re-entrancy rules of
// docs/ARCHITECTURE.md: while a guard lives, API calls that are not allowed from a callback
// return FETCHM_RECURSIVE_API_CALL / FETCHE_RECURSIVE_API_CALL. Both the easy handle and the
// multi it is in are marked, so the multi's check costs O(1), not a scan of its handles.
#pragma once

#include "easy/easy_handle.h"

namespace fetch {

class CallbackGuard {
 public:
  explicit CallbackGuard(EasyHandle *easy);
  ~CallbackGuard();
  CallbackGuard(const CallbackGuard &) = delete;
  CallbackGuard &operator=(const CallbackGuard &) = delete;

 private:
  EasyHandle *easy_;
  MultiHandle *multi_;
};

}  // namespace fetch
