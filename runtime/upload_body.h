// The request body of an upload as it goes on the wire: bytes the application's read callback
// produced, framed as HTTP/1.1 chunks when the size is unknown, in one reused buffer.
//
// The exchange asks for room (space()/want()), lets the read callback fill it, commits what the
// callback gave, and sends pending() until it is empty; then it reads again. Chunk framing is
// written around the data in place (the buffer keeps head room for the chunk-size line), so a
// chunk costs no copy. The buffer is allocated once per upload.
#pragma once

#include <fetch/fetch.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace fetch {

class UploadBody {
 public:
  // `size`: the bytes announced in Content-Length, or -1 when unknown (then `chunked` frames
  // every piece and a last "0" chunk ends the body).
  void begin(int64_t size, bool chunked);

  // Nothing left to send and more to read from the application.
  bool needs_data() const { return pending_begin_ == pending_end_ && !ended_; }
  // How many bytes the next read may store at space() (always > 0 while needs_data()).
  size_t want() const;
  char *space() { return buffer_.data() + kHeadRoom; }

  // The read callback stored `n` bytes (n <= want()); 0 means the application's data ended.
  // Returns FETCHE_READ_ERROR when the data ended short of the announced size.
  FETCHcode commit(size_t n);

  std::span<const char> pending() const {
    return {buffer_.data() + pending_begin_, pending_end_ - pending_begin_};
  }
  void sent(size_t n) { pending_begin_ += n; }

  // Every byte, framing included, has been handed to the connection.
  bool done() const { return ended_ && pending_begin_ == pending_end_; }
  int64_t data_bytes() const { return read_; }  // application bytes, without framing
  int64_t announced() const { return size_; }

 private:
  static constexpr size_t kDataBytes = 64 * 1024;
  static constexpr size_t kHeadRoom = 16;  // "ffffffff\r\n" fits; 64 KiB needs 5 hex digits
  static constexpr size_t kTailRoom = 16;  // "\r\n" after a chunk, or "0\r\n\r\n"

  std::vector<char> buffer_;
  int64_t size_ = -1;
  int64_t read_ = 0;
  bool chunked_ = false;
  bool ended_ = false;
  size_t pending_begin_ = 0;
  size_t pending_end_ = 0;
};

}  // namespace fetch
