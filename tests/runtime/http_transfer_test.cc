// HTTP/1.1 transfers end to end, under each of the four drivers (runtime/drivers.h): body
// framings, the exact request bytes libcurl sends, the request options, the write and header
// callbacks and the infos, checked against the scripted server (tests/server/http_server.h).
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::Script;

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

size_t collect_lines(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::vector<std::string> *>(userdata)->emplace_back(data, size * nmemb);
  return size * nmemb;
}

size_t take_one_less(char *, size_t size, size_t nmemb, void *) {
  return size * nmemb > 0 ? size * nmemb - 1 : 0;
}

class HttpTransferTest : public ::testing::TestWithParam<Driver> {
 protected:
  HttpTransferTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
  }

  std::string url(const std::string &target) const { return server_.origin() + target; }
  std::string host_header() const { return "127.0.0.1:" + std::to_string(server_.port()); }

  // A handle for `target` whose body goes to body_ and whose error text goes to errbuf_.
  EasyPtr easy(const std::string &target) {
    EasyPtr e(fetchtest::make_easy(url(target), {.connect_only = false, .errbuf = errbuf_}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &body_), FETCHE_OK);
    return e;
  }

  // Runs one transfer under the parameter's driver and detaches it again.
  FETCHcode perform(FETCH *e) {
    FETCHcode rc = harness_.run_one(e);
    harness_.remove(e);
    return rc;
  }

  // The single request the server recorded.
  fetchtest::RecordedRequest only_request() {
    EXPECT_TRUE(server_.wait_for_requests(1));
    std::vector<fetchtest::RecordedRequest> all = server_.requests();
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? fetchtest::RecordedRequest{} : all[0];
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  std::string body_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

// ---- response framings --------------------------------------------------------------------------

TEST_P(HttpTransferTest, GetWithContentLength) {
  server_.on("/path", Script().send(fetchtest::http_response(200, {}, "hello world")));
  EasyPtr e = easy("/path?q");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "hello world");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 200);
}

TEST_P(HttpTransferTest, DefaultGetRequestHeadMatchesLibcurlByteForByte) {
  server_.on("/path", Script().send(fetchtest::http_response(200, {}, "x")));
  EasyPtr e = easy("/path?q");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  // libcurl without USERAGENT sends no User-Agent; Host carries the non-default port.
  EXPECT_EQ(only_request().raw,
            "GET /path?q HTTP/1.1\r\nHost: " + host_header() + "\r\nAccept: */*\r\n\r\n");
}

TEST_P(HttpTransferTest, ChunkedBody) {
  const std::string data = fetchtest::pattern_bytes(10000, 7);
  server_.on("/c", Script().send(fetchtest::chunked_response(200, {}, data, {1, 7, 300, 4096})));
  EasyPtr e = easy("/c");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, data);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T), 10000);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DELIVERED), 10000);  // no coding
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T), -1);
}

TEST_P(HttpTransferTest, ChunkedTrailerGoesToTheHeaderCallback) {
  server_.on("/t", Script().send(fetchtest::chunked_response(200, {}, "abc", {}, {{"X-T", "v"}})));
  EasyPtr e = easy("/t");
  std::vector<std::string> lines;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERFUNCTION, &collect_lines), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERDATA, &lines), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "abc");
  bool found = false;
  for (const std::string &l : lines) found = found || l == "X-T: v\r\n";
  EXPECT_TRUE(found) << "the trailer was not passed to the header callback";
}

TEST_P(HttpTransferTest, CloseDelimitedBody) {
  server_.on("/close", Script().send(fetchtest::http_head(200, {}) + "until the end").close());
  EasyPtr e = easy("/close");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "until the end");
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T), -1);
}

TEST_P(HttpTransferTest, OneMebibyteBodyIsByteExact) {
  const std::string data = fetchtest::pattern_bytes(1024 * 1024, 3);
  server_.on("/big", Script().send(fetchtest::http_response(200, {}, data)));
  EasyPtr e = easy("/big");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  ASSERT_EQ(body_.size(), data.size());
  EXPECT_TRUE(body_ == data) << "the body differs from what the server sent";
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T), 1024 * 1024);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T), 1024 * 1024);
}

TEST_P(HttpTransferTest, OneMebibyteChunkedBodyIsByteExact) {
  const std::string data = fetchtest::pattern_bytes(1024 * 1024, 4);
  server_.on("/bigc",
             Script().send(fetchtest::chunked_response(200, {}, data, {65536, 1, 100000})));
  EasyPtr e = easy("/bigc");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(body_ == data) << "got " << body_.size() << " bytes";
}

TEST_P(HttpTransferTest, EmptyBody) {
  server_.on("/empty", Script().send(fetchtest::http_response(204, {}, "")));
  EasyPtr e = easy("/empty");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 204);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T), 0);
}

// ---- methods and request bodies -----------------------------------------------------------------

TEST_P(HttpTransferTest, NobodySendsHeadAndGetsHeadersOnly) {
  // A HEAD answer announces the GET body's length but carries none.
  server_.on("/h", Script().send(fetchtest::http_head(200, {{"Content-Length", "5"}})));
  EasyPtr e = easy("/h");
  std::vector<std::string> lines;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_NOBODY, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERFUNCTION, &collect_lines), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERDATA, &lines), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(only_request().raw,
            "HEAD /h HTTP/1.1\r\nHost: " + host_header() + "\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(body_, "");
  EXPECT_EQ(lines,
            (std::vector<std::string>{"HTTP/1.1 200 OK\r\n", "Content-Length: 5\r\n", "\r\n"}));
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T), 5);
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_EFFECTIVE_METHOD), "HEAD");
}

TEST_P(HttpTransferTest, PostFieldsRequestBytes) {
  server_.on("/p", Script().send(fetchtest::http_response(200, {}, "posted")));
  EasyPtr e = easy("/p");
  static const char kFields[] = "a=1&b=two";
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDS, kFields), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  fetchtest::RecordedRequest r = only_request();
  EXPECT_EQ(r.raw, "POST /p HTTP/1.1\r\nHost: " + host_header() +
                       "\r\nAccept: */*\r\nContent-Length: 9\r\n"
                       "Content-Type: application/x-www-form-urlencoded\r\n\r\na=1&b=two");
  EXPECT_EQ(r.body, "a=1&b=two");
  EXPECT_EQ(body_, "posted");
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_EFFECTIVE_METHOD), "POST");
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_UPLOAD_T), 9);
}

TEST_P(HttpTransferTest, PostFieldsWithSizeCarriesBinaryBytes) {
  server_.on("/p", Script().send(fetchtest::http_response(200, {}, "")));
  EasyPtr e = easy("/p");
  static const char kBinary[] = {'a', '\0', 'b', '\r', '\n', 'c'};
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDSIZE, 6L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDS, kBinary), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  fetchtest::RecordedRequest r = only_request();
  EXPECT_EQ(r.body, std::string(kBinary, 6));
  EXPECT_EQ(r.header("Content-Length"), "6");
}

TEST_P(HttpTransferTest, CopyPostFieldsSendsTheCopy) {
  server_.on("/p", Script().send(fetchtest::http_response(200, {}, "")));
  EasyPtr e = easy("/p");
  char fields[] = "copied=yes";
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_COPYPOSTFIELDS, fields), FETCHE_OK);
  memset(fields, 'X', sizeof fields - 1);  // libcurl copied it: later changes do not matter
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  fetchtest::RecordedRequest r = only_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, "copied=yes");
  EXPECT_EQ(r.header("Content-Type"), "application/x-www-form-urlencoded");
}

TEST_P(HttpTransferTest, HttpGetAfterPostGoesBackToGet) {
  server_.on("/g", Script().send(fetchtest::http_response(200, {}, "")));
  EasyPtr e = easy("/g");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDS, "x=1"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPGET, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  fetchtest::RecordedRequest r = only_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.body, "");
  EXPECT_FALSE(r.has_header("Content-Length"));
}

TEST_P(HttpTransferTest, CustomRequestReplacesTheMethod) {
  server_.on("/d", Script().send(fetchtest::http_response(200, {}, "gone")));
  EasyPtr e = easy("/d");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_CUSTOMREQUEST, "DELETE"), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(only_request().raw,
            "DELETE /d HTTP/1.1\r\nHost: " + host_header() + "\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(body_, "gone");
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_EFFECTIVE_METHOD), "DELETE");
}

// ---- request headers ----------------------------------------------------------------------------

TEST_P(HttpTransferTest, UserAgentAndRefererInLibcurlOrder) {
  server_.on("/u", Script().send(fetchtest::http_response(200, {}, "")));
  EasyPtr e = easy("/u");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_USERAGENT, "tester/1.0"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_REFERER, "http://ref.example/"), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(only_request().raw, "GET /u HTTP/1.1\r\nHost: " + host_header() +
                                    "\r\nUser-Agent: tester/1.0\r\nAccept: */*\r\n"
                                    "Referer: http://ref.example/\r\n\r\n");
}

TEST_P(HttpTransferTest, HttpHeaderAddReplaceRemoveEmpty) {
  server_.on("/hh", Script().send(fetchtest::http_response(200, {}, "")));
  EasyPtr e = easy("/hh");
  fetchtest::SlistPtr list = fetchtest::make_slist(
      {"X-Added: one", "Accept: text/plain", "User-Agent:", "X-Empty;", "NoColonIgnored"});
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_USERAGENT, "removed-agent"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, list.get()), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(only_request().raw, "GET /hh HTTP/1.1\r\nHost: " + host_header() +
                                    "\r\nX-Added: one\r\nAccept: text/plain\r\nX-Empty:\r\n\r\n");
}

TEST_P(HttpTransferTest, HttpHeaderReplacesHost) {
  server_.on("/host", Script().send(fetchtest::http_response(200, {}, "")));
  EasyPtr e = easy("/host");
  fetchtest::SlistPtr list = fetchtest::make_slist({"Host: other.example"});
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, list.get()), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(only_request().raw, "GET /host HTTP/1.1\r\nHost: other.example\r\nAccept: */*\r\n\r\n");
}

TEST_P(HttpTransferTest, HttpVersion10RequestLine) {
  server_.on("/ten", Script().send(fetchtest::http_response(200, {}, "old")));
  EasyPtr e = easy("/ten");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTP_VERSION, FETCH_HTTP_VERSION_1_0), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  fetchtest::RecordedRequest r = only_request();
  EXPECT_EQ(r.raw.substr(0, r.raw.find("\r\n") + 2), "GET /ten HTTP/1.0\r\n");
  EXPECT_EQ(r.http_major, 1);
  EXPECT_EQ(r.http_minor, 0);
  EXPECT_EQ(body_, "old");
}

// ---- header callback, HEADER, HEADERDATA --------------------------------------------------------

const char kHead[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "X-Custom: value with spaces\r\n"
    "Content-Length: 4\r\n"
    "\r\n";

TEST_P(HttpTransferTest, HeaderCallbackGetsEachLineWithCrlfAndTheFinalEmptyLine) {
  server_.on("/hdr", Script().send(std::string(kHead) + "body"));
  EasyPtr e = easy("/hdr");
  std::vector<std::string> lines;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERFUNCTION, &collect_lines), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERDATA, &lines), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "HTTP/1.1 200 OK\r\n", "Content-Type: text/plain; charset=utf-8\r\n",
                       "X-Custom: value with spaces\r\n", "Content-Length: 4\r\n", "\r\n"}));
  EXPECT_EQ(body_, "body");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_HEADER_SIZE), static_cast<long>(strlen(kHead)));
}

TEST_P(HttpTransferTest, HeaderCallbackGetsLinesAsReceived) {
  // libcurl hands the application the header lines exactly as they arrived: no space is
  // added after the colon and none is trimmed, the reason phrase is the server's own.
  const std::string head =
      "HTTP/1.1 200 Fine Thanks\r\n"
      "X-Tight:v\r\n"
      "X-Spaced:   a b\r\n"
      "Content-Length: 2\r\n"
      "\r\n";
  server_.on("/raw", Script().send(head + "ok"));
  EasyPtr e = easy("/raw");
  std::vector<std::string> lines;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERFUNCTION, &collect_lines), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERDATA, &lines), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(lines,
            (std::vector<std::string>{"HTTP/1.1 200 Fine Thanks\r\n", "X-Tight:v\r\n",
                                      "X-Spaced:   a b\r\n", "Content-Length: 2\r\n", "\r\n"}));
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_HEADER_SIZE), static_cast<long>(head.size()));
}

TEST_P(HttpTransferTest, InterimResponseHeadersReachTheHeaderCallback) {
  server_.on("/100", Script().send(fetchtest::informational_response(103, {{"Link", "</s>"}}) +
                                   fetchtest::http_response(200, {}, "ok")));
  EasyPtr e = easy("/100");
  std::vector<std::string> lines;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERFUNCTION, &collect_lines), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERDATA, &lines), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(lines,
            (std::vector<std::string>{"HTTP/1.1 103 Early Hints\r\n", "Link: </s>\r\n", "\r\n",
                                      "HTTP/1.1 200 OK\r\n", "Content-Length: 2\r\n", "\r\n"}));
  EXPECT_EQ(body_, "ok");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 200);
}

TEST_P(HttpTransferTest, HeaderOptionPutsHeadersInTheBodyStream) {
  server_.on("/inc", Script().send(std::string(kHead) + "body"));
  EasyPtr e = easy("/inc");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADER, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, std::string(kHead) + "body");
}

TEST_P(HttpTransferTest, HeaderDataWithoutHeaderFunctionUsesTheWriteFunction) {
  server_.on("/hd", Script().send(std::string(kHead) + "body"));
  EasyPtr e = easy("/hd");
  std::string headers;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERDATA, &headers), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(headers, kHead);
  EXPECT_EQ(body_, "body");
}

// ---- infos --------------------------------------------------------------------------------------

TEST_P(HttpTransferTest, InfosAfterAGet) {
  server_.on("/i", Script().send(std::string(kHead) + "body"));
  EasyPtr e = easy("/i");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  fetchtest::RecordedRequest r = only_request();
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 200);
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_CONTENT_TYPE), "text/plain; charset=utf-8");
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T), 4);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T), 4);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_UPLOAD_T), 0);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_HEADER_SIZE), static_cast<long>(strlen(kHead)));
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REQUEST_SIZE), static_cast<long>(r.raw.size()));
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_EFFECTIVE_METHOD), "GET");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_HTTP_VERSION), FETCH_HTTP_VERSION_1_1);
  fetch_off_t pre = fetchtest::info_off(e.get(), FETCHINFO_PRETRANSFER_TIME_T);
  fetch_off_t start = fetchtest::info_off(e.get(), FETCHINFO_STARTTRANSFER_TIME_T);
  EXPECT_GE(pre, 0);
  EXPECT_GE(start, pre);
}

TEST_P(HttpTransferTest, InfosWithoutContentTypeAndForAnHttp10Response) {
  server_.on("/old", Script().send("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc"));
  EasyPtr e = easy("/old");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  char *type = reinterpret_cast<char *>(1);
  ASSERT_EQ(fetch_easy_getinfo(e.get(), FETCHINFO_CONTENT_TYPE, &type), FETCHE_OK);
  EXPECT_EQ(type, nullptr);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_HTTP_VERSION), FETCH_HTTP_VERSION_1_0);
  EXPECT_EQ(body_, "abc");
}

// ---- errors -------------------------------------------------------------------------------------

TEST_P(HttpTransferTest, FailOnErrorWith404) {
  server_.on("/missing",
             Script().send(fetchtest::http_response(404, {}, "the body is not delivered")));
  EasyPtr e = easy("/missing");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FAILONERROR, 1L), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_HTTP_RETURNED_ERROR);
  EXPECT_STREQ(errbuf_, "The requested URL returned error: 404");
  EXPECT_EQ(body_, "");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 404);
}

TEST_P(HttpTransferTest, Without404FailOnErrorIsASuccess) {
  server_.on("/missing", Script().send(fetchtest::http_response(404, {}, "nope")));
  EasyPtr e = easy("/missing");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "nope");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 404);
}

TEST_P(HttpTransferTest, WriteCallbackTakingLessIsAWriteError) {
  server_.on("/w", Script().send(fetchtest::http_response(200, {}, "some body bytes")));
  EasyPtr e = easy("/w");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &take_one_less), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_WRITE_ERROR);
  EXPECT_NE(errbuf_[0], '\0');
}

TEST_P(HttpTransferTest, HeaderCallbackTakingLessIsAWriteError) {
  server_.on("/w", Script().send(fetchtest::http_response(200, {}, "body")));
  EasyPtr e = easy("/w");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERFUNCTION, &take_one_less), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_WRITE_ERROR);
  EXPECT_EQ(body_, "");
}

INSTANTIATE_TEST_SUITE_P(Drivers, HttpTransferTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
