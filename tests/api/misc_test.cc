// Tests of the helper functions: escaping, fetch_getdate, string lists, strerror texts,
// case-insensitive comparison, fetch_getenv and the fetch_m*printf family.
#define FETCH_DISABLE_DEPRECATION
#include <fetch/fetch.h>
#include <fetch/mprintf.h>
#include <gtest/gtest.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct FetchFree {
  void operator()(void *p) const { fetch_free(p); }
};
using FetchString = std::unique_ptr<char, FetchFree>;

std::string escaped(const char *in, int length = 0) {
  FetchString out(fetch_easy_escape(nullptr, in, length));
  return out ? std::string(out.get()) : std::string("<null>");
}

// ---- escape / unescape (curl_easy_escape(3), curl_easy_unescape(3)) ----

TEST(Escape, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(escaped("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(escaped("a b"), "a%20b");
  EXPECT_EQ(escaped("/?#[]@!$&'()*+,;=%"),
            "%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25");
  EXPECT_EQ(escaped("\xab\xff"), "%AB%FF");  // upper-case hex digits
  EXPECT_EQ(escaped(""), "");
}

TEST(Escape, LengthSelectsBytesAndNegativeIsRejected) {
  EXPECT_EQ(escaped("a\0b", 3), "a%00b");
  EXPECT_EQ(escaped("abcdef", 2), "ab");
  EXPECT_EQ(fetch_easy_escape(nullptr, "abc", -1), nullptr);
  EXPECT_EQ(fetch_easy_escape(nullptr, nullptr, 0), nullptr);
}

TEST(Escape, DeprecatedFormMatches) {
  FetchString out(fetch_escape("a b", 0));
  ASSERT_NE(out, nullptr);
  EXPECT_STREQ(out.get(), "a%20b");
}

TEST(Unescape, DecodesPercentSequences) {
  int len = -1;
  FetchString out(fetch_easy_unescape(nullptr, "a%20b%2fc%7E", 0, &len));
  ASSERT_NE(out, nullptr);
  EXPECT_STREQ(out.get(), "a b/c~");
  EXPECT_EQ(len, 6);
}

TEST(Unescape, KeepsInvalidSequencesAndPlus) {
  int len = 0;
  FetchString out(fetch_easy_unescape(nullptr, "100%+%zz%4", 0, &len));
  ASSERT_NE(out, nullptr);
  EXPECT_STREQ(out.get(), "100%+%zz%4");
  EXPECT_EQ(len, 10);
}

TEST(Unescape, EmbeddedNulAndLength) {
  int len = 0;
  FetchString out(fetch_easy_unescape(nullptr, "a%00b%41%42", 5, &len));
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(len, 3);
  EXPECT_EQ(std::string(out.get(), 3), std::string("a\0b", 3));
  EXPECT_EQ(fetch_easy_unescape(nullptr, "abc", -2, &len), nullptr);
  EXPECT_EQ(fetch_easy_unescape(nullptr, nullptr, 0, &len), nullptr);
}

TEST(Unescape, NullOutlengthAndDeprecatedForm) {
  FetchString a(fetch_easy_unescape(nullptr, "x%41", 0, nullptr));
  ASSERT_NE(a, nullptr);
  EXPECT_STREQ(a.get(), "xA");
  FetchString b(fetch_unescape("%48%49", 0));
  ASSERT_NE(b, nullptr);
  EXPECT_STREQ(b.get(), "HI");
}

TEST(Escape, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  FetchString enc(fetch_easy_escape(nullptr, all.data(), static_cast<int>(all.size())));
  ASSERT_NE(enc, nullptr);
  int len = 0;
  FetchString dec(fetch_easy_unescape(nullptr, enc.get(), 0, &len));
  ASSERT_NE(dec, nullptr);
  ASSERT_EQ(len, 256);
  EXPECT_EQ(std::string(dec.get(), 256), all);
}

// ---- fetch_getdate (curl_getdate(3)) ----

struct DateCase {
  const char *text;
  time_t expected;
};

TEST(GetDate, ManPageFormats) {
  constexpr time_t k19941106 = 784080000;  // 1994-11-06 00:00:00 UTC
  constexpr time_t kFull = 784111777;      // 1994-11-06 08:49:37 UTC
  const DateCase cases[] = {
      {"Sun, 06 Nov 1994 08:49:37 GMT", kFull},   // RFC 1123
      {"Sunday, 06-Nov-94 08:49:37 GMT", kFull},  // RFC 850
      {"Sun Nov  6 08:49:37 1994", kFull},        // asctime
      {"06 Nov 1994 08:49:37 GMT", kFull},
      {"06-Nov-94 08:49:37 GMT", kFull},
      {"Nov  6 08:49:37 1994", kFull},
      {"06 Nov 1994 08:49:37", kFull},
      {"06-Nov-94 08:49:37", kFull},
      {"1994 Nov 6 08:49:37", kFull},
      {"GMT 08:49:37 06-Nov-94 Sunday", kFull},
      {"94 6 Nov 08:49:37", kFull},
      {"1994 Nov 6", k19941106},
      {"06-Nov-94", k19941106},
      {"Sun Nov 6 94", k19941106},
      {"1994.Nov.6", k19941106},
      {"Sun/Nov/6/94/GMT", k19941106},
      {"Sun, 06 Nov 1994 08:49:37 CET", kFull - 3600},
      {"06 Nov 1994 08:49:37 EST", kFull + 5 * 3600},
      {"Sun, 12 Sep 2004 15:05:58 -0700", 1095026758},
      {"Sat, 11 Sep 2004 21:32:11 +0200", 1094931131},
      {"20040912 15:05:58 -0700", 1095026758},
      {"20040911 +0200", 1094853600},
      {"Sun, 06 Nov 1994 08:49 GMT", kFull - 37},  // no seconds
      {"sun, 06 nov 1994 08:49:37 utc", kFull},    // any case
  };
  for (const DateCase &c : cases) {
    EXPECT_EQ(fetch_getdate(c.text, nullptr), c.expected) << c.text;
  }
}

TEST(GetDate, TwoDigitYears) {
  EXPECT_EQ(fetch_getdate("01 Jan 71", nullptr), 31536000);    // 1971
  EXPECT_EQ(fetch_getdate("01 Jan 70", nullptr), 3155760000);  // above 70 only: 2070
  EXPECT_EQ(fetch_getdate("01 Jan 00", nullptr), 946684800);   // 2000
}

TEST(GetDate, InvalidInputIsMinusOne) {
  const char *bad[] = {
      "",
      "garbage",
      "Sun Nov",                        // no day or year
      "06 Foo 1994",                    // unknown word
      "06 Nov 1994 25:00:00",           // hour out of range
      "06 Nov 1994 08:61:00",           // minute out of range
      "06 Nov Dec 1994",                // two months
      "06 Nov 1994 08:49:37 GMT XYZ",   // unknown zone
      "Nov 1994",                       // no day
      "06 Nov 1994 08:49:37 08:49:37",  // two times
  };
  for (const char *text : bad) EXPECT_EQ(fetch_getdate(text, nullptr), -1) << text;
  EXPECT_EQ(fetch_getdate(nullptr, nullptr), -1);
}

// ---- slist ----

TEST(Slist, AppendsCopiesInOrder) {
  std::string text = "first";
  struct fetch_slist *list = fetch_slist_append(nullptr, text.c_str());
  ASSERT_NE(list, nullptr);
  text = "changed";
  EXPECT_EQ(fetch_slist_append(list, "second"), list);
  EXPECT_EQ(fetch_slist_append(list, "third"), list);
  std::vector<std::string> seen;
  for (struct fetch_slist *i = list; i != nullptr; i = i->next) seen.emplace_back(i->data);
  EXPECT_EQ(seen, (std::vector<std::string>{"first", "second", "third"}));
  fetch_slist_free_all(list);
  fetch_slist_free_all(nullptr);
}

// ---- strerror ----

TEST(Strerror, ExactTexts) {
  EXPECT_STREQ(fetch_easy_strerror(FETCHE_OK), "No error");
  EXPECT_STREQ(fetch_easy_strerror(FETCHE_COULDNT_CONNECT), "Could not connect to server");
  EXPECT_STREQ(fetch_easy_strerror(FETCHE_BAD_FUNCTION_ARGUMENT),
               "A libfetch function was given a bad argument");
  EXPECT_STREQ(fetch_easy_strerror(FETCHE_OBSOLETE20), "Unknown error");
  EXPECT_STREQ(fetch_easy_strerror(static_cast<FETCHcode>(12345)), "Unknown error");
  EXPECT_STREQ(fetch_easy_strerror(static_cast<FETCHcode>(-3)), "Unknown error");
  EXPECT_STREQ(fetch_multi_strerror(FETCHM_CALL_MULTI_PERFORM),
               "Please call fetch_multi_perform() soon");
  EXPECT_STREQ(fetch_multi_strerror(FETCHM_BAD_EASY_HANDLE), "Invalid easy handle");
  EXPECT_STREQ(fetch_multi_strerror(FETCHM_LAST), "Unknown error");
  EXPECT_STREQ(fetch_share_strerror(FETCHSHE_NOT_BUILT_IN), "Feature not enabled in this library");
  EXPECT_STREQ(fetch_share_strerror(static_cast<FETCHSHcode>(99)), "FETCHSHcode unknown");
}

// Every row of tests/data/error-codes.tsv that has a strerror function returns its text.
TEST(Strerror, EveryCodeMatchesTheTable) {
  std::ifstream in(std::string(FETCH_TEST_DATA_DIR) + "/error-codes.tsv");
  ASSERT_TRUE(in.is_open());
  std::string line;
  std::getline(in, line);  // header: name number c_enum kind strerror strerror_renamed function
  int checked = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    std::string field;
    while (std::getline(fields, field, '\t')) f.push_back(field);
    if (f.size() < 7 || f[6].empty()) continue;
    const int number = std::stoi(f[1]);
    const std::string &want = f[5];
    const char *got = nullptr;
    if (f[6] == "fetch_easy_strerror") {
      got = fetch_easy_strerror(static_cast<FETCHcode>(number));
    } else if (f[6] == "fetch_multi_strerror") {
      got = fetch_multi_strerror(static_cast<FETCHMcode>(number));
    } else if (f[6] == "fetch_share_strerror") {
      got = fetch_share_strerror(static_cast<FETCHSHcode>(number));
    } else {
      continue;  // fetch_url_strerror belongs to the URL API's tests
    }
    ASSERT_NE(got, nullptr) << f[0];
    EXPECT_GT(std::string(got).size(), 0u) << f[0];
    EXPECT_EQ(std::string(got), want) << f[0];
    ++checked;
  }
  EXPECT_GT(checked, 150);
}

// ---- strequal / getenv ----

TEST(Strequal, CaseInsensitive) {
  EXPECT_NE(fetch_strequal("Content-Type", "content-TYPE"), 0);
  EXPECT_EQ(fetch_strequal("abc", "abcd"), 0);
  EXPECT_EQ(fetch_strequal("abc", "abd"), 0);
  EXPECT_NE(fetch_strnequal("HTTP/1.1", "http/2", 5), 0);
  EXPECT_EQ(fetch_strnequal("HTTP/1.1", "http/2", 6), 0);
  EXPECT_NE(fetch_strnequal("ab", "AB", 10), 0);
  EXPECT_NE(fetch_strnequal("x", "y", 0), 0);
}

TEST(Getenv, CopiesOrNull) {
  ASSERT_EQ(setenv("FETCH_MISC_TEST_VARIABLE", "value 1", 1), 0);
  FetchString v(fetch_getenv("FETCH_MISC_TEST_VARIABLE"));
  ASSERT_NE(v, nullptr);
  EXPECT_STREQ(v.get(), "value 1");
  ASSERT_EQ(unsetenv("FETCH_MISC_TEST_VARIABLE"), 0);
  EXPECT_EQ(fetch_getenv("FETCH_MISC_TEST_VARIABLE"), nullptr);
}

// ---- fetch_m*printf ----

int call_vsnprintf(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fetch_mvsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return r;
}

char *call_vaprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *r = fetch_mvaprintf(fmt, ap);
  va_end(ap);
  return r;
}

TEST(Mprintf, StringFunctions) {
  char buf[64];
  EXPECT_EQ(fetch_msprintf(buf, "%s-%d-%05.1f", "x", 42, 3.14159), 10);
  EXPECT_STREQ(buf, "x-42-003.1");
  EXPECT_EQ(fetch_msnprintf(buf, sizeof buf, "%" FETCH_FORMAT_FETCH_OFF_T, fetch_off_t{1} << 40),
            13);
  EXPECT_STREQ(buf, "1099511627776");
}

TEST(Mprintf, SnprintfTruncatesAndReturnsWhatFits) {
  char buf[6] = "?????";
  EXPECT_EQ(fetch_msnprintf(buf, sizeof buf, "%s", "hello world"), 5);
  EXPECT_STREQ(buf, "hello");
  EXPECT_EQ(call_vsnprintf(buf, 3, "%d", 12345), 2);
  EXPECT_STREQ(buf, "12");
  EXPECT_EQ(fetch_msnprintf(buf, 0, "%s", "x"), 0);
  EXPECT_STREQ(buf, "12");
}

TEST(Mprintf, AllocatingFunctions) {
  FetchString a(fetch_maprintf("%s=%zu", "size", sizeof(int)));
  ASSERT_NE(a, nullptr);
  EXPECT_STREQ(a.get(), "size=4");
  std::string big(5000, 'z');
  FetchString b(call_vaprintf("<%s>", big.c_str()));
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(std::string(b.get()), "<" + big + ">");
}

TEST(Mprintf, StreamFunctions) {
  std::unique_ptr<FILE, int (*)(FILE *)> f(std::tmpfile(), &std::fclose);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(fetch_mfprintf(f.get(), "%c%c%c", 'a', 'b', 'c'), 3);
  std::rewind(f.get());
  char buf[8] = {};
  ASSERT_EQ(std::fread(buf, 1, 3, f.get()), 3u);
  EXPECT_STREQ(buf, "abc");
}

}  // namespace
