// FETCHMOPT_MAX_TOTAL_CONNECTIONS / MAX_HOST_CONNECTIONS: transfers beyond the limit wait in
// PENDING (FETCHMINFO_XFERS_PENDING) and start, oldest first, when a connection goes away. A
// CONNECT_ONLY connection counts until its handle is removed from the multi.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "echo_server.h"
#include "runtime/handles.h"

namespace {

using fetchtest::Clock;

class Limits : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(server_.start(), 0);
    m_ = fetch_multi_init();
  }
  void TearDown() override {
    for (FETCH *h : handles_) {
      fetch_multi_remove_handle(m_, h);
      fetch_easy_cleanup(h);
    }
    fetch_multi_cleanup(m_);
  }
  FETCH *add(const std::string &host) {
    const std::string url = "http://" + host + ":" + std::to_string(server_.port());
    FETCH *h = fetchtest::make_easy(url, {.connect_timeout_ms = 0});
    EXPECT_EQ(fetch_multi_add_handle(m_, h), FETCHM_OK);
    handles_.push_back(h);
    return h;
  }
  // Drives the multi until `count` transfers are done or 3 s pass; returns how many are done.
  int run_until_done(int count) {
    auto deadline = Clock::now() + std::chrono::seconds(3);
    while (done_ < count && Clock::now() < deadline) {
      int running = 0;
      fetch_multi_perform(m_, &running);
      int left = 0;
      while (FETCHMsg *msg = fetch_multi_info_read(m_, &left)) {
        EXPECT_EQ(msg->data.result, FETCHE_OK);
        ++done_;
      }
      if (done_ < count) fetch_multi_poll(m_, nullptr, 0, 50, nullptr);
    }
    return done_;
  }
  fetch_off_t counter(FETCHMinfo_offt which) {
    fetch_off_t v = -1;
    EXPECT_EQ(fetch_multi_get_offt(m_, which, &v), FETCHM_OK);
    return v;
  }
  void remove(FETCH *h) {
    EXPECT_EQ(fetch_multi_remove_handle(m_, h), FETCHM_OK);
    for (auto it = handles_.begin(); it != handles_.end(); ++it) {
      if (*it == h) {
        handles_.erase(it);
        break;
      }
    }
    fetch_easy_cleanup(h);
  }

  fetchtest::EchoServer server_;
  FETCHM *m_ = nullptr;
  std::vector<FETCH *> handles_;
  int done_ = 0;
};

TEST_F(Limits, TotalConnectionsQueueTheRest) {
  ASSERT_EQ(fetch_multi_setopt(m_, FETCHMOPT_MAX_TOTAL_CONNECTIONS, 2L), FETCHM_OK);
  std::vector<FETCH *> hs;
  for (int i = 0; i < 5; ++i) hs.push_back(add("127.0.0.1"));
  EXPECT_EQ(run_until_done(2), 2);
  run_until_done(3);  // must not get further: no slot is free
  EXPECT_EQ(done_, 2);
  EXPECT_EQ(counter(FETCHMINFO_XFERS_PENDING), 3);
  EXPECT_EQ(server_.accepted(), 2u);
  // Removing a connected handle frees its slot: one more transfer starts.
  remove(hs[0]);
  EXPECT_EQ(run_until_done(3), 3);
  EXPECT_EQ(counter(FETCHMINFO_XFERS_PENDING), 2);
  remove(hs[1]);
  remove(hs[2]);
  EXPECT_EQ(run_until_done(5), 5);
  EXPECT_EQ(counter(FETCHMINFO_XFERS_PENDING), 0);
  EXPECT_EQ(counter(FETCHMINFO_XFERS_DONE), 5);
}

TEST_F(Limits, HostConnectionsAreCountedPerOrigin) {
  ASSERT_EQ(fetch_multi_setopt(m_, FETCHMOPT_MAX_HOST_CONNECTIONS, 1L), FETCHM_OK);
  add("127.0.0.1");
  FETCH *second_same_host = add("127.0.0.1");
  add("localhost");  // another origin: not limited by the first one
  EXPECT_EQ(run_until_done(2), 2);
  run_until_done(3);
  EXPECT_EQ(done_, 2);
  EXPECT_EQ(counter(FETCHMINFO_XFERS_PENDING), 1);
  (void)second_same_host;
}

TEST_F(Limits, BadValues) {
  EXPECT_EQ(fetch_multi_setopt(m_, FETCHMOPT_MAX_TOTAL_CONNECTIONS, -1L),
            FETCHM_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_multi_setopt(m_, FETCHMOPT_MAX_HOST_CONNECTIONS, -5L),
            FETCHM_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_multi_setopt(m_, static_cast<FETCHMoption>(99999), 1L), FETCHM_UNKNOWN_OPTION);
  EXPECT_EQ(fetch_multi_setopt(nullptr, FETCHMOPT_MAXCONNECTS, 1L), FETCHM_BAD_HANDLE);
}

}  // namespace
