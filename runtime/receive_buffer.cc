#include "runtime/receive_buffer.h"

#include <algorithm>

namespace fetch {

std::span<char> ReceiveBuffer::get(size_t bytes) {
  bytes = std::max(bytes, kDefaultBytes);
  if (bytes > size_) {
    // Uninitialised on purpose: recv() writes before anything reads.
    data_ = std::make_unique_for_overwrite<char[]>(bytes);
    size_ = bytes;
  }
  return {data_.get(), size_};
}

}  // namespace fetch
