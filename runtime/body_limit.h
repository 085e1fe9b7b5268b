// FETCHOPT_MAXFILESIZE / FETCHOPT_MAXFILESIZE_LARGE for one response body (follows
// CURLOPT_MAXFILESIZE_LARGE(3), libcurl 8.4+ semantics: the limit is checked against the
// Content-Length up front and also stops a transfer whose body grows past it).
//
// What is counted. libcurl 8.x counts body bytes after the transfer coding (chunked) is removed
// and before the content coding (gzip, br, zstd) is undone: the "wire" size of the entity. A
// 1 KiB response that inflates to 1 GiB would pass that check, so libfetch counts both:
//  - wire bytes (as libcurl: a program written for libcurl sees the same 63 where libcurl
//    gives one), and
//  - delivered bytes, after decoding (libfetch's addition, docs/BAD-INPUT.md: a decompression
//    bomb stops at the limit, since what the application stores is the decoded file).
// A piece that would take either count past the limit fails the transfer with
// FETCHE_FILESIZE_EXCEEDED (63) and is not delivered, so the write callback never gets more than
// the limit. A Content-Length above the limit fails before any body byte. A body that is not
// delivered (HEAD, 1xx, a redirect that is followed) is not counted. 0 = no limit.
#pragma once

#include <fetch/fetch.h>

#include <cstddef>
#include <cstdint>

namespace fetch {

struct EasyHandle;

class BodyLimit {
 public:
  // For the next response; `limit` in bytes, 0 = none.
  void begin(int64_t limit) {
    limit_ = limit;
    wire_ = 0;
    delivered_ = 0;
  }
  // The response head announced `length` body bytes: 63 when that is above the limit.
  FETCHcode check_declared(EasyHandle &easy, uint64_t length) const;
  // `n` body bytes with the transfer coding removed, before content decoding.
  FETCHcode add_wire(EasyHandle &easy, size_t n) { return add(easy, wire_, n); }
  // `n` bytes about to reach the write callback.
  FETCHcode add_delivered(EasyHandle &easy, size_t n) { return add(easy, delivered_, n); }

 private:
  FETCHcode add(EasyHandle &easy, uint64_t &count, size_t n);

  int64_t limit_ = 0;
  uint64_t wire_ = 0;
  uint64_t delivered_ = 0;
};

}  // namespace fetch
