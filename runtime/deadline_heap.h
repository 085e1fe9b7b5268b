// One min-heap of deadlines per scheduler (connect, total, "run now").
//
// Entries reference transfers by id, never by pointer, so a transfer removed from inside a
// callback leaves only a stale entry that pop_expired skips (lazy deletion: O(log n) per
// operation, no scan). The scheduler arms a single timer at top(). Stale entries far from the
// top (a finished transfer's 60 s TIMEOUT) would pile up at thousands of transfers a second, so
// the scheduler compacts the heap when it holds many more entries than live transfers need:
// O(n) once per n pushes, O(1) amortised.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace fetch {

enum class DeadlineKind : uint8_t {
  kConnectTimeout,  // FETCHOPT_CONNECTTIMEOUT(_MS)
  kTotalTimeout,    // FETCHOPT_TIMEOUT(_MS)
  kHappyEyeballs,   // start the next connect attempt
  kExchangeCheck,   // progress an exchange again: end of the 100 Continue wait, low-water check
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
    heap_.push_back(d);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
  bool empty() const { return heap_.empty(); }
  // The earliest deadline (possibly stale), or nullopt.
  std::optional<int64_t> next_when() const {
    if (heap_.empty()) return std::nullopt;
    return heap_.front().when_us;
  }
  // Removes and returns the earliest deadline if it is due at `now_us`.
  std::optional<Deadline> pop_due(int64_t now_us) {
    if (heap_.empty() || heap_.front().when_us > now_us) return std::nullopt;
    return pop();
  }
  size_t size() const { return heap_.size(); }
  // Pops stale entries off the top so the next deadline is a real one.
  template <class Stale>
  void drop_while(Stale stale) {
    while (!heap_.empty() && stale(heap_.front())) pop();
  }
  // Removes every stale entry, wherever it is in the heap.
  template <class Stale>
  void compact(Stale stale) {
    std::erase_if(heap_, stale);
    std::make_heap(heap_.begin(), heap_.end(), Later{});
  }

 private:
  struct Later {
    bool operator()(const Deadline &a, const Deadline &b) const {
      return a.when_us != b.when_us ? a.when_us > b.when_us : a.sequence > b.sequence;
    }
  };
  Deadline pop() {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    Deadline d = heap_.back();
    heap_.pop_back();
    return d;
  }
  std::vector<Deadline> heap_;  // a binary heap ordered by Later (earliest at the front)
  uint64_t next_sequence_ = 0;
};

}  // namespace fetch
