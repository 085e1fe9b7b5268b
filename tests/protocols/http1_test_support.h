// Test helpers for the HTTP/1 codec: a sink that records every event as text, and drivers
// that feed a response whole, split at one offset, or one byte at a time, the way the
// scheduler will (stop at the end of the response; EOF when the input runs out).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "protocols/http1/response_reader.h"

namespace fetch::http1::testing {

class RecordingSink : public ResponseSink {
 public:
  FETCHcode on_status(const StatusLine &s) override {
    add("status " + std::to_string(s.code) + " " + std::to_string(s.http_major) + "." +
        std::to_string(s.http_minor) + " [" + std::string(s.reason) + "]");
    return FETCHE_OK;
  }
  FETCHcode on_header(std::string_view name, std::string_view value) override {
    add("header " + std::string(name) + ": [" + std::string(value) + "]");
    return FETCHE_OK;
  }
  FETCHcode on_headers_complete(const ResponseHead &h) override {
    add("head " + std::to_string(h.status) + (h.interim ? " interim" : "") +
        (h.no_body ? " no-body" : "") + (h.chunked ? " chunked" : "") +
        (h.has_content_length ? " cl=" + std::to_string(h.content_length) : "") +
        (h.keep_alive ? " ka" : "") +
        (h.content_encoding.empty() ? "" : " ce=[" + std::string(h.content_encoding) + "]"));
    return FETCHE_OK;
  }
  FETCHcode on_body(std::span<const char> d) override {
    body.append(d.data(), d.size());
    if (events.empty() || events.back().rfind("body ", 0) != 0) events.emplace_back("body ");
    events.back().append(d.data(), d.size());  // consecutive spans merge: splits compare equal
    if (fail_body_with != FETCHE_OK) return fail_body_with;
    return FETCHE_OK;
  }
  FETCHcode on_trailer(std::string_view name, std::string_view value) override {
    add("trailer " + std::string(name) + ": [" + std::string(value) + "]");
    return FETCHE_OK;
  }
  FETCHcode on_message_complete() override {
    add("complete");
    return FETCHE_OK;
  }

  std::vector<std::string> events;
  std::string body;
  FETCHcode fail_body_with = FETCHE_OK;

 private:
  void add(std::string e) { events.push_back(std::move(e)); }
};

struct Outcome {
  std::vector<std::string> events;
  std::string body;
  FETCHcode code = FETCHE_OK;
  size_t consumed = 0;
  bool done = false;
  bool keep_alive = false;
  std::string reason;
};

inline bool operator==(const Outcome &a, const Outcome &b) {
  // After an error, how far the reader got depends on the split; nothing else may.
  bool consumed_ok = a.code != FETCHE_OK || a.consumed == b.consumed;
  return a.events == b.events && a.code == b.code && consumed_ok && a.done == b.done &&
         a.keep_alive == b.keep_alive && a.reason == b.reason;
}

inline std::ostream &operator<<(std::ostream &os, const Outcome &o) {
  os << "code=" << o.code << " consumed=" << o.consumed << " done=" << o.done
     << " ka=" << o.keep_alive << " reason=" << o.reason << "\n";
  for (const auto &e : o.events) os << "  " << e << "\n";
  return os;
}

// Feeds `bytes` in pieces ending at the given cut offsets, then (if eof and the response is
// not over) signals EOF.
inline Outcome run_pieces(std::string_view bytes, const std::vector<size_t> &cuts,
                          const ResponseOptions &opts = {}, bool eof = true) {
  ResponseReader reader;
  RecordingSink sink;
  reader.begin(sink, opts);
  Outcome out;
  size_t start = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(bytes.size());
  for (size_t end : ends) {
    if (end <= start) continue;
    size_t used = 0;
    size_t piece = end - start;
    out.code = reader.feed(bytes.data() + start, piece, &used);
    out.consumed += used;
    start = end;
    if (out.code != FETCHE_OK || reader.done()) break;
    EXPECT_EQ(used, piece);  // a response still going consumes everything
  }
  if (out.code == FETCHE_OK && !reader.done() && eof) out.code = reader.on_eof();
  out.events = sink.events;
  out.body = sink.body;
  out.done = reader.done();
  out.keep_alive = reader.keep_alive();
  out.reason = reader.reason() ? reader.reason() : "";
  return out;
}

inline Outcome run_whole(std::string_view bytes, const ResponseOptions &opts = {},
                         bool eof = true) {
  return run_pieces(bytes, {}, opts, eof);
}

inline Outcome run_bytewise(std::string_view bytes, const ResponseOptions &opts = {},
                            bool eof = true) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < bytes.size(); ++i) cuts.push_back(i);
  return run_pieces(bytes, cuts, opts, eof);
}

// STYLE.md point 11: every split offset and one byte at a time give the same events.
inline void expect_split_invariant(std::string_view bytes, const ResponseOptions &opts = {},
                                   bool eof = true) {
  Outcome whole = run_whole(bytes, opts, eof);
  for (size_t i = 1; i < bytes.size(); ++i) {
    Outcome split = run_pieces(bytes, {i}, opts, eof);
    ASSERT_EQ(whole, split) << "split at " << i;
  }
  ASSERT_EQ(whole, run_bytewise(bytes, opts, eof)) << "one byte at a time";
}

}  // namespace fetch::http1::testing
