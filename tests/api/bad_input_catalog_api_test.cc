// The "At the API boundary" table of the bad-input catalog (/work/shared/BAD-INPUT.md; coverage
// map in docs/BAD-INPUT-STATUS.md), one table row per test, for what libfetch builds today. Each
// refused value gives libcurl's code, a reason in the error buffer, and leaves the option as it
// was. Nothing here opens a connection: the URL cases fail while parsing, before any connect.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

struct EasyDeleter {
  void operator()(FETCH *h) const { fetch_easy_cleanup(h); }
};
using Easy = std::unique_ptr<FETCH, EasyDeleter>;

// A fresh handle with an error buffer.
class ApiBoundary : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(easy_);
    ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_ERRORBUFFER, errbuf_), FETCHE_OK);
  }

  FETCHcode set_long(FETCHoption option, long value) {
    errbuf_[0] = '\0';
    return fetch_easy_setopt(easy_.get(), option, value);
  }
  FETCHcode set_off(FETCHoption option, fetch_off_t value) {
    errbuf_[0] = '\0';
    return fetch_easy_setopt(easy_.get(), option, value);
  }
  FETCHcode set_str(FETCHoption option, const char *value) {
    errbuf_[0] = '\0';
    return fetch_easy_setopt(easy_.get(), option, value);
  }

  // `option` = `value` is refused with `code` and a reason.
  void expect_refused_long(FETCHoption option, long value,
                           FETCHcode code = FETCHE_BAD_FUNCTION_ARGUMENT) {
    SCOPED_TRACE(std::string(fetch_easy_option_by_id(option)->name) + " = " +
                 std::to_string(value));
    EXPECT_EQ(set_long(option, value), code);
    EXPECT_NE(errbuf_[0], '\0') << "no reason in the error buffer";
  }
  void expect_accepted_long(FETCHoption option, long value) {
    SCOPED_TRACE(std::string(fetch_easy_option_by_id(option)->name) + " = " +
                 std::to_string(value));
    EXPECT_EQ(set_long(option, value), FETCHE_OK) << errbuf_;
  }

  // A perform that must fail while parsing the URL, before any connection.
  FETCHcode perform_url(const std::string &url) {
    EXPECT_EQ(set_str(FETCHOPT_URL, url.c_str()), FETCHE_OK) << "URL is copied, not parsed";
    EXPECT_EQ(set_long(FETCHOPT_CONNECTTIMEOUT_MS, 2000), FETCHE_OK);
    errbuf_[0] = '\0';
    FETCHcode rc = fetch_easy_perform(easy_.get());
    EXPECT_NE(errbuf_[0], '\0') << url << ": no reason in the error buffer";
    long connects = -1;
    EXPECT_EQ(fetch_easy_getinfo(easy_.get(), FETCHINFO_NUM_CONNECTS, &connects), FETCHE_OK);
    EXPECT_EQ(connects, 0) << url;
    return rc;
  }

  Easy easy_{fetch_easy_init()};
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_F(ApiBoundary, UnknownOptionIs48) {
  for (long id : {9999L, 10999L, 20999L, 30999L, 40999L}) {
    EXPECT_EQ(set_long(static_cast<FETCHoption>(id), 0), FETCHE_UNKNOWN_OPTION) << id;
  }
  FETCHM *multi = fetch_multi_init();
  ASSERT_NE(multi, nullptr);
  EXPECT_EQ(fetch_multi_setopt(multi, static_cast<FETCHMoption>(99999), 1L), FETCHM_UNKNOWN_OPTION);
  EXPECT_EQ(fetch_multi_cleanup(multi), FETCHM_OK);
}

TEST_F(ApiBoundary, KnownButNotBuiltIs4) {
  // HTTPAUTH: no scheme is built, so no bit is left either way (libcurl gives 4 then too).
  expect_refused_long(FETCHOPT_HTTPAUTH, FETCHAUTH_BASIC, FETCHE_NOT_BUILT_IN);
  expect_refused_long(FETCHOPT_SSLVERSION, FETCH_SSLVERSION_TLSv1_2, FETCHE_NOT_BUILT_IN);
  expect_refused_long(FETCHOPT_USE_SSL, FETCHUSESSL_ALL, FETCHE_NOT_BUILT_IN);
}

TEST_F(ApiBoundary, NegativeTimeoutsAre43AndHugeOnesSaturate) {
  for (FETCHoption option : {FETCHOPT_TIMEOUT, FETCHOPT_TIMEOUT_MS, FETCHOPT_CONNECTTIMEOUT,
                             FETCHOPT_CONNECTTIMEOUT_MS}) {
    expect_refused_long(option, -1);
    expect_accepted_long(option, LONG_MAX);
    expect_accepted_long(option, 0);
  }
  // DNS_CACHE_TIMEOUT: -1 means forever; below that is refused.
  expect_accepted_long(FETCHOPT_DNS_CACHE_TIMEOUT, -1);
  expect_refused_long(FETCHOPT_DNS_CACHE_TIMEOUT, -2);
  expect_accepted_long(FETCHOPT_DNS_CACHE_TIMEOUT, LONG_MAX);
  expect_refused_long(FETCHOPT_EXPECT_100_TIMEOUT_MS, -1);
}

TEST_F(ApiBoundary, PortsOutside0To65535Are43) {
  for (FETCHoption option : {FETCHOPT_PORT, FETCHOPT_LOCALPORT, FETCHOPT_LOCALPORTRANGE}) {
    expect_refused_long(option, -1);
    expect_refused_long(option, 65536);
    expect_accepted_long(option, 65535);
  }
}

TEST_F(ApiBoundary, EnumerationsOutOfRangeAre43) {
  expect_refused_long(FETCHOPT_IPRESOLVE, 3);
  expect_refused_long(FETCHOPT_IPRESOLVE, -1);
  expect_refused_long(FETCHOPT_FOLLOWLOCATION, 4);
  expect_accepted_long(FETCHOPT_FOLLOWLOCATION, 3);
  expect_refused_long(FETCHOPT_CONNECT_ONLY, 3);
  expect_accepted_long(FETCHOPT_CONNECT_ONLY, 2);
  expect_refused_long(FETCHOPT_POSTREDIR, -1);
}

TEST_F(ApiBoundary, SizesBelowMinusOneAre43) {
  expect_refused_long(FETCHOPT_POSTFIELDSIZE, -2);
  expect_accepted_long(FETCHOPT_POSTFIELDSIZE, -1);
  expect_refused_long(FETCHOPT_INFILESIZE, -2);
  expect_accepted_long(FETCHOPT_INFILESIZE, -1);
  EXPECT_EQ(set_off(FETCHOPT_POSTFIELDSIZE_LARGE, -2), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_NE(errbuf_[0], '\0');
  EXPECT_EQ(set_off(FETCHOPT_INFILESIZE_LARGE, -2), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_NE(errbuf_[0], '\0');
}

TEST_F(ApiBoundary, MaxRedirsIsClampedAndBelowMinusOneIs43) {
  expect_accepted_long(FETCHOPT_MAXREDIRS, -1);
  expect_accepted_long(FETCHOPT_MAXREDIRS, 1000000);  // clamped to 32767
  expect_refused_long(FETCHOPT_MAXREDIRS, -2);
}

TEST_F(ApiBoundary, BooleansAboveOneCountAsTrue) {
  for (FETCHoption option : {FETCHOPT_VERBOSE, FETCHOPT_NOSIGNAL, FETCHOPT_FAILONERROR,
                             FETCHOPT_AUTOREFERER, FETCHOPT_FORBID_REUSE, FETCHOPT_NOBODY}) {
    expect_accepted_long(option, 2);
    expect_accepted_long(option, LONG_MAX);
    expect_accepted_long(option, 0);
  }
}

TEST_F(ApiBoundary, HttpVersionBelowZeroIs43AndUnbuiltIs1) {
  expect_refused_long(FETCHOPT_HTTP_VERSION, -1);
  expect_refused_long(FETCHOPT_HTTP_VERSION, FETCH_HTTP_VERSION_2_0, FETCHE_UNSUPPORTED_PROTOCOL);
  expect_refused_long(FETCHOPT_HTTP_VERSION, FETCH_HTTP_VERSION_3, FETCHE_UNSUPPORTED_PROTOCOL);
  expect_accepted_long(FETCHOPT_HTTP_VERSION, FETCH_HTTP_VERSION_1_1);
}

TEST_F(ApiBoundary, ProtocolListsUnknownIs1EmptyIs43NullResets) {
  for (FETCHoption option : {FETCHOPT_PROTOCOLS_STR, FETCHOPT_REDIR_PROTOCOLS_STR}) {
    SCOPED_TRACE(fetch_easy_option_by_id(option)->name);
    EXPECT_EQ(set_str(option, "http,nosuchscheme"), FETCHE_UNSUPPORTED_PROTOCOL);
    EXPECT_NE(errbuf_[0], '\0');
    EXPECT_EQ(set_str(option, ""), FETCHE_BAD_FUNCTION_ARGUMENT);
    EXPECT_NE(errbuf_[0], '\0');
    EXPECT_EQ(set_str(option, nullptr), FETCHE_OK);
  }
}

TEST_F(ApiBoundary, StringsOver8000000BytesAre43) {
  const std::string huge(8000001, 'a');
  for (FETCHoption option : {FETCHOPT_URL, FETCHOPT_USERAGENT, FETCHOPT_CUSTOMREQUEST,
                             FETCHOPT_REFERER, FETCHOPT_ACCEPT_ENCODING}) {
    SCOPED_TRACE(fetch_easy_option_by_id(option)->name);
    EXPECT_EQ(set_str(option, huge.c_str()), FETCHE_BAD_FUNCTION_ARGUMENT);
    EXPECT_NE(errbuf_[0], '\0');
  }
}

TEST_F(ApiBoundary, HeaderStringsWithCrOrLfAre43AtSetopt) {
  for (FETCHoption option : {FETCHOPT_USERAGENT, FETCHOPT_REFERER, FETCHOPT_CUSTOMREQUEST}) {
    for (const char *value : {"a\rb", "a\nb", "a\r\nX-Injected: 1"}) {
      SCOPED_TRACE(fetch_easy_option_by_id(option)->name);
      EXPECT_EQ(set_str(option, value), FETCHE_BAD_FUNCTION_ARGUMENT);
      EXPECT_NE(errbuf_[0], '\0');
    }
  }
}

TEST_F(ApiBoundary, UrlIsCopiedAtSetoptAndRefusedAtPerformWith3) {
  for (const char *url :
       {"http://127.0.0.1/a\x01z", "http://127.0.0.1/a b", "http://127.0.0.1\x7f/",
        "http://127.0.0.1:99999/", "http://127.0.0.1:-1/", "http://[::1/", "http://[::g]/"}) {
    EXPECT_EQ(perform_url(url), FETCHE_URL_MALFORMAT) << url;
  }
}

TEST_F(ApiBoundary, UrlWithAnUnknownSchemeIs1) {
  EXPECT_EQ(perform_url("nosuchscheme://127.0.0.1/"), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_EQ(perform_url("gopher://127.0.0.1/"), FETCHE_UNSUPPORTED_PROTOCOL);
}

TEST(ApiBoundaryHandles, NullAndWrongHandles) {
  EXPECT_EQ(fetch_easy_setopt(nullptr, FETCHOPT_VERBOSE, 1L), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_perform(nullptr), FETCHE_BAD_FUNCTION_ARGUMENT);
  long code = 0;
  EXPECT_EQ(fetch_easy_getinfo(nullptr, FETCHINFO_RESPONSE_CODE, &code),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  int running = 0;
  EXPECT_EQ(fetch_multi_perform(nullptr, &running), FETCHM_BAD_HANDLE);
  EXPECT_EQ(fetch_multi_cleanup(nullptr), FETCHM_BAD_HANDLE);
  FETCHM *multi = fetch_multi_init();
  ASSERT_NE(multi, nullptr);
  Easy easy(fetch_easy_init());
  EXPECT_EQ(fetch_multi_add_handle(nullptr, easy.get()), FETCHM_BAD_HANDLE);
  EXPECT_EQ(fetch_multi_add_handle(multi, nullptr), FETCHM_BAD_EASY_HANDLE);
  EXPECT_EQ(fetch_multi_remove_handle(multi, nullptr), FETCHM_BAD_EASY_HANDLE);
  EXPECT_EQ(fetch_multi_add_handle(multi, easy.get()), FETCHM_OK);
  EXPECT_EQ(fetch_multi_add_handle(multi, easy.get()), FETCHM_ADDED_ALREADY);
  EXPECT_EQ(fetch_multi_remove_handle(multi, easy.get()), FETCHM_OK);
  EXPECT_EQ(fetch_multi_cleanup(multi), FETCHM_OK);
}

TEST(ApiBoundaryHandles, SendAndRecvWithoutAConnectOnlyConnectionAre1) {
  Easy easy(fetch_easy_init());
  char buf[4] = {};
  size_t n = 99;
  EXPECT_EQ(fetch_easy_send(easy.get(), "x", 1, &n), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_EQ(n, 0u);
  n = 99;
  EXPECT_EQ(fetch_easy_recv(easy.get(), buf, sizeof buf, &n), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_EQ(n, 0u);
}

TEST(ApiBoundaryEscape, NegativeLengthIsRefusedAndZeroMeansStrlen) {
  EXPECT_EQ(fetch_easy_escape(nullptr, "abc", -1), nullptr);
  EXPECT_EQ(fetch_easy_escape(nullptr, "abc", INT_MIN), nullptr);
  int len = 0;
  EXPECT_EQ(fetch_easy_unescape(nullptr, "abc", -1, &len), nullptr);
  EXPECT_EQ(fetch_easy_unescape(nullptr, "abc", INT_MIN, &len), nullptr);
  char *escaped = fetch_easy_escape(nullptr, "a b", 0);
  ASSERT_NE(escaped, nullptr);
  EXPECT_STREQ(escaped, "a%20b");
  fetch_free(escaped);
  char *plain = fetch_easy_unescape(nullptr, "a%20b", 0, &len);
  ASSERT_NE(plain, nullptr);
  EXPECT_STREQ(plain, "a b");
  EXPECT_EQ(len, 3);
  fetch_free(plain);
}

}  // namespace
