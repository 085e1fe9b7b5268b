#include "protocols/http1/content_decoder.h"

#include <algorithm>

#include "protocols/http1/decode_stage.h"
#include "protocols/http1/limits.h"
#include "protocols/http1/tokens.h"

namespace fetch::http1 {
namespace {

constexpr const char *kTooMany = "Reject response due to more than 5 content encodings";
constexpr const char *kUnknown =
    "Unrecognized content encoding type. libfetch understands identity, gzip, deflate, br, "
    "zstd content encodings.";

class UnknownStage final : public DecodeStage {
 public:
  FETCHcode write(std::span<const char> in, StageOutput &) override {
    return in.empty() ? FETCHE_OK : fail(kUnknown);
  }
  bool complete() const override { return true; }
};

}  // namespace

std::unique_ptr<DecodeStage> make_unknown_stage() { return std::make_unique<UnknownStage>(); }

// Connects stage `index` to the next stage (or to the sink after the last one).
class ContentDecoder::Link final : public StageOutput {
 public:
  Link(ContentDecoder &d, size_t next, DecodeSink &sink) : d_(d), next_(next), sink_(sink) {}
  FETCHcode emit(std::span<const char> data) override { return d_.push(next_, data, sink_); }

 private:
  ContentDecoder &d_;
  size_t next_;
  DecodeSink &sink_;
};

ContentDecoder::ContentDecoder() = default;
ContentDecoder::~ContentDecoder() = default;

FETCHcode ContentDecoder::add_codings(std::string_view header_value) {
  FETCHcode rc = FETCHE_OK;
  for_each_list_token(header_value, [&](std::string_view coding) {
    if (++codings_ > kMaxContentCodings) {
      reason_ = kTooMany;
      rc = FETCHE_BAD_CONTENT_ENCODING;
      return false;
    }
    std::unique_ptr<DecodeStage> stage;
    if (iequals(coding, "identity") || iequals(coding, "none")) return true;
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip"))
      stage = make_gzip_stage();
    else if (iequals(coding, "deflate"))
      stage = make_deflate_stage();
    else if (iequals(coding, "br"))
      stage = make_brotli_stage();
    else if (iequals(coding, "zstd"))
      stage = make_zstd_stage();
    else
      stage = make_unknown_stage();
    // The coding listed last was applied last: it is undone first.
    stages_.insert(stages_.begin(), std::move(stage));
    return true;
  });
  return rc;
}

FETCHcode ContentDecoder::write(const char *data, size_t len, DecodeSink &sink) {
  if (reason_) return FETCHE_BAD_CONTENT_ENCODING;
  return push(0, std::span<const char>(data, len), sink);
}

FETCHcode ContentDecoder::push(size_t index, std::span<const char> data, DecodeSink &sink) {
  if (index == stages_.size()) {
    while (!data.empty()) {  // hand out at most kDecodeChunk per call
      size_t n = std::min(data.size(), kDecodeChunk);
      FETCHcode rc = sink.on_decoded(data.first(n));
      if (rc != FETCHE_OK) return rc;
      data = data.subspan(n);
    }
    return FETCHE_OK;
  }
  Link next(*this, index + 1, sink);
  FETCHcode rc = stages_[index]->write(data, next);
  if (rc != FETCHE_OK && stages_[index]->reason()) reason_ = stages_[index]->reason();
  return rc;
}

bool ContentDecoder::complete() const {
  return std::all_of(stages_.begin(), stages_.end(),
                     [](const std::unique_ptr<DecodeStage> &s) { return s->complete(); });
}

void ContentDecoder::reset() {
  stages_.clear();
  codings_ = 0;
  reason_ = nullptr;
}

}  // namespace fetch::http1
