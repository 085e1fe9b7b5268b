// zstd decoding with libzstd. The window is capped at 8 MiB (RFC 9659 lets HTTP decoders
// refuse larger ones), so a hostile frame header cannot make us allocate 128 MiB or more.
#include <zstd.h>

#include <memory>

#include "protocols/http1/decode_stage.h"
#include "protocols/http1/limits.h"

namespace fetch::http1 {
namespace {

constexpr const char *kInitFailed = "Error while processing content unencoding: zstd init failed";
constexpr const char *kCorrupt = "Error while processing content unencoding: invalid zstd data";
constexpr int kWindowLogMax = 23;

struct ZstdFree {
  void operator()(ZSTD_DCtx *c) const { ZSTD_freeDCtx(c); }
};

class ZstdStage final : public DecodeStage {
 public:
  ZstdStage() : ctx_(ZSTD_createDCtx()), buf_(std::make_unique<char[]>(kDecodeChunk)) {
    if (ctx_ &&
        ZSTD_isError(ZSTD_DCtx_setParameter(ctx_.get(), ZSTD_d_windowLogMax, kWindowLogMax)))
      ctx_.reset();
  }

  FETCHcode write(std::span<const char> in, StageOutput &out) override {
    if (!ctx_) return fail(kInitFailed);
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    for (;;) {
      ZSTD_outBuffer output{buf_.get(), kDecodeChunk, 0};
      size_t r = ZSTD_decompressStream(ctx_.get(), &output, &input);
      if (output.pos > 0) {  // bytes decoded before a fault are delivered too
        FETCHcode rc = out.emit(std::span<const char>(buf_.get(), output.pos));
        if (rc != FETCHE_OK) return rc;
      }
      if (ZSTD_isError(r)) return fail(kCorrupt);
      frame_done_ = r == 0;
      // Done when all input is consumed and the output buffer was not filled.
      if (input.pos == input.size && output.pos < output.size) return FETCHE_OK;
    }
  }

  bool complete() const override { return frame_done_; }

 private:
  std::unique_ptr<ZSTD_DCtx, ZstdFree> ctx_;
  std::unique_ptr<char[]> buf_;
  bool frame_done_ = false;
};

}  // namespace

std::unique_ptr<DecodeStage> make_zstd_stage() { return std::make_unique<ZstdStage>(); }

}  // namespace fetch::http1
