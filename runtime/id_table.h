// The scheduler's transfers by id: an open-addressing hash table owning its values.
//
// A lookup is a multiply, one slot, one compare and the value, where std::unordered_map takes a
// modulo by a prime, a bucket, a node and the value: three dependent loads, which at thousands
// of transfers are three cache misses, several times per socket event. Linear probing, at
// most half full, and removal by backward shift (no tombstones).
//
// The home slot is a multiplicative (Fibonacci) hash, not `id & mask`: transfer ids are handed
// out in sequence (they are FETCHINFO_XFER_ID), so the live ones are a window of recent
// numbers, and `id & mask` would lay them out as one run of occupied slots; a removal's
// backward shift walks to the end of its run, thousands of slots with thousands of transfers.
// Scattered, runs stay a few slots long. The table only grows; its slots are reused, so the
// steady state allocates nothing.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace fetch {

template <class T>
class IdTable {
 public:
  // Ids are never 0: 0 marks an empty slot.
  T *find(uint64_t id) const {
    if (size_ == 0) return nullptr;
    for (size_t i = home(id);; i = (i + 1) & mask_) {
      const Slot &s = slots_[i];
      if (s.id == id) return s.value.get();
      if (s.id == 0) return nullptr;
    }
  }

  // Adds a value for an id not in the table.
  void insert(uint64_t id, std::unique_ptr<T> value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    size_t i = home(id);
    while (slots_[i].id != 0) i = (i + 1) & mask_;
    slots_[i].id = id;
    slots_[i].value = std::move(value);
    ++size_;
  }

  // Removes the id's value and hands it back; nullptr when the id is not in the table.
  std::unique_ptr<T> take(uint64_t id) {
    if (size_ == 0) return nullptr;
    size_t i = home(id);
    while (slots_[i].id != id) {
      if (slots_[i].id == 0) return nullptr;
      i = (i + 1) & mask_;
    }
    std::unique_ptr<T> out = std::move(slots_[i].value);
    // Backward shift: later entries of the probe run move up into the hole unless their home
    // slot lies after it (cyclically), so every entry stays reachable from its home.
    for (size_t j = (i + 1) & mask_; slots_[j].id != 0; j = (j + 1) & mask_) {
      size_t h = home(slots_[j].id);
      bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
      if (stays) continue;
      slots_[i].id = slots_[j].id;
      slots_[i].value = std::move(slots_[j].value);
      i = j;
    }
    slots_[i].id = 0;
    slots_[i].value.reset();
    --size_;
    return out;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Calls visit(id, T &) for every entry, in no particular order; `visit` must not change the
  // table. O(capacity): for rare paths (cleanup, failing every transfer).
  template <class Visit>
  void for_each(Visit &&visit) const {
    for (const Slot &s : slots_)
      if (s.id != 0) visit(s.id, *s.value);
  }

  // The slot where `id` starts probing in a table of 2^(64 - shift) slots (tests use it to
  // build colliding ids).
  static size_t home_slot(uint64_t id, int shift) {
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ULL) >> shift);
  }
  static constexpr size_t kInitialCapacity = 16;

  // Any one value, or nullptr when empty. O(capacity).
  T *any() const {
    for (const Slot &s : slots_)
      if (s.id != 0) return s.value.get();
    return nullptr;
  }

 private:
  struct Slot {
    uint64_t id = 0;
    std::unique_ptr<T> value;
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 60;  // 64 - log2(capacity): the hash's top bits index the table
  size_t size_ = 0;

  size_t home(uint64_t id) const { return home_slot(id, shift_) & mask_; }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_ = std::vector<Slot>(old.empty() ? kInitialCapacity : old.size() * 2);
    mask_ = slots_.size() - 1;
    shift_ = 64 - std::countr_zero(slots_.size());
    size_ = 0;
    for (Slot &s : old)
      if (s.id != 0) insert(s.id, std::move(s.value));
  }
};

}  // namespace fetch
