// A server faster than the application's write callback (runtime/http_exchange.cc, receive()):
// the socket never drains, yet TIMEOUT, the progress callback's abort and the other transfers
// of the multi are served while the body streams, as libcurl does. Before, one receive() ran
// to the end of the body: a 32 MiB download with a slow callback ignored a 250 ms TIMEOUT.
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Clock;
using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::Script;
using std::chrono::milliseconds;

constexpr size_t kBodyBytes = 32 * 1024 * 1024;

// Takes the bytes, slowly (200 µs per call: 16 KiB calls make 80 MB/s, well under loopback;
// the 32 MiB body takes at least 410 ms).
size_t slow_write(char *, size_t size, size_t nmemb, void *userdata) {
  *static_cast<size_t *>(userdata) += size * nmemb;
  usleep(200);
  return size * nmemb;
}

int abort_after_a_mebibyte(void *, fetch_off_t, fetch_off_t dlnow, fetch_off_t, fetch_off_t) {
  return dlnow >= 1024 * 1024 ? 1 : 0;
}

class BusyReceiveTest : public ::testing::TestWithParam<Driver> {
 protected:
  BusyReceiveTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    server_.on("/big",
               Script().send(fetchtest::http_response(200, {}, std::string(kBodyBytes, 'b'))));
    ASSERT_EQ(server_.start(), 0);
    easy_.reset(fetchtest::make_easy(server_.origin() + "/big",
                                     {.connect_only = false, .errbuf = errbuf_}));
    ASSERT_TRUE(easy_);
    fetch_easy_setopt(easy_.get(), FETCHOPT_WRITEFUNCTION, &slow_write);
    fetch_easy_setopt(easy_.get(), FETCHOPT_WRITEDATA, &received_);
  }

  FETCHcode run() {
    FETCHcode rc = harness_.run_one(easy_.get(), milliseconds(15000));
    harness_.remove(easy_.get());
    return rc;
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  EasyPtr easy_;
  size_t received_ = 0;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(BusyReceiveTest, TimeoutEndsABodyThatNeverDrains) {
  // Under a heavily loaded machine the first bytes may come late; what matters is that the
  // transfer ends at its TIMEOUT rather than at the end of the body.
  fetch_easy_setopt(easy_.get(), FETCHOPT_TIMEOUT_MS, 250L);
  EXPECT_EQ(run(), FETCHE_OPERATION_TIMEDOUT) << errbuf_;
  EXPECT_LT(received_, kBodyBytes);
}

TEST_P(BusyReceiveTest, ProgressCallbackAbortsMidBody) {
  fetch_easy_setopt(easy_.get(), FETCHOPT_NOPROGRESS, 0L);
  fetch_easy_setopt(easy_.get(), FETCHOPT_XFERINFOFUNCTION, &abort_after_a_mebibyte);
  EXPECT_EQ(run(), FETCHE_ABORTED_BY_CALLBACK) << errbuf_;
  EXPECT_GE(received_, 1024u * 1024u);
  EXPECT_LT(received_, kBodyBytes / 2);
}

INSTANTIATE_TEST_SUITE_P(Drivers, BusyReceiveTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

// Two transfers in one multi: a short response is not held up until the long, slowly taken
// body has ended. (A sanity check: the early reads of the long body are short while the
// receive window grows, so this passes even without the turn limit; the tests above do not.)
TEST(BusyReceiveMulti, AShortTransferFinishesFirst) {
  HttpServer server;
  server.on("/big", Script().send(fetchtest::http_response(200, {}, std::string(kBodyBytes, 'b'))));
  server.on("/short",
            Script().delay(milliseconds(100)).send(fetchtest::http_response(200, {}, "s")));
  ASSERT_EQ(server.start(), 0);
  FETCHM *m = fetch_multi_init();
  size_t big_bytes = 0;
  size_t short_bytes = 0;
  EasyPtr big(fetchtest::make_easy(server.origin() + "/big", {.connect_only = false}));
  EasyPtr small(fetchtest::make_easy(server.origin() + "/short", {.connect_only = false}));
  fetch_easy_setopt(big.get(), FETCHOPT_WRITEFUNCTION, &slow_write);
  fetch_easy_setopt(big.get(), FETCHOPT_WRITEDATA, &big_bytes);
  fetch_easy_setopt(small.get(), FETCHOPT_WRITEFUNCTION, &slow_write);
  fetch_easy_setopt(small.get(), FETCHOPT_WRITEDATA, &short_bytes);
  ASSERT_EQ(fetch_multi_add_handle(m, big.get()), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, small.get()), FETCHM_OK);
  std::vector<FETCH *> order;
  const Clock::time_point end = Clock::now() + milliseconds(15000);
  while (order.size() < 2 && Clock::now() < end) {
    int running = 0;
    ASSERT_EQ(fetch_multi_perform(m, &running), FETCHM_OK);
    int left = 0;
    while (FETCHMsg *msg = fetch_multi_info_read(m, &left)) {
      EXPECT_EQ(msg->data.result, FETCHE_OK);
      order.push_back(msg->easy_handle);
    }
    if (order.size() < 2) fetch_multi_poll(m, nullptr, 0, 100, nullptr);
  }
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(order[0], small.get());
  EXPECT_EQ(big_bytes, kBodyBytes);
  EXPECT_EQ(short_bytes, 1u);
  fetch_multi_remove_handle(m, big.get());
  fetch_multi_remove_handle(m, small.get());
  fetch_multi_cleanup(m);
}

}  // namespace
