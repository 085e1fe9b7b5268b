// ReceiveBuffer: the one receive buffer a scheduler (multi handle) shares between all its
// transfers, as libcurl 8.7+ does (CURLOPT_BUFFERSIZE(3)). Every recv() of every connection
// lands here and is parsed and delivered before the scheduler returns to its loop, so a buffer
// per connection would only cost memory: with thousands of keep-alive connections that is the
// difference between a few KiB and 64 KiB per connection.
//
// The buffer grows to the largest size asked (a transfer with a larger FETCHOPT_BUFFERSIZE)
// and never shrinks; its bytes are never zero-filled. A span from get() is valid until the
// next get() with a larger size: callers use it within one receive step only.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace fetch {

class ReceiveBuffer {
 public:
  // What a recv() asks for when the transfer did not ask for more: a bulk download moves
  // 256 KiB per syscall (what a plain read() loop would use), and a small response touches
  // only the pages it fills. The write callback still gets at most FETCHOPT_BUFFERSIZE per
  // call. One such buffer per multi handle, allocated at the first receive.
  static constexpr size_t kDefaultBytes = 256 * 1024;

  // At least `bytes` (and at least kDefaultBytes) of writable memory.
  std::span<char> get(size_t bytes);
  size_t capacity() const { return size_; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
};

}  // namespace fetch
