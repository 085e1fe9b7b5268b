// The deadlines of one scheduler (connect, total, progress, ...): a sorted run for those armed
// in time order and a min-heap for the rest, popped earliest first across both.
//
// Entries reference transfers by id, never by pointer, so a transfer removed from inside a
// callback leaves only a stale entry that pop_due skips (lazy deletion: O(1) for the run,
// O(log n) for the heap, no scan). The scheduler arms a single timer at top(). Stale entries far
// from the top (a finished transfer's 60 s TIMEOUT) would pile up at thousands of transfers a
// second, so the scheduler compacts the heap when it holds many more entries than live transfers
// need: O(n) once per n pushes, O(1) amortised.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/fifo.h"

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
    if (run_.empty() || d.when_us >= run_.back().when_us) {
      run_.push_back(d);  // later than all in the run: it stays sorted
      return;
    }
    heap_.push_back(d);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
  bool empty() const { return size() == 0; }
  // The earliest deadline (possibly stale), or nullopt.
  std::optional<int64_t> next_when() const {
    const Deadline *e = earliest();
    if (e == nullptr) return std::nullopt;
    return e->when_us;
  }
  // Removes and returns the earliest deadline if it is due at `now_us`.
  std::optional<Deadline> pop_due(int64_t now_us) {
    const Deadline *e = earliest();
    if (e == nullptr || e->when_us > now_us) return std::nullopt;
    return pop();
  }
  size_t size() const { return run_.size() + heap_.size(); }
  // Pops stale entries off the top so the next deadline is a real one.
  template <class Stale>
  void drop_while(Stale stale) {
    for (const Deadline *e = earliest(); e != nullptr && stale(*e); e = earliest()) pop();
  }
  // Removes every stale entry, wherever it is.
  template <class Stale>
  void compact(Stale stale) {
    run_.erase_if(stale);  // what is left stays sorted
    std::erase_if(heap_, stale);
    std::make_heap(heap_.begin(), heap_.end(), Later{});
  }

 private:
  struct Later {
    bool operator()(const Deadline &a, const Deadline &b) const {
      return a.when_us != b.when_us ? a.when_us > b.when_us : a.sequence > b.sequence;
    }
  };
  const Deadline *earliest() const {
    const Deadline *r = run_.empty() ? nullptr : &run_.front();
    const Deadline *h = heap_.empty() ? nullptr : &heap_.front();
    if (r == nullptr) return h;
    if (h == nullptr) return r;
    return Later{}(*r, *h) ? h : r;
  }
  Deadline pop() {
    const Deadline *e = earliest();
    if (!heap_.empty() && e == &heap_.front()) {
      std::pop_heap(heap_.begin(), heap_.end(), Later{});
      Deadline d = heap_.back();
      heap_.pop_back();
      return d;
    }
    Deadline d = run_.front();
    run_.pop_front();
    return d;
  }
  // Deadlines armed in time order, which is nearly all of them (a transfer's TIMEOUT, connect
  // timeout and progress tick are the arm time plus a duration that rarely differs between
  // transfers): a sorted run, where push and pop cost O(1) and touch one cache line, not a
  // heap's log n lines spread over the array (thousands of transfers).
  Fifo<Deadline> run_;
  // The others: a binary heap ordered by Later (earliest at the front).
  std::vector<Deadline> heap_;
  uint64_t next_sequence_ = 0;
};

}  // namespace fetch
