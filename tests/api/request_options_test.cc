// The request options of api/src/options/set_request.cc (RANGE, RESUME_FROM(_LARGE),
// TIMECONDITION, TIMEVALUE(_LARGE), FILETIME, REQUEST_TARGET, PATH_AS_IS) against libcurl's
// documented validation plus docs/BAD-INPUT.md, their infos before any transfer, and how
// fetch_easy_reset and fetch_easy_duphandle treat them.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "easy/easy_handle.h"
#include "easy_fixture.h"

namespace {

class RequestOptions : public fetchtest::EasyFixture {};

TEST_F(RequestOptions, RangeIsCopied) {
  std::string text = "0-99,200-299";
  ASSERT_EQ(set_str(FETCHOPT_RANGE, text.c_str()), FETCHE_OK);
  text[0] = 'X';
  EXPECT_EQ(settings().range, "0-99,200-299");
  ASSERT_EQ(set_str(FETCHOPT_RANGE, nullptr), FETCHE_OK);
  EXPECT_EQ(settings().range, "");
}

TEST_F(RequestOptions, RangeWithCrOrLfIsRefused) {
  ASSERT_EQ(set_str(FETCHOPT_RANGE, "1-2"), FETCHE_OK);
  for (const char *bad : {"0-1\r\nX-Evil: 1", "0-1\n", "\r0-1"}) {
    SCOPED_TRACE(bad);
    errbuf_[0] = '\0';
    EXPECT_EQ(set_str(FETCHOPT_RANGE, bad), FETCHE_BAD_FUNCTION_ARGUMENT);
    EXPECT_NE(std::strstr(errbuf_, "RANGE"), nullptr) << errbuf_;
    EXPECT_EQ(settings().range, "1-2") << "a refused value leaves the old one";
  }
}

TEST_F(RequestOptions, ResumeFromAcceptsMinusOneAndUp) {
  EXPECT_EQ(settings().resume_from, 0);
  EXPECT_EQ(set_long(FETCHOPT_RESUME_FROM, 100), FETCHE_OK);
  EXPECT_EQ(settings().resume_from, 100);
  EXPECT_EQ(set_long(FETCHOPT_RESUME_FROM, -1), FETCHE_OK);
  EXPECT_EQ(settings().resume_from, -1);
  EXPECT_EQ(set_long(FETCHOPT_RESUME_FROM, -2), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_NE(std::strstr(errbuf_, "RESUME_FROM"), nullptr) << errbuf_;
  EXPECT_EQ(settings().resume_from, -1);
  EXPECT_EQ(set_long(FETCHOPT_RESUME_FROM, 0), FETCHE_OK);
  EXPECT_EQ(settings().resume_from, 0);
}

TEST_F(RequestOptions, ResumeFromLargeTakesAnOffset) {
  const fetch_off_t big = (fetch_off_t{1} << 40) + 7;  // past 32 bits
  EXPECT_EQ(set_off(FETCHOPT_RESUME_FROM_LARGE, big), FETCHE_OK);
  EXPECT_EQ(settings().resume_from, big);
  EXPECT_EQ(set_off(FETCHOPT_RESUME_FROM_LARGE, -1), FETCHE_OK);
  EXPECT_EQ(set_off(FETCHOPT_RESUME_FROM_LARGE, -2), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(set_off(FETCHOPT_RESUME_FROM_LARGE, INT64_MIN), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(settings().resume_from, -1);
}

TEST_F(RequestOptions, TimeConditionRange) {
  for (long v : {FETCH_TIMECOND_NONE, FETCH_TIMECOND_IFMODSINCE, FETCH_TIMECOND_IFUNMODSINCE,
                 FETCH_TIMECOND_LASTMOD}) {
    EXPECT_EQ(set_long(FETCHOPT_TIMECONDITION, v), FETCHE_OK);
    EXPECT_EQ(settings().timecondition, v);
  }
  for (long bad : {-1L, 4L, 100L}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(set_long(FETCHOPT_TIMECONDITION, bad), FETCHE_BAD_FUNCTION_ARGUMENT);
    EXPECT_EQ(settings().timecondition, FETCH_TIMECOND_LASTMOD);
  }
}

TEST_F(RequestOptions, TimeValueBothWidths) {
  EXPECT_EQ(set_long(FETCHOPT_TIMEVALUE, 784111777L), FETCHE_OK);
  EXPECT_EQ(settings().timevalue, 784111777);
  EXPECT_EQ(set_off(FETCHOPT_TIMEVALUE_LARGE, fetch_off_t{253402300799}), FETCHE_OK);
  EXPECT_EQ(settings().timevalue, 253402300799);
  EXPECT_EQ(set_long(FETCHOPT_TIMEVALUE, -5L), FETCHE_OK) << "libcurl takes any value";
  EXPECT_EQ(settings().timevalue, -5);
}

TEST_F(RequestOptions, FileTimeAndPathAsIsAreBooleans) {
  EXPECT_FALSE(settings().filetime);
  EXPECT_EQ(set_long(FETCHOPT_FILETIME, 2), FETCHE_OK);
  EXPECT_TRUE(settings().filetime);
  EXPECT_EQ(set_long(FETCHOPT_FILETIME, 0), FETCHE_OK);
  EXPECT_FALSE(settings().filetime);
  EXPECT_FALSE(settings().path_as_is);
  EXPECT_EQ(set_long(FETCHOPT_PATH_AS_IS, 1), FETCHE_OK);
  EXPECT_TRUE(settings().path_as_is);
}

TEST_F(RequestOptions, RequestTargetIsCopiedAndChecked) {
  EXPECT_EQ(set_str(FETCHOPT_REQUEST_TARGET, "*"), FETCHE_OK);
  EXPECT_EQ(settings().request_target, "*");
  for (const char *bad : {"/a b", "/a\tb", "/a\r\nHost: x", "/a\n"}) {
    SCOPED_TRACE(bad);
    errbuf_[0] = '\0';
    EXPECT_EQ(set_str(FETCHOPT_REQUEST_TARGET, bad), FETCHE_BAD_FUNCTION_ARGUMENT);
    EXPECT_NE(std::strstr(errbuf_, "REQUEST_TARGET"), nullptr) << errbuf_;
    EXPECT_EQ(settings().request_target, "*");
  }
  EXPECT_EQ(set_str(FETCHOPT_REQUEST_TARGET, nullptr), FETCHE_OK);
  EXPECT_EQ(settings().request_target, "");
}

TEST_F(RequestOptions, InfosBeforeAnyTransfer) {
  long filetime = 0, unmet = -1, connectcode = -1;
  fetch_off_t filetime_t = 0, retry = -1;
  EXPECT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_FILETIME, &filetime), FETCHE_OK);
  EXPECT_EQ(filetime, -1);
  EXPECT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_FILETIME_T, &filetime_t), FETCHE_OK);
  EXPECT_EQ(filetime_t, -1);
  EXPECT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_CONDITION_UNMET, &unmet), FETCHE_OK);
  EXPECT_EQ(unmet, 0);
  EXPECT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_RETRY_AFTER, &retry), FETCHE_OK);
  EXPECT_EQ(retry, 0);
  EXPECT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_HTTP_CONNECTCODE, &connectcode), FETCHE_OK);
  EXPECT_EQ(connectcode, 0);
}

TEST_F(RequestOptions, ResetAndDupHandle) {
  ASSERT_EQ(set_str(FETCHOPT_RANGE, "5-9"), FETCHE_OK);
  ASSERT_EQ(set_off(FETCHOPT_RESUME_FROM_LARGE, 77), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFUNMODSINCE), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_TIMEVALUE, 1000), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_FILETIME, 1), FETCHE_OK);
  ASSERT_EQ(set_str(FETCHOPT_REQUEST_TARGET, "/x"), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_PATH_AS_IS, 1), FETCHE_OK);

  FETCH *dup = fetch_easy_duphandle(handle_);
  ASSERT_NE(dup, nullptr);
  const fetch::Settings &d = fetch::as_easy(dup)->settings;
  EXPECT_EQ(d.range, "5-9");
  EXPECT_EQ(d.resume_from, 77);
  EXPECT_EQ(d.timecondition, FETCH_TIMECOND_IFUNMODSINCE);
  EXPECT_EQ(d.timevalue, 1000);
  EXPECT_TRUE(d.filetime);
  EXPECT_EQ(d.request_target, "/x");
  EXPECT_TRUE(d.path_as_is);
  fetch_easy_cleanup(dup);

  fetch_easy_reset(handle_);
  EXPECT_EQ(settings().range, "");
  EXPECT_EQ(settings().resume_from, 0);
  EXPECT_EQ(settings().timecondition, FETCH_TIMECOND_NONE);
  EXPECT_EQ(settings().timevalue, 0);
  EXPECT_FALSE(settings().filetime);
  EXPECT_EQ(settings().request_target, "");
  EXPECT_FALSE(settings().path_as_is);
}

TEST_F(RequestOptions, OptionTableKnowsThem) {
  for (const char *name :
       {"RANGE", "RESUME_FROM", "RESUME_FROM_LARGE", "TIMECONDITION", "TIMEVALUE",
        "TIMEVALUE_LARGE", "FILETIME", "REQUEST_TARGET", "PATH_AS_IS"}) {
    SCOPED_TRACE(name);
    const fetch_easyoption *o = fetch_easy_option_by_name(name);
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->flags & FETCHOT_FLAG_ALIAS, 0u);
  }
}

}  // namespace
