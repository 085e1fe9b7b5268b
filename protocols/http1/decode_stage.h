// One Content-Encoding decoder in a ContentDecoder's stack (internal to content_decoder.cc).
//
// Contract: write() consumes all of `in` and hands every decoded byte to `out.emit()` in
// pieces of at most kDecodeChunk bytes, stopping at once (returning the code) when emit fails.
// A corrupt stream gives FETCHE_BAD_CONTENT_ENCODING with reason() set. Bytes after the end of
// a gzip or deflate stream give FETCHE_WRITE_ERROR, as libcurl ("unexpected data after the end";
// a second gzip member included); brotli and zstd ignore them.
#pragma once

#include <fetch/fetch.h>

#include <memory>
#include <span>

namespace fetch::http1 {

class StageOutput {
 public:
  virtual FETCHcode emit(std::span<const char> data) = 0;

 protected:
  ~StageOutput() = default;
};

class DecodeStage {
 public:
  virtual ~DecodeStage() = default;
  virtual FETCHcode write(std::span<const char> in, StageOutput &out) = 0;
  // The compressed stream reached its end marker.
  virtual bool complete() const = 0;
  const char *reason() const { return reason_; }

 protected:
  FETCHcode fail(const char *reason, FETCHcode code = FETCHE_BAD_CONTENT_ENCODING) {
    reason_ = reason;
    return code;
  }

 private:
  const char *reason_ = nullptr;
};

// gzip and x-gzip (zlib's automatic gzip/zlib header detection, as libcurl).
std::unique_ptr<DecodeStage> make_gzip_stage();
// deflate: zlib-wrapped, falling back to raw deflate when the zlib header is wrong (libcurl).
std::unique_ptr<DecodeStage> make_deflate_stage();
std::unique_ptr<DecodeStage> make_brotli_stage();
std::unique_ptr<DecodeStage> make_zstd_stage();
// A coding we do not know: fails at the first body byte (libcurl's "Unrecognized content
// encoding type"); an empty body is fine.
std::unique_ptr<DecodeStage> make_unknown_stage();

}  // namespace fetch::http1
