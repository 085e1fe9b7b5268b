#include "runtime/upload_body.h"

#include <algorithm>
#include <cstring>

namespace fetch {

void UploadBody::begin(int64_t size, bool chunked) {
  if (buffer_.empty()) buffer_.resize(kHeadRoom + kDataBytes + kTailRoom);
  size_ = size;
  chunked_ = chunked;
  read_ = 0;
  ended_ = size == 0 && !chunked;  // an empty body of known size: nothing to read
  pending_begin_ = pending_end_ = kHeadRoom;
}

size_t UploadBody::want() const {
  if (chunked_ || size_ < 0) return kDataBytes;
  return static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(kDataBytes), size_ - read_));
}

FETCHcode UploadBody::commit(size_t n) {
  char *data = space();
  if (n == 0) {
    if (chunked_) {
      static constexpr char kLast[] = "0\r\n\r\n";
      memcpy(data, kLast, sizeof(kLast) - 1);
      pending_begin_ = kHeadRoom;
      pending_end_ = kHeadRoom + sizeof(kLast) - 1;
      ended_ = true;
      return FETCHE_OK;
    }
    ended_ = true;
    pending_begin_ = pending_end_ = kHeadRoom;
    return size_ >= 0 && read_ < size_ ? FETCHE_READ_ERROR : FETCHE_OK;
  }
  read_ += static_cast<int64_t>(n);
  if (!chunked_) {
    pending_begin_ = kHeadRoom;
    pending_end_ = kHeadRoom + n;
    if (size_ >= 0 && read_ >= size_) ended_ = true;
    return FETCHE_OK;
  }
  // "<hex size>\r\n" right before the data, "\r\n" right after it.
  static constexpr char kHex[] = "0123456789abcdef";
  size_t begin = kHeadRoom;
  buffer_[--begin] = '\n';
  buffer_[--begin] = '\r';
  for (size_t rest = n; rest != 0; rest >>= 4) buffer_[--begin] = kHex[rest & 0xf];
  data[n] = '\r';
  data[n + 1] = '\n';
  pending_begin_ = begin;
  pending_end_ = kHeadRoom + n + 2;
  return FETCHE_OK;
}

}  // namespace fetch
