// The bad-reply catalog (/work/shared/BAD-INPUT.md, status line / headers / framing): each
// malformed response gives libcurl's code, a reason, and the same result at every split.
#include <gtest/gtest.h>

#include <string>

#include "http1_test_support.h"
#include "protocols/http1/response_reader.h"

namespace fetch::http1 {
namespace {

using testing::Outcome;
using testing::run_bytewise;
using testing::run_pieces;
using testing::run_whole;

struct BadCase {
  const char *name;
  std::string bytes;
  FETCHcode code;
  std::string body_before_fault = "";
  bool reused = false;
};

// Checks the code, the reason, the valid body bytes delivered, that the connection is not
// reusable, and (for small inputs) that every split gives the same result.
void check(const BadCase &c) {
  SCOPED_TRACE(c.name);
  ResponseOptions opts;
  opts.reused_connection = c.reused;
  Outcome whole = run_whole(c.bytes, opts);
  EXPECT_EQ(whole.code, c.code) << whole;
  EXPECT_FALSE(whole.reason.empty());
  EXPECT_EQ(whole.body, c.body_before_fault);
  EXPECT_FALSE(whole.keep_alive);
  if (c.bytes.size() <= 4096) {
    for (size_t i = 1; i < c.bytes.size(); ++i) {
      Outcome split = run_pieces(c.bytes, {i}, opts);
      ASSERT_EQ(whole, split) << "split at " << i;
    }
  } else {
    // Large inputs: a spread of cuts (every byte offset would be quadratic).
    for (size_t i = 1; i < c.bytes.size(); i += c.bytes.size() / 61 + 1) {
      Outcome split = run_pieces(c.bytes, {i}, opts);
      ASSERT_EQ(whole, split) << "split at " << i;
    }
  }
  ASSERT_EQ(whole, run_bytewise(c.bytes, opts)) << "one byte at a time";
}

std::string many_headers(int n) {
  std::string r = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < n; ++i) r += "X-H" + std::to_string(i) + ": v\r\n";
  return r + "Content-Length: 0\r\n\r\n";
}

TEST(Http1BadReply, StatusLine) {
  check({"nothing at all", "", FETCHE_GOT_NOTHING});
  check({"garbage, fresh connection", "garbage\r\n\r\n", FETCHE_UNSUPPORTED_PROTOCOL});
  check({"HTTP/0.9 body, fresh connection", "<html>hi</html>", FETCHE_UNSUPPORTED_PROTOCOL});
  check({"garbage, reused connection", "garbage\r\n\r\n", FETCHE_WEIRD_SERVER_REPLY, "", true});
  check({"HTTP/1.2", "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n", FETCHE_UNSUPPORTED_PROTOCOL});
  check({"HTTP/1.2, reused connection", "HTTP/1.2 200 OK\r\n\r\n", FETCHE_UNSUPPORTED_PROTOCOL, "",
         true});
  check({"HTTP/2.0 on HTTP/1", "HTTP/2.0 200 OK\r\n\r\n", FETCHE_UNSUPPORTED_PROTOCOL});
  check(
      {"status 99", "HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n", FETCHE_UNSUPPORTED_PROTOCOL});
  check({"status 0", "HTTP/1.1 000 Zero\r\n\r\n", FETCHE_UNSUPPORTED_PROTOCOL});
  check({"status not a number", "HTTP/1.1 2x0 OK\r\n\r\n", FETCHE_UNSUPPORTED_PROTOCOL});
  check({"unexpected 101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
         FETCHE_WEIRD_SERVER_REPLY});
  check({"only 100 Continue, then close", "HTTP/1.1 100 Continue\r\n\r\n", FETCHE_GOT_NOTHING});
}

TEST(Http1BadReply, Headers) {
  check({"no colon", "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n", FETCHE_WEIRD_SERVER_REPLY});
  check({"space before colon", "HTTP/1.1 200 OK\r\nX : y\r\n\r\n", FETCHE_WEIRD_SERVER_REPLY});
  check({"NUL in a value", std::string("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 27),
         FETCHE_WEIRD_SERVER_REPLY});
  check({"NUL in a name", std::string("HTTP/1.1 200 OK\r\nX\0: b\r\n\r\n", 26),
         FETCHE_WEIRD_SERVER_REPLY});
  check({"bare CR", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", FETCHE_WEIRD_SERVER_REPLY});
  check({"two Location headers", "HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\n\r\n",
         FETCHE_WEIRD_SERVER_REPLY});
}

TEST(Http1BadReply, HeaderLimits) {
  std::string big = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(100 * 1024, 'a') + "\r\n\r\n";
  check({"one header over 100 KiB", big, FETCHE_TOO_LARGE});
  std::string padded = "HTTP/1.1 200 OK\r\nX-Pad:" + std::string(100 * 1024, ' ') + "x\r\n\r\n";
  check({"one header over 100 KiB of blanks", padded, FETCHE_TOO_LARGE});
  std::string block = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 4; ++i)
    block += "X-" + std::to_string(i) + ": " + std::string(80 * 1024, 'b') + "\r\n";
  check({"header block over 300 KiB", block + "\r\n", FETCHE_RECV_ERROR});
  check({"5,001 headers", many_headers(5001), FETCHE_TOO_LARGE});
  EXPECT_EQ(run_whole(many_headers(4999)).code, FETCHE_OK);  // plus Content-Length: 5,000
  std::string flood;
  while (flood.size() < 310 * 1024) flood += "HTTP/1.1 102 Processing\r\n\r\n";
  check({"1xx flood", flood, FETCHE_RECV_ERROR});
  // Just below the limits is fine.
  std::string ok = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(100 * 1024 - 16, 'a') +
                   "\r\nContent-Length: 0\r\n\r\n";
  EXPECT_EQ(run_whole(ok).code, FETCHE_OK);
}

TEST(Http1BadReply, Framing) {
  check({"Content-Length not a number", "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
         FETCHE_WEIRD_SERVER_REPLY});
  check({"negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
         FETCHE_WEIRD_SERVER_REPLY});
  check({"Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nab",
         FETCHE_WEIRD_SERVER_REPLY});
  check({"conflicting Content-Length",
         "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
         FETCHE_WEIRD_SERVER_REPLY});
  check({"Content-Length overflow",
         "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
         FETCHE_WEIRD_SERVER_REPLY});
  // Fits 64 bits unsigned but not libcurl's signed offsets: 2^63, 2^64 - 1, 2^64 - 2.
  for (const char *length :
       {"9223372036854775808", "18446744073709551615", "18446744073709551614"}) {
    check({"Content-Length above 2^63 - 1",
           std::string("HTTP/1.1 200 OK\r\nContent-Length: ") + length + "\r\n\r\nx",
           FETCHE_WEIRD_SERVER_REPLY});
  }
  check({"body short of Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
         FETCHE_PARTIAL_FILE, "hello"});
  check({"no empty line after the headers", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n",
         FETCHE_PARTIAL_FILE});
  check({"cut in the status line", "HTTP/1.1 200 O", FETCHE_PARTIAL_FILE});
}

TEST(Http1BadReply, Chunked) {
  const std::string te = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  check({"non-hex chunk size", te + "5\r\nhello\r\nzz\r\n", FETCHE_RECV_ERROR, "hello"});
  check({"17 hex digits", te + "00000000000000001\r\na\r\n0\r\n\r\n", FETCHE_RECV_ERROR});
  check({"16 digits above INT64_MAX", te + "8000000000000000\r\n", FETCHE_RECV_ERROR});
  check({"64-bit overflow", te + "1FFFFFFFFFFFFFFFF\r\n", FETCHE_RECV_ERROR});
  check({"no CRLF after chunk data", te + "3\r\nabcX\r\n", FETCHE_RECV_ERROR, "abc"});
  check({"cut before the last chunk", te + "5\r\nhello\r\n", FETCHE_PARTIAL_FILE, "hello"});
  check({"cut inside a chunk", te + "a\r\nhello", FETCHE_PARTIAL_FILE, "hello"});
  check({"cut in the trailers", te + "0\r\nX-T: 1\r\n", FETCHE_PARTIAL_FILE});
  check({"trailer over 4 KiB", te + "0\r\nX-T: " + std::string(4 * 1024, 't') + "\r\n\r\n",
         FETCHE_TOO_LARGE});
  check({"NUL in a trailer", te + std::string("0\r\nX-T: a\0b\r\n\r\n", 15),
         FETCHE_WEIRD_SERVER_REPLY});
  check({"chunked then gzip",
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
         FETCHE_BAD_CONTENT_ENCODING});
  check({"chunked, then another Transfer-Encoding header",
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
         FETCHE_BAD_CONTENT_ENCODING});
  // 16 digits with leading zeros are fine; so is a trailer of exactly 4 KiB.
  Outcome sixteen = run_whole(te + "0000000000000003\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(sixteen.code, FETCHE_OK);
  EXPECT_EQ(sixteen.body, "abc");
  EXPECT_EQ(run_whole(te + "0\r\nX-T: " + std::string(4 * 1024 - 7, 't') + "\r\n\r\n").code,
            FETCHE_OK);
}

TEST(Http1BadReply, ContentLengthWithChunkedIsNotAnError) {
  Outcome o = run_whole(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
      "1\r\nx\r\n0\r\n\r\n");
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.body, "x");
  EXPECT_FALSE(o.keep_alive);
}

TEST(Http1BadReply, NoBytesPastContentLength) {
  std::string r = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and more";
  Outcome o = run_whole(r, {}, false);
  EXPECT_EQ(o.code, FETCHE_OK);
  EXPECT_EQ(o.body, "hello");
  EXPECT_EQ(o.consumed, r.size() - 10);
}

}  // namespace
}  // namespace fetch::http1
