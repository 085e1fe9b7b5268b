// write_request_head: libcurl's header order, CURLOPT_HTTPHEADER(3) rules, and refusal of
// CR/LF/NUL (BAD-INPUT.md, "Options").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/http1/request_writer.h"
#include "request_head.h"

namespace fetch::http1 {
namespace {

using testing::Slist;
using testing::write;

RequestHead basic() {
  RequestHead r;
  r.host = "example.com";
  r.user_agent = "fetch/1";
  return r;
}

TEST(Http1Request, PlainGet) {
  EXPECT_EQ(write(basic()),
            "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: fetch/1\r\nAccept: */*\r\n\r\n");
}

TEST(Http1Request, LibcurlBuiltinOrder) {
  RequestHead r = basic();
  r.target = "/p?q=1";
  r.range = "0-99";
  r.accept_encoding = "gzip, br";
  r.referer = "http://ref/";
  EXPECT_EQ(write(r),
            "GET /p?q=1 HTTP/1.1\r\nHost: example.com\r\nRange: bytes=0-99\r\n"
            "User-Agent: fetch/1\r\nAccept: */*\r\nAccept-Encoding: gzip, br\r\n"
            "Referer: http://ref/\r\n\r\n");
}

TEST(Http1Request, PostWithLengthTypeAndExpect) {
  RequestHead r = basic();
  r.method = "POST";
  r.body = BodyKind::kLength;
  r.content_length = 2000000;
  r.content_type = "application/x-www-form-urlencoded";
  r.expect_continue = true;
  Slist h{"X-Custom: 1"};
  r.custom_headers = h.get();
  std::string out;
  WriteResult w = write_request_head(r, out);
  EXPECT_EQ(w.code, FETCHE_OK);
  EXPECT_TRUE(w.expects_continue);
  EXPECT_EQ(out,
            "POST / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: fetch/1\r\nAccept: */*\r\n"
            "X-Custom: 1\r\nContent-Length: 2000000\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n\r\n");
}

TEST(Http1Request, ChunkedUpload) {
  RequestHead r = basic();
  r.method = "PUT";
  r.body = BodyKind::kChunked;
  EXPECT_EQ(write(r),
            "PUT / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: fetch/1\r\nAccept: */*\r\n"
            "Transfer-Encoding: chunked\r\n\r\n");
  r.version = Version::kHttp10;
  std::string out = "stale";
  WriteResult w = write_request_head(r, out);
  EXPECT_EQ(w.code, FETCHE_UPLOAD_FAILED);
  EXPECT_NE(w.reason, nullptr);
  EXPECT_EQ(out, "");
}

TEST(Http1Request, Http10AndNoOptionalHeaders) {
  RequestHead r;
  r.version = Version::kHttp10;
  r.method = "HEAD";
  r.host = "h:8080";
  EXPECT_EQ(write(r), "HEAD / HTTP/1.0\r\nHost: h:8080\r\nAccept: */*\r\n\r\n");
}

TEST(Http1Request, CustomHeadersReplaceRemoveAndBlank) {
  RequestHead r = basic();
  r.referer = "http://ref/";
  Slist h{"Accept: text/html", "User-Agent:",       "X-Empty;",  "Referer:   ",    "X-Plain: v",
          "NoSeparator",       "X-Semi; not-empty", ": novalue", "x-second-empty;"};
  r.custom_headers = h.get();
  EXPECT_EQ(write(r),
            "GET / HTTP/1.1\r\nHost: example.com\r\nAccept: text/html\r\nX-Empty:\r\n"
            "X-Plain: v\r\nx-second-empty:\r\n\r\n");
}

TEST(Http1Request, CustomHostKeepsItsPlace) {
  RequestHead r = basic();
  Slist h{"X-First: 1", "host:  other.example"};
  r.custom_headers = h.get();
  EXPECT_EQ(write(r),
            "GET / HTTP/1.1\r\nHost:  other.example\r\nUser-Agent: fetch/1\r\nAccept: */*\r\n"
            "X-First: 1\r\n\r\n");
  Slist removed{"Host:"};
  r.custom_headers = removed.get();
  EXPECT_EQ(write(r), "GET / HTTP/1.1\r\nUser-Agent: fetch/1\r\nAccept: */*\r\n\r\n");
  Slist blank{"Host;"};
  r.custom_headers = blank.get();
  EXPECT_EQ(write(r), "GET / HTTP/1.1\r\nHost:\r\nUser-Agent: fetch/1\r\nAccept: */*\r\n\r\n");
}

TEST(Http1Request, CustomBodyHeadersWin) {
  RequestHead r = basic();
  r.method = "POST";
  r.body = BodyKind::kLength;
  r.content_length = 5;
  r.content_type = "text/plain";
  r.expect_continue = true;
  Slist h{"Content-Type: application/json", "Expect:"};
  r.custom_headers = h.get();
  std::string out;
  WriteResult w = write_request_head(r, out);
  EXPECT_FALSE(w.expects_continue);
  EXPECT_EQ(out,
            "POST / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: fetch/1\r\nAccept: */*\r\n"
            "Content-Type: application/json\r\nContent-Length: 5\r\n\r\n");
  Slist expect{"Expect: 100-Continue"};
  r.custom_headers = expect.get();
  r.expect_continue = false;
  EXPECT_TRUE(write_request_head(r, out).expects_continue);
}

TEST(Http1Request, NoExpectWithoutBody) {
  RequestHead r = basic();
  r.expect_continue = true;
  std::string out;
  EXPECT_FALSE(write_request_head(r, out).expects_continue);
  EXPECT_EQ(out.find("Expect"), std::string::npos);
}

TEST(Http1Request, ControlBytesAreRefused) {
  const std::string bad[] = {"a\rb", "a\nb", std::string("a\0b", 3)};
  for (const std::string &b : bad) {
    std::string_view v(b);
    auto expect_refused = [&](RequestHead r) {
      std::string out = "leftover";
      WriteResult w = write_request_head(r, out);
      EXPECT_EQ(w.code, FETCHE_BAD_FUNCTION_ARGUMENT);
      EXPECT_NE(w.reason, nullptr);
      EXPECT_EQ(out, "");  // nothing to send
    };
    RequestHead r = basic();
    r.method = v;
    expect_refused(r);
    r = basic();
    r.target = v;
    expect_refused(r);
    r = basic();
    r.host = v;
    expect_refused(r);
    r = basic();
    r.user_agent = v;
    expect_refused(r);
    r = basic();
    r.referer = v;
    expect_refused(r);
    r = basic();
    r.range = v;
    expect_refused(r);
    r = basic();
    r.accept_encoding = v;
    expect_refused(r);
    r = basic();
    r.content_type = v;
    expect_refused(r);
  }
  RequestHead r = basic();
  Slist crlf{"X-Ok: 1", "X-Evil: a\r\nX-Injected: 1"};
  r.custom_headers = crlf.get();
  std::string out;
  EXPECT_EQ(write_request_head(r, out).code, FETCHE_BAD_FUNCTION_ARGUMENT);
  Slist lf{"X-Evil: a\nb"};
  r.custom_headers = lf.get();
  EXPECT_EQ(write_request_head(r, out).code, FETCHE_BAD_FUNCTION_ARGUMENT);
  r = basic();
  r.method = "";
  EXPECT_EQ(write_request_head(r, out).code, FETCHE_BAD_FUNCTION_ARGUMENT);
}

TEST(Http1Request, OutputBufferIsReused) {
  std::string out;
  out.reserve(4096);
  const char *before = out.data();
  RequestHead r = basic();
  for (int i = 0; i < 100; ++i) ASSERT_EQ(write_request_head(r, out).code, FETCHE_OK);
  EXPECT_EQ(out.data(), before);  // cleared, never reallocated
  EXPECT_GE(out.capacity(), 4096u);
}

}  // namespace
}  // namespace fetch::http1
