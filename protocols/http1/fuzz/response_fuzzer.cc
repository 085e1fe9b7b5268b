// libFuzzer target: arbitrary bytes through ResponseReader and ContentDecoder.
//
// Input: byte 0 = options (bit 0 HEAD, bit 1 reused connection, bit 2 upgrade requested,
// bit 3 no EOF at the end), bytes 1-2 = a split offset, the rest = what the server sent.
// The response is read twice, whole and split at the offset; both runs must agree (same
// code, events digest, consumed bytes, keep-alive), which checks the split invariance of
// STYLE.md point 11 besides memory safety. Build (clang):
//   clang++ -std=c++20 -fsanitize=fuzzer,address,undefined -I. -Iapi/include
//     -I/usr/share/include/llhttp protocols/http1/fuzz/response_fuzzer.cc protocols/http1/*.cc
//     /usr/share/llhttp/*.c -lz -lbrotlidec -lzstd
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocols/http1/content_decoder.h"
#include "protocols/http1/response_reader.h"

namespace {

using fetch::http1::ContentDecoder;
using fetch::http1::DecodeSink;
using fetch::http1::ResponseHead;
using fetch::http1::ResponseOptions;
using fetch::http1::ResponseReader;
using fetch::http1::ResponseSink;
using fetch::http1::StatusLine;

constexpr size_t kMaxDecoded = 1 << 20;  // the "MAXFILESIZE" of this harness

// FNV-1a over every event, so two runs can be compared cheaply.
struct Digest {
  uint64_t h = 1469598103934665603ull;
  void add_raw(std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  }
  void add(std::string_view s) {  // one field: a separator follows
    add_raw(s);
    h = (h ^ 0x100) * 1099511628211ull;
  }
};

class Sink final : public ResponseSink, public DecodeSink {
 public:
  Digest events;
  Digest body;
  size_t decoded = 0;

  FETCHcode on_status(const StatusLine &s) override {
    events.add("status");
    events.add(std::to_string(s.code));
    events.add(s.reason);
    return FETCHE_OK;
  }
  FETCHcode on_header(std::string_view n, std::string_view v) override {
    events.add(n);
    events.add(v);
    return FETCHE_OK;
  }
  FETCHcode on_headers_complete(const ResponseHead &h) override {
    events.add("head");
    events.add(std::to_string(h.status));
    if (h.interim) return FETCHE_OK;
    decoder_.reset();
    return decoder_.add_codings(h.content_encoding);
  }
  FETCHcode on_body(std::span<const char> d) override {
    return decoder_.write(d.data(), d.size(), *this);  // body digest comes from on_decoded
  }
  FETCHcode on_decoded(std::span<const char> d) override {
    decoded += d.size();
    body.add_raw(std::string_view(d.data(), d.size()));  // independent of piece sizes
    return decoded > kMaxDecoded ? FETCHE_FILESIZE_EXCEEDED : FETCHE_OK;
  }
  FETCHcode on_trailer(std::string_view n, std::string_view v) override {
    events.add("trailer");
    events.add(n);
    events.add(v);
    return FETCHE_OK;
  }
  FETCHcode on_message_complete() override {
    events.add("complete");
    return FETCHE_OK;
  }

 private:
  ContentDecoder decoder_;
};

struct Run {
  FETCHcode code = FETCHE_OK;
  uint64_t events = 0;
  size_t consumed = 0;
  bool done = false;
  bool keep_alive = false;
};

Run run(std::string_view bytes, size_t cut, const ResponseOptions &opts, bool eof) {
  ResponseReader reader;
  Sink sink;
  reader.begin(sink, opts);
  Run r;
  size_t pieces[2][2] = {{0, cut}, {cut, bytes.size() - cut}};
  for (auto &p : pieces) {
    if (p[1] == 0) continue;
    size_t used = 0;
    r.code = reader.feed(bytes.data() + p[0], p[1], &used);
    r.consumed += used;
    if (r.code != FETCHE_OK || reader.done()) break;
    if (used != p[1]) __builtin_trap();  // an unfinished response takes every byte
  }
  if (r.code == FETCHE_OK && !reader.done() && eof) r.code = reader.on_eof();
  if (r.code != FETCHE_OK && reader.keep_alive()) __builtin_trap();
  // The reader's own errors always carry a reason; the sink's codes (the decoder's 61 and 23,
  // the size cap's 63) come back through it without one.
  if (r.code != FETCHE_OK && reader.error() != FETCHE_OK && !reader.reason() &&
      r.code != FETCHE_FILESIZE_EXCEEDED && r.code != FETCHE_BAD_CONTENT_ENCODING &&
      r.code != FETCHE_WRITE_ERROR)
    __builtin_trap();
  if (sink.decoded > kMaxDecoded + 16 * 1024) __builtin_trap();
  sink.events.add(std::to_string(sink.body.h));
  r.events = sink.events.h;
  r.done = reader.done();
  r.keep_alive = reader.keep_alive();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3) return 0;
  ResponseOptions opts;
  opts.head_request = data[0] & 1;
  opts.reused_connection = data[0] & 2;
  opts.upgrade_requested = data[0] & 4;
  bool eof = !(data[0] & 8);
  std::string_view bytes(reinterpret_cast<const char *>(data + 3), size - 3);
  size_t cut = bytes.empty() ? 0 : (size_t{data[1]} << 8 | data[2]) % bytes.size();
  Run whole = run(bytes, 0, opts, eof);
  Run split = run(bytes, cut, opts, eof);
  if (whole.code != split.code || whole.events != split.events || whole.done != split.done ||
      whole.keep_alive != split.keep_alive ||
      (whole.code == FETCHE_OK && whole.consumed != split.consumed))
    __builtin_trap();
  return 0;
}
