// br decoding with libbrotlidec.
#include <brotli/decode.h>

#include <memory>

#include "protocols/http1/decode_stage.h"
#include "protocols/http1/limits.h"

namespace fetch::http1 {
namespace {

constexpr const char *kInitFailed = "Error while processing content unencoding: brotli init failed";
constexpr const char *kCorrupt = "Error while processing content unencoding: invalid brotli data";

struct BrotliFree {
  void operator()(BrotliDecoderState *s) const { BrotliDecoderDestroyInstance(s); }
};

class BrotliStage final : public DecodeStage {
 public:
  BrotliStage()
      : state_(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr)),
        buf_(std::make_unique<char[]>(kDecodeChunk)) {}

  FETCHcode write(std::span<const char> in, StageOutput &out) override {
    if (!state_) return fail(kInitFailed);
    if (ended_ || in.empty()) return FETCHE_OK;
    const uint8_t *next_in = reinterpret_cast<const uint8_t *>(in.data());
    size_t avail_in = in.size();
    for (;;) {
      uint8_t *next_out = reinterpret_cast<uint8_t *>(buf_.get());
      size_t avail_out = kDecodeChunk;
      BrotliDecoderResult r = BrotliDecoderDecompressStream(state_.get(), &avail_in, &next_in,
                                                            &avail_out, &next_out, nullptr);
      size_t n = kDecodeChunk - avail_out;
      if (n > 0) {  // bytes decoded before a fault are delivered too
        FETCHcode rc = out.emit(std::span<const char>(buf_.get(), n));
        if (rc != FETCHE_OK) return rc;
      }
      if (r == BROTLI_DECODER_RESULT_ERROR) return fail(kCorrupt);
      if (r == BROTLI_DECODER_RESULT_SUCCESS) {
        ended_ = true;
        return FETCHE_OK;
      }
      if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) return FETCHE_OK;
      // NEEDS_MORE_OUTPUT: go round with an empty buffer.
    }
  }

  bool complete() const override { return ended_; }

 private:
  std::unique_ptr<BrotliDecoderState, BrotliFree> state_;
  std::unique_ptr<char[]> buf_;
  bool ended_ = false;
};

}  // namespace

std::unique_ptr<DecodeStage> make_brotli_stage() { return std::make_unique<BrotliStage>(); }

}  // namespace fetch::http1
