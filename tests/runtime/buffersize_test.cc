// FETCHOPT_BUFFERSIZE (CURLOPT_BUFFERSIZE(3)) under each of the four drivers: the write callback
// never gets more than BUFFERSIZE bytes in one call (16 KiB, CURL_MAX_WRITE_SIZE, by default),
// whatever one recv() brought from the shared receive buffer (runtime/receive_buffer.h); values
// are clamped to 1024 .. 10 MiB, and < 1 restores the default. Every body byte arrives in order.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::Script;

constexpr size_t kBodyBytes = 300 * 1024;

struct Sink {
  std::string body;
  size_t largest = 0;
  size_t calls = 0;
};

size_t collect(char *data, size_t size, size_t nmemb, void *userdata) {
  auto *sink = static_cast<Sink *>(userdata);
  sink->body.append(data, size * nmemb);
  sink->largest = std::max(sink->largest, size * nmemb);
  ++sink->calls;
  return size * nmemb;
}

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

class BufferSizeTest : public ::testing::TestWithParam<Driver> {
 protected:
  BufferSizeTest() : harness_(GetParam()) {}
  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
    // One write of the whole response: a recv() may bring far more than 16 KiB at once.
    server_.on("/big", Script().send(fetchtest::http_response(200, {}, body_)));
  }
  // Downloads /big with BUFFERSIZE `buffersize` (or the default when < -1000).
  Sink download(long buffersize) {
    Sink sink;
    EasyPtr e(fetchtest::make_easy(server_.origin() + "/big",
                                   {.connect_only = false, .errbuf = errbuf_}));
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &collect), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &sink), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 15000L), FETCHE_OK);
    if (buffersize > -1000) {
      EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_BUFFERSIZE, buffersize), FETCHE_OK)
          << "BUFFERSIZE is a request, never refused";
    }
    EXPECT_EQ(harness_.run_one(e.get(), std::chrono::milliseconds(15000)), FETCHE_OK) << errbuf_;
    harness_.remove(e.get());
    EXPECT_EQ(sink.body.size(), body_.size());
    EXPECT_TRUE(sink.body == body_) << "body bytes lost or reordered";
    return sink;
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  std::string body_ = pattern(kBodyBytes);
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(BufferSizeTest, DefaultIsSixteenKibPerWriteCall) {
  Sink sink = download(-2000);
  EXPECT_LE(sink.largest, 16384u);
  EXPECT_GE(sink.calls, kBodyBytes / 16384);
}

TEST_P(BufferSizeTest, SmallBufferSizeMeansSmallPieces) {
  Sink sink = download(2048);
  EXPECT_LE(sink.largest, 2048u);
  EXPECT_EQ(sink.largest, 2048u) << "a 300 KiB body fills whole pieces";
}

TEST_P(BufferSizeTest, BelowTheFloorIsClampedTo1024) {
  Sink sink = download(1);
  EXPECT_EQ(sink.largest, 1024u);
}

TEST_P(BufferSizeTest, ZeroOrNegativeRestoresTheDefault) {
  EXPECT_LE(download(0).largest, 16384u);
  EXPECT_LE(download(-5).largest, 16384u);
  EXPECT_GT(download(-5).largest, 2048u);
}

TEST_P(BufferSizeTest, LargeBufferSizeLetsOneCallTakeMoreThanTheDefault) {
  // The server wrote the response at once: the first recv() brings at least one loopback
  // segment (about 64 KiB), handed over in one call.
  Sink sink = download(200000);
  EXPECT_LE(sink.largest, 200000u);
  EXPECT_GT(sink.largest, 16384u);
}

TEST_P(BufferSizeTest, AboveTheCeilingIsAccepted) {
  Sink sink = download(64L * 1024 * 1024);
  EXPECT_LE(sink.largest, kBodyBytes);
}

INSTANTIATE_TEST_SUITE_P(Drivers, BufferSizeTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
