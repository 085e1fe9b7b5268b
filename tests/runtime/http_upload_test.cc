// Uploads end to end, under each of the four drivers (runtime/drivers.h): PUT (UPLOAD) and POST
// bodies from the read callback, with a known size (Content-Length) or not (chunked), the
// "Expect: 100-continue" dance (answered, ignored, refused with 417), backpressure from a slow
// reader, aborts, early answers, and the upload infos, checked at the scripted server.
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::ExpectMode;
using fetchtest::HttpServer;
using fetchtest::Script;
using Clock = std::chrono::steady_clock;

// What the read callback serves: `data` in pieces cycling through `pieces` (empty: as much as
// asked), counting calls.
struct Source {
  std::string data;
  std::vector<size_t> pieces;
  size_t pos = 0;
  size_t calls = 0;
};

size_t read_source(char *buffer, size_t size, size_t nitems, void *userdata) {
  auto *src = static_cast<Source *>(userdata);
  size_t n = std::min(size * nitems, src->data.size() - src->pos);
  if (!src->pieces.empty()) n = std::min(n, src->pieces[src->calls % src->pieces.size()]);
  ++src->calls;
  memcpy(buffer, src->data.data() + src->pos, n);
  src->pos += n;
  return n;
}

size_t read_abort(char *, size_t, size_t, void *) { return FETCH_READFUNC_ABORT; }
size_t read_pause(char *, size_t, size_t, void *) { return FETCH_READFUNC_PAUSE; }

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

int64_t thread_cpu_us() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000LL + u.ru_utime.tv_usec +
         u.ru_stime.tv_usec;
}

long elapsed_ms(Clock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

class HttpUploadTest : public ::testing::TestWithParam<Driver> {
 protected:
  HttpUploadTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
  }

  // A handle for `target` reading its body from source_; the answer goes to body_.
  EasyPtr easy(const std::string &target) {
    EasyPtr e(fetchtest::make_easy(server_.origin() + target,
                                   {.connect_only = false, .errbuf = errbuf_}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &body_), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, &read_source), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READDATA, &source_), FETCHE_OK);
    return e;
  }

  // An UPLOAD (PUT) of `data`; size -1 leaves INFILESIZE unset.
  EasyPtr put(const std::string &target, std::string data, fetch_off_t size) {
    source_.data = std::move(data);
    EasyPtr e = easy(target);
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UPLOAD, 1L), FETCHE_OK);
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

  fetchtest::Harness harness_;
  HttpServer server_;
  Source source_;
  std::string body_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(HttpUploadTest, PutWithKnownSizeIsByteExact) {
  server_.on("/put", Script().send(fetchtest::http_response(201, {}, "stored")));
  const std::string data = fetchtest::pattern_bytes(100000, 5);
  EasyPtr e = put("/put", data, 100000);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "stored");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 201);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_UPLOAD_T), 100000);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_CONTENT_LENGTH_UPLOAD_T), 100000);
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_EFFECTIVE_METHOD), "PUT");
  std::vector<fetchtest::RecordedRequest> r = requests(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].method, "PUT");
  EXPECT_EQ(r[0].header("Content-Length"), "100000");
  EXPECT_FALSE(r[0].has_header("Transfer-Encoding"));
  EXPECT_FALSE(r[0].has_header("Expect")) << "no Expect for 1 MiB or less";
  EXPECT_FALSE(r[0].has_header("Content-Type"));
  EXPECT_TRUE(r[0].complete);
  EXPECT_TRUE(r[0].body == data);
}

TEST_P(HttpUploadTest, PutWithUnknownSizeIsChunked) {
  server_.on("/put", Script().send(fetchtest::http_response(200, {}, "ok")));
  const std::string data = fetchtest::pattern_bytes(200000, 6);
  EasyPtr e = put("/put", data, -1);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_UPLOAD_T), 200000);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_CONTENT_LENGTH_UPLOAD_T), -1);
  std::vector<fetchtest::RecordedRequest> r = requests(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].header("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(r[0].has_header("Content-Length"));
  EXPECT_EQ(r[0].header("Expect"), "100-continue") << "libcurl expects 100 for an unknown size";
  EXPECT_TRUE(r[0].complete);
  EXPECT_TRUE(r[0].body == data);
}

TEST_P(HttpUploadTest, PostFromReadCallbackWithPostfieldsize) {
  server_.on("/post", Script().send(fetchtest::http_response(200, {}, "ok")));
  source_.data = "name=value&other=thing";
  EasyPtr e = easy("/post");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POST, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDSIZE, 22L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  std::vector<fetchtest::RecordedRequest> r = requests(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].method, "POST");
  EXPECT_EQ(r[0].header("Content-Length"), "22");
  EXPECT_EQ(r[0].header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(r[0].body, source_.data);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_UPLOAD_T), 22);
}

TEST_P(HttpUploadTest, PostFromReadCallbackWithoutSizeIsChunked) {
  server_.on("/post", Script().send(fetchtest::http_response(200, {}, "ok")));
  source_.data = "streamed form body";
  EasyPtr e = easy("/post");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POST, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  std::vector<fetchtest::RecordedRequest> r = requests(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(r[0].body, source_.data);
}

TEST_P(HttpUploadTest, OddSmallPiecesFromTheReadCallback) {
  server_.on("/put", Script().send(fetchtest::http_response(200, {}, "ok")));
  const std::string data = fetchtest::pattern_bytes(5000, 8);
  for (fetch_off_t size : {fetch_off_t{5000}, fetch_off_t{-1}}) {
    server_.clear_requests();
    source_ = Source{};
    source_.pieces = {1, 2, 3, 5, 7, 11, 13};
    EasyPtr e = put("/put", data, size);
    ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
    std::vector<fetchtest::RecordedRequest> r = requests(1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].body == data) << "size " << size;
    EXPECT_GT(source_.calls, 700u);  // every piece went out as it came
  }
}

TEST_P(HttpUploadTest, TenMebibytesToASlowReaderWaitWithoutSpinning) {
  server_.on("/big", Script()
                         .read_body_after(std::chrono::milliseconds(600))
                         .send(fetchtest::http_response(200, {}, "ok")));
  const size_t size = 10 * 1024 * 1024;
  EasyPtr e = put("/big", fetchtest::pattern_bytes(size, 9), static_cast<fetch_off_t>(size));
  const auto wall = Clock::now();
  const int64_t cpu = thread_cpu_us();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  const long wall_ms = elapsed_ms(wall);
  const long cpu_ms = static_cast<long>((thread_cpu_us() - cpu) / 1000);
  EXPECT_GE(wall_ms, 550);
  // A busy loop would burn the whole pause; waiting for writability costs (almost) nothing.
  EXPECT_LT(cpu_ms, wall_ms / 2 + 100) << "cpu " << cpu_ms << " ms over " << wall_ms << " ms";
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_UPLOAD_T), static_cast<fetch_off_t>(size));
  std::vector<fetchtest::RecordedRequest> r = requests(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].header("Expect"), "100-continue") << "libcurl expects 100 above 1 MiB";
  ASSERT_EQ(r[0].body.size(), size);
  EXPECT_TRUE(r[0].body == source_.data);
}

TEST_P(HttpUploadTest, ExpectAnsweredSendsTheBodyAfterThe100) {
  server_.on("/put",
             Script().expect(ExpectMode::kContinue).send(fetchtest::http_response(200, {}, "ok")));
  EasyPtr e = put("/put", "body after continue", -1);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_EXPECT_100_TIMEOUT_MS, 5000L), FETCHE_OK);
  const auto start = Clock::now();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_LT(elapsed_ms(start), 2500) << "the body waited for the timeout, not for the 100";
  EXPECT_EQ(body_, "ok");
  std::vector<fetchtest::RecordedRequest> r = requests(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].body, "body after continue");
}

TEST_P(HttpUploadTest, ExpectIgnoredSendsTheBodyAfterTheTimeout) {
  server_.on("/put",
             Script().expect(ExpectMode::kIgnore).send(fetchtest::http_response(200, {}, "ok")));
  EasyPtr e = put("/put", "body after timeout", -1);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_EXPECT_100_TIMEOUT_MS, 300L), FETCHE_OK);
  const auto start = Clock::now();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  const long ms = elapsed_ms(start);
  EXPECT_GE(ms, 290);
  EXPECT_LT(ms, 2000);
  std::vector<fetchtest::RecordedRequest> r = requests(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].body, "body after timeout");
}

TEST_P(HttpUploadTest, ExpectIgnoredWaitsOneSecondByDefault) {
  server_.on("/put",
             Script().expect(ExpectMode::kIgnore).send(fetchtest::http_response(200, {}, "ok")));
  EasyPtr e = put("/put", "late body", -1);
  const auto start = Clock::now();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  const long ms = elapsed_ms(start);
  EXPECT_GE(ms, 990);
  EXPECT_LT(ms, 3000);
  EXPECT_EQ(requests(1)[0].body, "late body");
}

// FETCHINFO_TEXT lines of the VERBOSE trace, appended to a std::string.
int collect_text(FETCH *, fetch_infotype type, char *data, size_t size, void *userdata) {
  if (type == FETCHINFO_TEXT) static_cast<std::string *>(userdata)->append(data, size);
  return 0;
}

TEST_P(HttpUploadTest, Expect417IsRetriedWithoutExpect) {
  server_.on(
      "/put",
      Script().expect(ExpectMode::kReject).send(fetchtest::http_response(200, {}, "second try")));
  EasyPtr e = put("/put", "retried body", -1);
  std::string trace;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_VERBOSE, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_DEBUGFUNCTION, &collect_text), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_DEBUGDATA, &trace), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  // The trace names the 417, not a failed reused connection.
  EXPECT_NE(trace.find("417 to Expect: 100-continue"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("reused connection failed"), std::string::npos) << trace;
  EXPECT_EQ(body_, "second try") << "the 417's body is not the answer";
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 200);
  std::vector<fetchtest::RecordedRequest> r = requests(2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].header("Expect"), "100-continue");
  EXPECT_FALSE(r[1].has_header("Expect"));
  EXPECT_EQ(r[1].body, "retried body");
}

TEST_P(HttpUploadTest, ReadfuncAbortFailsWith42) {
  server_.on("/put", Script().send(fetchtest::http_response(200, {}, "ok")));
  EasyPtr e = put("/put", "", 100);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, &read_abort), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_ABORTED_BY_CALLBACK);
}

// A read callback that pauses and is never unpaused: the body waits, TIMEOUT still ends it
// (pausing itself is tested in pause_test.cc).
TEST_P(HttpUploadTest, ReadfuncPauseNeverResumedTimesOut) {
  server_.on("/put", Script().send(fetchtest::http_response(200, {}, "ok")));
  EasyPtr e = put("/put", "", 100);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, &read_pause), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 300L), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_OPERATION_TIMEDOUT);
}

TEST_P(HttpUploadTest, ShortReadOfAnnouncedSizeIsAReadError) {
  server_.on("/put", Script().send(fetchtest::http_response(200, {}, "ok")));
  EasyPtr e = put("/put", "only this", 100);
  EXPECT_EQ(perform(e.get()), FETCHE_READ_ERROR);
}

TEST_P(HttpUploadTest, FinalAnswerInsteadOf100EndsTheTransfer) {
  // The server refuses a large upload at once, before any body byte (no 100, no body read).
  server_.on("/big", Script()
                         .start(fetchtest::ScriptStart::kAfterHeaders)
                         .send_then_close(fetchtest::http_response(413, {}, "too large")));
  const size_t size = 2 * 1024 * 1024;
  EasyPtr e = put("/big", fetchtest::pattern_bytes(size, 2), static_cast<fetch_off_t>(size));
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 413);
  EXPECT_EQ(body_, "too large");
  EXPECT_EQ(source_.calls, 0u) << "no body byte is read after a final answer";
}

TEST_P(HttpUploadTest, EarlyFullAnswerDuringTheBody) {
  // No Expect: the body goes at once; the server answers 413 after the head and closes while
  // the body is still coming (BAD-INPUT: 0 when the server already sent a full response).
  server_.on("/big", Script()
                         .start(fetchtest::ScriptStart::kAfterHeaders)
                         .send_then_close(fetchtest::http_response(413, {}, "too large")));
  const size_t size = 10 * 1024 * 1024;
  EasyPtr e = put("/big", fetchtest::pattern_bytes(size, 3), static_cast<fetch_off_t>(size));
  fetch_slist *headers = fetch_slist_append(nullptr, "Expect:");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, headers), FETCHE_OK);
  FETCHcode rc = perform(e.get());
  fetch_slist_free_all(headers);
  EXPECT_EQ(rc, FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 413);
}

TEST_P(HttpUploadTest, DefaultReadsReaddataWithFread) {
  server_.on("/put", Script().send(fetchtest::http_response(200, {}, "ok")));
  FILE *file = tmpfile();
  ASSERT_NE(file, nullptr);
  fputs("from a FILE *", file);
  rewind(file);
  EasyPtr e = easy("/put");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, nullptr), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILE, file), FETCHE_OK);  // READDATA's alias
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UPLOAD, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILESIZE, 13L), FETCHE_OK);
  FETCHcode rc = perform(e.get());
  fclose(file);
  ASSERT_EQ(rc, FETCHE_OK) << errbuf_;
  EXPECT_EQ(requests(1)[0].body, "from a FILE *");
}

TEST_P(HttpUploadTest, HttpgetAfterUploadSendsAGet) {
  server_.on("/get", Script().send(fetchtest::http_response(200, {}, "ok")));
  EasyPtr e = put("/get", "unused", 6);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPGET, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  std::vector<fetchtest::RecordedRequest> r = requests(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].method, "GET");
  EXPECT_FALSE(r[0].has_header("Content-Length"));
  EXPECT_EQ(source_.calls, 0u);
}

TEST_P(HttpUploadTest, UnknownSizeOverHttp10FailsWithUploadFailed) {
  EasyPtr e = put("/put", "data", -1);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTP_VERSION, FETCH_HTTP_VERSION_1_0), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_UPLOAD_FAILED);
}

INSTANTIATE_TEST_SUITE_P(Drivers, HttpUploadTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

TEST(UploadOptions, RangesAsLibcurl) {
  EasyPtr e(fetch_easy_init());
  ASSERT_TRUE(e);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILESIZE, -2L), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILESIZE, -1L), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILESIZE_LARGE, fetch_off_t{-2}),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILESIZE_LARGE, fetch_off_t{1} << 40), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_EXPECT_100_TIMEOUT_MS, -1L),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_EXPECT_100_TIMEOUT_MS, 100000L), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UPLOAD, 2L), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READDATA, nullptr), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, nullptr), FETCHE_OK);
}

}  // namespace
