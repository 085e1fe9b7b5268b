// Following redirects end to end, under each of the four drivers (runtime/drivers.h), against
// two scripted servers on 127.0.0.1 and 127.0.0.2 (two origins): chains, relative and absolute
// Location, the method rules, MAXREDIRS and loops, refused schemes, credentials that stay with
// the first origin, AUTOREFERER, the redirect infos, and what the callbacks see.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "runtime/redirect.h"
#include "server/http_server.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::http_response;
using fetchtest::HttpServer;
using fetchtest::HttpServerOptions;
using fetchtest::RecordedRequest;
using fetchtest::redirect_response;
using fetchtest::Script;

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

size_t collect_lines(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::vector<std::string> *>(userdata)->emplace_back(data, size * nmemb);
  return size * nmemb;
}

HttpServerOptions second_origin() {
  HttpServerOptions o;
  o.host = "127.0.0.2";
  return o;
}

class HttpRedirectTest : public ::testing::TestWithParam<Driver> {
 protected:
  HttpRedirectTest() : harness_(GetParam()), other_(second_origin()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
    ASSERT_EQ(other_.start(), 0);
  }

  std::string url(const std::string &target) const { return server_.origin() + target; }
  std::string other_url(const std::string &target) const { return other_.origin() + target; }

  // A handle following redirects, body to body_, error text to errbuf_.
  EasyPtr easy(const std::string &target, long follow = FETCHFOLLOW_ALL) {
    EasyPtr e(fetchtest::make_easy(url(target), {.connect_only = false, .errbuf = errbuf_}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &body_), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, follow), FETCHE_OK);
    return e;
  }

  FETCHcode perform(FETCH *e) {
    FETCHcode rc = harness_.run_one(e);
    harness_.remove(e);
    return rc;
  }

  // The requests `server` recorded once `count` of them settled.
  static std::vector<RecordedRequest> requests(const HttpServer &server, size_t count) {
    EXPECT_TRUE(server.wait_for_requests(count));
    std::vector<RecordedRequest> all = server.requests();
    EXPECT_EQ(all.size(), count);
    return all;
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  HttpServer other_;
  std::string body_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(HttpRedirectTest, ChainOfThreeAcrossTwoOrigins) {
  server_.on("/a", Script().send(redirect_response(302, other_url("/b"))));
  other_.on("/b", Script().send(redirect_response(301, "/c?x=1")));  // relative
  other_.on("/c", Script().send(redirect_response(307, url("/d"))));
  server_.on("/d", Script().send(http_response(200, {}, "done")));
  EasyPtr e = easy("/a");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "done");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 200);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REDIRECT_COUNT), 3);
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_EFFECTIVE_URL), url("/d"));
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_REDIRECT_URL), "(null)");
  fetch_off_t redirect_us = fetchtest::info_off(e.get(), FETCHINFO_REDIRECT_TIME_T);
  EXPECT_GT(redirect_us, 0);
  EXPECT_LE(redirect_us, fetchtest::info_off(e.get(), FETCHINFO_TOTAL_TIME_T));
  std::vector<RecordedRequest> other = requests(other_, 2);
  EXPECT_EQ(other[0].target, "/b");
  EXPECT_EQ(other[1].target, "/c?x=1");
  EXPECT_EQ(other[1].header("Host"), "127.0.0.2:" + std::to_string(other_.port()));
  std::vector<RecordedRequest> first = requests(server_, 2);
  EXPECT_EQ(first[1].target, "/d");
  // CURLINFO_REQUEST_SIZE(3): the total of every request of the chain, as sent.
  const size_t sent =
      first[0].raw.size() + first[1].raw.size() + other[0].raw.size() + other[1].raw.size();
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REQUEST_SIZE), static_cast<long>(sent));
}

// CONNECTTIMEOUT covers each hop's own resolve and connect: a slow first response must not
// leave the connect to the next origin with no time at all.
TEST_P(HttpRedirectTest, ConnectTimeoutIsPerHop) {
  using namespace std::chrono_literals;
  server_.on("/slow", Script().delay(700ms).send(redirect_response(302, other_url("/there"))));
  other_.on("/there", Script().send(http_response(200, {}, "arrived")));
  EasyPtr e = easy("/slow");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_CONNECTTIMEOUT_MS, 400L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "arrived");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REDIRECT_COUNT), 1);
}

TEST_P(HttpRedirectTest, PostBecomesGetOn301302And303) {
  for (int code : {301, 302, 303}) {
    server_.clear_requests();
    server_.on("/p", Script().send(redirect_response(code, "/g")));
    server_.on("/g", Script().send(http_response(200, {}, "got")));
    body_.clear();
    EasyPtr e = easy("/p");
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDS, "a=1"), FETCHE_OK);
    ASSERT_EQ(perform(e.get()), FETCHE_OK) << code << ": " << errbuf_;
    EXPECT_EQ(body_, "got");
    std::vector<RecordedRequest> all = requests(server_, 2);
    EXPECT_EQ(all[0].method, "POST");
    EXPECT_EQ(all[0].body, "a=1");
    EXPECT_EQ(all[1].method, "GET") << code;
    EXPECT_EQ(all[1].body, "");
    EXPECT_FALSE(all[1].has_header("Content-Length")) << code;
    EXPECT_FALSE(all[1].has_header("Content-Type")) << code;
    EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_EFFECTIVE_METHOD), "GET");
  }
}

TEST_P(HttpRedirectTest, PostRedirKeepsThePostOn302) {
  server_.on("/p", Script().send(redirect_response(302, "/q")));
  server_.on("/q", Script().send(http_response(200, {}, "ok")));
  EasyPtr e = easy("/p");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDS, "k=v"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTREDIR, FETCH_REDIR_POST_302), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  std::vector<RecordedRequest> all = requests(server_, 2);
  EXPECT_EQ(all[1].method, "POST");
  EXPECT_EQ(all[1].body, "k=v");
}

TEST_P(HttpRedirectTest, Code307KeepsThePostBodyByteExact) {
  std::string data("x\0y\r\n\xff z", 8);
  server_.on("/p", Script().send(redirect_response(307, other_url("/q"))));
  other_.on("/q", Script().send(http_response(200, {}, "ok")));
  EasyPtr e = easy("/p");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDSIZE, static_cast<long>(data.size())),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDS, data.data()), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  RecordedRequest q = requests(other_, 1)[0];
  EXPECT_EQ(q.method, "POST");
  EXPECT_EQ(q.body, data);
  EXPECT_EQ(q.header("Content-Length"), "8");
}

TEST_P(HttpRedirectTest, CustomRequestPerFollowMode) {
  const struct {
    long mode;
    const char *second;
  } cases[] = {
      {FETCHFOLLOW_ALL, "DELETE"}, {FETCHFOLLOW_OBEYCODE, "GET"}, {FETCHFOLLOW_FIRSTONLY, "GET"}};
  server_.on("/a", Script().send(redirect_response(302, "/b")));
  server_.on("/b", Script().send(http_response(200, {}, "ok")));
  for (const auto &c : cases) {
    server_.clear_requests();
    EasyPtr e = easy("/a", c.mode);
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_CUSTOMREQUEST, "DELETE"), FETCHE_OK);
    ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
    std::vector<RecordedRequest> all = requests(server_, 2);
    EXPECT_EQ(all[0].method, "DELETE");
    EXPECT_EQ(all[1].method, c.second) << "mode " << c.mode;
  }
}

TEST_P(HttpRedirectTest, HeadStaysHeadOn303) {
  server_.on("/a", Script().send(redirect_response(303, "/b")));
  server_.on("/b", Script().send(http_response(200, {{"Content-Length", "3"}})));
  EasyPtr e = easy("/a");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_NOBODY, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(requests(server_, 2)[1].method, "HEAD");
}

TEST_P(HttpRedirectTest, MaxRedirsGivesTooManyRedirects) {
  server_.on("/loop", Script().send(redirect_response(302, "/loop")));
  EasyPtr e = easy("/loop");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXREDIRS, 2L), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_TOO_MANY_REDIRECTS);
  EXPECT_STREQ(errbuf_, "Maximum (2) redirects followed");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REDIRECT_COUNT), 2);
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_REDIRECT_URL), url("/loop"));
  requests(server_, 3);
}

TEST_P(HttpRedirectTest, LoopStopsAfterTheDefault30) {
  server_.on("/a", Script().send(redirect_response(302, "/b")));
  server_.on("/b", Script().send(redirect_response(302, "/a")));
  EasyPtr e = easy("/a");
  EXPECT_EQ(perform(e.get()), FETCHE_TOO_MANY_REDIRECTS);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REDIRECT_COUNT), 30);
  requests(server_, 31);
  EXPECT_EQ(server_.accepted(), 1u) << "the same origin reuses its connection";
}

TEST_P(HttpRedirectTest, SchemesOutsideRedirProtocolsFailWithUnsupportedProtocol) {
  for (const char *target : {"file:///etc/passwd", "gopher://127.0.0.1/x"}) {
    server_.on("/a", Script().send(redirect_response(302, target)));
    EasyPtr e = easy("/a");
    EXPECT_EQ(perform(e.get()), FETCHE_UNSUPPORTED_PROTOCOL) << target;
    EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REDIRECT_COUNT), 0);
  }
}

TEST_P(HttpRedirectTest, UnparsableLocationFailsWithUrlMalformat) {
  server_.on("/a", Script().send(redirect_response(302, "http://[::1/")));
  EasyPtr e = easy("/a");
  EXPECT_EQ(perform(e.get()), FETCHE_URL_MALFORMAT);
}

TEST_P(HttpRedirectTest, CredentialHeadersStayWithTheFirstOrigin) {
  server_.on("/a", Script().send(redirect_response(302, "/b")));
  server_.on("/b", Script().send(redirect_response(302, other_url("/c"))));
  other_.on("/c", Script().send(http_response(200, {}, "ok")));
  fetchtest::SlistPtr headers =
      fetchtest::make_slist({"Authorization: Bearer s3cret", "Cookie: c=1", "X-Keep: yes"});
  EasyPtr e = easy("/a");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, headers.get()), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  RecordedRequest same = requests(server_, 2)[1];
  EXPECT_EQ(same.header("Authorization"), "Bearer s3cret");
  EXPECT_EQ(same.header("Cookie"), "c=1");
  RecordedRequest cross = requests(other_, 1)[0];
  EXPECT_FALSE(cross.has_header("Authorization")) << cross.raw;
  EXPECT_FALSE(cross.has_header("Cookie")) << cross.raw;
  EXPECT_EQ(cross.header("X-Keep"), "yes");
}

// "First origin" is the transfer's first URL, not the previous hop's: back at it after a hop
// elsewhere, the credentials are sent again; on a recycled handle the next transfer starts over.
TEST_P(HttpRedirectTest, CredentialsReturnWithTheFirstOriginAfterAHopElsewhere) {
  server_.on("/a", Script().send(redirect_response(302, other_url("/b"))));
  other_.on("/b", Script().send(redirect_response(302, url("/c"))));
  server_.on("/c", Script().send(http_response(200, {}, "ok")));
  fetchtest::SlistPtr headers = fetchtest::make_slist({"Authorization: Bearer s3cret"});
  EasyPtr e = easy("/a");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, headers.get()), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_FALSE(requests(other_, 1)[0].has_header("Authorization"));
  EXPECT_EQ(requests(server_, 2)[1].header("Authorization"), "Bearer s3cret");
  // The same handle again, now starting at the other origin: that is the first origin now.
  other_.on("/d", Script().send(redirect_response(302, url("/c"))));
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_URL, other_url("/d").c_str()), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(requests(other_, 2)[1].header("Authorization"), "Bearer s3cret");
  EXPECT_FALSE(requests(server_, 3)[2].has_header("Authorization"));
}

TEST_P(HttpRedirectTest, UnrestrictedAuthSendsCredentialsEverywhere) {
  server_.on("/a", Script().send(redirect_response(302, other_url("/c"))));
  other_.on("/c", Script().send(http_response(200, {}, "ok")));
  fetchtest::SlistPtr headers = fetchtest::make_slist({"Authorization: Bearer s3cret"});
  EasyPtr e = easy("/a");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, headers.get()), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UNRESTRICTED_AUTH, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(requests(other_, 1)[0].header("Authorization"), "Bearer s3cret");
}

TEST_P(HttpRedirectTest, AutoRefererSendsThePreviousUrl) {
  server_.on("/a", Script().send(redirect_response(302, other_url("/b"))));
  other_.on("/b", Script().send(http_response(200, {}, "ok")));
  EasyPtr e = easy("/a?q=1#frag");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_AUTOREFERER, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_FALSE(requests(server_, 1)[0].has_header("Referer"));
  EXPECT_EQ(requests(other_, 1)[0].header("Referer"), url("/a?q=1"));
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_REFERER), url("/a?q=1"));
}

TEST_P(HttpRedirectTest, WithoutFollowLocationRedirectUrlIsAbsolute) {
  server_.on("/dir/a", Script().send(http_response(302, {{"Location", "b/c?x"}}, "moved")));
  EasyPtr e = easy("/dir/a", 0);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 302);
  EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_REDIRECT_URL), url("/dir/b/c?x"));
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REDIRECT_COUNT), 0);
  EXPECT_EQ(body_, "moved") << "a redirect that is not followed delivers its body";
}

TEST_P(HttpRedirectTest, RedirectBodyIsIgnoredButEveryHeadIsDelivered) {
  server_.on("/a", Script().send(http_response(302, {{"Location", "/b"}}, "moved here")));
  server_.on("/b", Script().send(http_response(200, {}, "final")));
  std::vector<std::string> lines;
  EasyPtr e = easy("/a");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERFUNCTION, &collect_lines), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERDATA, &lines), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "final");
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T), 5);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "HTTP/1.1 302 Found\r\n");
  bool final_head = false;
  for (const std::string &l : lines) final_head = final_head || l == "HTTP/1.1 200 OK\r\n";
  EXPECT_TRUE(final_head);
  EXPECT_EQ(server_.accepted(), 1u) << "the same origin reuses its connection";
}

INSTANTIATE_TEST_SUITE_P(Drivers, HttpRedirectTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
