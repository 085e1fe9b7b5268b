// HttpRecorder: the thread-safe log of requests a scripted HTTP server received. The loop thread
// adds and updates records; tests read copies from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <vector>

#include "http_recorded_request.h"

namespace fetchtest {

class HttpRecorder {
 public:
  // Appends a record; returns its slot for update().
  std::size_t add(RecordedRequest request);
  // Replaces the record in `slot` (ignored if clear() dropped it since).
  void update(std::size_t slot, RecordedRequest request);

  std::vector<RecordedRequest> snapshot() const;
  std::size_t size() const;
  void clear();
  // Polls until at least `count` records exist and all of them are settled (complete, cut short
  // or carrying a parse error), or the timeout passes.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::size_t generation_offset_ = 0;  // slots handed out before the last clear()
};

}  // namespace fetchtest
