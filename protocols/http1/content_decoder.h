// Content-Encoding decoding stack (sans-I/O): compressed body bytes in, decoded bytes out.
//
// Built from the Content-Encoding header values (add_codings, once per header, in order).
// Codings: gzip, x-gzip, deflate (zlib-wrapped or raw), br, zstd; identity and none add
// nothing. More than kMaxContentCodings listed codings: FETCHE_BAD_CONTENT_ENCODING at once. An
// unknown coding fails with FETCHE_BAD_CONTENT_ENCODING at the first body byte, as libcurl
// does ("Unrecognized content encoding type"); an empty body with it is fine.
//
// Output reaches the sink in pieces of at most kDecodeChunk (16 KiB). A sink that returns an
// error stops decoding at once and write() returns that code: this is how the caller enforces
// FETCHOPT_MAXFILESIZE against a decompression bomb (it can stop within limit + 16 KiB, or cut
// the last piece itself to deliver exactly the limit).
//
// Like libcurl, a compressed stream that ends early is not an error here; complete() tells.
#pragma once

#include <fetch/fetch.h>

#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace fetch::http1 {

class DecodeStage;

class DecodeSink {
 public:
  virtual FETCHcode on_decoded(std::span<const char> data) = 0;

 protected:
  ~DecodeSink() = default;
};

class ContentDecoder {
 public:
  ContentDecoder();
  ~ContentDecoder();
  ContentDecoder(const ContentDecoder &) = delete;
  ContentDecoder &operator=(const ContentDecoder &) = delete;

  // Adds the codings of one Content-Encoding value ("gzip, br": br was applied last, so it
  // is undone first).
  FETCHcode add_codings(std::string_view header_value);
  // True when at least one stage transforms the data.
  bool active() const { return !stages_.empty(); }
  // Decodes `len` bytes, delivering output to `sink`.
  FETCHcode write(const char *data, size_t len, DecodeSink &sink);
  // Every compressed stream reached its end marker.
  bool complete() const;
  // Drops all stages (for the next response).
  void reset();
  // Static text for the error buffer, null when the sink failed or no error.
  const char *reason() const { return reason_; }

 private:
  class Link;
  FETCHcode push(size_t index, std::span<const char> data, DecodeSink &sink);

  std::vector<std::unique_ptr<DecodeStage>> stages_;  // in decoding order
  unsigned codings_ = 0;
  const char *reason_ = nullptr;
};

}  // namespace fetch::http1
