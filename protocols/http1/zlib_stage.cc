// gzip / deflate decoding with zlib.
#include <zlib.h>

#include <memory>
#include <string>

#include "protocols/http1/decode_stage.h"
#include "protocols/http1/limits.h"

namespace fetch::http1 {
namespace {

constexpr const char *kInitFailed = "Error while processing content unencoding: zlib init failed";
constexpr const char *kCorruptGzip = "Error while processing content unencoding: invalid gzip data";
constexpr const char *kCorruptDeflate =
    "Error while processing content unencoding: invalid deflate data";
constexpr const char *kTrailingData =
    "Error while processing content unencoding: unexpected data after the end of the stream";
// While nothing was decoded, keep this many input bytes to restart as raw deflate.
constexpr size_t kSniffMax = 64;

class ZlibStage final : public DecodeStage {
 public:
  explicit ZlibStage(bool gzip) : gzip_(gzip), buf_(std::make_unique<char[]>(kDecodeChunk)) {
    sniffing_ = !gzip;
    ok_ = inflateInit2(&z_, gzip ? 15 + 32 : 15) == Z_OK;
  }
  ~ZlibStage() override {
    if (ok_) inflateEnd(&z_);
  }

  FETCHcode write(std::span<const char> in, StageOutput &out) override {
    if (!ok_) return fail(kInitFailed);
    if (in.empty()) return FETCHE_OK;
    if (ended_) return fail(kTrailingData, FETCHE_WRITE_ERROR);
    bool data_error = false;
    FETCHcode rc = run(in, out, &data_error);
    if (data_error && sniffing_) return restart_raw(in, out);
    if (rc != FETCHE_OK) return rc;
    if (sniffing_) {
      if (produced_ || z_.total_in > kSniffMax) {
        sniffing_ = false;
        sniff_.clear();
      } else {
        sniff_.append(in.data(), in.size());
      }
    }
    return FETCHE_OK;
  }

  bool complete() const override { return ended_; }

 private:
  // Some servers send raw deflate for "deflate": start over without the zlib header.
  FETCHcode restart_raw(std::span<const char> in, StageOutput &out) {
    sniffing_ = false;
    inflateEnd(&z_);
    z_ = z_stream{};
    ok_ = inflateInit2(&z_, -15) == Z_OK;
    if (!ok_) return fail(kInitFailed);
    std::string earlier;
    earlier.swap(sniff_);
    bool data_error = false;
    FETCHcode rc = run(std::span<const char>(earlier.data(), earlier.size()), out, &data_error);
    if (rc == FETCHE_OK && !ended_) rc = run(in, out, &data_error);
    return rc;
  }

  FETCHcode run(std::span<const char> in, StageOutput &out, bool *data_error) {
    z_.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef *>(buf_.get());
      z_.avail_out = static_cast<uInt>(kDecodeChunk);
      int r = inflate(&z_, Z_NO_FLUSH);
      size_t n = kDecodeChunk - z_.avail_out;
      bool bad = r == Z_DATA_ERROR || r == Z_NEED_DICT || r == Z_STREAM_ERROR || r == Z_MEM_ERROR;
      if (bad && r == Z_DATA_ERROR && !produced_ && n == 0) {
        *data_error = true;  // a raw-deflate restart may still work
        return fail(gzip_ ? kCorruptGzip : kCorruptDeflate);
      }
      if (n > 0) {  // bytes decoded before a fault are delivered, however the input was split
        produced_ = true;
        FETCHcode rc = out.emit(std::span<const char>(buf_.get(), n));
        if (rc != FETCHE_OK) return rc;
      }
      if (bad) return fail(gzip_ ? kCorruptGzip : kCorruptDeflate);
      if (r == Z_STREAM_END) {
        ended_ = true;
        return z_.avail_in == 0 ? FETCHE_OK : fail(kTrailingData, FETCHE_WRITE_ERROR);
      }
      // Z_BUF_ERROR: no progress possible without more input.
      if (z_.avail_out != 0 && (z_.avail_in == 0 || r == Z_BUF_ERROR)) return FETCHE_OK;
    }
  }

  bool gzip_;
  bool ok_ = false;
  bool ended_ = false;
  bool produced_ = false;
  bool sniffing_ = false;
  z_stream z_{};
  std::string sniff_;
  std::unique_ptr<char[]> buf_;
};

}  // namespace

std::unique_ptr<DecodeStage> make_gzip_stage() { return std::make_unique<ZlibStage>(true); }
std::unique_ptr<DecodeStage> make_deflate_stage() { return std::make_unique<ZlibStage>(false); }

}  // namespace fetch::http1
