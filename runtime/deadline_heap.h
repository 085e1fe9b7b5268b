// One min-heap of deadlines per scheduler (connect, total, "run now").
//
// Entries reference transfers by id, never by pointer, so a transfer removed from inside a
// callback leaves only a stale entry that pop_expired skips (lazy deletion: O(log n) per
// operation, no scan). The scheduler arms a single timer at top().
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <vector>

namespace fetch {

enum class DeadlineKind : uint8_t {
  kRunNow,          // the transfer has work to do without waiting for a socket
  kConnectTimeout,  // FETCHOPT_CONNECTTIMEOUT(_MS)
  kTotalTimeout,    // FETCHOPT_TIMEOUT(_MS)
  kHappyEyeballs,   // start the next connect attempt
  kExpectContinue,  // stop waiting for 100 Continue: send the request body
  kResume,          // progress an exchange again: unpaused, or a MAX_*_SPEED wait is over
  kProgress,        // progress callback/meter and low-speed check (runtime/transfer_progress.h)
};

struct Deadline {
  int64_t when_us;
  uint64_t transfer_id;
  DeadlineKind kind;
  uint32_t generation;    // the transfer's deadline generation when armed; stale if it changed
  uint64_t sequence = 0;  // set by push: equal deadlines run in the order they were armed
};

class DeadlineHeap {
 public:
  void push(Deadline d) {
    d.sequence = next_sequence_++;
    heap_.push(d);
  }
  bool empty() const { return heap_.empty(); }
  // The earliest deadline (possibly stale), or nullopt.
  std::optional<int64_t> next_when() const {
    if (heap_.empty()) return std::nullopt;
    return heap_.top().when_us;
  }
  // Removes and returns the earliest deadline if it is due at `now_us`.
  std::optional<Deadline> pop_due(int64_t now_us) {
    if (heap_.empty() || heap_.top().when_us > now_us) return std::nullopt;
    Deadline d = heap_.top();
    heap_.pop();
    return d;
  }
  size_t size() const { return heap_.size(); }
  // Pops stale entries off the top so the next deadline is a real one.
  template <class Stale>
  void drop_while(Stale stale) {
    while (!heap_.empty() && stale(heap_.top())) heap_.pop();
  }

 private:
  struct Later {
    bool operator()(const Deadline &a, const Deadline &b) const {
      return a.when_us != b.when_us ? a.when_us > b.when_us : a.sequence > b.sequence;
    }
  };
  std::priority_queue<Deadline, std::vector<Deadline>, Later> heap_;
  uint64_t next_sequence_ = 0;
};

}  // namespace fetch
