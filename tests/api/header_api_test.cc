// The header API without a transfer (api/src/easy/header_api.cc, runtime/header_store.*):
// every FETCHHE_* argument error of curl_easy_header(3) / curl_easy_nextheader(3), the lookups
// on headers put into the handle's store directly (as the HTTP exchange does), and the limit
// options of api/src/options/set_limits.cc (MAXFILESIZE(_LARGE), MAXAGE_CONN, MAXLIFETIME_CONN).
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "easy/easy_handle.h"
#include "easy_fixture.h"

namespace {

constexpr unsigned kAll =
    FETCHH_HEADER | FETCHH_TRAILER | FETCHH_CONNECT | FETCHH_1XX | FETCHH_PSEUDO;

class HeaderApi : public fetchtest::EasyFixture {
 protected:
  // What the HTTP exchange does: each request it sends begins a request, then its headers.
  void add(const char *name, const char *value, unsigned origin, int request) {
    while (easy_->headers.last_request() < request) easy_->headers.begin_request();
    ASSERT_EQ(easy_->headers.add(name, value, origin), FETCHE_OK);
  }

  // (name, value) of every header nextheader walks through.
  std::vector<std::pair<std::string, std::string>> walk(unsigned origin, int request) {
    std::vector<std::pair<std::string, std::string>> out;
    fetch_header *prev = nullptr;
    for (int i = 0; i < 1000; ++i) {
      fetch_header *h = fetch_easy_nextheader(handle_, origin, request, prev);
      if (h == nullptr) break;
      out.emplace_back(h->name, h->value);
      prev = h;
    }
    return out;
  }
};

TEST_F(HeaderApi, BadArguments) {
  fetch_header *h = nullptr;
  EXPECT_EQ(fetch_easy_header(nullptr, "Server", 0, FETCHH_HEADER, -1, &h), FETCHHE_BAD_ARGUMENT);
  EXPECT_EQ(fetch_easy_header(handle_, nullptr, 0, FETCHH_HEADER, -1, &h), FETCHHE_BAD_ARGUMENT);
  EXPECT_EQ(fetch_easy_header(handle_, "Server", 0, FETCHH_HEADER, -1, nullptr),
            FETCHHE_BAD_ARGUMENT);
  EXPECT_EQ(fetch_easy_header(handle_, "Server", 0, 0, -1, &h), FETCHHE_BAD_ARGUMENT);
  EXPECT_EQ(fetch_easy_header(handle_, "Server", 0, kAll + 1, -1, &h), FETCHHE_BAD_ARGUMENT);
  EXPECT_EQ(fetch_easy_header(handle_, "Server", 0, 1u << 27, -1, &h), FETCHHE_BAD_ARGUMENT);
  EXPECT_EQ(fetch_easy_header(handle_, "Server", 0, FETCHH_HEADER, -2, &h), FETCHHE_BAD_ARGUMENT);
  // A pointer that is no easy handle (a multi handle) is refused, not read.
  FETCHM *multi = fetch_multi_init();
  ASSERT_NE(multi, nullptr);
  EXPECT_EQ(fetch_easy_header(reinterpret_cast<FETCH *>(multi), "Server", 0, FETCHH_HEADER, -1, &h),
            FETCHHE_BAD_ARGUMENT);
  EXPECT_EQ(fetch_easy_nextheader(reinterpret_cast<FETCH *>(multi), FETCHH_HEADER, -1, nullptr),
            nullptr);
  fetch_multi_cleanup(multi);
  EXPECT_EQ(h, nullptr);
  EXPECT_EQ(fetch_easy_nextheader(nullptr, FETCHH_HEADER, -1, nullptr), nullptr);
}

TEST_F(HeaderApi, NoTransferMeansNoHeaders) {
  fetch_header *h = nullptr;
  EXPECT_EQ(fetch_easy_header(handle_, "Server", 0, FETCHH_HEADER, -1, &h), FETCHHE_NOHEADERS);
  // Every origin bit at once is a valid mask; NOHEADERS comes before the request check.
  EXPECT_EQ(fetch_easy_header(handle_, "Server", 0, kAll, 7, &h), FETCHHE_NOHEADERS);
  EXPECT_EQ(h, nullptr);
  EXPECT_EQ(fetch_easy_nextheader(handle_, kAll, -1, nullptr), nullptr);
  EXPECT_EQ(fetch_easy_nextheader(handle_, kAll, 0, nullptr), nullptr);
}

TEST_F(HeaderApi, LookupsFollowCurlEasyHeader) {
  add("Content-Type", "text/plain", FETCHH_HEADER, 0);
  add("Set-Cookie", "a=1", FETCHH_HEADER, 0);
  add("set-cookie", "b=2", FETCHH_HEADER, 0);
  add("SET-COOKIE", "c=3", FETCHH_HEADER, 0);
  add("X-Sum", "abc", FETCHH_TRAILER, 0);
  fetch_header *h = nullptr;
  ASSERT_EQ(fetch_easy_header(handle_, "content-TYPE", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  EXPECT_STREQ(h->name, "Content-Type");  // the case it arrived in
  EXPECT_STREQ(h->value, "text/plain");
  EXPECT_EQ(h->amount, 1u);
  EXPECT_EQ(h->index, 0u);
  EXPECT_TRUE(h->origin & FETCHH_HEADER);
  EXPECT_FALSE(h->origin & (FETCHH_TRAILER | FETCHH_1XX | FETCHH_CONNECT | FETCHH_PSEUDO));
  EXPECT_NE(h->anchor, nullptr);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(fetch_easy_header(handle_, "Set-Cookie", i, FETCHH_HEADER, 0, &h), FETCHHE_OK);
    EXPECT_EQ(h->amount, 3u);
    EXPECT_EQ(h->index, i);
    EXPECT_EQ(std::string(h->value),
              std::string(1, static_cast<char>('a' + i)) + "=" + std::to_string(i + 1));
  }
  EXPECT_EQ(fetch_easy_header(handle_, "Set-Cookie", 3, FETCHH_HEADER, 0, &h), FETCHHE_BADINDEX);
  EXPECT_EQ(fetch_easy_header(handle_, "Set-Cooki", 0, FETCHH_HEADER, 0, &h), FETCHHE_MISSING);
  EXPECT_EQ(fetch_easy_header(handle_, "", 0, FETCHH_HEADER, 0, &h), FETCHHE_MISSING);
  // Origins filter: the trailer is not a header, and a header is not a trailer.
  EXPECT_EQ(fetch_easy_header(handle_, "X-Sum", 0, FETCHH_HEADER, 0, &h), FETCHHE_MISSING);
  ASSERT_EQ(fetch_easy_header(handle_, "x-sum", 0, FETCHH_TRAILER, 0, &h), FETCHHE_OK);
  EXPECT_TRUE(h->origin & FETCHH_TRAILER);
  EXPECT_EQ(fetch_easy_header(handle_, "Content-Type", 0, FETCHH_TRAILER, 0, &h), FETCHHE_MISSING);
  EXPECT_EQ(fetch_easy_header(handle_, "Content-Type", 0, FETCHH_1XX, 0, &h), FETCHHE_MISSING);
  // Only one request so far: request 1 does not exist.
  EXPECT_EQ(fetch_easy_header(handle_, "Content-Type", 0, FETCHH_HEADER, 1, &h), FETCHHE_NOREQUEST);
}

TEST_F(HeaderApi, RequestsAreCountedPerRedirectAndMinusOneIsTheLast) {
  add("Location", "/b", FETCHH_HEADER, 0);
  add("X-Hop", "a", FETCHH_HEADER, 0);
  add("X-Hop", "b-early", FETCHH_1XX, 1);
  add("X-Hop", "b", FETCHH_HEADER, 1);
  fetch_header *h = nullptr;
  ASSERT_EQ(fetch_easy_header(handle_, "X-Hop", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  EXPECT_STREQ(h->value, "b");
  EXPECT_EQ(h->amount, 1u);
  ASSERT_EQ(fetch_easy_header(handle_, "X-Hop", 0, FETCHH_HEADER, 0, &h), FETCHHE_OK);
  EXPECT_STREQ(h->value, "a");
  ASSERT_EQ(fetch_easy_header(handle_, "X-Hop", 1, FETCHH_HEADER | FETCHH_1XX, 1, &h), FETCHHE_OK);
  EXPECT_STREQ(h->value, "b");
  EXPECT_EQ(h->amount, 2u);
  EXPECT_EQ(fetch_easy_header(handle_, "Location", 0, FETCHH_HEADER, -1, &h), FETCHHE_MISSING);
  EXPECT_EQ(fetch_easy_header(handle_, "Location", 0, FETCHH_HEADER, 2, &h), FETCHHE_NOREQUEST);
  // The last request had no headers at all, yet exists (a redirect followed to it).
  easy_->headers.begin_request();
  EXPECT_EQ(fetch_easy_header(handle_, "X-Hop", 0, FETCHH_HEADER, -1, &h), FETCHHE_MISSING);
  EXPECT_EQ(fetch_easy_nextheader(handle_, kAll, -1, nullptr), nullptr);
}

TEST_F(HeaderApi, NextHeaderWalksInArrivalOrderWithinItsScope) {
  add("Link", "</a.css>", FETCHH_1XX, 0);
  add("Date", "today", FETCHH_HEADER, 0);
  add("X-Dup", "1", FETCHH_HEADER, 0);
  add("Server", "test", FETCHH_HEADER, 0);
  add("x-dup", "2", FETCHH_HEADER, 0);
  add("X-Sum", "abc", FETCHH_TRAILER, 0);
  using List = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(walk(FETCHH_HEADER, -1),
            (List{{"Date", "today"}, {"X-Dup", "1"}, {"Server", "test"}, {"x-dup", "2"}}));
  EXPECT_EQ(walk(FETCHH_1XX, 0), (List{{"Link", "</a.css>"}}));
  EXPECT_EQ(walk(FETCHH_TRAILER | FETCHH_1XX, 0), (List{{"Link", "</a.css>"}, {"X-Sum", "abc"}}));
  EXPECT_EQ(walk(kAll, 0).size(), 6u);
  EXPECT_TRUE(walk(FETCHH_CONNECT | FETCHH_PSEUDO, 0).empty());
  EXPECT_TRUE(walk(FETCHH_HEADER, 1).empty());
  // amount and index in iteration: among the headers of that name in the scope.
  fetch_header *h = fetch_easy_nextheader(handle_, FETCHH_HEADER, 0, nullptr);
  ASSERT_NE(h, nullptr);
  h = fetch_easy_nextheader(handle_, FETCHH_HEADER, 0, h);  // X-Dup 1
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->amount, 2u);
  EXPECT_EQ(h->index, 0u);
  h = fetch_easy_nextheader(handle_, FETCHH_HEADER, 0, h);  // Server
  h = fetch_easy_nextheader(handle_, FETCHH_HEADER, 0, h);  // x-dup 2
  ASSERT_NE(h, nullptr);
  EXPECT_STREQ(h->value, "2");
  EXPECT_EQ(h->amount, 2u);
  EXPECT_EQ(h->index, 1u);
  // fetch_easy_header's struct is its own: iterating does not clobber it, and it can seed
  // an iteration (its anchor is the header found).
  fetch_header *found = nullptr;
  ASSERT_EQ(fetch_easy_header(handle_, "server", 0, FETCHH_HEADER, 0, &found), FETCHHE_OK);
  h = fetch_easy_nextheader(handle_, FETCHH_HEADER, 0, found);
  ASSERT_NE(h, nullptr);
  EXPECT_STREQ(h->name, "x-dup");
  EXPECT_NE(h, found);
  EXPECT_STREQ(found->name, "Server");
  // A struct that did not come from the handle ends the walk instead of being trusted.
  fetch_header fake{};
  EXPECT_EQ(fetch_easy_nextheader(handle_, FETCHH_HEADER, 0, &fake), nullptr);
  fake.anchor = reinterpret_cast<void *>(uintptr_t{1} << 40);
  EXPECT_EQ(fetch_easy_nextheader(handle_, FETCHH_HEADER, 0, &fake), nullptr);
  EXPECT_EQ(fetch_easy_nextheader(handle_, FETCHH_HEADER, 5, nullptr), nullptr);
  EXPECT_EQ(fetch_easy_nextheader(handle_, FETCHH_HEADER, -2, nullptr), nullptr);
}

TEST_F(HeaderApi, ValuesStayValidWhileMoreHeadersArrive) {
  add("First", "one", FETCHH_HEADER, 0);
  fetch_header *h = nullptr;
  ASSERT_EQ(fetch_easy_header(handle_, "First", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  const char *name = h->name;
  const char *value = h->value;
  // Enough to need several arena blocks and a bigger entry table.
  const std::string big(20000, 'v');
  for (int i = 0; i < 500; ++i)
    add(("H" + std::to_string(i)).c_str(), big.c_str(), FETCHH_HEADER, 0);
  EXPECT_STREQ(name, "First");
  EXPECT_STREQ(value, "one");
  ASSERT_EQ(fetch_easy_header(handle_, "H499", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  EXPECT_EQ(std::string(h->value), big);
  EXPECT_EQ(walk(FETCHH_HEADER, 0).size(), 501u);
  // The next transfer (here: after a reset) starts over in the arena it kept.
  fetch_easy_reset(handle_);
  add("After", "reset", FETCHH_HEADER, 0);
  add("Big", big.c_str(), FETCHH_HEADER, 0);
  ASSERT_EQ(fetch_easy_header(handle_, "after", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  EXPECT_STREQ(h->value, "reset");
  ASSERT_EQ(fetch_easy_header(handle_, "big", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  EXPECT_EQ(std::string(h->value), big);
  EXPECT_EQ(walk(FETCHH_HEADER, 0).size(), 2u);
}

TEST_F(HeaderApi, ResetForgetsTheHeaders) {
  add("Server", "test", FETCHH_HEADER, 0);
  fetch_header *h = nullptr;
  ASSERT_EQ(fetch_easy_header(handle_, "Server", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  fetch_easy_reset(handle_);
  EXPECT_EQ(fetch_easy_header(handle_, "Server", 0, FETCHH_HEADER, -1, &h), FETCHHE_NOHEADERS);
  EXPECT_EQ(fetch_easy_nextheader(handle_, FETCHH_HEADER, -1, nullptr), nullptr);
  // A duplicate starts without headers too.
  add("Server", "again", FETCHH_HEADER, 0);
  FETCH *dup = fetch_easy_duphandle(handle_);
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(fetch_easy_header(dup, "Server", 0, FETCHH_HEADER, -1, &h), FETCHHE_NOHEADERS);
  fetch_easy_cleanup(dup);
}

// ---- the limit options ---------------------------------------------------------------------

TEST_F(HeaderApi, LimitOptionsRefuseNegativeValues) {
  char errbuf[FETCH_ERROR_SIZE] = {};
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_ERRORBUFFER, errbuf), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXFILESIZE, -1L), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_NE(std::string(errbuf).find("MAXFILESIZE"), std::string::npos) << errbuf;
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXFILESIZE_LARGE, fetch_off_t{-1}),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXAGE_CONN, -1L), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXLIFETIME_CONN, -1L),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  // Refused values leave the defaults.
  EXPECT_EQ(easy_->settings.max_filesize, 0);
  EXPECT_EQ(easy_->settings.maxage_conn_s, 118);
  EXPECT_EQ(easy_->settings.maxlifetime_conn_s, 0);
}

TEST_F(HeaderApi, LimitOptionsStoreAndReset) {
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXFILESIZE, 1000L), FETCHE_OK);
  EXPECT_EQ(easy_->settings.max_filesize, 1000);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXFILESIZE_LARGE, fetch_off_t{1} << 40),
            FETCHE_OK);
  EXPECT_EQ(easy_->settings.max_filesize, int64_t{1} << 40);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXFILESIZE, 0L), FETCHE_OK);
  EXPECT_EQ(easy_->settings.max_filesize, 0);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXAGE_CONN, 0L), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXAGE_CONN, 30L), FETCHE_OK);
  EXPECT_EQ(easy_->settings.maxage_conn_s, 30);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_MAXLIFETIME_CONN, 60L), FETCHE_OK);
  EXPECT_EQ(easy_->settings.maxlifetime_conn_s, 60);
  FETCH *dup = fetch_easy_duphandle(handle_);
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(fetch::as_easy(dup)->settings.maxage_conn_s, 30);
  EXPECT_EQ(fetch::as_easy(dup)->settings.maxlifetime_conn_s, 60);
  fetch_easy_cleanup(dup);
  fetch_easy_reset(handle_);
  EXPECT_EQ(easy_->settings.maxage_conn_s, 118);
  EXPECT_EQ(easy_->settings.maxlifetime_conn_s, 0);
  EXPECT_EQ(easy_->settings.max_filesize, 0);
}

}  // namespace
