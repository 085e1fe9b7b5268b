// Recycled exchanges (runtime/exchange_pool.h): each request on a kept-alive connection is
// served by the storage and buffers of the exchange before it. Nothing of the earlier request
// may show in the next one: not its decoder, its request head or body, its header line, its
// Location or a grown buffer. Under each of the four drivers.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"
#include "support/gzip.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::RecordedRequest;
using fetchtest::Script;

class ExchangeReuseTest : public ::testing::TestWithParam<Driver> {
 protected:
  ExchangeReuseTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
    easy_.reset(
        fetchtest::make_easy(server_.origin() + "/", {.connect_only = false, .errbuf = errbuf_}));
    ASSERT_TRUE(easy_);
    fetch_easy_setopt(easy_.get(), FETCHOPT_WRITEFUNCTION, &fetchtest::append_to_string);
    fetch_easy_setopt(easy_.get(), FETCHOPT_WRITEDATA, &body_);
    fetch_easy_setopt(easy_.get(), FETCHOPT_HEADERFUNCTION, &fetchtest::append_to_string);
    fetch_easy_setopt(easy_.get(), FETCHOPT_HEADERDATA, &head_);
  }

  // One GET (or what the handle is set to) of `path`; the body and head lines are kept.
  void get(const std::string &path) {
    body_.clear();
    head_.clear();
    fetch_easy_setopt(easy_.get(), FETCHOPT_URL, (server_.origin() + path).c_str());
    ASSERT_EQ(harness_.run_one(easy_.get()), FETCHE_OK) << path << ": " << errbuf_;
    harness_.remove(easy_.get());
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  EasyPtr easy_;
  std::string body_;
  std::string head_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(ExchangeReuseTest, NothingOfTheLastRequestShowsInTheNext) {
  const std::string plain = "plain text, not compressed";
  const std::string gz_text = "compressed once, delivered decoded";
  const std::string gz = fetchtest::gzip(gz_text);
  const std::string long_value(20000, 'v');  // past what a kept exchange's buffers hold
  server_.on("/gz",
             Script().send(fetchtest::http_response(200, {{"Content-Encoding", "gzip"}}, gz)));
  server_.on("/plain", Script().send(fetchtest::http_response(200, {}, plain)));
  server_.on("/post", Script().send(fetchtest::http_response(200, {}, "posted")));
  server_.on("/big-head",
             Script().send(fetchtest::http_response(200, {{"X-Long", long_value}}, "big")));
  server_.on("/chunked", Script().send(fetchtest::chunked_response(200, {}, "in chunks", {3})));
  server_.on("/moved",
             Script().send(fetchtest::http_response(302, {{"Location", "/elsewhere"}}, "moved")));

  fetch_easy_setopt(easy_.get(), FETCHOPT_ACCEPT_ENCODING, "");
  ASSERT_NO_FATAL_FAILURE(get("/gz"));
  EXPECT_EQ(body_, gz_text);
  ASSERT_NO_FATAL_FAILURE(get("/plain"));  // the gzip decoder of the last one must be gone
  EXPECT_EQ(body_, plain);

  fetch_easy_setopt(easy_.get(), FETCHOPT_POSTFIELDS, "a=1&b=2");
  ASSERT_NO_FATAL_FAILURE(get("/post"));
  EXPECT_EQ(body_, "posted");
  fetch_easy_setopt(easy_.get(), FETCHOPT_HTTPGET, 1L);
  ASSERT_NO_FATAL_FAILURE(get("/plain"));  // no leftover of the POST's head or body
  EXPECT_EQ(body_, plain);

  ASSERT_NO_FATAL_FAILURE(get("/big-head"));
  EXPECT_NE(head_.find("X-Long: " + long_value + "\r\n"), std::string::npos);
  ASSERT_NO_FATAL_FAILURE(get("/chunked"));
  EXPECT_EQ(body_, "in chunks");
  EXPECT_EQ(head_.find("X-Long"), std::string::npos);

  ASSERT_NO_FATAL_FAILURE(get("/moved"));  // not followed: its Location is the redirect URL
  EXPECT_EQ(fetchtest::info_long(easy_.get(), FETCHINFO_RESPONSE_CODE), 302);
  ASSERT_NO_FATAL_FAILURE(get("/plain"));
  char *redirect = nullptr;
  ASSERT_EQ(fetch_easy_getinfo(easy_.get(), FETCHINFO_REDIRECT_URL, &redirect), FETCHE_OK);
  EXPECT_EQ(redirect, nullptr) << redirect;
  EXPECT_EQ(head_.rfind("HTTP/1.1 200", 0), 0u) << head_;

  // Every request went out whole on the one connection, each exactly once.
  EXPECT_EQ(server_.accepted(), 1u);
  std::vector<RecordedRequest> all = server_.requests();
  ASSERT_EQ(all.size(), 8u);
  const std::vector<std::string> targets = {"/gz",       "/plain",   "/post",  "/plain",
                                            "/big-head", "/chunked", "/moved", "/plain"};
  for (size_t i = 0; i < targets.size(); ++i) {
    EXPECT_TRUE(all[i].complete) << i;
    EXPECT_EQ(all[i].target, targets[i]) << i;
    EXPECT_EQ(all[i].method, i == 2 ? "POST" : "GET") << i;
    EXPECT_EQ(all[i].body, i == 2 ? "a=1&b=2" : "") << i;
    EXPECT_EQ(all[i].raw.find("HTTP/1.1\r\n"), all[i].raw.rfind("HTTP/1.1\r\n")) << all[i].raw;
  }
}

INSTANTIATE_TEST_SUITE_P(Drivers, ExchangeReuseTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
