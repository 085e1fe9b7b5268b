// Tests of the URL API (fetch_url_*), behaviour per curl_url_set(3) / curl_url_get(3).
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "fetch/fetch.h"
#include "fetch/urlapi.h"
#include "url/url.h"

namespace {

struct UrlDeleter {
  void operator()(FETCHU *u) const { fetch_url_cleanup(u); }
};
using UrlPtr = std::unique_ptr<FETCHU, UrlDeleter>;

UrlPtr make_url() { return UrlPtr(fetch_url()); }

// Result of one fetch_url_get(): the code and, on success, the text.
struct Got {
  FETCHUcode rc;
  std::optional<std::string> text;
};

Got get(const FETCHU *u, FETCHUPart what, unsigned flags = 0) {
  char *part = reinterpret_cast<char *>(1);  // must be reset to NULL on error
  const FETCHUcode rc = fetch_url_get(u, what, &part, flags);
  Got got{rc, std::nullopt};
  if (part) {
    got.text = std::string(part);
    fetch_free(part);
  }
  return got;
}

std::string get_ok(const FETCHU *u, FETCHUPart what, unsigned flags = 0) {
  Got got = get(u, what, flags);
  EXPECT_EQ(got.rc, FETCHUE_OK) << "part " << what;
  return got.text.value_or("<null>");
}

UrlPtr parsed(const char *url, unsigned flags = 0) {
  UrlPtr u = make_url();
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, url, flags), FETCHUE_OK) << url;
  return u;
}

// ---------------------------------------------------------------------------
// Full URL parse and rebuild.

struct RoundTrip {
  const char *in;
  unsigned set_flags;
  const char *out;
};

class UrlRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(UrlRoundTrip, ParsesAndRebuilds) {
  const RoundTrip &c = GetParam();
  UrlPtr u = make_url();
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, c.in, c.set_flags), FETCHUE_OK) << c.in;
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), c.out) << c.in;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UrlRoundTrip,
    ::testing::Values(
        RoundTrip{"http://example.com", 0, "http://example.com/"},
        RoundTrip{"HTTPS://Example.COM/Path", 0, "https://Example.COM/Path"},
        RoundTrip{"http://u:p@host:8080/a?b#c", 0, "http://u:p@host:8080/a?b#c"},
        RoundTrip{"http://host/a/./b/../c", 0, "http://host/a/c"},
        RoundTrip{"http://host/a/./b/../c", FETCHU_PATH_AS_IS, "http://host/a/./b/../c"},
        RoundTrip{"http://host/../../x", 0, "http://host/x"},
        RoundTrip{"http://host/a/..", 0, "http://host/"},
        RoundTrip{"http:/host/x", 0, "http://host/x"},
        RoundTrip{"http:///host/x", 0, "http://host/x"} /* three slashes: host follows */,
        RoundTrip{"http://127.1/", 0, "http://127.0.0.1/"},
        RoundTrip{"http://0x7f.1/", 0, "http://127.0.0.1/"},
        RoundTrip{"http://0177.0.0.1/", 0, "http://127.0.0.1/"},
        RoundTrip{"http://2130706433/", 0, "http://127.0.0.1/"},
        RoundTrip{"http://0xffffffff/", 0, "http://255.255.255.255/"},
        RoundTrip{"http://192.168.257/", 0, "http://192.168.1.1/"},
        RoundTrip{"http://999.1.1.1/", 0, "http://999.1.1.1/"},
        RoundTrip{"http://1.2.3.4.5/", 0, "http://1.2.3.4.5/"},
        RoundTrip{"http://4294967296/", 0, "http://4294967296/"},
        RoundTrip{"http://ex%61mple.com/", 0, "http://example.com/"},
        RoundTrip{"http://[2001:0db8:0000::1]:80/", 0, "http://[2001:db8::1]:80/"},
        RoundTrip{"http://[fe80::1%25eth0]/", 0, "http://[fe80::1%25eth0]/"},
        RoundTrip{"http://host:00080/", 0, "http://host:80/"},
        RoundTrip{"http://host:/", 0, "http://host/"},
        RoundTrip{"http://host/?", 0, "http://host/"},
        RoundTrip{"http://host/#", 0, "http://host/"},
        RoundTrip{"file:///etc/passwd", 0, "file:///etc/passwd"},
        RoundTrip{"file://localhost/etc/x", 0, "file:///etc/x"},
        RoundTrip{"file:/tmp/y", 0, "file:///tmp/y"},
        RoundTrip{"example.com/x", FETCHU_GUESS_SCHEME, "http://example.com/x"},
        RoundTrip{"ftp.example.com/x", FETCHU_GUESS_SCHEME, "ftp://ftp.example.com/x"},
        RoundTrip{"IMAP.example.com", FETCHU_GUESS_SCHEME, "imap://IMAP.example.com/"},
        RoundTrip{"example.com:8080", FETCHU_GUESS_SCHEME, "http://example.com:8080/"},
        RoundTrip{"example.com", FETCHU_DEFAULT_SCHEME, "https://example.com/"},
        RoundTrip{"ftp.example.com", FETCHU_DEFAULT_SCHEME | FETCHU_GUESS_SCHEME,
                  "https://ftp.example.com/"},
        RoundTrip{"foo://host/x", FETCHU_NON_SUPPORT_SCHEME, "foo://host/x"},
        RoundTrip{"foo://h/x", FETCHU_NON_SUPPORT_SCHEME | FETCHU_NO_AUTHORITY, "foo://h/x"},
        RoundTrip{"https://[fe80::1%25]:1234", 0, "https://[fe80::1%2525]:1234/"},
        RoundTrip{"https://0x.0x.0", 0, "https://0x.0x.0/"},
        RoundTrip{"https://1.0x1000000", 0, "https://1.0x1000000/"},
        RoundTrip{"https://192.0x0000A80001", 0, "https://192.168.0.1/"},
        RoundTrip{"https://0111.02.0x3.", 0, "https://0111.02.0x3./"},
        RoundTrip{"http:/@example.com:123", 0, "http://@example.com:123/"},
        RoundTrip{"imap://user:pass;word@host/file", FETCHU_NON_SUPPORT_SCHEME,
                  "imap://user:pass;word@host/file"},
        RoundTrip{"file:////file.txt", 0, "file:////file.txt"},
        RoundTrip{"[::1]", FETCHU_GUESS_SCHEME, "http://[::1]/"},
        RoundTrip{"boing:80", FETCHU_GUESS_SCHEME | FETCHU_DEFAULT_SCHEME, "https://boing:80/"},
        RoundTrip{"http://host/a b", FETCHU_ALLOW_SPACE, "http://host/a b"},
        RoundTrip{"http://host/a b?c d#e f", FETCHU_ALLOW_SPACE | FETCHU_URLENCODE,
                  "http://host/a%20b?c+d#e%20f"},
        RoundTrip{"http://host/\xc3\xa9", FETCHU_URLENCODE, "http://host/%c3%a9"},
        RoundTrip{"http://host:80/", FETCHU_NO_DEFAULT_PORT, "http://host/"}));

// "/a/.." keeps a trailing slash after removing the segment.
TEST(UrlParse, DotDotAtEndLeavesSlash) {
  UrlPtr u = parsed("http://host/a/b/..");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PATH), "/a/");
}

// ---------------------------------------------------------------------------
// Parse errors.

struct BadUrl {
  const char *in;
  unsigned flags;
  FETCHUcode rc;
};

class UrlParseError : public ::testing::TestWithParam<BadUrl> {};

TEST_P(UrlParseError, IsRejected) {
  const BadUrl &c = GetParam();
  UrlPtr u = make_url();
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, c.in, c.flags), c.rc) << c.in;
  // Nothing was stored.
  EXPECT_EQ(get(u.get(), FETCHUPART_URL).rc, FETCHUE_NO_SCHEME);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UrlParseError,
    ::testing::Values(
        BadUrl{"example.com", 0, FETCHUE_BAD_SCHEME}, BadUrl{"", 0, FETCHUE_MALFORMED_INPUT},
        BadUrl{"http://host/a b", 0, FETCHUE_MALFORMED_INPUT},
        BadUrl{"http://host/a\tb", 0, FETCHUE_MALFORMED_INPUT},
        BadUrl{"http://host/a\tb", FETCHU_ALLOW_SPACE, FETCHUE_MALFORMED_INPUT},
        BadUrl{"http://host/\x7f", 0, FETCHUE_MALFORMED_INPUT},
        BadUrl{"http://host\r\n/", 0, FETCHUE_MALFORMED_INPUT},
        BadUrl{"ftp://host/", 0, FETCHUE_UNSUPPORTED_SCHEME},
        BadUrl{"gopher://host/", 0, FETCHUE_UNSUPPORTED_SCHEME},
        BadUrl{"http:host", 0, FETCHUE_BAD_SLASHES},
        BadUrl{"http:////host", 0, FETCHUE_BAD_SLASHES},
        BadUrl{"http://host:65536/", 0, FETCHUE_BAD_PORT_NUMBER},
        BadUrl{"http://host:-1/", 0, FETCHUE_BAD_PORT_NUMBER},
        BadUrl{"http://host:8o/", 0, FETCHUE_BAD_PORT_NUMBER},
        BadUrl{"http://host:80:90/", 0, FETCHUE_BAD_PORT_NUMBER},
        BadUrl{"example.com:", FETCHU_GUESS_SCHEME, FETCHUE_BAD_PORT_NUMBER},
        BadUrl{"http://[::1]x/", 0, FETCHUE_BAD_PORT_NUMBER},
        BadUrl{"http:///", 0, FETCHUE_NO_HOST}, BadUrl{"http://:80/", 0, FETCHUE_NO_HOST},
        BadUrl{"http://ho$t/", 0, FETCHUE_BAD_HOSTNAME},
        BadUrl{"http://a@b@c/", 0, FETCHUE_BAD_HOSTNAME},
        BadUrl{"http://ho%20st/", 0, FETCHUE_BAD_HOSTNAME},
        BadUrl{"http://[::1/", 0, FETCHUE_BAD_IPV6}, BadUrl{"http://[::g]/", 0, FETCHUE_BAD_IPV6},
        BadUrl{"http://[1::2::3]/", 0, FETCHUE_BAD_IPV6},
        BadUrl{"http://[fe80::1%]/", 0, FETCHUE_BAD_IPV6},
        BadUrl{"http://[fe80::1%25e/h]/", 0, FETCHUE_BAD_IPV6},
        BadUrl{"file://remote/x", 0, FETCHUE_BAD_FILE_URL},
        BadUrl{"file:relative", 0, FETCHUE_BAD_FILE_URL},
        BadUrl{"http://u:p@host/", FETCHU_DISALLOW_USER, FETCHUE_USER_NOT_ALLOWED},
        BadUrl{"http://host\\path", 0, FETCHUE_BAD_HOSTNAME},
        BadUrl{"http:\\\\host/", 0, FETCHUE_BACKSLASH},
        BadUrl{"http://host:80\\path", 0, FETCHUE_BACKSLASH}));

TEST(UrlParse, EightMegabyteLimit) {
  std::string big = "http://host/" + std::string(8000000, 'a');
  UrlPtr u = make_url();
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, big.c_str(), 0), FETCHUE_MALFORMED_INPUT);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_PATH, big.c_str(), 0), FETCHUE_MALFORMED_INPUT);
  std::string fits = "http://host/" + std::string(1000000, 'a');
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, fits.c_str(), 0), FETCHUE_OK);
}

TEST(UrlParse, EncodingPastTheLimitIsTooLarge) {
  const std::string spaces(3000000, ' ');
  UrlPtr u = parsed("http://host/");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_PATH, spaces.c_str(), FETCHU_URLENCODE),
            FETCHUE_TOO_LARGE);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PATH), "/");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_QUERY, spaces.c_str(), FETCHU_URLENCODE),
            FETCHUE_OK);  // a space in a query becomes '+'
}

TEST(UrlParse, LongSchemeIsRejected) {
  const std::string scheme(41, 'a');
  UrlPtr u = make_url();
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, (scheme + "://host/").c_str(),
                          FETCHU_NON_SUPPORT_SCHEME),
            FETCHUE_BAD_SCHEME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, scheme.c_str(), FETCHU_NON_SUPPORT_SCHEME),
            FETCHUE_BAD_SCHEME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, scheme.substr(1).c_str(),
                          FETCHU_NON_SUPPORT_SCHEME),
            FETCHUE_OK);
}

TEST(UrlParse, FailedSetKeepsOldUrl) {
  UrlPtr u = parsed("http://host/ok");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, "http://bad host/", 0), FETCHUE_MALFORMED_INPUT);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://host/ok");
}

// ---------------------------------------------------------------------------
// Parts.

TEST(UrlParts, AllPartsOfAFullUrl) {
  UrlPtr u = parsed("https://user:pw@Example.com:8443/p/a?q=1#frag");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_SCHEME), "https");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_USER), "user");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PASSWORD), "pw");
  EXPECT_EQ(get(u.get(), FETCHUPART_OPTIONS).rc, FETCHUE_NO_OPTIONS);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_HOST), "Example.com");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PORT), "8443");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PATH), "/p/a");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_QUERY), "q=1");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_FRAGMENT), "frag");
  EXPECT_EQ(get(u.get(), FETCHUPART_ZONEID).rc, FETCHUE_NO_ZONEID);
}

TEST(UrlParts, MissingPartsGiveNoCodesAndNullPointer) {
  UrlPtr u = parsed("http://host");
  const struct {
    FETCHUPart part;
    FETCHUcode rc;
  } cases[] = {{FETCHUPART_USER, FETCHUE_NO_USER},       {FETCHUPART_PASSWORD, FETCHUE_NO_PASSWORD},
               {FETCHUPART_OPTIONS, FETCHUE_NO_OPTIONS}, {FETCHUPART_PORT, FETCHUE_NO_PORT},
               {FETCHUPART_QUERY, FETCHUE_NO_QUERY},     {FETCHUPART_FRAGMENT, FETCHUE_NO_FRAGMENT},
               {FETCHUPART_ZONEID, FETCHUE_NO_ZONEID}};
  for (const auto &c : cases) {
    Got got = get(u.get(), c.part);
    EXPECT_EQ(got.rc, c.rc) << c.part;
    EXPECT_FALSE(got.text.has_value()) << c.part;
  }
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PATH), "/");
}

TEST(UrlParts, EmptyHandle) {
  UrlPtr u = make_url();
  EXPECT_EQ(get(u.get(), FETCHUPART_URL).rc, FETCHUE_NO_SCHEME);
  EXPECT_EQ(get(u.get(), FETCHUPART_SCHEME).rc, FETCHUE_NO_SCHEME);
  EXPECT_EQ(get(u.get(), FETCHUPART_HOST).rc, FETCHUE_NO_HOST);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_SCHEME, FETCHU_DEFAULT_SCHEME), "https");
}

TEST(UrlParts, UrlNeedsAHost) {
  UrlPtr u = make_url();
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, "http", 0), FETCHUE_OK);
  EXPECT_EQ(get(u.get(), FETCHUPART_URL).rc, FETCHUE_NO_HOST);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "example.org", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://example.org/");
}

TEST(UrlParts, BuildFromParts) {
  UrlPtr u = make_url();
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, "HTTPS", 0), FETCHUE_OK);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "example.com", 0), FETCHUE_OK);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_PORT, "8080", 0), FETCHUE_OK);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_PATH, "dir/file", 0), FETCHUE_OK);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_QUERY, "a=1", 0), FETCHUE_OK);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_FRAGMENT, "top", 0), FETCHUE_OK);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_USER, "me", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "https://me@example.com:8080/dir/file?a=1#top");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_PASSWORD, "secret", 0), FETCHUE_OK);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_OPTIONS, "AUTH=PLAIN", 0), FETCHUE_OK);
  // Login options only show in URLs of schemes that use them.
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "https://me:secret@example.com:8080/dir/file?a=1#top");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_OPTIONS), "AUTH=PLAIN");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, "imaps", FETCHU_NON_SUPPORT_SCHEME),
            FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL),
            "imaps://me:secret;AUTH=PLAIN@example.com:8080/dir/file?a=1#top");
}

TEST(UrlParts, PasswordWithoutUserGivesBlankUser) {
  UrlPtr u = parsed("http://host/");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_PASSWORD, "pw", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://:pw@host/");
}

TEST(UrlParts, ClearWithNull) {
  UrlPtr u = parsed("http://u:p@host:81/x?q#f");
  for (FETCHUPart p : {FETCHUPART_USER, FETCHUPART_PASSWORD, FETCHUPART_PORT, FETCHUPART_QUERY,
                       FETCHUPART_FRAGMENT, FETCHUPART_PATH}) {
    EXPECT_EQ(fetch_url_set(u.get(), p, nullptr, 0), FETCHUE_OK);
  }
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://host/");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, nullptr, 0), FETCHUE_OK);
  EXPECT_EQ(get(u.get(), FETCHUPART_URL).rc, FETCHUE_NO_SCHEME);
}

TEST(UrlParts, LoginOptionsOnlyForMailSchemes) {
  UrlPtr imap =
      parsed("imap://user:pw;AUTH=NTLM@mail.example.com/INBOX", FETCHU_NON_SUPPORT_SCHEME);
  EXPECT_EQ(get_ok(imap.get(), FETCHUPART_USER), "user");
  EXPECT_EQ(get_ok(imap.get(), FETCHUPART_PASSWORD), "pw");
  EXPECT_EQ(get_ok(imap.get(), FETCHUPART_OPTIONS), "AUTH=NTLM");
  UrlPtr smtp = parsed("smtp://user;AUTH=LOGIN:pw@mail.example.com", FETCHU_NON_SUPPORT_SCHEME);
  EXPECT_EQ(get_ok(smtp.get(), FETCHUPART_USER), "user");
  EXPECT_EQ(get_ok(smtp.get(), FETCHUPART_OPTIONS), "AUTH=LOGIN");
  EXPECT_EQ(get_ok(smtp.get(), FETCHUPART_PASSWORD), "pw");
  UrlPtr http = parsed("http://user:pw;x@host/");
  EXPECT_EQ(get_ok(http.get(), FETCHUPART_PASSWORD), "pw;x");
  EXPECT_EQ(get(http.get(), FETCHUPART_OPTIONS).rc, FETCHUE_NO_OPTIONS);
}

TEST(UrlParts, EmptyPasswordIsPresent) {
  UrlPtr u = parsed("http://user:@host/");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PASSWORD), "");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://user:@host/");
}

TEST(UrlParts, Ipv6AndZone) {
  UrlPtr u = parsed("http://[fe80::1%25eth0]:8080/");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_HOST), "[fe80::1]");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_ZONEID), "eth0");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PORT), "8080");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_ZONEID, "wlan1", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://[fe80::1%25wlan1]:8080/");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_ZONEID, "bad zone", FETCHU_ALLOW_SPACE),
            FETCHUE_BAD_IPV6);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "[0:0:0:0:0:0:0:1]", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_HOST), "[::1]");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "[::1", 0), FETCHUE_BAD_IPV6);
}

TEST(UrlParts, ZoneWithoutPercent25) {
  UrlPtr u = parsed("http://[fe80::1%eth0]/");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_ZONEID), "eth0");
}

TEST(UrlParts, SetHostChecks) {
  UrlPtr u = parsed("http://host/");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "bad<host", 0), FETCHUE_BAD_HOSTNAME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "", 0), FETCHUE_BAD_HOSTNAME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "", FETCHU_NO_AUTHORITY), FETCHUE_OK);
  // Checked decoded, stored as given; no IPv4 normalisation on set.
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "%43url.se", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://%43url.se/");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "%25url.se", 0), FETCHUE_BAD_HOSTNAME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "example.com%2fmoo", 0), FETCHUE_BAD_HOSTNAME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "http://fake", 0), FETCHUE_BAD_HOSTNAME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "0xff", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_HOST), "0xff");
}

TEST(UrlParts, SetScheme) {
  UrlPtr u = parsed("http://host/");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, "ftp", 0), FETCHUE_UNSUPPORTED_SCHEME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, "ftp", FETCHU_NON_SUPPORT_SCHEME),
            FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "ftp://host/");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, "1http", FETCHU_NON_SUPPORT_SCHEME),
            FETCHUE_BAD_SCHEME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, "", FETCHU_NON_SUPPORT_SCHEME),
            FETCHUE_BAD_SCHEME);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_SCHEME, "WSS", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_SCHEME), "wss");
}

TEST(UrlParts, SetPort) {
  UrlPtr u = parsed("http://host/");
  for (const char *bad : {"", "65536", "-1", "+80", "8o", "80 ", "99999999999999999999"}) {
    EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_PORT, bad, FETCHU_ALLOW_SPACE),
              FETCHUE_BAD_PORT_NUMBER)
        << bad;
  }
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_PORT, "0", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PORT), "0");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_PORT, "065535", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PORT), "65535");
}

TEST(UrlParts, ControlBytesInPartsAreRejected) {
  UrlPtr u = parsed("http://host/");
  const struct {
    FETCHUPart part;
    FETCHUcode rc;
  } cases[] = {{FETCHUPART_USER, FETCHUE_BAD_USER},     {FETCHUPART_PASSWORD, FETCHUE_BAD_PASSWORD},
               {FETCHUPART_OPTIONS, FETCHUE_BAD_LOGIN}, {FETCHUPART_PATH, FETCHUE_BAD_PATH},
               {FETCHUPART_QUERY, FETCHUE_BAD_QUERY},   {FETCHUPART_FRAGMENT, FETCHUE_BAD_FRAGMENT},
               {FETCHUPART_HOST, FETCHUE_BAD_HOSTNAME}, {FETCHUPART_ZONEID, FETCHUE_BAD_IPV6},
               {FETCHUPART_SCHEME, FETCHUE_BAD_SCHEME}, {FETCHUPART_PORT, FETCHUE_BAD_PORT_NUMBER}};
  for (const auto &c : cases) {
    EXPECT_EQ(fetch_url_set(u.get(), c.part, "a\r\nb", 0), c.rc) << c.part;
  }
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://host/");
}

// ---------------------------------------------------------------------------
// Flags.

TEST(UrlFlags, DefaultPortAndNoDefaultPort) {
  UrlPtr u = parsed("https://host/");
  EXPECT_EQ(get(u.get(), FETCHUPART_PORT).rc, FETCHUE_NO_PORT);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PORT, FETCHU_DEFAULT_PORT), "443");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL, FETCHU_DEFAULT_PORT), "https://host:443/");
  UrlPtr v = parsed("http://host:80/");
  EXPECT_EQ(get_ok(v.get(), FETCHUPART_PORT), "80");
  EXPECT_EQ(get(v.get(), FETCHUPART_PORT, FETCHU_NO_DEFAULT_PORT).rc, FETCHUE_NO_PORT);
  EXPECT_EQ(get_ok(v.get(), FETCHUPART_URL, FETCHU_NO_DEFAULT_PORT), "http://host/");
  UrlPtr w = parsed("ws://host/");
  EXPECT_EQ(get_ok(w.get(), FETCHUPART_PORT, FETCHU_DEFAULT_PORT), "80");
  UrlPtr x = parsed("wss://host/");
  EXPECT_EQ(get_ok(x.get(), FETCHUPART_PORT, FETCHU_DEFAULT_PORT), "443");
  UrlPtr f = parsed("ftp://host/", FETCHU_NON_SUPPORT_SCHEME);
  EXPECT_EQ(get_ok(f.get(), FETCHUPART_PORT, FETCHU_DEFAULT_PORT), "21");
  UrlPtr file = parsed("file:///x");
  EXPECT_EQ(get(file.get(), FETCHUPART_PORT, FETCHU_DEFAULT_PORT).rc, FETCHUE_NO_PORT);
}

TEST(UrlFlags, GuessedSchemeCanBeHidden) {
  UrlPtr u = parsed("example.com/p", FETCHU_GUESS_SCHEME);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_SCHEME), "http");
  EXPECT_EQ(get(u.get(), FETCHUPART_SCHEME, FETCHU_NO_GUESS_SCHEME).rc, FETCHUE_NO_SCHEME);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL, FETCHU_NO_GUESS_SCHEME), "example.com/p");
  UrlPtr v = parsed("http://example.com/p", FETCHU_GUESS_SCHEME);
  EXPECT_EQ(get_ok(v.get(), FETCHUPART_SCHEME, FETCHU_NO_GUESS_SCHEME), "http");
}

TEST(UrlFlags, UrlDecodeOnGet) {
  UrlPtr u = parsed("http://us%65r:p%40ss@host/a%20b?x=1+2%26y#f%21");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_USER, FETCHU_URLDECODE), "user");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PASSWORD, FETCHU_URLDECODE), "p@ss");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PATH, FETCHU_URLDECODE), "/a b");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_QUERY, FETCHU_URLDECODE), "x=1 2&y");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_FRAGMENT, FETCHU_URLDECODE), "f!");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PATH), "/a%20b");
  // The full URL is never decoded.
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL, FETCHU_URLDECODE),
            "http://us%65r:p%40ss@host/a%20b?x=1+2%26y#f%21");
}

TEST(UrlFlags, UrlDecodeRejectsControlBytes) {
  UrlPtr u = parsed("http://host/a%0ab");
  EXPECT_EQ(get(u.get(), FETCHUPART_PATH, FETCHU_URLDECODE).rc, FETCHUE_URLDECODE);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PATH), "/a%0ab");
}

TEST(UrlFlags, UrlEncodeOnSet) {
  UrlPtr u = parsed("http://host/");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_PATH, "/a b/c:@!$&'()*+,;=[]{}%", FETCHU_URLENCODE),
            FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PATH), "/a%20b/c:@!$&'()*+,;=[]{}%25");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_QUERY, "a b=c&d", FETCHU_URLENCODE), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_QUERY), "a+b%3dc%26d");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_USER, "a@b:c", FETCHU_URLENCODE), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_USER), "a%40b%3ac");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_FRAGMENT, "x y", FETCHU_URLENCODE), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_FRAGMENT), "x%20y");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_PORT, "80", FETCHU_URLENCODE), FETCHUE_OK);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "[::1]", FETCHU_URLENCODE),
            FETCHUE_BAD_HOSTNAME);
}

TEST(UrlFlags, AppendQuery) {
  UrlPtr u = parsed("http://host/?a=1");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_QUERY, "b=2", FETCHU_APPENDQUERY), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_QUERY), "a=1&b=2");
  ASSERT_EQ(
      fetch_url_set(u.get(), FETCHUPART_QUERY, "c=x y&z", FETCHU_APPENDQUERY | FETCHU_URLENCODE),
      FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_QUERY), "a=1&b=2&c=x+y%26z");
  ASSERT_EQ(
      fetch_url_set(u.get(), FETCHUPART_QUERY, "d=e=f", FETCHU_APPENDQUERY | FETCHU_URLENCODE),
      FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_QUERY), "a=1&b=2&c=x+y%26z&d=e%3df");
  UrlPtr v = parsed("http://host/?a=1&");
  ASSERT_EQ(fetch_url_set(v.get(), FETCHUPART_QUERY, "b", FETCHU_APPENDQUERY), FETCHUE_OK);
  EXPECT_EQ(get_ok(v.get(), FETCHUPART_QUERY), "a=1&b");
  UrlPtr w = parsed("http://host/");
  ASSERT_EQ(fetch_url_set(w.get(), FETCHUPART_QUERY, "only", FETCHU_APPENDQUERY), FETCHUE_OK);
  EXPECT_EQ(get_ok(w.get(), FETCHUPART_URL), "http://host/?only");
}

TEST(UrlFlags, GetEmpty) {
  UrlPtr u = parsed("http://host/?#");
  EXPECT_EQ(get(u.get(), FETCHUPART_QUERY).rc, FETCHUE_NO_QUERY);
  EXPECT_EQ(get(u.get(), FETCHUPART_FRAGMENT).rc, FETCHUE_NO_FRAGMENT);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_QUERY, FETCHU_GET_EMPTY), "");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_FRAGMENT, FETCHU_GET_EMPTY), "");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL, FETCHU_GET_EMPTY), "http://host/?#");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://host/");
}

TEST(UrlFlags, NoAuthority) {
  const unsigned custom = FETCHU_NON_SUPPORT_SCHEME;
  UrlPtr u = make_url();
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, "custom://?x", custom), FETCHUE_NO_HOST);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, "custom://?x", custom | FETCHU_NO_AUTHORITY),
            FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_HOST), "");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "custom:///?x");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, "http://?hi", FETCHU_NO_AUTHORITY), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http:///?hi");
}

TEST(UrlFlags, DefaultSchemeOnGet) {
  UrlPtr u = make_url();
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_HOST, "example.com", 0), FETCHUE_OK);
  EXPECT_EQ(get(u.get(), FETCHUPART_URL).rc, FETCHUE_NO_SCHEME);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL, FETCHU_DEFAULT_SCHEME), "https://example.com/");
}

TEST(UrlFlags, IdnHostsNeedIdnSupport) {
  UrlPtr u = parsed("http://r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se/");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_HOST), "r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se");
  EXPECT_EQ(get(u.get(), FETCHUPART_HOST, FETCHU_PUNYCODE).rc, FETCHUE_LACKS_IDN);
  EXPECT_EQ(get(u.get(), FETCHUPART_URL, FETCHU_PUNYCODE).rc, FETCHUE_LACKS_IDN);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL, FETCHU_URLENCODE),
            "http://r%C3%A4ksm%C3%B6rg%C3%A5s.se/");
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL, FETCHU_URLENCODE | FETCHU_PUNYCODE),
            "http://r%C3%A4ksm%C3%B6rg%C3%A5s.se/");
  UrlPtr p = parsed("http://xn--rksmrgs-5wao1o.se/");
  EXPECT_EQ(get(p.get(), FETCHUPART_HOST, FETCHU_PUNY2IDN).rc, FETCHUE_LACKS_IDN);
  EXPECT_EQ(get_ok(p.get(), FETCHUPART_HOST, FETCHU_PUNYCODE), "xn--rksmrgs-5wao1o.se");
  UrlPtr a = parsed("http://ascii.example/");
  EXPECT_EQ(get_ok(a.get(), FETCHUPART_HOST, FETCHU_PUNYCODE | FETCHU_PUNY2IDN), "ascii.example");
}

// ---------------------------------------------------------------------------
// Relative references (redirects).

struct Relative {
  const char *base;
  const char *ref;
  const char *out;
};

class UrlRelative : public ::testing::TestWithParam<Relative> {};

TEST_P(UrlRelative, Resolves) {
  const Relative &c = GetParam();
  UrlPtr u = parsed(c.base);
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, c.ref, 0), FETCHUE_OK) << c.ref;
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), c.out) << c.base << " + " << c.ref;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UrlRelative,
    ::testing::Values(Relative{"http://h/a/b/c?q#f", "d", "http://h/a/b/d"},
                      Relative{"http://h/a/b/c?q#f", "../a", "http://h/a/a"},
                      Relative{"http://h/a/b/c?q#f", "../../../../x", "http://h/x"},
                      Relative{"http://h/a/b/c?q#f", "./", "http://h/a/b/"},
                      Relative{"http://h/a/b/c?q#f", "?y", "http://h/a/b/c?y"},
                      Relative{"http://h/a/b/c?q#f", "#g", "http://h/a/b/c?q#g"},
                      Relative{"http://h/a/b/c?q#f", "", "http://h/a/b/c?q"},
                      Relative{"http://h/a/b/c?q#f", "/x/y", "http://h/x/y"},
                      Relative{"http://h/a/b/c?q#f", "//other/x", "http://other/x"},
                      Relative{"https://u:p@h:8443/a/b", "c?d#e", "https://u:p@h:8443/a/c?d#e"},
                      Relative{"http://h/a/b", "https://elsewhere/", "https://elsewhere/"},
                      Relative{"http://h", "x", "http://h/x"},
                      Relative{"http://[::1]:81/a/", "b", "http://[::1]:81/a/b"},
                      Relative{"file:///dir/file", "other", "file:///dir/other"},
                      Relative{"http://h/a/b", "///other/../x/", "http://other/x/"},
                      Relative{"http://h/foo/bar", ":23", "http://h/foo/:23"},
                      Relative{"http://h/foo/bar", "#", "http://h/foo/bar"},
                      Relative{"http://h/foo/bar", "?#", "http://h/foo/bar"}));

TEST(UrlRelative, SpacesEncodedWhenAllowed) {
  UrlPtr u = parsed("http://h/a/b");
  ASSERT_EQ(
      fetch_url_set(u.get(), FETCHUPART_URL, "c d?e f", FETCHU_ALLOW_SPACE | FETCHU_URLENCODE),
      FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_URL), "http://h/a/c%20d?e+f");
}

TEST(UrlRelative, SpaceInRedirectNeedsAllowSpace) {
  UrlPtr u = parsed("http://h/a/b");
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, "c d", 0), FETCHUE_MALFORMED_INPUT);
}

TEST(UrlRelative, PathAsIsKeepsDots) {
  UrlPtr u = parsed("http://h/a/b");
  ASSERT_EQ(fetch_url_set(u.get(), FETCHUPART_URL, "../c", FETCHU_PATH_AS_IS), FETCHUE_OK);
  EXPECT_EQ(get_ok(u.get(), FETCHUPART_PATH), "/a/../c");
}

// ---------------------------------------------------------------------------
// Handles and bad arguments.

TEST(UrlHandle, DupCopiesEverything) {
  UrlPtr u = parsed("http://example.com/a?b#c");
  UrlPtr d(fetch_url_dup(u.get()));
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(fetch_url_set(u.get(), FETCHUPART_PATH, "/changed", 0), FETCHUE_OK);
  EXPECT_EQ(get_ok(d.get(), FETCHUPART_URL), "http://example.com/a?b#c");
  EXPECT_EQ(fetch_url_dup(nullptr), nullptr);
}

TEST(UrlHandle, NullArguments) {
  char *part = nullptr;
  EXPECT_EQ(fetch_url_get(nullptr, FETCHUPART_URL, &part, 0), FETCHUE_BAD_HANDLE);
  EXPECT_EQ(fetch_url_set(nullptr, FETCHUPART_URL, "http://h/", 0), FETCHUE_BAD_HANDLE);
  UrlPtr u = parsed("http://h/");
  EXPECT_EQ(fetch_url_get(u.get(), FETCHUPART_URL, nullptr, 0), FETCHUE_BAD_PARTPOINTER);
  fetch_url_cleanup(nullptr);
}

TEST(UrlHandle, UnknownPart) {
  UrlPtr u = parsed("http://h/");
  const auto bad = static_cast<FETCHUPart>(15);
  EXPECT_EQ(get(u.get(), bad).rc, FETCHUE_UNKNOWN_PART);
  EXPECT_EQ(fetch_url_set(u.get(), bad, "x", 0), FETCHUE_UNKNOWN_PART);
  EXPECT_EQ(fetch_url_set(u.get(), bad, nullptr, 0), FETCHUE_UNKNOWN_PART);
}

// ---------------------------------------------------------------------------
// fetch_url_strerror texts (error-codes.tsv, column strerror_renamed).

TEST(UrlStrerror, ExactTexts) {
  const struct {
    FETCHUcode code;
    const char *text;
  } cases[] = {
      {FETCHUE_OK, "No error"},
      {FETCHUE_BAD_HANDLE, "An invalid FETCHU pointer was passed as argument"},
      {FETCHUE_BAD_PARTPOINTER, "An invalid 'part' argument was passed as argument"},
      {FETCHUE_MALFORMED_INPUT, "Malformed input to a URL function"},
      {FETCHUE_BAD_PORT_NUMBER, "Port number was not a decimal number between 0 and 65535"},
      {FETCHUE_UNSUPPORTED_SCHEME, "Unsupported URL scheme"},
      {FETCHUE_URLDECODE, "URL decode error, most likely because of rubbish in the input"},
      {FETCHUE_OUT_OF_MEMORY, "A memory function failed"},
      {FETCHUE_USER_NOT_ALLOWED, "Credentials was passed in the URL when prohibited"},
      {FETCHUE_UNKNOWN_PART, "An unknown part ID was passed to a URL API function"},
      {FETCHUE_NO_SCHEME, "No scheme present"},
      {FETCHUE_NO_USER, "No user present"},
      {FETCHUE_NO_PASSWORD, "No password present"},
      {FETCHUE_NO_OPTIONS, "No options present"},
      {FETCHUE_NO_HOST, "No host present"},
      {FETCHUE_NO_PORT, "No port number present"},
      {FETCHUE_NO_QUERY, "No query present"},
      {FETCHUE_NO_FRAGMENT, "No fragment present"},
      {FETCHUE_NO_ZONEID, "No zoneid present"},
      {FETCHUE_BAD_FILE_URL, "Bad file:// URL"},
      {FETCHUE_BAD_FRAGMENT, "Bad fragment"},
      {FETCHUE_BAD_HOSTNAME, "Bad hostname"},
      {FETCHUE_BAD_IPV6, "Bad IPv6 address"},
      {FETCHUE_BAD_LOGIN, "Bad login"},
      {FETCHUE_BAD_PASSWORD, "Bad password"},
      {FETCHUE_BAD_PATH, "Bad path"},
      {FETCHUE_BAD_QUERY, "Bad query"},
      {FETCHUE_BAD_SCHEME, "Bad scheme"},
      {FETCHUE_BAD_SLASHES, "Unsupported number of slashes following scheme"},
      {FETCHUE_BAD_USER, "Bad user"},
      {FETCHUE_LACKS_IDN, "libfetch lacks IDN support"},
      {FETCHUE_TOO_LARGE, "A value or data field is larger than allowed"},
      {FETCHUE_BACKSLASH, "Found a backslash where a forward slash was expected"},
      {FETCHUE_LAST, "FETCHUcode unknown"},
      {static_cast<FETCHUcode>(50), "FETCHUcode unknown"},
  };
  for (const auto &c : cases) EXPECT_STREQ(fetch_url_strerror(c.code), c.text) << c.code;
}

TEST(UrlHeader, FlagValues) {
  EXPECT_EQ(FETCHU_DEFAULT_PORT, 0x1u);
  EXPECT_EQ(FETCHU_NO_DEFAULT_PORT, 0x2u);
  EXPECT_EQ(FETCHU_DEFAULT_SCHEME, 0x4u);
  EXPECT_EQ(FETCHU_NON_SUPPORT_SCHEME, 0x8u);
  EXPECT_EQ(FETCHU_PATH_AS_IS, 0x10u);
  EXPECT_EQ(FETCHU_DISALLOW_USER, 0x20u);
  EXPECT_EQ(FETCHU_URLDECODE, 0x40u);
  EXPECT_EQ(FETCHU_URLENCODE, 0x80u);
  EXPECT_EQ(FETCHU_APPENDQUERY, 0x100u);
  EXPECT_EQ(FETCHU_GUESS_SCHEME, 0x200u);
  EXPECT_EQ(FETCHU_NO_AUTHORITY, 0x400u);
  EXPECT_EQ(FETCHU_ALLOW_SPACE, 0x800u);
  EXPECT_EQ(FETCHU_PUNYCODE, 0x1000u);
  EXPECT_EQ(FETCHU_PUNY2IDN, 0x2000u);
  EXPECT_EQ(FETCHU_GET_EMPTY, 0x4000u);
  EXPECT_EQ(FETCHU_NO_GUESS_SCHEME, 0x8000u);
  EXPECT_EQ(FETCHUPART_ZONEID, 10);
  EXPECT_EQ(FETCHUE_LAST, 33);
}

// ---------------------------------------------------------------------------
// Internal interface used by the easy handle.

TEST(UrlInternal, ParseAndEffectivePort) {
  fetch::url::Url url;
  ASSERT_EQ(fetch::url::parse("https://h/x", 0, url), FETCHUE_OK);
  EXPECT_EQ(fetch::url::effective_port(url), 443u);
  EXPECT_EQ(url.host, "h");
  ASSERT_EQ(fetch::url::parse("http://h:8080", 0, url), FETCHUE_OK);
  EXPECT_EQ(fetch::url::effective_port(url), 8080u);
  fetch::url::Url next;
  ASSERT_EQ(fetch::url::resolve(url, "/y?z", 0, next), FETCHUE_OK);
  std::string text;
  ASSERT_EQ(fetch::url::to_string(next, 0, text), FETCHUE_OK);
  EXPECT_EQ(text, "http://h:8080/y?z");
  EXPECT_TRUE(fetch::url::is_supported_scheme("wss"));
  EXPECT_FALSE(fetch::url::is_supported_scheme("ftp"));
  EXPECT_EQ(fetch::url::default_port("ftp"), 21u);
}

}  // namespace
