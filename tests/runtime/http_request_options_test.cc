// The request options end to end under each of the four drivers (runtime/drivers.h): RANGE,
// RESUME_FROM for downloads (206, 200, 416, "already downloaded") and uploads (Content-Range and
// the skipped prefix), TIMECONDITION (the request header; CONDITION_UNMET with and without a
// 304), FILETIME, RETRY_AFTER, REQUEST_TARGET and PATH_AS_IS, checked byte for byte at the
// scripted server (tests/server/http_server.h).
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <cstring>
#include <ctime>
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
using fetchtest::SlistPtr;

// Sun, 06 Nov 1994 08:49:37 GMT (RFC 7231's example date).
constexpr long kRfcExampleTime = 784111777L;
constexpr const char *kRfcExampleDate = "Sun, 06 Nov 1994 08:49:37 GMT";

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

// What the read callback serves, from `pos` on.
struct Source {
  std::string data;
  size_t pos = 0;
};

size_t read_source(char *buffer, size_t size, size_t nitems, void *userdata) {
  auto *src = static_cast<Source *>(userdata);
  size_t n = std::min(size * nitems, src->data.size() - src->pos);
  memcpy(buffer, src->data.data() + src->pos, n);
  src->pos += n;
  return n;
}

// An IMF-fixdate `offset` seconds from now.
std::string http_date(long offset) {
  time_t t = time(nullptr) + offset;
  struct tm tm {};
  gmtime_r(&t, &tm);
  char text[64];
  strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

class HttpRequestOptionsTest : public ::testing::TestWithParam<Driver> {
 protected:
  HttpRequestOptionsTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
  }

  std::string host() const { return "127.0.0.1:" + std::to_string(server_.port()); }

  EasyPtr easy(const std::string &target) {
    EasyPtr e(fetchtest::make_easy(server_.origin() + target,
                                   {.connect_only = false, .errbuf = errbuf_}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &body_), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 10000L), FETCHE_OK);
    return e;
  }

  // A PUT of source_ with INFILESIZE `size` (-1: unset).
  EasyPtr put(const std::string &target, std::string data, fetch_off_t size) {
    source_.data = std::move(data);
    EasyPtr e = easy(target);
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UPLOAD, 1L), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, &read_source), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READDATA, &source_), FETCHE_OK);
    if (size >= 0) {
      EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILESIZE_LARGE, size), FETCHE_OK);
    }
    return e;
  }

  FETCHcode perform(FETCH *e) {
    FETCHcode rc = harness_.run_one(e);
    harness_.remove(e);
    return rc;
  }

  std::vector<fetchtest::RecordedRequest> requests(size_t count) {
    EXPECT_TRUE(server_.wait_for_requests(count));
    std::vector<fetchtest::RecordedRequest> all = server_.requests();
    EXPECT_EQ(all.size(), count);
    return all;
  }
  fetchtest::RecordedRequest only_request() {
    std::vector<fetchtest::RecordedRequest> all = requests(1);
    return all.empty() ? fetchtest::RecordedRequest{} : all[0];
  }
  // "Host: ...\r\n" then `middle` then "Accept: */*\r\n" and the end of the head.
  std::string get_head(const std::string &target, const std::string &after_host,
                       const std::string &after_accept = "") const {
    return "GET " + target + " HTTP/1.1\r\nHost: " + host() + "\r\n" + after_host +
           "Accept: */*\r\n" + after_accept + "\r\n";
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  Source source_;
  std::string body_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

// ---- RANGE ----------------------------------------------------------------------------------

TEST_P(HttpRequestOptionsTest, RangeIsSentAndThe206Delivered) {
  server_.on("/r", Script().send(
                       fetchtest::http_response(206, {{"Content-Range", "bytes 0-3/10"}}, "0123")));
  EasyPtr e = easy("/r");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RANGE, "0-3"), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "0123");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 206);
  EXPECT_EQ(only_request().raw, get_head("/r", "Range: bytes=0-3\r\n"));
}

TEST_P(HttpRequestOptionsTest, MultipleRangesAreSentAsGiven) {
  server_.on("/r", Script().send(fetchtest::http_response(200, {}, "whole")));
  EasyPtr e = easy("/r");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RANGE, "0-1,5-6,-2"), FETCHE_OK);
  // Without a resume a 200 is no error: the whole document is delivered (as libcurl).
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "whole");
  EXPECT_EQ(only_request().raw, get_head("/r", "Range: bytes=0-1,5-6,-2\r\n"));
}

TEST_P(HttpRequestOptionsTest, UserRangeHeaderWinsOverTheOption) {
  server_.on("/r", Script().send(fetchtest::http_response(206, {}, "x")));
  EasyPtr e = easy("/r");
  SlistPtr headers = fetchtest::make_slist({"Range: bytes=7-"});
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, headers.get()), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RANGE, "0-1"), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(only_request().raw, get_head("/r", "", "Range: bytes=7-\r\n"));
}

// ---- RESUME_FROM, downloads -----------------------------------------------------------------

TEST_P(HttpRequestOptionsTest, ResumeAsksFromTheOffsetAndTakesThe206) {
  server_.on("/f", Script().send(fetchtest::http_response(206, {{"Content-Range", "bytes 5-9/10"}},
                                                          "56789")));
  EasyPtr e = easy("/f");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 5L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RANGE, "0-1"), FETCHE_OK);  // resume wins
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "56789");
  EXPECT_EQ(only_request().raw, get_head("/f", "Range: bytes=5-\r\n"));
}

TEST_P(HttpRequestOptionsTest, ResumeAnswered200FailsWithRangeError) {
  server_.on("/f", Script().send(fetchtest::http_response(200, {}, "0123456789")));
  EasyPtr e = easy("/f");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM_LARGE, fetch_off_t{5}), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_RANGE_ERROR);
  EXPECT_STREQ(errbuf_, "HTTP server does not seem to support byte ranges. Cannot resume.");
  EXPECT_EQ(body_, "") << "no byte of the whole document is appended";
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 200);
}

TEST_P(HttpRequestOptionsTest, ResumeWithAnotherStartFailsWithRangeError) {
  server_.on("/f", Script().send(fetchtest::http_response(206, {{"Content-Range", "bytes 0-9/10"}},
                                                          "0123456789")));
  EasyPtr e = easy("/f");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 5L), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_RANGE_ERROR);
  EXPECT_EQ(body_, "");
}

TEST_P(HttpRequestOptionsTest, ResumeAnswered416IsNoError) {
  server_.on("/f", Script().send(fetchtest::http_response(416, {{"Content-Range", "bytes */10"}},
                                                          "not satisfiable")));
  EasyPtr e = easy("/f");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 10L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FAILONERROR, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "") << "the 416's body is not appended to the file";
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 416);
}

TEST_P(HttpRequestOptionsTest, RangeAnswered416WithFailOnErrorFails) {
  server_.on("/f", Script().send(fetchtest::http_response(416, {}, "no")));
  EasyPtr e = easy("/f");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RANGE, "20-30"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FAILONERROR, 1L), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_HTTP_RETURNED_ERROR) << "only a resume excuses a 416";
}

TEST_P(HttpRequestOptionsTest, ResumeAtTheEndIsAlreadyDownloaded) {
  server_.on("/f", Script().send(fetchtest::http_response(200, {}, "0123456789")));
  EasyPtr e = easy("/f");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 10L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "");
  // The body was not read: the connection is not reused for the next transfer.
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 0L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "0123456789");
  requests(2);
  EXPECT_EQ(server_.accepted(), 2u);
}

TEST_P(HttpRequestOptionsTest, ResumeMinusOneOnADownloadAsksForNoRange) {
  server_.on("/f", Script().send(fetchtest::http_response(200, {}, "all")));
  EasyPtr e = easy("/f");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, -1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "all");
  EXPECT_EQ(only_request().raw, get_head("/f", ""));
}

// ---- RESUME_FROM, uploads -------------------------------------------------------------------

TEST_P(HttpRequestOptionsTest, ResumedUploadSendsContentRangeAndSkipsThePrefix) {
  server_.on("/up", Script().send(fetchtest::http_response(201, {}, "ok")));
  EasyPtr e = put("/up", "0123456789", 10);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 4L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "ok");
  fetchtest::RecordedRequest r = only_request();
  EXPECT_EQ(r.raw, "PUT /up HTTP/1.1\r\nHost: " + host() +
                       "\r\nContent-Range: bytes 4-9/10\r\nAccept: */*\r\n"
                       "Content-Length: 6\r\n\r\n456789");
  EXPECT_EQ(source_.pos, 10u);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_UPLOAD_T), 6);
}

TEST_P(HttpRequestOptionsTest, ResumedPostfieldsSkipThePrefix) {
  server_.on("/p", Script().send(fetchtest::http_response(200, {}, "")));
  EasyPtr e = easy("/p");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDS, "abcdef"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 2L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  fetchtest::RecordedRequest r = only_request();
  EXPECT_EQ(r.header("Content-Range"), "bytes 2-5/6");
  EXPECT_EQ(r.header("Content-Length"), "4");
  EXPECT_EQ(r.body, "cdef");
}

TEST_P(HttpRequestOptionsTest, UploadResumedFromMinusOneSendsEverything) {
  server_.on("/up", Script().send(fetchtest::http_response(200, {}, "")));
  EasyPtr e = put("/up", "abc", 3);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, -1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  fetchtest::RecordedRequest r = only_request();
  EXPECT_EQ(r.header("Content-Range"), "bytes 0-2/3");
  EXPECT_EQ(r.body, "abc");
}

TEST_P(HttpRequestOptionsTest, UploadResumedAtItsEndIsAlreadyUploaded) {
  EasyPtr e = put("/up", "abc", 3);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 3L), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_PARTIAL_FILE);
  EXPECT_STREQ(errbuf_, "File already completely uploaded");
  EXPECT_EQ(server_.requests().size(), 0u) << "nothing is sent";
}

TEST_P(HttpRequestOptionsTest, UploadOfUnknownSizeCannotResume) {
  EasyPtr e = put("/up", "abc", -1);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 1L), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_NE(std::strstr(errbuf_, "INFILESIZE"), nullptr) << errbuf_;
  EXPECT_EQ(server_.requests().size(), 0u);
}

TEST_P(HttpRequestOptionsTest, UploadDataShorterThanTheResumeOffsetIsAReadError) {
  server_.on("/up", Script().send(fetchtest::http_response(200, {}, "")));
  EasyPtr e = put("/up", "ab", 10);  // announces 10, has 2
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RESUME_FROM, 5L), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_READ_ERROR);
  EXPECT_STREQ(errbuf_, "Could only read 2 bytes from the input");
}

// ---- TIMECONDITION --------------------------------------------------------------------------

TEST_P(HttpRequestOptionsTest, IfModifiedSinceIsSentAndA304IsUnmet) {
  server_.on("/t", Script().send(fetchtest::http_head(304, {})));
  EasyPtr e = easy("/t");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFMODSINCE),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEVALUE, kRfcExampleTime), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 304);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_CONDITION_UNMET), 1);
  EXPECT_EQ(only_request().raw,
            get_head("/t", "", std::string("If-Modified-Since: ") + kRfcExampleDate + "\r\n"));
}

TEST_P(HttpRequestOptionsTest, EachConditionHasItsHeader) {
  const struct {
    long condition;
    const char *header;
  } cases[] = {{FETCH_TIMECOND_IFUNMODSINCE, "If-Unmodified-Since"},
               {FETCH_TIMECOND_LASTMOD, "Last-Modified"}};
  server_.on("/t", Script().send(fetchtest::http_response(200, {}, "ok")));
  for (const auto &c : cases) {
    SCOPED_TRACE(c.header);
    server_.clear_requests();
    EasyPtr e = easy("/t");
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMECONDITION, c.condition), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEVALUE_LARGE, fetch_off_t{kRfcExampleTime}),
              FETCHE_OK);
    ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
    EXPECT_EQ(only_request().raw,
              get_head("/t", "", std::string(c.header) + ": " + kRfcExampleDate + "\r\n"));
    EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_CONDITION_UNMET), 0);
  }
}

TEST_P(HttpRequestOptionsTest, UserIfModifiedSinceSuppressesOurs) {
  server_.on("/t", Script().send(fetchtest::http_response(200, {}, "ok")));
  EasyPtr e = easy("/t");
  SlistPtr headers = fetchtest::make_slist({"If-Modified-Since: yesterday"});
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, headers.get()), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFMODSINCE),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEVALUE, kRfcExampleTime), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(only_request().raw, get_head("/t", "", "If-Modified-Since: yesterday\r\n"));
}

TEST_P(HttpRequestOptionsTest, OldDocumentWithout304IsUnmetAndNotDelivered) {
  server_.on("/t", Script().send(fetchtest::http_response(200, {{"Last-Modified", kRfcExampleDate}},
                                                          "old document")));
  EasyPtr e = easy("/t");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFMODSINCE),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEVALUE, kRfcExampleTime + 60), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 304) << "simulated 304";
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_CONDITION_UNMET), 1);
  // A newer document meets the condition; the first connection was not kept.
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEVALUE, kRfcExampleTime - 60), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "old document");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 200);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_CONDITION_UNMET), 0);
  requests(2);
  EXPECT_EQ(server_.accepted(), 2u);
}

TEST_P(HttpRequestOptionsTest, IfUnmodifiedSinceUnmetByANewerDocument) {
  server_.on("/t", Script().send(fetchtest::http_response(200, {{"Last-Modified", kRfcExampleDate}},
                                                          "new document")));
  EasyPtr e = easy("/t");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFUNMODSINCE),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEVALUE, kRfcExampleTime - 1), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_CONDITION_UNMET), 1);
}

TEST_P(HttpRequestOptionsTest, NoConditionCheckWhenARangeWasAsked) {
  // RFC 2616 13.3.4 as libcurl reads it: with a range, the server decides alone.
  server_.on("/t", Script().send(fetchtest::http_response(206, {{"Last-Modified", kRfcExampleDate}},
                                                          "part")));
  EasyPtr e = easy("/t");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_RANGE, "0-3"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFMODSINCE),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEVALUE, kRfcExampleTime + 60), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "part");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 206);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_CONDITION_UNMET), 0);
}

TEST_P(HttpRequestOptionsTest, TimeValueWithoutACalendarDateFailsBeforeSending) {
  EasyPtr e = easy("/t");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFMODSINCE),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEVALUE_LARGE, fetch_off_t{1} << 60), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_NE(std::strstr(errbuf_, "TIMEVALUE"), nullptr) << errbuf_;
  EXPECT_EQ(server_.requests().size(), 0u);
}

// ---- FILETIME, RETRY_AFTER ------------------------------------------------------------------

TEST_P(HttpRequestOptionsTest, FileTimeFromLastModified) {
  server_.on("/d", Script().send(
                       fetchtest::http_response(200, {{"Last-Modified", kRfcExampleDate}}, "doc")));
  EasyPtr e = easy("/d");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_FILETIME_T), -1) << "FILETIME not asked";
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FILETIME, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_FILETIME_T), kRfcExampleTime);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_FILETIME), kRfcExampleTime);
  EXPECT_EQ(body_, "docdoc");
}

TEST_P(HttpRequestOptionsTest, FileTimeUnknownWithoutAValidDate) {
  server_.on("/none", Script().send(fetchtest::http_response(200, {}, "")));
  server_.on("/bad",
             Script().send(fetchtest::http_response(200, {{"Last-Modified", "not a date"}}, "")));
  for (const char *target : {"/none", "/bad"}) {
    SCOPED_TRACE(target);
    EasyPtr e = easy(target);
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FILETIME, 1L), FETCHE_OK);
    ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
    EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_FILETIME_T), -1);
  }
}

TEST_P(HttpRequestOptionsTest, RetryAfterInSecondsAndAsADate) {
  const std::string future = http_date(1000);
  server_.on("/s", Script().send(fetchtest::http_response(429, {{"Retry-After", "120"}}, "")));
  server_.on("/d", Script().send(fetchtest::http_response(503, {{"Retry-After", future}}, "")));
  server_.on("/p", Script().send(fetchtest::http_response(
                       503, {{"Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"}}, "")));
  server_.on("/n", Script().send(fetchtest::http_response(200, {}, "")));
  server_.on("/g", Script().send(fetchtest::http_response(503, {{"Retry-After", "soon"}}, "")));
  EasyPtr e = easy("/s");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_RETRY_AFTER), 120);

  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_URL, (server_.origin() + "/d").c_str()), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  const fetch_off_t wait = fetchtest::info_off(e.get(), FETCHINFO_RETRY_AFTER);
  EXPECT_GE(wait, 990);  // generous: the date has one-second resolution
  EXPECT_LE(wait, 1000);

  for (const char *target : {"/p", "/n", "/g"}) {
    SCOPED_TRACE(target);
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_URL, (server_.origin() + target).c_str()),
              FETCHE_OK);
    ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
    EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_RETRY_AFTER), 0) << "past, none, garbage";
  }
}

// ---- REQUEST_TARGET, PATH_AS_IS -------------------------------------------------------------

TEST_P(HttpRequestOptionsTest, RequestTargetReplacesThePath) {
  server_.on_default([](const fetchtest::RecordedRequest &) {
    return Script().send(fetchtest::http_response(200, {{"Allow", "GET"}}, ""));
  });
  EasyPtr e = easy("/ignored?q=1");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_CUSTOMREQUEST, "OPTIONS"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_REQUEST_TARGET, "*"), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(only_request().raw,
            "OPTIONS * HTTP/1.1\r\nHost: " + host() + "\r\nAccept: */*\r\n\r\n");
}

TEST_P(HttpRequestOptionsTest, PathAsIsKeepsDotSegments) {
  server_.on_default([](const fetchtest::RecordedRequest &) {
    return Script().send(fetchtest::http_response(200, {}, ""));
  });
  EasyPtr e = easy("/a/../b/./c");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_PATH_AS_IS, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  std::vector<fetchtest::RecordedRequest> r = requests(2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].target, "/b/c");
  EXPECT_EQ(r[1].target, "/a/../b/./c");
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_EFFECTIVE_URL),
            server_.origin() + "/a/../b/./c");
}

INSTANTIATE_TEST_SUITE_P(Drivers, HttpRequestOptionsTest,
                         ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
