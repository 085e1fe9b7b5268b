// Pausing and speed limits against a real nginx (tests/interop/nginx_fixture.h): a gzip'd,
// chunked text paused many times from the write callback (fetch_easy_perform, unpaused from
// the debug callback when libfetch reports the transfer parked) arrives byte for byte, and
// MAX_RECV_SPEED_LARGE holds a 200 KiB download from nginx to about two seconds.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "interop/nginx_fixture.h"

namespace {

using fetchtest::NginxServer;
using Clock = std::chrono::steady_clock;

std::string text(size_t size) {
  std::string out;
  for (size_t i = 0; out.size() < size; ++i) out += "row " + std::to_string(i * 7919) + " ok\n";
  out.resize(size);
  return out;
}

// Pauses on every `every`th call; the refused bytes must come back on the next call.
struct Sink {
  FETCH *easy = nullptr;
  std::string data;
  size_t every = 5;
  size_t calls = 0;
  size_t pauses = 0;
  bool paused = false;
  std::string refused;
  bool check_next = false;
  size_t mismatches = 0;
  size_t calls_while_paused = 0;
};

size_t sink_write(char *data, size_t size, size_t nmemb, void *userdata) {
  auto *s = static_cast<Sink *>(userdata);
  const size_t len = size * nmemb;
  if (s->paused) ++s->calls_while_paused;
  if (s->check_next) {
    s->check_next = false;
    if (std::string_view(data, len) != s->refused) ++s->mismatches;
    s->data.append(data, len);
    ++s->calls;
    return len;
  }
  if (++s->calls % s->every == 0) {
    s->refused.assign(data, len);
    s->check_next = true;
    s->paused = true;
    ++s->pauses;
    return FETCH_WRITEFUNC_PAUSE;
  }
  s->data.append(data, len);
  return len;
}

int unpause_on_park(FETCH *, fetch_infotype type, char *data, size_t size, void *userdata) {
  auto *s = static_cast<Sink *>(userdata);
  if (type == FETCHINFO_TEXT && s->paused &&
      std::string_view(data, size).find("socket not watched until unpaused") !=
          std::string_view::npos) {
    s->paused = false;
    EXPECT_EQ(fetch_easy_pause(s->easy, FETCHPAUSE_CONT), FETCHE_OK);
  }
  return 0;
}

struct EasyDeleter {
  void operator()(FETCH *easy) const { fetch_easy_cleanup(easy); }
};
using Easy = std::unique_ptr<FETCH, EasyDeleter>;

class PauseNginxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(nginx_.prepare(), "");
    ASSERT_TRUE(nginx_.add_file("gz/doc.txt", text_));
    ASSERT_TRUE(nginx_.add_file("big.bin", text_.substr(0, 200 * 1024)));
    const std::string error =
        nginx_.start("    location /gz/ { gzip on; gzip_types text/plain; gzip_min_length 0; }\n");
    ASSERT_EQ(error, "") << "nginx failed to start; config:\n" << nginx_.config();
    easy_.reset(fetch_easy_init());
    ASSERT_NE(easy_, nullptr);
    ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_ERRORBUFFER, errbuf_), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_TIMEOUT_MS, 15000L), FETCHE_OK);
  }
  void TearDown() override {
    easy_.reset();
    nginx_.stop();
    if (HasFailure()) std::cerr << "nginx error log:\n" << nginx_.error_log() << "\n";
    nginx_.cleanup(/*keep=*/false);
  }

  const std::string text_ = text(600 * 1024);
  NginxServer nginx_;
  Easy easy_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_F(PauseNginxTest, GzipChunkedBodyPausedManyTimesArrivesWhole) {
  Sink s;
  s.easy = easy_.get();
  FETCH *e = easy_.get();
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_URL, nginx_.url("/gz/doc.txt").c_str()), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_ACCEPT_ENCODING, ""), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_WRITEFUNCTION, &sink_write), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_WRITEDATA, &s), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_VERBOSE, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_DEBUGFUNCTION, &unpause_on_park), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_DEBUGDATA, &s), FETCHE_OK);
  ASSERT_EQ(fetch_easy_perform(e), FETCHE_OK) << errbuf_;
  long code = 0;
  EXPECT_EQ(fetch_easy_getinfo(e, FETCHINFO_RESPONSE_CODE, &code), FETCHE_OK);
  EXPECT_EQ(code, 200);
  EXPECT_GT(s.pauses, 3u);
  EXPECT_EQ(s.mismatches, 0u);
  EXPECT_EQ(s.calls_while_paused, 0u);
  EXPECT_EQ(s.data.size(), text_.size());
  EXPECT_TRUE(s.data == text_);
}

size_t append(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

TEST_F(PauseNginxTest, RecvSpeedLimitHoldsTheDownload) {
  std::string body;
  FETCH *e = easy_.get();
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_URL, nginx_.url("/big.bin").c_str()), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_WRITEFUNCTION, &append), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_WRITEDATA, &body), FETCHE_OK);
  ASSERT_EQ(
      fetch_easy_setopt(e, FETCHOPT_MAX_RECV_SPEED_LARGE, static_cast<fetch_off_t>(100 * 1024)),
      FETCHE_OK);
  const Clock::time_point start = Clock::now();
  ASSERT_EQ(fetch_easy_perform(e), FETCHE_OK) << errbuf_;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  EXPECT_GE(ms, 1500) << "200 KiB at 100 KiB/s";
  EXPECT_LE(ms, 4000);
  EXPECT_TRUE(body == text_.substr(0, 200 * 1024));
}

}  // namespace
