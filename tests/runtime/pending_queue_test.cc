// The scheduler's PENDING queue and message queue stay O(1) per removal (found by
// bench/micro/scheduler_bench.cc): removing a handle leaves its queue entries to be skipped
// later instead of scanning for them, and a freed connection slot arms only the transfers that
// can take it. Before, 20,000 handles waiting behind MAX_TOTAL_CONNECTIONS 1 made each removal
// arm a run-now deadline for every one still waiting (N^2/2 deadlines: std::bad_alloc in
// fetch_multi_cleanup). Counts, not timings: the loops are bounded and each test ends well
// within ctest's timeout.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "full_backlog.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Clock;
using fetchtest::HttpServer;
using fetchtest::Script;

fetch_off_t counter(FETCHM *m, FETCHMinfo_offt which) {
  fetch_off_t v = -1;
  EXPECT_EQ(fetch_multi_get_offt(m, which, &v), FETCHM_OK);
  return v;
}

size_t discard(char *, size_t size, size_t nmemb, void *) { return size * nmemb; }

// A multi with MAX_TOTAL_CONNECTIONS 1 and kHandles handles: the one slot goes to a connect
// that never completes (a listener with a full backlog), every other handle waits in PENDING.
class PendingQueue : public ::testing::Test {
 protected:
  static constexpr int kHandles = 20000;

  void SetUp() override {
    ASSERT_TRUE(listener_.ok());
    ASSERT_TRUE(listener_.fill());
    const std::string url = "http://127.0.0.1:" + std::to_string(listener_.port()) + "/";
    m_ = fetch_multi_init();
    ASSERT_EQ(fetch_multi_setopt(m_, FETCHMOPT_MAX_TOTAL_CONNECTIONS, 1L), FETCHM_OK);
    handles_.reserve(kHandles);
    for (int i = 0; i < kHandles; ++i) {
      FETCH *h = fetch_easy_init();
      handles_.push_back(h);
      ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_URL, url.c_str()), FETCHE_OK);
      ASSERT_EQ(fetch_multi_add_handle(m_, h), FETCHM_OK);
    }
    int running = 0;
    ASSERT_EQ(fetch_multi_perform(m_, &running), FETCHM_OK);
    ASSERT_EQ(counter(m_, FETCHMINFO_XFERS_PENDING), kHandles - 1);
  }
  void TearDown() override {
    if (m_ != nullptr) {
      EXPECT_EQ(fetch_multi_cleanup(m_), FETCHM_OK);
    }
    for (FETCH *h : handles_) fetch_easy_cleanup(h);
  }

  fetchtest::ListenerWithFullBacklog listener_;
  FETCHM *m_ = nullptr;
  std::vector<FETCH *> handles_;
};

TEST_F(PendingQueue, TwentyThousandWaitingHandlesAreRemovedOldestFirst) {
  // Oldest first: the slot holder goes, then every waiting handle in arrival order, each of
  // which would have fitted the freed slot.
  int running = 0;
  for (int i = 0; i < kHandles; ++i) {
    ASSERT_EQ(fetch_multi_remove_handle(m_, handles_[i]), FETCHM_OK);
    if (i == kHandles / 2) {
      EXPECT_EQ(counter(m_, FETCHMINFO_XFERS_PENDING), kHandles - i - 1);
      EXPECT_EQ(fetch_multi_perform(m_, &running), FETCHM_OK);  // the armed one starts
      EXPECT_EQ(counter(m_, FETCHMINFO_XFERS_PENDING), kHandles - i - 2);
    }
  }
  EXPECT_EQ(counter(m_, FETCHMINFO_XFERS_PENDING), 0);
}

TEST_F(PendingQueue, CleanupWithManyWaitingHandlesReturns) {
  // fetch_multi_cleanup removes every handle, oldest first.
  EXPECT_EQ(fetch_multi_cleanup(m_), FETCHM_OK);
  m_ = nullptr;
}

TEST(MessageQueue, RemovedHandlesLeaveNoMessageAndTheCountStaysRight) {
  HttpServer server;
  ASSERT_EQ(server.start(), 0);
  server.on("/a", Script().send(fetchtest::http_response(200, {}, "a")));
  FETCHM *m = fetch_multi_init();
  std::vector<FETCH *> handles;
  for (int i = 0; i < 4; ++i) {
    FETCH *h = fetch_easy_init();
    ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_URL, (server.origin() + "/a").c_str()), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_WRITEFUNCTION, &discard), FETCHE_OK);
    ASSERT_EQ(fetch_multi_add_handle(m, h), FETCHM_OK);
    handles.push_back(h);
  }
  int running = 0;
  ASSERT_NO_FATAL_FAILURE(fetchtest::perform_until_running_at_most(m, 0, &running));
  ASSERT_EQ(running, 0);
  // Two of the four finished handles go before their messages are read.
  ASSERT_EQ(fetch_multi_remove_handle(m, handles[0]), FETCHM_OK);
  ASSERT_EQ(fetch_multi_remove_handle(m, handles[2]), FETCHM_OK);
  std::vector<FETCH *> read;
  int left = -1;
  while (FETCHMsg *msg = fetch_multi_info_read(m, &left)) {
    EXPECT_EQ(msg->msg, FETCHMSG_DONE);
    EXPECT_EQ(msg->data.result, FETCHE_OK);
    read.push_back(msg->easy_handle);
    EXPECT_EQ(left, 2 - static_cast<int>(read.size()));
  }
  EXPECT_EQ(left, 0);
  EXPECT_EQ(read, (std::vector<FETCH *>{handles[1], handles[3]}));
  // Added again, a handle's new message is read once.
  ASSERT_EQ(fetch_multi_remove_handle(m, handles[1]), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, handles[0]), FETCHM_OK);
  ASSERT_NO_FATAL_FAILURE(fetchtest::perform_until_running_at_most(m, 0, &running));
  ASSERT_EQ(running, 0);
  FETCHMsg *msg = fetch_multi_info_read(m, &left);
  ASSERT_NE(msg, nullptr);
  EXPECT_EQ(msg->easy_handle, handles[0]);
  EXPECT_EQ(left, 0);
  EXPECT_EQ(fetch_multi_info_read(m, &left), nullptr);
  fetch_multi_cleanup(m);
  for (FETCH *h : handles) fetch_easy_cleanup(h);
}

// curl_multi_info_read(3): the returned data lasts until the handle is removed (or the multi
// or the easy handle is cleaned up), so a program may read every message first and look at
// them afterwards.
TEST(MessageQueue, EachMessageStaysValidUntilItsHandleIsRemoved) {
  HttpServer server;
  ASSERT_EQ(server.start(), 0);
  server.on("/ok", Script().send(fetchtest::http_response(200, {}, "ok")));
  FETCHM *m = fetch_multi_init();
  FETCH *good = fetch_easy_init();
  FETCH *bad = fetch_easy_init();
  fetch_easy_setopt(good, FETCHOPT_URL, (server.origin() + "/ok").c_str());
  fetch_easy_setopt(good, FETCHOPT_WRITEFUNCTION, &discard);
  fetch_easy_setopt(bad, FETCHOPT_URL, "http://127.0.0.1:1/");  // refused: another result
  fetch_multi_add_handle(m, good);
  fetch_multi_add_handle(m, bad);
  int running = 0;
  ASSERT_NO_FATAL_FAILURE(fetchtest::perform_until_running_at_most(m, 0, &running));
  ASSERT_EQ(running, 0);
  std::vector<FETCHMsg *> msgs;
  int left = 0;
  while (FETCHMsg *msg = fetch_multi_info_read(m, &left)) msgs.push_back(msg);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_NE(msgs[0], msgs[1]);
  for (FETCHMsg *msg : msgs) {
    EXPECT_EQ(msg->msg, FETCHMSG_DONE);
    EXPECT_EQ(msg->data.result, msg->easy_handle == good ? FETCHE_OK : FETCHE_COULDNT_CONNECT);
  }
  EXPECT_NE(msgs[0]->easy_handle, msgs[1]->easy_handle);
  fetch_multi_cleanup(m);
  fetch_easy_cleanup(good);
  fetch_easy_cleanup(bad);
}

}  // namespace
