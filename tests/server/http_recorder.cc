#include "http_recorder.h"

#include <thread>
#include <utility>

namespace fetchtest {

std::size_t HttpRecorder::add(RecordedRequest request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(request));
  return generation_offset_ + requests_.size() - 1;
}

void HttpRecorder::update(std::size_t slot, RecordedRequest request) {
  std::lock_guard lock(mutex_);
  if (slot < generation_offset_ || slot - generation_offset_ >= requests_.size()) return;
  requests_[slot - generation_offset_] = std::move(request);
}

std::vector<RecordedRequest> HttpRecorder::snapshot() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t HttpRecorder::size() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

void HttpRecorder::clear() {
  std::lock_guard lock(mutex_);
  generation_offset_ += requests_.size();
  requests_.clear();
}

bool HttpRecorder::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      bool done = requests_.size() >= count;
      for (const auto &r : requests_) {
        done = done && (r.complete || r.cut_short || !r.parse_error.empty());
      }
      if (done) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace fetchtest
