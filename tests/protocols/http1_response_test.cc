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

}  // namespace
}  // namespace fetch::http1
