// ResponseReader on well-formed responses: framing, interim responses, keep-alive, where
// the next response begins, and the same events whatever the split (STYLE.md point 11).
#include <gtest/gtest.h>

#include <string>

#include "http1_test_support.h"
#include "protocols/http1/response_reader.h"

namespace fetch::http1 {
namespace {

using testing::expect_split_invariant;
using testing::Outcome;
using testing::RecordingSink;
using testing::run_whole;

using Events = std::vector<std::string>;

const std::string kLength =
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello";
const std::string kChunked =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\n6;name=value\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Two:  2 \r\n\r\n";
const std::string kClose = "HTTP/1.1 200 OK\r\nServer: t\r\n\r\nuntil the end";
const std::string kContinue =
    "HTTP/1.1 100 Continue\r\n\r\n"
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

TEST(Http1Response, ContentLengthBody) {
  Outcome o = run_whole(kLength);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.events, (Events{"status 200 1.1 [OK]", "header Content-Length: [5]",
                              "header Content-Type: [text/plain]", "head 200 cl=5 ka", "body hello",
                              "complete"}));
  EXPECT_TRUE(o.done);
  EXPECT_TRUE(o.keep_alive);
  EXPECT_EQ(o.consumed, kLength.size());
}

TEST(Http1Response, ChunkedBodyWithTrailers) {
  Outcome o = run_whole(kChunked);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.body, "hello world");
  EXPECT_EQ(o.events, (Events{"status 200 1.1 [OK]", "header Transfer-Encoding: [chunked]",
                              "head 200 chunked ka", "body hello world",
                              "trailer X-Checksum: [abc]", "trailer X-Two: [2]", "complete"}));
  EXPECT_TRUE(o.keep_alive);
  EXPECT_EQ(o.consumed, kChunked.size());
}

TEST(Http1Response, EmptyChunkedBody) {
  std::string r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
  Outcome o = run_whole(r);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.body, "");
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.consumed, r.size());
}

TEST(Http1Response, CloseDelimitedBodyEndsAtEof) {
  Outcome without_eof = run_whole(kClose, {}, false);
  EXPECT_EQ(without_eof.code, FETCHE_OK);
  EXPECT_FALSE(without_eof.done);
  Outcome o = run_whole(kClose);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.body, "until the end");
  EXPECT_FALSE(o.keep_alive);
}

TEST(Http1Response, KeepAliveRules) {
  EXPECT_FALSE(run_whole("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx").keep_alive);
  EXPECT_TRUE(run_whole("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx")
                  .keep_alive);
  EXPECT_FALSE(
      run_whole("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx").keep_alive);
  EXPECT_TRUE(run_whole("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
}

TEST(Http1Response, HeadResponseHasNoBody) {
  std::string r = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
  ResponseOptions head;
  head.head_request = true;
  Outcome o = run_whole(r, head, false);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_TRUE(o.done);
  EXPECT_TRUE(o.keep_alive);
  EXPECT_EQ(o.events.back(), "complete");
  EXPECT_EQ(o.events[o.events.size() - 2], "head 200 no-body cl=1000 ka");
  EXPECT_EQ(o.consumed, r.size());
  expect_split_invariant(r, head, false);
}

TEST(Http1Response, NoContentAndNotModifiedHaveNoBody) {
  for (std::string status : {"204 No Content", "304 Not Modified"}) {
    std::string first = "HTTP/1.1 " + status + "\r\nContent-Length: 3\r\n\r\n";
    std::string r = first + "HTTP/1.1 200 OK\r\n";
    Outcome o = run_whole(r, {}, false);
    EXPECT_EQ(o.code, FETCHE_OK) << status;
    EXPECT_TRUE(o.done) << status;
    EXPECT_EQ(o.body, "") << status;
    EXPECT_EQ(o.consumed, first.size()) << status;
    expect_split_invariant(r, {}, false);
  }
}

TEST(Http1Response, InterimResponsesAreReportedThenSkipped) {
  Outcome o = run_whole(kContinue);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.events, (Events{"status 100 1.1 [Continue]", "head 100 interim no-body ka",
                              "status 200 1.1 [OK]", "header Content-Length: [2]",
                              "head 200 cl=2 ka", "body ok", "complete"}));
  std::string hints = "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n" + kContinue;
  Outcome h = run_whole(hints);
  EXPECT_EQ(h.code, FETCHE_OK);
  EXPECT_EQ(h.body, "ok");
  EXPECT_EQ(h.events[1], "header Link: [</s.css>; rel=preload]");
  expect_split_invariant(hints);
}

TEST(Http1Response, StopsAfterOneResponse) {
  std::string second = "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop";
  std::string both = kLength + second;
  ResponseReader reader;
  RecordingSink sink;
  reader.begin(sink);
  size_t used = 0;
  ASSERT_EQ(reader.feed(both.data(), both.size(), &used), FETCHE_OK);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(used, kLength.size());
  size_t more = 0;
  EXPECT_EQ(reader.feed(both.data() + used, both.size() - used, &more), FETCHE_OK);
  EXPECT_EQ(more, 0u);  // over: nothing more is taken
  // The caller starts the next response on the leftover bytes.
  RecordingSink sink2;
  reader.begin(sink2);
  size_t used2 = 0;
  ASSERT_EQ(reader.feed(both.data() + used, both.size() - used, &used2), FETCHE_OK);
  EXPECT_EQ(used2, second.size());
  EXPECT_EQ(sink2.body, "nop");
  EXPECT_EQ(reader.status(), 404);
  expect_split_invariant(both);
}

TEST(Http1Response, AcceptedUpgradeEndsAtTheHead) {
  std::string head =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
  std::string r = head + "\x81\x02hi";
  ResponseOptions up;
  up.upgrade_requested = true;
  Outcome o = run_whole(r, up, false);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.consumed, head.size());
  EXPECT_FALSE(o.keep_alive);  // the connection now speaks another protocol
  expect_split_invariant(r, up, false);
}

TEST(Http1Response, ContentLengthWithChunkedReadsChunkedAndCloses) {
  std::string r =
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n";
  Outcome o = run_whole(r);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.body, "abc");
  EXPECT_FALSE(o.keep_alive);
  EXPECT_EQ(o.consumed, r.size());
  expect_split_invariant(r);
}

TEST(Http1Response, HeaderValuesAndEncodings) {
  std::string r =
      "HTTP/1.1 200\r\nX-Blank:\r\nX-Pad: \t padded \t\r\nContent-Encoding: gzip\r\n"
      "content-encoding: br\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n";
  Outcome o = run_whole(r);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.events, (Events{"status 200 1.1 []", "header X-Blank: []", "header X-Pad: [padded]",
                              "header Content-Encoding: [gzip]", "header content-encoding: [br]",
                              "header Location: [/next]", "header Content-Length: [0]",
                              "head 200 cl=0 ka ce=[gzip, br]", "complete"}));
  expect_split_invariant(r);
}

TEST(Http1Response, SinkErrorStopsReading) {
  ResponseReader reader;
  RecordingSink sink;
  sink.fail_body_with = FETCHE_WRITE_ERROR;
  reader.begin(sink);
  size_t used = 0;
  EXPECT_EQ(reader.feed(kLength.data(), kLength.size(), &used), FETCHE_WRITE_ERROR);
  EXPECT_EQ(reader.reason(), nullptr);
  EXPECT_FALSE(reader.keep_alive());
  EXPECT_EQ(reader.on_eof(), FETCHE_WRITE_ERROR);  // sticky until begin()
}

TEST(Http1Response, LargeBodySpansPointIntoTheFedBuffer) {
  std::string body(100000, 'z');
  std::string r = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + body;
  struct Spans : ResponseSink {
    const char *lo = nullptr, *hi = nullptr;
    size_t total = 0;
    bool inside = true;
    FETCHcode on_body(std::span<const char> d) override {
      inside = inside && d.data() >= lo && d.data() + d.size() <= hi;
      total += d.size();
      return FETCHE_OK;
    }
  } spans;
  spans.lo = r.data();
  spans.hi = r.data() + r.size();
  ResponseReader reader;
  reader.begin(spans);
  size_t used = 0;
  ASSERT_EQ(reader.feed(r.data(), r.size(), &used), FETCHE_OK);
  EXPECT_TRUE(spans.inside);  // no copy
  EXPECT_EQ(spans.total, body.size());
}

// Every canned response, split at every offset and byte by byte.
TEST(Http1Response, EverySplitGivesTheSameEvents) {
  const std::string cases[] = {
      kLength,
      kChunked,
      kClose,
      kContinue,
      "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc",
      "HTTP/1.1 200 OK\r\nX-Fold: a\r\n  folded\r\nContent-Length: 1\r\n\r\nx",
      "\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "000000000000000a\r\n0123456789\r\n1\r\n!\r\n0\r\n\r\nHTTP/1.1 200",
      "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\noops",
  };
  for (const std::string &c : cases) {
    SCOPED_TRACE(c);
    expect_split_invariant(c);
  }
}

// ---- raw head and trailer lines ----

// Records parsed events and raw lines in one sequence, to check their relative order.
class RawSink : public RecordingSink {
 public:
  FETCHcode on_head_line(std::string_view raw) override {
    events.push_back("line [" + std::string(raw) + "]");
    head += raw;
    return fail_line_with;
  }
  FETCHcode on_trailer_line(std::string_view raw) override {
    events.push_back("tline [" + std::string(raw) + "]");
    trailers += raw;
    return FETCHE_OK;
  }
  std::string head;      // every head line, concatenated
  std::string trailers;  // every trailer line, concatenated
  FETCHcode fail_line_with = FETCHE_OK;
};

struct RawOutcome {
  std::vector<std::string> events;
  FETCHcode code = FETCHE_OK;
  size_t consumed = 0;
  std::string head;
  std::string trailers;
  bool operator==(const RawOutcome &o) const {  // after an error, `consumed` may vary
    return events == o.events && code == o.code && head == o.head && trailers == o.trailers &&
           (code != FETCHE_OK || consumed == o.consumed);
  }
};

void PrintTo(const RawOutcome &o, std::ostream *os) {
  *os << "code=" << o.code << " consumed=" << o.consumed << "\n";
  for (const auto &e : o.events) {
    *os << "  ";
    for (char c : e) *os << (c == '\r' ? "\\r" : c == '\n' ? "\\n" : std::string(1, c));
    *os << "\n";
  }
}

// Feeds `bytes` in pieces ending at the cut offsets (then EOF if the response is not over).
RawOutcome run_raw(std::string_view bytes, const std::vector<size_t> &cuts,
                   ResponseReader *reused = nullptr) {
  ResponseReader own;
  ResponseReader &reader = reused ? *reused : own;
  RawSink sink;
  reader.begin(sink);
  RawOutcome out;
  size_t start = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(bytes.size());
  for (size_t end : ends) {
    if (end <= start) continue;
    size_t used = 0;
    out.code = reader.feed(bytes.data() + start, end - start, &used);
    out.consumed += used;
    start = end;
    if (out.code != FETCHE_OK || reader.done()) break;
  }
  if (out.code == FETCHE_OK && !reader.done()) out.code = reader.on_eof();
  out.events = sink.events;
  out.head = sink.head;
  out.trailers = sink.trailers;
  return out;
}

void expect_raw_split_invariant(std::string_view bytes) {
  RawOutcome whole = run_raw(bytes, {});
  for (size_t i = 1; i < bytes.size(); ++i) {
    ASSERT_EQ(whole, run_raw(bytes, {i})) << "split at " << i;
    for (size_t j = i + 1; j < bytes.size() && j < i + 8; ++j)
      ASSERT_EQ(whole, run_raw(bytes, {i, j})) << "split at " << i << " and " << j;
  }
  std::vector<size_t> all;
  for (size_t i = 1; i < bytes.size(); ++i) all.push_back(i);
  ASSERT_EQ(whole, run_raw(bytes, all)) << "one byte at a time";
}

TEST(Http1RawLines, SpacingIsKeptAndLinesFollowTheirEvents) {
  std::string r =
      "HTTP/1.1 200 Fine Thanks\r\nX-Spaced:   a b\r\nX-Tight:v\r\nX-Tail: t \t\r\n"
      "X-Blank:\r\nX-Blank2:   \r\nContent-Length: 2\r\n\r\nok";
  RawOutcome o = run_raw(r, {});
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.events,
            (Events{"status 200 1.1 [Fine Thanks]", "line [HTTP/1.1 200 Fine Thanks\r\n]",
                    "header X-Spaced: [a b]", "line [X-Spaced:   a b\r\n]", "header X-Tight: [v]",
                    "line [X-Tight:v\r\n]", "header X-Tail: [t]", "line [X-Tail: t \t\r\n]",
                    "header X-Blank: []", "line [X-Blank:\r\n]", "header X-Blank2: []",
                    "line [X-Blank2:   \r\n]", "header Content-Length: [2]",
                    "line [Content-Length: 2\r\n]", "line [\r\n]", "head 200 cl=2 ka", "body ok",
                    "complete"}));
  EXPECT_EQ(o.head, r.substr(0, r.size() - 2));  // the raw lines are the whole head
  expect_raw_split_invariant(r);
}

TEST(Http1RawLines, StatusLineWithoutReason) {
  std::string r = "HTTP/1.1 204\r\n\r\n";
  RawOutcome o = run_raw(r, {});
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.events, (Events{"status 204 1.1 []", "line [HTTP/1.1 204\r\n]", "line [\r\n]",
                              "head 204 no-body ka", "complete"}));
  expect_raw_split_invariant(r);
}

TEST(Http1RawLines, InterimHeadsHaveTheirLines) {
  std::string r =
      "HTTP/1.1 103 Early Hints\r\nLink:  </s.css>; rel=preload\r\n\r\n"
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  RawOutcome o = run_raw(r, {});
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(
      o.events,
      (Events{"status 103 1.1 [Early Hints]", "line [HTTP/1.1 103 Early Hints\r\n]",
              "header Link: [</s.css>; rel=preload]", "line [Link:  </s.css>; rel=preload\r\n]",
              "line [\r\n]", "head 103 interim no-body ka", "status 100 1.1 [Continue]",
              "line [HTTP/1.1 100 Continue\r\n]", "line [\r\n]", "head 100 interim no-body ka",
              "status 200 1.1 [OK]", "line [HTTP/1.1 200 OK\r\n]", "header Content-Length: [2]",
              "line [Content-Length: 2\r\n]", "line [\r\n]", "head 200 cl=2 ka", "body ok",
              "complete"}));
  EXPECT_EQ(o.head, r.substr(0, r.size() - 2));
  expect_raw_split_invariant(r);
}

TEST(Http1RawLines, BlankLinesBeforeAStatusLineAreSkipped) {
  std::string r = "\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  RawOutcome o = run_raw(r, {});
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.head, r.substr(4));
  expect_raw_split_invariant(r);
}

TEST(Http1RawLines, TrailerLines) {
  RawOutcome o = run_raw(kChunked, {});
  EXPECT_EQ(o.code, FETCHE_OK);
  Events tail(o.events.end() - 7, o.events.end());
  EXPECT_EQ(tail,
            (Events{"body hello world", "trailer X-Checksum: [abc]", "tline [X-Checksum: abc\r\n]",
                    "trailer X-Two: [2]", "tline [X-Two:  2 \r\n]", "tline [\r\n]", "complete"}));
  EXPECT_EQ(o.trailers, "X-Checksum: abc\r\nX-Two:  2 \r\n\r\n");
  EXPECT_EQ(o.head, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  expect_raw_split_invariant(kChunked);
}

TEST(Http1RawLines, NoTrailerSectionNoTrailerLines) {
  std::string r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  RawOutcome o = run_raw(r, {});
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.trailers, "");
  EXPECT_EQ(o.events.back(), "complete");
  expect_raw_split_invariant(r);
}

TEST(Http1RawLines, LongLinesAcrossManyFeeds) {
  std::string value(60 * 1024, 'v');
  value[100] = ' ';
  std::string tvalue(3000, 't');
  std::string head =
      "HTTP/1.1 200 OK\r\nX-Long:  " + value + "\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string trailers = "X-T:   " + tvalue + " \r\n\r\n";
  std::string r = head + "1\r\nx\r\n0\r\n" + trailers;
  std::vector<size_t> cuts;
  for (size_t i = 7; i < r.size(); i += 1000) cuts.push_back(i);
  RawOutcome whole = run_raw(r, {});
  EXPECT_EQ(whole.code, FETCHE_OK);
  EXPECT_TRUE(whole.head == head);  // EXPECT_EQ would print 60 KiB
  EXPECT_TRUE(whole.trailers == trailers);
  EXPECT_TRUE(whole == run_raw(r, cuts));
  cuts.clear();
  for (size_t i = 1; i < r.size(); i += 7) cuts.push_back(i);
  EXPECT_TRUE(whole == run_raw(r, cuts));
}

TEST(Http1RawLines, ReaderReuseAndPipelinedResponses) {
  std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx";
  std::string second = "HTTP/1.1 404 Gone  Away\r\nA:  b\r\nContent-Length: 0\r\n\r\n";
  std::string both = first + second;
  ResponseReader reader;
  RawOutcome a = run_raw(both, {5}, &reader);
  EXPECT_EQ(a.code, FETCHE_OK);
  EXPECT_EQ(a.consumed, first.size());
  EXPECT_EQ(a.head, first.substr(0, first.size() - 1));
  RawOutcome b = run_raw(std::string_view(both).substr(a.consumed), {3}, &reader);
  EXPECT_EQ(b.code, FETCHE_OK);
  EXPECT_EQ(b.head, second);
}

TEST(Http1RawLines, LinesInOneBufferAreNotCopied) {
  std::string r = "HTTP/1.1 200 OK\r\nA: b\r\nContent-Length: 0\r\n\r\n";
  struct Views : ResponseSink {
    const char *lo = nullptr, *hi = nullptr;
    bool inside = true;
    int lines = 0;
    FETCHcode on_head_line(std::string_view l) override {
      // The empty line is parsed with the head's end and copied (2 bytes, reused buffer).
      if (++lines < 4) inside = inside && l.data() >= lo && l.data() + l.size() <= hi;
      return FETCHE_OK;
    }
  } views;
  views.lo = r.data();
  views.hi = r.data() + r.size();
  ResponseReader reader;
  reader.begin(views);
  size_t used = 0;
  ASSERT_EQ(reader.feed(r.data(), r.size(), &used), FETCHE_OK);
  EXPECT_EQ(views.lines, 4);
  EXPECT_TRUE(views.inside);
}

TEST(Http1RawLines, SinkErrorFromALineStops) {
  ResponseReader reader;
  RawSink sink;
  sink.fail_line_with = FETCHE_WRITE_ERROR;
  reader.begin(sink);
  size_t used = 0;
  EXPECT_EQ(reader.feed(kLength.data(), kLength.size(), &used), FETCHE_WRITE_ERROR);
  EXPECT_EQ(reader.reason(), nullptr);
  EXPECT_EQ(sink.events, (Events{"status 200 1.1 [OK]", "line [HTTP/1.1 200 OK\r\n]"}));
}

// llhttp (loose mode) ends a status line, an empty value or the empty line at CR plus any
// byte; such a line has no raw form ending in LF, so the reader refuses it.
TEST(Http1RawLines, CrWithoutLfEndingALineIsRefused) {
  const std::string cases[] = {
      "HTTP/1.1 200 OK\rX: y\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200\rX: y\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX:  \rY: z\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\rX",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n\rX",
  };
  for (const std::string &c : cases) {
    SCOPED_TRACE(c);
    RawOutcome o = run_raw(c, {});
    EXPECT_EQ(o.code, FETCHE_WEIRD_SERVER_REPLY);
    for (const std::string &e : o.events) {
      if (e.starts_with("line")) {
        EXPECT_TRUE(e.ends_with("\n]")) << e;
      }
    }
    expect_raw_split_invariant(c);
    expect_split_invariant(c);
  }
}

TEST(Http1RawLines, RejectedLinesAreNotGiven) {
  RawOutcome o = run_raw("HTTP/1.1 200 OK\r\nA: b\r\nX : y\r\n\r\n", {});
  EXPECT_EQ(o.code, FETCHE_WEIRD_SERVER_REPLY);
  EXPECT_EQ(o.head, "HTTP/1.1 200 OK\r\nA: b\r\n");
}

}  // namespace
}  // namespace fetch::http1
