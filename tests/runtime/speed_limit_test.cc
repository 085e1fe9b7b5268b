// FETCHOPT_MAX_RECV_SPEED_LARGE / FETCHOPT_MAX_SEND_SPEED_LARGE (CURLOPT_MAX_RECV_SPEED_LARGE(3),
// CURLOPT_MAX_SEND_SPEED_LARGE(3)) under each of the four drivers (runtime/drivers.h): 200 KiB
// at 100 KiB/s takes about two seconds (checked against a generous 1.5-4 s), every byte
// arrives, and the throttled transfer waits on a deadline rather than spinning. Plus the option
// checks and a TIMEOUT that still ends a throttled transfer.
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "runtime/rate_limiter.h"
#include "server/http_server.h"

namespace {

using fetchtest::Clock;
using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::Script;

constexpr size_t kSize = 200 * 1024;
constexpr fetch_off_t kLimit = 100 * 1024;  // bytes per second

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

struct Source {
  std::string data;
  size_t pos = 0;
};
size_t read_source(char *buffer, size_t size, size_t nitems, void *userdata) {
  auto *s = static_cast<Source *>(userdata);
  const size_t n = std::min(size * nitems, s->data.size() - s->pos);
  memcpy(buffer, s->data.data() + s->pos, n);
  s->pos += n;
  return n;
}

// CPU time of the calling thread (the driver's thread; the test server runs on its own).
int64_t thread_cpu_us() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000LL + u.ru_utime.tv_usec +
         u.ru_stime.tv_usec;
}

class SpeedLimitTest : public ::testing::TestWithParam<Driver> {
 protected:
  SpeedLimitTest() : harness_(GetParam()) {}
  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
  }
  EasyPtr easy(const std::string &path) {
    EasyPtr e(
        fetchtest::make_easy(server_.origin() + path, {.connect_only = false, .errbuf = errbuf_}));
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &body_), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 15000L), FETCHE_OK);
    return e;
  }
  FETCHcode perform(FETCH *e) {
    FETCHcode rc = harness_.run_one(e, std::chrono::milliseconds(15000));
    harness_.remove(e);
    return rc;
  }
  // Sets `limit_option` to kLimit and performs `e`, which moves kSize bytes: it must take about
  // two seconds (a generous 1.5-4 s) and wait on a deadline rather than spin (its thread's CPU
  // time stays under half the wall time). `what` names the transfer in the messages. Use with
  // ASSERT_NO_FATAL_FAILURE.
  void perform_throttled(FETCH *e, FETCHoption limit_option, const char *what) {
    ASSERT_EQ(fetch_easy_setopt(e, limit_option, kLimit), FETCHE_OK);
    const Clock::time_point start = Clock::now();
    const int64_t cpu_start = thread_cpu_us();
    ASSERT_EQ(perform(e), FETCHE_OK) << errbuf_;
    const long ms = fetchtest::ms_since(start);
    const int64_t cpu_ms = (thread_cpu_us() - cpu_start) / 1000;
    EXPECT_GE(ms, 1500) << "200 KiB at 100 KiB/s";
    EXPECT_LE(ms, 4000);
    EXPECT_LT(cpu_ms, ms / 2) << "a throttled " << what << " waits on a deadline, it does not spin";
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  std::string body_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(SpeedLimitTest, RecvLimitThrottlesTheDownload) {
  const std::string data = fetchtest::pattern_bytes(kSize, 21);
  server_.on("/big", Script().send(fetchtest::http_response(200, {}, data)));
  EasyPtr e = easy("/big");
  ASSERT_NO_FATAL_FAILURE(perform_throttled(e.get(), FETCHOPT_MAX_RECV_SPEED_LARGE, "transfer"));
  EXPECT_EQ(body_.size(), data.size());
  EXPECT_TRUE(body_ == data);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T),
            static_cast<fetch_off_t>(kSize));
}

TEST_P(SpeedLimitTest, SendLimitThrottlesTheUpload) {
  server_.on("/put", Script().send(fetchtest::http_response(201, {}, "stored")));
  Source src{fetchtest::pattern_bytes(kSize, 22)};
  EasyPtr e = easy("/put");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UPLOAD, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILESIZE_LARGE, static_cast<fetch_off_t>(kSize)),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, &read_source), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READDATA, &src), FETCHE_OK);
  ASSERT_NO_FATAL_FAILURE(perform_throttled(e.get(), FETCHOPT_MAX_SEND_SPEED_LARGE, "upload"));
  EXPECT_EQ(body_, "stored");
  ASSERT_TRUE(server_.wait_for_requests(1));
  std::vector<fetchtest::RecordedRequest> r = server_.requests();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].complete);
  EXPECT_TRUE(r[0].body == src.data);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_UPLOAD_T), static_cast<fetch_off_t>(kSize));
}

TEST_P(SpeedLimitTest, SendLimitThrottlesPostfieldsToo) {
  server_.on("/post", Script().send(fetchtest::http_response(200, {}, "posted")));
  const std::string data = fetchtest::pattern_bytes(kSize, 25);
  EasyPtr e = easy("/post");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDS, data.data()), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDSIZE_LARGE,
                              static_cast<fetch_off_t>(data.size())),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAX_SEND_SPEED_LARGE, kLimit), FETCHE_OK);
  const Clock::time_point start = Clock::now();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  const long ms = fetchtest::ms_since(start);
  EXPECT_GE(ms, 1500) << "a POSTFIELDS body is throttled as well, not sent with the head";
  EXPECT_LE(ms, 4000);
  EXPECT_EQ(body_, "posted");
  ASSERT_TRUE(server_.wait_for_requests(1));
  std::vector<fetchtest::RecordedRequest> r = server_.requests();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].body == data);
}

INSTANTIATE_TEST_SUITE_P(Drivers, SpeedLimitTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

// The token bucket alone, on simulated time: the long-run average is the limit, a burst is a
// tenth of a second's worth, and a limiter in debt names the moment it may move again.
TEST(RateLimiterUnit, AverageIsTheLimitAndBurstsAreSmall) {
  fetch::RateLimiter limiter;
  limiter.begin(1000, 0);  // 1000 bytes/s: bursts of 100 bytes
  EXPECT_EQ(limiter.allowance(0, 100000), 100u);
  limiter.used(100);
  int64_t now = 0;
  int64_t moved = 100;
  size_t largest = 100;
  while (moved < 100000) {
    size_t n = limiter.allowance(now, 100000);
    if (n == 0) {
      ASSERT_GT(limiter.resume_at(), now) << "a wait always lies in the future";
      now = limiter.resume_at();
      continue;
    }
    largest = std::max(largest, n);
    limiter.used(n);
    moved += static_cast<int64_t>(n);
  }
  EXPECT_LE(largest, 100u);
  // 100,000 bytes at 1,000 bytes/s: 100 s, less the first burst and the last overdraft.
  EXPECT_GE(now, 99'700'000);
  EXPECT_LE(now, 100'100'000);

  fetch::RateLimiter off;
  off.begin(0, 0);
  EXPECT_FALSE(off.active());
  EXPECT_EQ(off.allowance(0, 12345), 12345u) << "0 = no limit";
}

TEST(SpeedLimitOptions, NegativeIsRefusedZeroMeansNoLimit) {
  char errbuf[FETCH_ERROR_SIZE] = {};
  FETCH *e = fetch_easy_init();
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_ERRORBUFFER, errbuf), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e, FETCHOPT_MAX_RECV_SPEED_LARGE, static_cast<fetch_off_t>(-1)),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_NE(std::string(errbuf).find("MAX_RECV_SPEED_LARGE"), std::string::npos) << errbuf;
  EXPECT_EQ(fetch_easy_setopt(e, FETCHOPT_MAX_SEND_SPEED_LARGE, static_cast<fetch_off_t>(-5)),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(e, FETCHOPT_MAX_RECV_SPEED_LARGE, static_cast<fetch_off_t>(0)),
            FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e, FETCHOPT_MAX_SEND_SPEED_LARGE, static_cast<fetch_off_t>(1)),
            FETCHE_OK);
  fetch_easy_cleanup(e);
}

TEST(SpeedLimitTimeout, TimeoutEndsAThrottledTransfer) {
  HttpServer server;
  ASSERT_EQ(server.start(), 0);
  const std::string data = fetchtest::pattern_bytes(kSize, 23);
  server.on("/big", Script().send(fetchtest::http_response(200, {}, data)));
  std::string body;
  EasyPtr e(fetchtest::make_easy(server.origin() + "/big", {.connect_only = false}));
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &body), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAX_RECV_SPEED_LARGE,
                              static_cast<fetch_off_t>(10 * 1024)),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 500L), FETCHE_OK);
  const Clock::time_point start = Clock::now();
  EXPECT_EQ(fetch_easy_perform(e.get()), FETCHE_OPERATION_TIMEDOUT);
  EXPECT_LT(fetchtest::ms_since(start), 3000);
  EXPECT_LT(body.size(), data.size());
  EXPECT_TRUE(body == data.substr(0, body.size())) << "what arrived is a correct prefix";
}

TEST(SpeedLimitReuse, ALimitedTransferKeepsItsConnectionForReuse) {
  HttpServer server;
  ASSERT_EQ(server.start(), 0);
  const std::string data = fetchtest::pattern_bytes(40000, 24);
  server.on("/d", Script().send(fetchtest::http_response(200, {}, data)));
  std::string body;
  EasyPtr e(fetchtest::make_easy(server.origin() + "/d", {.connect_only = false}));
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &body), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAX_RECV_SPEED_LARGE,
                              static_cast<fetch_off_t>(200 * 1024)),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 10000L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_perform(e.get()), FETCHE_OK);
  ASSERT_EQ(fetch_easy_perform(e.get()), FETCHE_OK);
  EXPECT_TRUE(body == data + data);
  EXPECT_EQ(server.accepted(), 1u) << "throttling does not cost the keep-alive connection";
}

}  // namespace
