// Scheduler::Entry: every public entry point of the scheduler holds one; when the outermost
// returns, transfers removed during callbacks are destroyed, deferred trace lines and
// notifications are delivered, and the timer is re-announced once.
#pragma once

#include "runtime/scheduler.h"

namespace fetch {

class Scheduler::Entry {
 public:
  explicit Entry(Scheduler &s) : s_(s) { ++s_.entry_depth_; }
  ~Entry() {
    if (--s_.entry_depth_ == 0) s_.flush_deferred();
  }
  Entry(const Entry &) = delete;
  Entry &operator=(const Entry &) = delete;

 private:
  Scheduler &s_;
};

}  // namespace fetch
