// A first-in first-out queue on one std::vector that keeps its buffer: unlike std::deque, which
// frees a block each time the front passes one and allocates at the back, a queue that empties
// and fills again in steady state (done messages, transfers waiting for a slot) allocates
// nothing once it has held its peak (DESIGN "Performance habits").
//
// Popped slots stay in the buffer until the queue empties, or until they are more than half of
// it (then the live ones are moved down), so every operation is amortized O(1).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace fetch {

template <class T>
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  size_t size() const { return items_.size() - head_; }
  T &front() { return items_[head_]; }
  const T &front() const { return items_[head_]; }
  const T &back() const { return items_.back(); }
  void push_back(T item) {
    // Room for a few at once from the start: a queue that only ever holds a handful then never
    // grows again at a new peak (one more allocation, at a time that depends on readiness).
    if (items_.capacity() == 0) items_.reserve(kFirstCapacity);
    items_.push_back(std::move(item));
  }
  void pop_front() {
    ++head_;
    if (head_ == items_.size()) {
      clear();
    } else if (head_ >= kCompactAt && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  void clear() {
    items_.clear();  // keeps the capacity
    head_ = 0;
  }
  // Removes every item for which pred(item) is true; the others keep their order.
  template <class Pred>
  void erase_if(Pred pred) {
    items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
    std::erase_if(items_, pred);
  }
  auto begin() { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() { return items_.end(); }

 private:
  static constexpr size_t kFirstCapacity = 16;
  static constexpr size_t kCompactAt = 64;  // a short queue is only emptied, never moved
  std::vector<T> items_;
  size_t head_ = 0;
};

}  // namespace fetch
