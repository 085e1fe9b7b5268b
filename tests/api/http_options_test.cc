// The HTTP easy options (api/src/options/set_http.cc) against libcurl's documented validation
// and storage, the HTTP getinfo items before and after a (simulated) transfer, and how
// fetch_easy_reset and fetch_easy_duphandle treat them.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "easy/easy_handle.h"
#include "easy_fixture.h"

namespace {

// The deprecated double items, by number (their enum names warn).
constexpr auto kSizeUpload = static_cast<FETCHINFO>(FETCHINFO_DOUBLE + 7);
constexpr auto kSizeDownload = static_cast<FETCHINFO>(FETCHINFO_DOUBLE + 8);
constexpr auto kSpeedDownload = static_cast<FETCHINFO>(FETCHINFO_DOUBLE + 9);
constexpr auto kSpeedUpload = static_cast<FETCHINFO>(FETCHINFO_DOUBLE + 10);
constexpr auto kContentLengthDownload = static_cast<FETCHINFO>(FETCHINFO_DOUBLE + 15);
constexpr auto kContentLengthUpload = static_cast<FETCHINFO>(FETCHINFO_DOUBLE + 16);
// Alias option numbers, so the deprecated names are not needed.
constexpr auto kFileAlias = static_cast<FETCHoption>(10001);         // FILE -> WRITEDATA
constexpr auto kWriteHeaderAlias = static_cast<FETCHoption>(10029);  // WRITEHEADER -> HEADERDATA
constexpr auto kEncodingAlias = static_cast<FETCHoption>(10102);     // ENCODING
constexpr auto kRtspHeaderAlias = static_cast<FETCHoption>(10023);   // RTSPHEADER -> HTTPHEADER

size_t write_a(char *, size_t size, size_t n, void *) { return size * n; }
size_t write_b(char *, size_t size, size_t n, void *) { return size * n; }

class HttpOptions : public fetchtest::EasyFixture {
 protected:
  // The request method the settings describe, in the runtime's order of precedence.
  std::string method() const {
    if (!settings().customrequest.empty()) return settings().customrequest;
    if (settings().nobody) return "HEAD";
    return settings().post ? "POST" : "GET";
  }
};

// ---- defaults ----

TEST_F(HttpOptions, DefaultsMatchLibcurl) {
  EXPECT_EQ(settings().write_function, nullptr);
  EXPECT_EQ(settings().write_data, nullptr);
  EXPECT_EQ(settings().header_function, nullptr);
  EXPECT_EQ(settings().header_data, nullptr);
  EXPECT_FALSE(settings().include_header);
  EXPECT_FALSE(settings().nobody);
  EXPECT_FALSE(settings().post);
  EXPECT_EQ(settings().postfields, nullptr);
  EXPECT_FALSE(settings().postfields_copied);
  EXPECT_EQ(settings().postfieldsize, -1);
  EXPECT_EQ(settings().customrequest, "");
  EXPECT_EQ(settings().useragent, "");
  EXPECT_EQ(settings().referer, "");
  EXPECT_EQ(settings().httpheader, nullptr);
  EXPECT_EQ(settings().http_version, FETCH_HTTP_VERSION_NONE);
  EXPECT_FALSE(settings().failonerror);
  EXPECT_FALSE(settings().accept_encoding_set);
  EXPECT_TRUE(settings().http_content_decoding);
  EXPECT_EQ(method(), "GET");
}

// ---- callbacks and their data ----

TEST_F(HttpOptions, WriteAndHeaderCallbacksAreStoredAndNullRestoresTheDefault) {
  int sink = 0;
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_WRITEFUNCTION, &write_a), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_HEADERFUNCTION, &write_b), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_WRITEDATA, &sink), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_HEADERDATA, stderr), FETCHE_OK);
  EXPECT_EQ(settings().write_function, &write_a);
  EXPECT_EQ(settings().header_function, &write_b);
  EXPECT_EQ(settings().write_data, &sink);
  EXPECT_EQ(settings().header_data, stderr);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_WRITEFUNCTION, nullptr), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_HEADERFUNCTION, nullptr), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_WRITEDATA, nullptr), FETCHE_OK);
  EXPECT_EQ(settings().write_function, nullptr);
  EXPECT_EQ(settings().header_function, nullptr);
  EXPECT_EQ(settings().write_data, nullptr);
}

TEST_F(HttpOptions, FileAndWriteHeaderAliasesSetTheirTargets) {
  int body = 0;
  int headers = 0;
  ASSERT_EQ(set_ptr(kFileAlias, &body), FETCHE_OK);
  ASSERT_EQ(set_ptr(kWriteHeaderAlias, &headers), FETCHE_OK);
  EXPECT_EQ(settings().write_data, &body);
  EXPECT_EQ(settings().header_data, &headers);
}

TEST_F(HttpOptions, BooleansTakeAnyNonZeroAsTrue) {
  struct Case {
    FETCHoption option;
    bool fetch::Settings::*field;
  };
  for (const Case &c :
       {Case{FETCHOPT_HEADER, &fetch::Settings::include_header},
        Case{FETCHOPT_FAILONERROR, &fetch::Settings::failonerror},
        Case{FETCHOPT_HTTP_CONTENT_DECODING, &fetch::Settings::http_content_decoding}}) {
    SCOPED_TRACE(static_cast<long>(c.option));
    for (long value : {1L, 2L, -1L, 1000L}) {
      ASSERT_EQ(set_long(c.option, 0), FETCHE_OK);
      EXPECT_FALSE(settings().*c.field);
      ASSERT_EQ(set_long(c.option, value), FETCHE_OK);
      EXPECT_TRUE(settings().*c.field);
    }
  }
}

// ---- the request method: NOBODY, POST, HTTPGET ----

TEST_F(HttpOptions, NobodyMakesAHeadAndClearingItAGetAgain) {
  ASSERT_EQ(set_long(FETCHOPT_NOBODY, 1), FETCHE_OK);
  EXPECT_EQ(method(), "HEAD");
  ASSERT_EQ(set_long(FETCHOPT_NOBODY, 0), FETCHE_OK);
  EXPECT_EQ(method(), "GET");
}

TEST_F(HttpOptions, NobodyAfterPostIsAHeadAndClearingItGivesAGet) {
  ASSERT_EQ(set_ptr(FETCHOPT_POSTFIELDS, "a=1"), FETCHE_OK);
  EXPECT_EQ(method(), "POST");
  ASSERT_EQ(set_long(FETCHOPT_NOBODY, 1), FETCHE_OK);
  EXPECT_EQ(method(), "HEAD");
  ASSERT_EQ(set_long(FETCHOPT_NOBODY, 0), FETCHE_OK);
  EXPECT_EQ(method(), "GET");  // the method was HEAD, so clearing NOBODY gives a GET
}

TEST_F(HttpOptions, PostOneIsAPostAndZeroAGet) {
  ASSERT_EQ(set_long(FETCHOPT_NOBODY, 1), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_POST, 1), FETCHE_OK);
  EXPECT_TRUE(settings().post);
  EXPECT_FALSE(settings().nobody);  // implied by POST
  EXPECT_EQ(method(), "POST");
  ASSERT_EQ(set_long(FETCHOPT_POST, 0), FETCHE_OK);
  EXPECT_EQ(method(), "GET");
  ASSERT_EQ(set_long(FETCHOPT_POST, 7), FETCHE_OK);
  EXPECT_EQ(method(), "POST");
}

TEST_F(HttpOptions, HttpgetOneMakesAGetAndZeroChangesNothing) {
  ASSERT_EQ(set_ptr(FETCHOPT_POSTFIELDS, "x"), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_HTTPGET, 0), FETCHE_OK);
  EXPECT_EQ(method(), "POST");
  ASSERT_EQ(set_long(FETCHOPT_HTTPGET, 1), FETCHE_OK);
  EXPECT_EQ(method(), "GET");
  EXPECT_FALSE(settings().post);
  ASSERT_EQ(set_long(FETCHOPT_NOBODY, 1), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_HTTPGET, 1), FETCHE_OK);
  EXPECT_FALSE(settings().nobody);
  EXPECT_EQ(method(), "GET");
}

// ---- the request body ----

TEST_F(HttpOptions, PostfieldsIsNotCopiedAndMakesAPost) {
  char data[] = "name=value";
  ASSERT_EQ(set_ptr(FETCHOPT_POSTFIELDS, data), FETCHE_OK);
  EXPECT_EQ(settings().postfields, data);
  EXPECT_FALSE(settings().postfields_copied);
  EXPECT_TRUE(settings().post);
  data[0] = 'N';
  EXPECT_EQ(settings().postfields[0], 'N');  // the application's memory, as libcurl
  ASSERT_EQ(set_ptr(FETCHOPT_POSTFIELDS, nullptr), FETCHE_OK);
  EXPECT_EQ(settings().postfields, nullptr);
  EXPECT_TRUE(settings().post);  // a POST with no data (a read callback would provide it)
}

TEST_F(HttpOptions, PostfieldsizeTakesMinusOneAndRefusesLess) {
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 12), FETCHE_OK);
  EXPECT_EQ(settings().postfieldsize, 12);
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 0), FETCHE_OK);
  EXPECT_EQ(settings().postfieldsize, 0);
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, -1), FETCHE_OK);
  EXPECT_EQ(settings().postfieldsize, -1);
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 5), FETCHE_OK);
  EXPECT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, -2), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_STREQ(errbuf_, "FETCHOPT_POSTFIELDSIZE: -2 is below -1");
  EXPECT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, std::numeric_limits<long>::min()),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(settings().postfieldsize, 5);  // unchanged by a refused value
}

TEST_F(HttpOptions, PostfieldsizeLargeTakesAnOffset) {
  const fetch_off_t big = fetch_off_t{1} << 40;
  ASSERT_EQ(set_off(FETCHOPT_POSTFIELDSIZE_LARGE, big), FETCHE_OK);
  EXPECT_EQ(settings().postfieldsize, big);
  ASSERT_EQ(set_off(FETCHOPT_POSTFIELDSIZE_LARGE, -1), FETCHE_OK);
  EXPECT_EQ(settings().postfieldsize, -1);
  EXPECT_EQ(set_off(FETCHOPT_POSTFIELDSIZE_LARGE, -2), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_STREQ(errbuf_, "FETCHOPT_POSTFIELDSIZE_LARGE: -2 is below -1");
  EXPECT_EQ(settings().postfieldsize, -1);
}

TEST_F(HttpOptions, CopypostfieldsCopiesTheCStringWhenNoSizeWasSet) {
  char data[] = "data to send";
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, data), FETCHE_OK);
  std::memset(data, 'X', sizeof data - 1);  // the application may reuse its buffer at once
  ASSERT_NE(settings().postfields, nullptr);
  EXPECT_NE(settings().postfields, data);
  EXPECT_STREQ(settings().postfields, "data to send");
  EXPECT_EQ(settings().copied_postfields, "data to send");
  EXPECT_TRUE(settings().postfields_copied);
  EXPECT_TRUE(settings().post);
  EXPECT_EQ(settings().postfieldsize, -1);  // the size stays "strlen"
}

TEST_F(HttpOptions, CopypostfieldsCopiesPostfieldsizeBytesWhenSetBefore) {
  const char data[] = {'a', '\0', 'b', 'c', 'd', 'e'};
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 4), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, data), FETCHE_OK);
  EXPECT_EQ(settings().copied_postfields, std::string("a\0bc", 4));  // binary, NUL included
  EXPECT_EQ(settings().postfields, settings().copied_postfields.c_str());
  EXPECT_EQ(settings().postfieldsize, 4);

  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 0), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, "ignored"), FETCHE_OK);
  EXPECT_EQ(settings().copied_postfields, "");
  EXPECT_NE(settings().postfields, nullptr);  // an empty body, not "no data"
}

TEST_F(HttpOptions, CopypostfieldsNullDropsTheCopy) {
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, "abc"), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, nullptr), FETCHE_OK);
  EXPECT_EQ(settings().postfields, nullptr);
  EXPECT_FALSE(settings().postfields_copied);
  EXPECT_EQ(settings().copied_postfields, "");
}

TEST_F(HttpOptions, PostfieldsAfterCopypostfieldsForgetsTheCopy) {
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, "copied"), FETCHE_OK);
  static const char kMine[] = "mine";
  ASSERT_EQ(set_ptr(FETCHOPT_POSTFIELDS, kMine), FETCHE_OK);
  EXPECT_EQ(settings().postfields, kMine);
  EXPECT_FALSE(settings().postfields_copied);
  EXPECT_EQ(settings().copied_postfields, "");
  // And the other way round: the copy replaces the application's pointer.
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, "again"), FETCHE_OK);
  EXPECT_STREQ(settings().postfields, "again");
  EXPECT_TRUE(settings().postfields_copied);
}

TEST_F(HttpOptions, PostfieldsizeGrowingPastTheCopyDropsIt) {
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, "12345"), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 3), FETCHE_OK);  // within the copy: kept
  EXPECT_STREQ(settings().postfields, "12345");
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 5), FETCHE_OK);
  EXPECT_TRUE(settings().postfields_copied);
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, -1), FETCHE_OK);  // strlen of the copy: safe
  EXPECT_TRUE(settings().postfields_copied);
  ASSERT_EQ(set_off(FETCHOPT_POSTFIELDSIZE_LARGE, 6), FETCHE_OK);  // would read past it
  EXPECT_EQ(settings().postfields, nullptr);
  EXPECT_FALSE(settings().postfields_copied);
  EXPECT_EQ(settings().postfieldsize, 6);
}

TEST_F(HttpOptions, PostfieldsizeDoesNotTouchAnApplicationPointer) {
  static const char kData[] = "ab";
  ASSERT_EQ(set_ptr(FETCHOPT_POSTFIELDS, kData), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 1000), FETCHE_OK);
  EXPECT_EQ(settings().postfields, kData);
}

TEST_F(HttpOptions, CopypostfieldsWithAnImpossibleSizeIsOutOfMemory) {
  ASSERT_EQ(set_off(FETCHOPT_POSTFIELDSIZE_LARGE, std::numeric_limits<fetch_off_t>::max()),
            FETCHE_OK);
  EXPECT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, "x"), FETCHE_OUT_OF_MEMORY);
  EXPECT_STREQ(errbuf_, "FETCHOPT_COPYPOSTFIELDS: out of memory");
  EXPECT_EQ(settings().postfields, nullptr);
  EXPECT_FALSE(settings().postfields_copied);
}

TEST_F(HttpOptions, CopypostfieldsRefusesAnOverlongString) {
  const std::string huge(8000001, 'a');
  EXPECT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, huge.c_str()), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_FALSE(settings().postfields_copied);
  const std::string limit(8000000, 'a');
  EXPECT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, limit.c_str()), FETCHE_OK);
  EXPECT_EQ(settings().copied_postfields.size(), 8000000u);
}

// ---- request line and header strings ----

TEST_F(HttpOptions, HeaderStringsAreCopiedAndNullClearsThem) {
  struct Case {
    FETCHoption option;
    std::string fetch::Settings::*field;
  };
  for (const Case &c : {Case{FETCHOPT_CUSTOMREQUEST, &fetch::Settings::customrequest},
                        Case{FETCHOPT_USERAGENT, &fetch::Settings::useragent},
                        Case{FETCHOPT_REFERER, &fetch::Settings::referer}}) {
    SCOPED_TRACE(static_cast<long>(c.option));
    char value[] = "value/1.0";
    ASSERT_EQ(set_ptr(c.option, value), FETCHE_OK);
    value[0] = 'X';
    EXPECT_EQ(settings().*c.field, "value/1.0");
    ASSERT_EQ(set_ptr(c.option, nullptr), FETCHE_OK);
    EXPECT_EQ(settings().*c.field, "");
  }
}

TEST_F(HttpOptions, HeaderStringsRefuseCrAndLf) {
  struct Case {
    FETCHoption option;
    const char *name;
    std::string fetch::Settings::*field;
  };
  for (const Case &c :
       {Case{FETCHOPT_CUSTOMREQUEST, "CUSTOMREQUEST", &fetch::Settings::customrequest},
        Case{FETCHOPT_USERAGENT, "USERAGENT", &fetch::Settings::useragent},
        Case{FETCHOPT_REFERER, "REFERER", &fetch::Settings::referer},
        Case{FETCHOPT_ACCEPT_ENCODING, "ACCEPT_ENCODING", &fetch::Settings::accept_encoding}}) {
    SCOPED_TRACE(c.name);
    ASSERT_EQ(set_ptr(c.option, "good"), FETCHE_OK);
    for (const char *bad : {"a\r\nX-Injected: 1", "a\rb", "a\nb", "\n", "trailing\r"}) {
      errbuf_[0] = '\0';
      EXPECT_EQ(set_ptr(c.option, bad), FETCHE_BAD_FUNCTION_ARGUMENT);
      EXPECT_EQ(std::string(errbuf_),
                std::string("FETCHOPT_") + c.name + ": CR or LF in a header value");
    }
    EXPECT_EQ(settings().*c.field, "good");  // a refused value leaves the old one
  }
}

TEST_F(HttpOptions, HeaderStringsRefuseOverlongValues) {
  const std::string huge(8000001, 'a');
  EXPECT_EQ(set_ptr(FETCHOPT_USERAGENT, huge.c_str()), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(settings().useragent, "");
}

TEST_F(HttpOptions, CustomrequestNamesTheMethodWhateverElseIsSet) {
  ASSERT_EQ(set_long(FETCHOPT_NOBODY, 1), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_CUSTOMREQUEST, "DELETE"), FETCHE_OK);
  EXPECT_EQ(method(), "DELETE");
  ASSERT_EQ(set_ptr(FETCHOPT_CUSTOMREQUEST, nullptr), FETCHE_OK);
  EXPECT_EQ(method(), "HEAD");
}

TEST_F(HttpOptions, HttpheaderKeepsTheApplicationsList) {
  fetch_slist *list = fetch_slist_append(nullptr, "X-One: 1");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(set_ptr(FETCHOPT_HTTPHEADER, list), FETCHE_OK);
  EXPECT_EQ(settings().httpheader, list);  // not copied: later appends are seen
  ASSERT_EQ(fetch_slist_append(list, "X-Two: 2"), list);
  ASSERT_NE(settings().httpheader->next, nullptr);
  EXPECT_STREQ(settings().httpheader->next->data, "X-Two: 2");
  // CR/LF in the list is not checked here; the request writer refuses it (43).
  fetch_slist *bad = fetch_slist_append(nullptr, "X-Bad: a\r\nX-Evil: 1");
  EXPECT_EQ(set_ptr(kRtspHeaderAlias, bad), FETCHE_OK);
  EXPECT_EQ(settings().httpheader, bad);
  ASSERT_EQ(set_ptr(FETCHOPT_HTTPHEADER, nullptr), FETCHE_OK);
  EXPECT_EQ(settings().httpheader, nullptr);
  fetch_slist_free_all(list);
  fetch_slist_free_all(bad);
}

// ---- HTTP_VERSION ----

TEST_F(HttpOptions, HttpVersionTakesNoneOneZeroAndOneOne) {
  for (long v : {FETCH_HTTP_VERSION_1_0, FETCH_HTTP_VERSION_1_1, FETCH_HTTP_VERSION_NONE}) {
    ASSERT_EQ(set_long(FETCHOPT_HTTP_VERSION, v), FETCHE_OK);
    EXPECT_EQ(settings().http_version, v);
  }
}

TEST_F(HttpOptions, HttpVersionTwoAndThreeAreUnsupportedProtocols) {
  ASSERT_EQ(set_long(FETCHOPT_HTTP_VERSION, FETCH_HTTP_VERSION_1_0), FETCHE_OK);
  for (long v :
       {FETCH_HTTP_VERSION_2_0, FETCH_HTTP_VERSION_2TLS, FETCH_HTTP_VERSION_2_PRIOR_KNOWLEDGE,
        FETCH_HTTP_VERSION_3, FETCH_HTTP_VERSION_3ONLY, FETCH_HTTP_VERSION_LAST, 6L, 1000L}) {
    SCOPED_TRACE(v);
    errbuf_[0] = '\0';
    EXPECT_EQ(set_long(FETCHOPT_HTTP_VERSION, v), FETCHE_UNSUPPORTED_PROTOCOL);
    EXPECT_NE(std::string(errbuf_).find("not built in"), std::string::npos) << errbuf_;
  }
  EXPECT_EQ(settings().http_version, FETCH_HTTP_VERSION_1_0);
}

TEST_F(HttpOptions, HttpVersionBelowZeroIsABadArgument) {
  EXPECT_EQ(set_long(FETCHOPT_HTTP_VERSION, -1), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_STREQ(errbuf_, "FETCHOPT_HTTP_VERSION: -1 is negative");
  EXPECT_EQ(set_long(FETCHOPT_HTTP_VERSION, std::numeric_limits<long>::min()),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(settings().http_version, FETCH_HTTP_VERSION_NONE);
}

// ---- ACCEPT_ENCODING ----

TEST_F(HttpOptions, AcceptEncodingDistinguishesNullFromEmpty) {
  ASSERT_EQ(set_ptr(FETCHOPT_ACCEPT_ENCODING, ""), FETCHE_OK);
  EXPECT_TRUE(settings().accept_encoding_set);  // every coding libfetch decodes
  EXPECT_EQ(settings().accept_encoding, "");
  ASSERT_EQ(set_ptr(FETCHOPT_ACCEPT_ENCODING, "gzip, br"), FETCHE_OK);
  EXPECT_TRUE(settings().accept_encoding_set);
  EXPECT_EQ(settings().accept_encoding, "gzip, br");
  ASSERT_EQ(set_ptr(FETCHOPT_ACCEPT_ENCODING, nullptr), FETCHE_OK);
  EXPECT_FALSE(settings().accept_encoding_set);
  EXPECT_EQ(settings().accept_encoding, "");
  ASSERT_EQ(set_ptr(kEncodingAlias, "zstd"), FETCHE_OK);
  EXPECT_TRUE(settings().accept_encoding_set);
  EXPECT_EQ(settings().accept_encoding, "zstd");
}

TEST_F(HttpOptions, RefusedAcceptEncodingKeepsTheOldState) {
  EXPECT_EQ(set_ptr(FETCHOPT_ACCEPT_ENCODING, "gzip\r\n"), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_FALSE(settings().accept_encoding_set);
}

// ---- getinfo ----

TEST_F(HttpOptions, InfosBeforeAnyTransfer) {
  EXPECT_EQ(get<long>(FETCHINFO_RESPONSE_CODE), 0);
  EXPECT_EQ(get<long>(FETCHINFO_HTTP_CODE), 0);
  EXPECT_EQ(get<long>(FETCHINFO_HTTP_VERSION), 0);
  char *text = reinterpret_cast<char *>(1);
  ASSERT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_CONTENT_TYPE, &text), FETCHE_OK);
  EXPECT_EQ(text, nullptr);
  text = reinterpret_cast<char *>(1);
  ASSERT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_EFFECTIVE_METHOD, &text), FETCHE_OK);
  EXPECT_EQ(text, nullptr);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T), -1);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_CONTENT_LENGTH_UPLOAD_T), -1);
  EXPECT_EQ(get<double>(kContentLengthDownload), -1.0);
  EXPECT_EQ(get<double>(kContentLengthUpload), -1.0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SIZE_DOWNLOAD_T), 0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SIZE_UPLOAD_T), 0);
  EXPECT_EQ(get<double>(kSizeDownload), 0.0);
  EXPECT_EQ(get<double>(kSizeUpload), 0.0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SPEED_DOWNLOAD_T), 0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SPEED_UPLOAD_T), 0);
  EXPECT_EQ(get<double>(kSpeedDownload), 0.0);
  EXPECT_EQ(get<double>(kSpeedUpload), 0.0);
  EXPECT_EQ(get<long>(FETCHINFO_HEADER_SIZE), 0);
  EXPECT_EQ(get<long>(FETCHINFO_REQUEST_SIZE), 0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_PRETRANSFER_TIME_T), 0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_STARTTRANSFER_TIME_T), 0);
  EXPECT_EQ(get<double>(FETCHINFO_PRETRANSFER_TIME), 0.0);
  EXPECT_EQ(get<double>(FETCHINFO_STARTTRANSFER_TIME), 0.0);
}

TEST_F(HttpOptions, InfosReportTheLastTransfer) {
  fetch::TransferInfo &info = easy_->info;
  info.response_code = 404;
  info.http_version = FETCH_HTTP_VERSION_1_1;
  info.content_type = "text/html; charset=utf-8";
  info.has_content_type = true;
  info.content_length_download = 2000;
  info.content_length_upload = 10;
  info.size_download = 3000;
  info.size_upload = 10;
  info.header_size = 123;
  info.request_size = 77;
  info.effective_method = "POST";
  info.pretransfer_us = 1500;
  info.starttransfer_us = 250000;
  info.total_us = 2000000;  // 2 s

  EXPECT_EQ(get<long>(FETCHINFO_RESPONSE_CODE), 404);
  EXPECT_EQ(get<long>(FETCHINFO_HTTP_CODE), 404);
  EXPECT_EQ(get<long>(FETCHINFO_HTTP_VERSION), FETCH_HTTP_VERSION_1_1);
  EXPECT_STREQ(get<char *>(FETCHINFO_CONTENT_TYPE), "text/html; charset=utf-8");
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T), 2000);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_CONTENT_LENGTH_UPLOAD_T), 10);
  EXPECT_EQ(get<double>(kContentLengthDownload), 2000.0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SIZE_DOWNLOAD_T), 3000);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SIZE_UPLOAD_T), 10);
  EXPECT_EQ(get<double>(kSizeDownload), 3000.0);
  EXPECT_EQ(get<double>(kSizeUpload), 10.0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SPEED_DOWNLOAD_T), 1500);  // 3000 bytes in 2 s
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SPEED_UPLOAD_T), 5);
  EXPECT_EQ(get<double>(kSpeedDownload), 1500.0);
  EXPECT_EQ(get<double>(kSpeedUpload), 5.0);
  EXPECT_EQ(get<long>(FETCHINFO_HEADER_SIZE), 123);
  EXPECT_EQ(get<long>(FETCHINFO_REQUEST_SIZE), 77);
  EXPECT_STREQ(get<char *>(FETCHINFO_EFFECTIVE_METHOD), "POST");
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_PRETRANSFER_TIME_T), 1500);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_STARTTRANSFER_TIME_T), 250000);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_PRETRANSFER_TIME), 0.0015);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_STARTTRANSFER_TIME), 0.25);
}

TEST_F(HttpOptions, AnEmptyContentTypeHeaderIsReportedAsEmpty) {
  easy_->info.has_content_type = true;  // "Content-Type:" with no value
  char *text = nullptr;
  ASSERT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_CONTENT_TYPE, &text), FETCHE_OK);
  ASSERT_NE(text, nullptr);
  EXPECT_STREQ(text, "");
}

TEST_F(HttpOptions, SpeedIsZeroWithoutElapsedTime) {
  easy_->info.size_download = 1000;
  easy_->info.total_us = 0;
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SPEED_DOWNLOAD_T), 0);
}

TEST_F(HttpOptions, ResetForgetsTheHttpInfos) {
  easy_->info.response_code = 200;
  easy_->info.has_content_type = true;
  easy_->info.content_type = "text/plain";
  easy_->info.effective_method = "GET";
  fetch_easy_reset(handle_);
  EXPECT_EQ(get<long>(FETCHINFO_RESPONSE_CODE), 0);
  EXPECT_EQ(get<char *>(FETCHINFO_CONTENT_TYPE), nullptr);
  EXPECT_EQ(get<char *>(FETCHINFO_EFFECTIVE_METHOD), nullptr);
}

// ---- reset and duphandle ----

TEST_F(HttpOptions, ResetRestoresEveryHttpDefault) {
  fetch_slist *list = fetch_slist_append(nullptr, "X: 1");
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_WRITEFUNCTION, &write_a), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_HEADERFUNCTION, &write_b), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_WRITEDATA, stdout), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_HEADERDATA, stdout), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_HEADER, 1), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 2), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, "abc"), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_NOBODY, 1), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_CUSTOMREQUEST, "PUT"), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_USERAGENT, "ua"), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_REFERER, "ref"), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_HTTPHEADER, list), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_HTTP_VERSION, FETCH_HTTP_VERSION_1_0), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_FAILONERROR, 1), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_ACCEPT_ENCODING, ""), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_HTTP_CONTENT_DECODING, 0), FETCHE_OK);

  fetch_easy_reset(handle_);
  const fetch::Settings defaults;
  const fetch::Settings &s = settings();
  EXPECT_EQ(s.write_function, defaults.write_function);
  EXPECT_EQ(s.write_data, defaults.write_data);
  EXPECT_EQ(s.header_function, defaults.header_function);
  EXPECT_EQ(s.header_data, defaults.header_data);
  EXPECT_EQ(s.include_header, defaults.include_header);
  EXPECT_EQ(s.nobody, defaults.nobody);
  EXPECT_EQ(s.post, defaults.post);
  EXPECT_EQ(s.postfields, nullptr);
  EXPECT_EQ(s.copied_postfields, "");
  EXPECT_FALSE(s.postfields_copied);
  EXPECT_EQ(s.postfieldsize, -1);
  EXPECT_EQ(s.customrequest, "");
  EXPECT_EQ(s.useragent, "");
  EXPECT_EQ(s.referer, "");
  EXPECT_EQ(s.httpheader, nullptr);
  EXPECT_EQ(s.http_version, FETCH_HTTP_VERSION_NONE);
  EXPECT_FALSE(s.failonerror);
  EXPECT_FALSE(s.accept_encoding_set);
  EXPECT_EQ(s.accept_encoding, "");
  EXPECT_TRUE(s.http_content_decoding);
  fetch_slist_free_all(list);
}

TEST_F(HttpOptions, DuphandleCopiesTheHttpOptions) {
  fetch_slist *list = fetch_slist_append(nullptr, "X: 1");
  static const char kBody[] = "shared body";
  int sink = 0;
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_WRITEFUNCTION, &write_a), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_WRITEDATA, &sink), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_POSTFIELDS, kBody), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_CUSTOMREQUEST, "PATCH"), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_USERAGENT, "agent/2"), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_HTTPHEADER, list), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_HTTP_VERSION, FETCH_HTTP_VERSION_1_1), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_ACCEPT_ENCODING, "gzip"), FETCHE_OK);

  FETCH *dup = fetch_easy_duphandle(handle_);
  ASSERT_NE(dup, nullptr);
  const fetch::Settings &d = fetch::as_easy(dup)->settings;
  EXPECT_EQ(d.write_function, &write_a);
  EXPECT_EQ(d.write_data, &sink);
  EXPECT_EQ(d.postfields, kBody);  // the application's pointer, shared as is
  EXPECT_FALSE(d.postfields_copied);
  EXPECT_TRUE(d.post);
  EXPECT_EQ(d.customrequest, "PATCH");
  EXPECT_EQ(d.useragent, "agent/2");
  EXPECT_EQ(d.httpheader, list);  // the list is not copied, as libcurl
  EXPECT_EQ(d.http_version, FETCH_HTTP_VERSION_1_1);
  EXPECT_TRUE(d.accept_encoding_set);
  EXPECT_EQ(d.accept_encoding, "gzip");
  fetch_easy_cleanup(dup);
  fetch_slist_free_all(list);
}

TEST_F(HttpOptions, DuphandleOwnsItsCopypostfields) {
  // A short body (kept inside the string object) and a long one (on the heap).
  for (const std::string &body : {std::string("a=1"), std::string(5000, 'z')}) {
    SCOPED_TRACE(body.size());
    ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, -1), FETCHE_OK);
    ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, body.c_str()), FETCHE_OK);
    FETCH *dup = fetch_easy_duphandle(handle_);
    ASSERT_NE(dup, nullptr);
    const fetch::Settings &d = fetch::as_easy(dup)->settings;
    EXPECT_TRUE(d.postfields_copied);
    EXPECT_EQ(d.postfields, d.copied_postfields.c_str());
    EXPECT_NE(d.postfields, settings().postfields);
    EXPECT_EQ(std::string(d.postfields), body);
    // Changing the original's body does not reach the duplicate, and the duplicate's data
    // outlives the original's.
    ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, "other"), FETCHE_OK);
    EXPECT_EQ(std::string(d.postfields), body);
    FETCH *second = fetch_easy_duphandle(dup);
    ASSERT_NE(second, nullptr);
    fetch_easy_cleanup(dup);
    const fetch::Settings &s2 = fetch::as_easy(second)->settings;
    EXPECT_EQ(s2.postfields, s2.copied_postfields.c_str());
    EXPECT_EQ(std::string(s2.postfields), body);
    fetch_easy_cleanup(second);
  }
}

TEST_F(HttpOptions, DuphandleKeepsABinaryCopy) {
  const char data[] = {'x', '\0', 'y'};
  ASSERT_EQ(set_long(FETCHOPT_POSTFIELDSIZE, 3), FETCHE_OK);
  ASSERT_EQ(set_ptr(FETCHOPT_COPYPOSTFIELDS, data), FETCHE_OK);
  FETCH *dup = fetch_easy_duphandle(handle_);
  ASSERT_NE(dup, nullptr);
  const fetch::Settings &d = fetch::as_easy(dup)->settings;
  EXPECT_EQ(d.postfieldsize, 3);
  EXPECT_EQ(std::string(d.postfields, 3), std::string("x\0y", 3));
  EXPECT_EQ(d.postfields, d.copied_postfields.data());
  fetch_easy_cleanup(dup);
}

}  // namespace
