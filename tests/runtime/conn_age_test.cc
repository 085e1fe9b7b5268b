// FETCHOPT_MAXAGE_CONN and FETCHOPT_MAXLIFETIME_CONN (runtime/conn_age.*, applied in
// Scheduler::start_connection), under each of the four drivers: a pooled connection idle or
// alive for longer than allowed is closed and a new one made (seen in the test server's accept
// count), with a VERBOSE line saying why; younger connections are reused.
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <string>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::Script;

size_t discard(char *, size_t size, size_t nmemb, void *) { return size * nmemb; }

int collect_text(FETCH *, fetch_infotype type, char *data, size_t size, void *userp) {
  if (type == FETCHINFO_TEXT) static_cast<std::string *>(userp)->append(data, size);
  return 0;
}

class ConnAgeTest : public ::testing::TestWithParam<Driver> {
 protected:
  ConnAgeTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
    server_.on("/k", Script().send(fetchtest::http_response(200, {}, "kept")));
    handle_.reset(
        fetchtest::make_easy(server_.origin() + "/k", {.connect_only = false, .errbuf = errbuf_}));
    ASSERT_TRUE(handle_);
    FETCH *e = handle_.get();
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_WRITEFUNCTION, &discard), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_TIMEOUT_MS, 10000L), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_VERBOSE, 1L), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_DEBUGFUNCTION, &collect_text), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_DEBUGDATA, &trace_), FETCHE_OK);
  }

  // One transfer; returns FETCHINFO_NUM_CONNECTS (1 = a new connection, 0 = reused).
  long transfer() {
    FETCHcode rc = harness_.run_one(handle_.get());
    harness_.remove(handle_.get());
    EXPECT_EQ(rc, FETCHE_OK) << errbuf_;
    return fetchtest::info_long(handle_.get(), FETCHINFO_NUM_CONNECTS);
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  EasyPtr handle_;
  std::string trace_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(ConnAgeTest, IdleLongerThanMaxAgeIsNotReused) {
  ASSERT_EQ(fetch_easy_setopt(handle_.get(), FETCHOPT_MAXAGE_CONN, 1L), FETCHE_OK);
  EXPECT_EQ(transfer(), 1);
  EXPECT_EQ(transfer(), 0);  // at once: idle well under a second
  EXPECT_EQ(server_.accepted(), 1u);
  EXPECT_EQ(trace_.find("MAXAGE_CONN"), std::string::npos);
  uv_sleep(1300);
  EXPECT_EQ(transfer(), 1);
  EXPECT_EQ(server_.accepted(), 2u);
  EXPECT_NE(trace_.find("not reused: idle for"), std::string::npos) << trace_;
  EXPECT_NE(trace_.find("more than MAXAGE_CONN 1 s"), std::string::npos) << trace_;
}

TEST_P(ConnAgeTest, TheDefaultMaxAgeKeepsAFewSecondsOldConnection) {
  EXPECT_EQ(transfer(), 1);
  uv_sleep(1300);
  EXPECT_EQ(transfer(), 0);  // 118 s by default
  EXPECT_EQ(server_.accepted(), 1u);
}

TEST_P(ConnAgeTest, OlderThanMaxLifetimeIsNotReused) {
  ASSERT_EQ(fetch_easy_setopt(handle_.get(), FETCHOPT_MAXLIFETIME_CONN, 1L), FETCHE_OK);
  EXPECT_EQ(transfer(), 1);
  uv_sleep(400);
  EXPECT_EQ(transfer(), 0);  // alive about 0.4 s
  uv_sleep(800);
  // Alive about 1.2 s, idle only 0.8 s: the lifetime, not the idle time, retires it.
  EXPECT_EQ(transfer(), 1);
  EXPECT_EQ(server_.accepted(), 2u);
  EXPECT_NE(trace_.find("not reused: open for"), std::string::npos) << trace_;
  EXPECT_NE(trace_.find("more than MAXLIFETIME_CONN 1 s"), std::string::npos) << trace_;
  // The new connection is young again.
  EXPECT_EQ(transfer(), 0);
  EXPECT_EQ(server_.accepted(), 2u);
}

TEST_P(ConnAgeTest, ZeroLifetimeMeansNoLimit) {
  ASSERT_EQ(fetch_easy_setopt(handle_.get(), FETCHOPT_MAXLIFETIME_CONN, 0L), FETCHE_OK);
  EXPECT_EQ(transfer(), 1);
  uv_sleep(1200);
  EXPECT_EQ(transfer(), 0);
  EXPECT_EQ(server_.accepted(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Drivers, ConnAgeTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

// CURLOPT_MAXCONNECTS(3): the pool of fetch_easy_perform's own multi. With 1, a connection to a
// second origin evicts the first one; with the default (5) both stay and are reused.
TEST(MaxConnects, EasyPerformPoolKeepsAtMostThatMany) {
  fetchtest::HttpServerOptions second;
  second.host = "127.0.0.2";
  for (long maxconnects : {1L, 5L}) {
    SCOPED_TRACE(maxconnects);
    HttpServer a;
    HttpServer b(second);
    ASSERT_EQ(a.start(), 0);
    ASSERT_EQ(b.start(), 0);
    a.on("/k", Script().send(fetchtest::http_response(200, {}, "a")));
    b.on("/k", Script().send(fetchtest::http_response(200, {}, "b")));
    EasyPtr e(fetchtest::make_easy(a.origin() + "/k", {.connect_only = false}));
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &discard), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXCONNECTS, maxconnects), FETCHE_OK);
    for (const HttpServer *server : {&a, &b, &a}) {
      ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_URL, (server->origin() + "/k").c_str()),
                FETCHE_OK);
      ASSERT_EQ(fetch_easy_perform(e.get()), FETCHE_OK);
    }
    EXPECT_EQ(a.accepted(), maxconnects == 1 ? 2u : 1u);
    EXPECT_EQ(b.accepted(), 1u);
  }
  EasyPtr e(fetch_easy_init());
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXCONNECTS, -1L), FETCHE_BAD_FUNCTION_ARGUMENT);
}

}  // namespace
