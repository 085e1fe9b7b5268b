// The redirect decisions of runtime/redirect.cc, without any I/O: which responses redirect,
// where to (relative and absolute Location), with which method (CURLOPT_FOLLOWLOCATION(3),
// CURLOPT_POSTREDIR(3)), and when the transfer fails instead (MAXREDIRS, REDIR_PROTOCOLS_STR,
// an unparsable Location). Also the helpers for AUTOREFERER and UNRESTRICTED_AUTH.
#include "runtime/redirect.h"

#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using fetch::RedirectDecision;
using fetch::RedirectInput;
using fetch::RequestMethod;
using Kind = RedirectDecision::Kind;

constexpr const char *kDefaultProtocols = "http,https,ftp,ftps";

fetch::url::Url parse(const char *text) {
  fetch::url::Url u;
  EXPECT_EQ(fetch::url::parse(text, 0, u), FETCHUE_OK) << text;
  return u;
}

class RedirectDecisionTest : public ::testing::Test {
 protected:
  RedirectInput input(int status, const char *location,
                      RequestMethod method = RequestMethod::kGet) {
    RedirectInput in;
    in.status = status;
    in.location = location;
    in.current = &current_;
    in.method = method;
    in.follow = FETCHFOLLOW_ALL;
    in.protocols = kDefaultProtocols;
    return in;
  }

  fetch::url::Url current_ = parse("http://user:pw@127.0.0.1:8080/dir/page?x=1#frag");
};

TEST_F(RedirectDecisionTest, RedirectStatuses) {
  for (int code : {300, 301, 302, 303, 305, 307, 308}) {
    EXPECT_TRUE(fetch::is_redirect_status(code)) << code;
  }
  for (int code : {200, 204, 304, 400, 299, 400}) {
    EXPECT_FALSE(fetch::is_redirect_status(code)) << code;
  }
}

TEST_F(RedirectDecisionTest, NoLocationOrNoRedirectStatusIsNotFollowed) {
  EXPECT_EQ(fetch::decide_redirect(input(302, "")).kind, Kind::kNone);
  RedirectDecision d = fetch::decide_redirect(input(200, "/elsewhere"));
  EXPECT_EQ(d.kind, Kind::kNone);
  EXPECT_EQ(d.url, "");
  EXPECT_EQ(fetch::decide_redirect(input(304, "/elsewhere")).kind, Kind::kNone);
}

TEST_F(RedirectDecisionTest, RelativeLocationResolvesAgainstTheCurrentUrl) {
  RedirectDecision d = fetch::decide_redirect(input(302, "next?y=2"));
  ASSERT_EQ(d.kind, Kind::kFollow);
  EXPECT_EQ(d.url, "http://user:pw@127.0.0.1:8080/dir/next?y=2");
  d = fetch::decide_redirect(input(301, "/top"));
  EXPECT_EQ(d.url, "http://user:pw@127.0.0.1:8080/top");
  d = fetch::decide_redirect(input(301, "//127.0.0.2:9/x"));
  EXPECT_EQ(d.url, "http://127.0.0.2:9/x");
}

TEST_F(RedirectDecisionTest, SpacesInTheLocationAreEncoded) {
  RedirectDecision d = fetch::decide_redirect(input(302, "/a b"));
  ASSERT_EQ(d.kind, Kind::kFollow);
  EXPECT_EQ(d.url, "http://user:pw@127.0.0.1:8080/a%20b");
}

TEST_F(RedirectDecisionTest, AbsoluteLocationDropsTheFragment) {
  RedirectDecision d = fetch::decide_redirect(input(307, "http://127.0.0.2:81/a#f"));
  ASSERT_EQ(d.kind, Kind::kFollow);
  EXPECT_EQ(d.url, "http://127.0.0.2:81/a");
  EXPECT_EQ(d.target.host.value_or(""), "127.0.0.2");
}

TEST_F(RedirectDecisionTest, WithoutFollowLocationTheUrlIsStillReported) {
  RedirectInput in = input(302, "/moved");
  in.follow = 0;
  RedirectDecision d = fetch::decide_redirect(in);
  EXPECT_EQ(d.kind, Kind::kNone);
  EXPECT_EQ(d.url, "http://user:pw@127.0.0.1:8080/moved");
}

TEST_F(RedirectDecisionTest, PostTurnsIntoGetOn301To303) {
  for (int code : {301, 302, 303}) {
    RedirectDecision d = fetch::decide_redirect(input(code, "/p", RequestMethod::kPost));
    ASSERT_EQ(d.kind, Kind::kFollow);
    EXPECT_EQ(d.method, RequestMethod::kGet) << code;
  }
}

TEST_F(RedirectDecisionTest, PostRedirBitsKeepThePost) {
  const struct {
    int code;
    long bits;
  } cases[] = {
      {301, FETCH_REDIR_POST_301}, {302, FETCH_REDIR_POST_302}, {303, FETCH_REDIR_POST_303}};
  for (const auto &c : cases) {
    RedirectInput in = input(c.code, "/p", RequestMethod::kPost);
    in.postredir = c.bits;
    EXPECT_EQ(fetch::decide_redirect(in).method, RequestMethod::kPost) << c.code;
    in.postredir = FETCH_REDIR_POST_ALL & ~c.bits;  // the other bits do not help
    EXPECT_EQ(fetch::decide_redirect(in).method, RequestMethod::kGet) << c.code;
  }
}

TEST_F(RedirectDecisionTest, Codes307And308KeepTheMethod) {
  for (int code : {307, 308}) {
    for (RequestMethod m : {RequestMethod::kPost, RequestMethod::kPut, RequestMethod::kHead}) {
      EXPECT_EQ(fetch::decide_redirect(input(code, "/p", m)).method, m) << code;
    }
  }
}

TEST_F(RedirectDecisionTest, Code303TurnsPutIntoGetButKeepsHead) {
  EXPECT_EQ(fetch::decide_redirect(input(303, "/p", RequestMethod::kPut)).method,
            RequestMethod::kGet);
  EXPECT_EQ(fetch::decide_redirect(input(303, "/p", RequestMethod::kHead)).method,
            RequestMethod::kHead);
  // 301 and 302 change only a POST.
  EXPECT_EQ(fetch::decide_redirect(input(302, "/p", RequestMethod::kPut)).method,
            RequestMethod::kPut);
}

TEST_F(RedirectDecisionTest, CustomRequestPerFollowMode) {
  RedirectInput in = input(302, "/p");
  in.custom = true;
  in.follow = FETCHFOLLOW_ALL;
  EXPECT_TRUE(fetch::decide_redirect(in).custom);
  in.follow = FETCHFOLLOW_OBEYCODE;
  EXPECT_FALSE(fetch::decide_redirect(in).custom);  // 301/302/303 say GET
  in.status = 307;
  EXPECT_TRUE(fetch::decide_redirect(in).custom);
  in.follow = FETCHFOLLOW_FIRSTONLY;
  EXPECT_FALSE(fetch::decide_redirect(in).custom);
}

TEST_F(RedirectDecisionTest, MaxRedirsStopsWithTooManyRedirects) {
  RedirectInput in = input(302, "/again");
  in.max_redirs = 3;
  in.followed = 2;
  EXPECT_EQ(fetch::decide_redirect(in).kind, Kind::kFollow);
  in.followed = 3;
  RedirectDecision d = fetch::decide_redirect(in);
  EXPECT_EQ(d.kind, Kind::kFail);
  EXPECT_EQ(d.code, FETCHE_TOO_MANY_REDIRECTS);
  EXPECT_EQ(d.message, "Maximum (3) redirects followed");
  EXPECT_EQ(d.url, "http://user:pw@127.0.0.1:8080/again");  // REDIRECT_URL still says where
  in.max_redirs = 0;
  in.followed = 0;
  EXPECT_EQ(fetch::decide_redirect(in).code, FETCHE_TOO_MANY_REDIRECTS);
  in.max_redirs = -1;
  in.followed = 100000;
  EXPECT_EQ(fetch::decide_redirect(in).kind, Kind::kFollow);
}

TEST_F(RedirectDecisionTest, SchemesOutsideRedirProtocolsAreRefused) {
  for (const char *loc : {"file:///etc/passwd", "gopher://127.0.0.1/x", "dict://h/x"}) {
    RedirectDecision d = fetch::decide_redirect(input(302, loc));
    EXPECT_EQ(d.kind, Kind::kFail) << loc;
    EXPECT_EQ(d.code, FETCHE_UNSUPPORTED_PROTOCOL) << loc;
  }
  RedirectInput in = input(302, "https://127.0.0.1/");
  in.protocols = "http";
  EXPECT_EQ(fetch::decide_redirect(in).code, FETCHE_UNSUPPORTED_PROTOCOL);
  in.protocols = "";  // "all"
  EXPECT_EQ(fetch::decide_redirect(in).kind, Kind::kFollow);
}

TEST_F(RedirectDecisionTest, UnparsableLocationIsUrlMalformat) {
  for (const char *loc : {"http://[::1/", "http://127.0.0.1:99999/"}) {
    RedirectDecision d = fetch::decide_redirect(input(302, loc));
    EXPECT_EQ(d.kind, Kind::kFail) << loc;
    EXPECT_EQ(d.code, FETCHE_URL_MALFORMAT) << loc;
  }
}

TEST(RedirectHelpers, ProtocolList) {
  EXPECT_TRUE(fetch::protocol_allowed("http", kDefaultProtocols));
  EXPECT_TRUE(fetch::protocol_allowed("FTPS", kDefaultProtocols));
  EXPECT_FALSE(fetch::protocol_allowed("file", kDefaultProtocols));
  EXPECT_FALSE(fetch::protocol_allowed("htt", kDefaultProtocols));
  EXPECT_TRUE(fetch::protocol_allowed("gopher", ""));
}

TEST(RedirectHelpers, SameOriginComparesSchemeHostAndPort) {
  fetch::url::Url a = parse("http://Example.com/a");
  EXPECT_TRUE(fetch::same_origin(a, parse("http://example.com:80/b")));
  EXPECT_FALSE(fetch::same_origin(a, parse("http://example.com:81/b")));
  EXPECT_FALSE(fetch::same_origin(a, parse("https://example.com:80/b")));
  EXPECT_FALSE(fetch::same_origin(a, parse("http://example.org/a")));
}

TEST(RedirectHelpers, RefererHasNoCredentialsNorFragment) {
  EXPECT_EQ(fetch::referer_for(parse("http://u:p@h:81/a?b=1#c")), "http://h:81/a?b=1");
}

TEST(RedirectHelpers, CredentialHeadersAreFilteredWithoutCopies) {
  std::string entries[] = {"Authorization: Bearer x", "X-A: 1", "cookie: a=b",       "COOKIE;",
                           "Authorization:",          "X-B: 2", "Authorizations: no"};
  std::vector<fetch_slist> nodes(std::size(entries));
  for (size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].data = entries[i].data();
    nodes[i].next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
  }
  std::vector<fetch_slist> storage;
  const fetch_slist *kept = fetch::without_credentials(nodes.data(), storage);
  std::vector<std::string> seen;
  for (const fetch_slist *n = kept; n != nullptr; n = n->next) {
    seen.emplace_back(n->data);
    bool points_into_the_original = false;
    for (std::string &e : entries) points_into_the_original |= n->data == e.data();
    EXPECT_TRUE(points_into_the_original);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"X-A: 1", "X-B: 2", "Authorizations: no"}));
  nodes.resize(1);
  nodes[0].next = nullptr;
  EXPECT_EQ(fetch::without_credentials(nodes.data(), storage), nullptr);
}

}  // namespace

namespace {

struct EasyCloser {
  void operator()(FETCH *h) const { fetch_easy_cleanup(h); }
};
using Easy = std::unique_ptr<FETCH, EasyCloser>;

TEST(RedirectOptions, FollowLocationAcceptsTheFourModes) {
  Easy e(fetch_easy_init());
  for (long mode : {0L, 1L, 2L, 3L}) {
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, mode), FETCHE_OK) << mode;
  }
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, 4L), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, -1L), FETCHE_BAD_FUNCTION_ARGUMENT);
}

TEST(RedirectOptions, MaxRedirsAndPostRedirRanges) {
  Easy e(fetch_easy_init());
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXREDIRS, -1L), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXREDIRS, 1000000L), FETCHE_OK);  // clamped
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXREDIRS, -2L), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTREDIR, FETCH_REDIR_POST_ALL), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_POSTREDIR, -1L), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_AUTOREFERER, 1L), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UNRESTRICTED_AUTH, 1L), FETCHE_OK);
}

TEST(RedirectOptions, RedirProtocolsStr) {
  Easy e(fetch_easy_init());
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_REDIR_PROTOCOLS_STR, "http,HTTPS"), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_REDIR_PROTOCOLS_STR, "all"), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_REDIR_PROTOCOLS_STR, nullptr), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_REDIR_PROTOCOLS_STR, "http,nope"),
            FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_REDIR_PROTOCOLS_STR, ""),
            FETCHE_BAD_FUNCTION_ARGUMENT);
}

TEST(RedirectInfos, BeforeAnyTransfer) {
  Easy e(fetch_easy_init());
  long count = -1;
  EXPECT_EQ(fetch_easy_getinfo(e.get(), FETCHINFO_REDIRECT_COUNT, &count), FETCHE_OK);
  EXPECT_EQ(count, 0);
  fetch_off_t us = -1;
  EXPECT_EQ(fetch_easy_getinfo(e.get(), FETCHINFO_REDIRECT_TIME_T, &us), FETCHE_OK);
  EXPECT_EQ(us, 0);
  char *text = reinterpret_cast<char *>(1);
  EXPECT_EQ(fetch_easy_getinfo(e.get(), FETCHINFO_REFERER, &text), FETCHE_OK);
  EXPECT_EQ(text, nullptr);
  text = reinterpret_cast<char *>(1);
  EXPECT_EQ(fetch_easy_getinfo(e.get(), FETCHINFO_REDIRECT_URL, &text), FETCHE_OK);
  EXPECT_EQ(text, nullptr);
}

}  // namespace
