// The receive low-water mark of a long body (runtime/receive_low_water.h): the policy on its
// own, then end to end under each of the four drivers: a long body comes whole with the mark
// raised, bytes below the mark are never held back from the application, and the next
// response on the kept connection is not stuck behind a mark left raised.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "runtime/receive_low_water.h"
#include "server/http_server.h"

namespace {

using fetch::ReceiveLowWater;
using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::Script;
using std::chrono::milliseconds;

constexpr uint64_t kMiB = 1024 * 1024;

TEST(ReceiveLowWater, RaisedOnlyForAFastLongBodyOfKnownLength) {
  const size_t fast = ReceiveLowWater::kFastReadBytes;
  EXPECT_EQ(ReceiveLowWater::after_drained_read(fast, 10 * kMiB, ReceiveLowWater::kOff),
            ReceiveLowWater::kRaisedBytes);
  // A slow sender, an unknown length, or a rest too short to be worth a syscall: left off.
  EXPECT_EQ(ReceiveLowWater::after_drained_read(fast - 1, 10 * kMiB, ReceiveLowWater::kOff),
            ReceiveLowWater::kOff);
  EXPECT_EQ(ReceiveLowWater::after_drained_read(4 * fast, 0, ReceiveLowWater::kOff),
            ReceiveLowWater::kOff);
  EXPECT_EQ(ReceiveLowWater::after_drained_read(4 * fast, 100 * 1024, ReceiveLowWater::kOff),
            ReceiveLowWater::kOff);
}

TEST(ReceiveLowWater, FollowsTheBodyDownAndDropsWhenReadsShrink) {
  const int raised = ReceiveLowWater::kRaisedBytes;
  const size_t fast = ReceiveLowWater::kFastReadBytes;
  EXPECT_EQ(ReceiveLowWater::after_drained_read(fast, 1000, raised), 1000);  // the end wakes us
  EXPECT_EQ(ReceiveLowWater::after_drained_read(0, 10 * kMiB, raised), ReceiveLowWater::kOff);
  EXPECT_EQ(ReceiveLowWater::after_drained_read(1000, 10 * kMiB, raised), ReceiveLowWater::kOff);
  EXPECT_EQ(ReceiveLowWater::after_drained_read(fast, 0, raised), ReceiveLowWater::kOff);
}

int collect_text(FETCH *, fetch_infotype type, char *data, size_t size, void *userp) {
  if (type == FETCHINFO_TEXT) static_cast<std::string *>(userp)->append(data, size);
  return 0;
}

// Bytes that differ along the body, so a lost or repeated piece shows.
std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
  return s;
}

class ReceiveLowWaterTest : public ::testing::TestWithParam<Driver> {
 protected:
  ReceiveLowWaterTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
    easy_.reset(
        fetchtest::make_easy(server_.origin() + "/", {.connect_only = false, .errbuf = errbuf_}));
    ASSERT_TRUE(easy_);
    fetch_easy_setopt(easy_.get(), FETCHOPT_WRITEFUNCTION, &fetchtest::append_to_string);
    fetch_easy_setopt(easy_.get(), FETCHOPT_WRITEDATA, &body_);
    fetch_easy_setopt(easy_.get(), FETCHOPT_VERBOSE, 1L);
    fetch_easy_setopt(easy_.get(), FETCHOPT_DEBUGFUNCTION, &collect_text);
    fetch_easy_setopt(easy_.get(), FETCHOPT_DEBUGDATA, &text_);
    fetch_easy_setopt(easy_.get(), FETCHOPT_TIMEOUT_MS, 10000L);
  }

  FETCHcode get(const std::string &path) {
    body_.clear();
    fetch_easy_setopt(easy_.get(), FETCHOPT_URL, (server_.origin() + path).c_str());
    FETCHcode rc = harness_.run_one(easy_.get(), milliseconds(12000));
    harness_.remove(easy_.get());
    return rc;
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  EasyPtr easy_;
  std::string body_;
  std::string text_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

// Pieces of 512 KiB with pauses between them: each wakes an idle client that reads at least a
// segment (about 64 KiB on loopback), so the mark goes up while most of the body is to come.
TEST_P(ReceiveLowWaterTest, LongBodyComesWholeWithTheMarkRaised) {
  const std::string body = pattern(4 * kMiB);
  const std::string head =
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  Script script;
  script.send(head);
  for (size_t at = 0; at < body.size(); at += 512 * 1024) {
    script.send(body.substr(at, 512 * 1024)).delay(milliseconds(10));
  }
  server_.on("/long", script);
  ASSERT_EQ(get("/long"), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(body_ == body) << "got " << body_.size() << " bytes";
  EXPECT_NE(text_.find("receive low-water mark raised"), std::string::npos) << text_;
}

// The sender stops with fewer bytes queued than the mark: they still reach the application
// (within the mark's patience), so a transfer that then times out has delivered every byte
// that arrived, as without the mark.
TEST_P(ReceiveLowWaterTest, BytesBelowTheMarkAreNotHeldBack) {
  const std::string first = pattern(1 * kMiB);
  const std::string tail = std::string(1024, 'T');
  const size_t length = first.size() + tail.size() + 200 * 1024;  // more than ever comes
  server_.on("/stalls", Script()
                            .send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(length) +
                                  "\r\n\r\n" + first)
                            .delay(milliseconds(50))
                            .send(tail)
                            .stall());
  fetch_easy_setopt(easy_.get(), FETCHOPT_TIMEOUT_MS, 1500L);
  EXPECT_EQ(get("/stalls"), FETCHE_OPERATION_TIMEDOUT);
  EXPECT_EQ(body_.size(), first.size() + tail.size());
  EXPECT_TRUE(body_ == first + tail);
}

// A mark left raised would hide a short response on the reused connection until a timeout.
// The body's first piece raises the mark; the rest comes at once, so the mark is still raised
// (at the bytes left after the last read that emptied the socket) when the body ends.
TEST_P(ReceiveLowWaterTest, TheNextResponseOnTheConnectionIsNotStuckBehindTheMark) {
  const std::string body = pattern(2 * kMiB);
  const size_t first = 256 * 1024;
  server_.on("/long", Script()
                          .send("HTTP/1.1 200 OK\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, first))
                          .delay(milliseconds(10))
                          .send(body.substr(first)));
  server_.on("/short", Script().send(fetchtest::http_response(200, {}, "short")));
  fetch_easy_setopt(easy_.get(), FETCHOPT_TIMEOUT_MS, 3000L);
  ASSERT_EQ(get("/long"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_.size(), body.size());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(get("/short"), FETCHE_OK) << errbuf_;
    EXPECT_EQ(body_, "short");
  }
  EXPECT_EQ(server_.accepted(), 1u);
  printf("%s\n", text_.c_str());
}

INSTANTIATE_TEST_SUITE_P(Drivers, ReceiveLowWaterTest,
                         ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
