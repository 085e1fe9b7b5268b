// The progress and low-speed options (api/src/options/set_progress.cc) against libcurl 8.x's
// setopt checks and defaults: NOPROGRESS, XFERINFOFUNCTION, PROGRESSFUNCTION, XFERINFODATA and
// its alias PROGRESSDATA, LOW_SPEED_LIMIT, LOW_SPEED_TIME; how fetch_easy_reset and
// fetch_easy_duphandle treat them; and the built-in meter's line format.
#define FETCH_DISABLE_DEPRECATION  // FETCHOPT_PROGRESSFUNCTION is deprecated, and tested here
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <string>

#include "easy/easy_handle.h"
#include "easy_fixture.h"
#include "runtime/progress_meter.h"

namespace {

int xferinfo_a(void *, fetch_off_t, fetch_off_t, fetch_off_t, fetch_off_t) { return 0; }
int progress_a(void *, double, double, double, double) { return 0; }

class ProgressOptions : public fetchtest::EasyFixture {};

// libcurl's defaults for the options of this file: no meter, no callbacks, no low-speed limit.
void expect_progress_defaults(const fetch::Settings &s) {
  EXPECT_TRUE(s.noprogress);
  EXPECT_EQ(s.xferinfo_function, nullptr);
  EXPECT_EQ(s.progress_function, nullptr);
  EXPECT_EQ(s.progress_data, nullptr);
  EXPECT_EQ(s.low_speed_limit, 0);
  EXPECT_EQ(s.low_speed_time_s, 0);
}

TEST_F(ProgressOptions, Defaults) { expect_progress_defaults(easy_->settings); }

TEST_F(ProgressOptions, NoProgressIsABooleanLong) {
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_NOPROGRESS, 0L), FETCHE_OK);
  EXPECT_FALSE(easy_->settings.noprogress);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_NOPROGRESS, 2L), FETCHE_OK);  // > 1 is true
  EXPECT_TRUE(easy_->settings.noprogress);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_NOPROGRESS, 0L), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_NOPROGRESS, -1L), FETCHE_OK);  // non-zero
  EXPECT_TRUE(easy_->settings.noprogress);
}

TEST_F(ProgressOptions, CallbacksAndDataAreStored) {
  int marker = 0;
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_XFERINFOFUNCTION, &xferinfo_a), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_PROGRESSFUNCTION, &progress_a), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_XFERINFODATA, &marker), FETCHE_OK);
  EXPECT_EQ(easy_->settings.xferinfo_function, &xferinfo_a);
  EXPECT_EQ(easy_->settings.progress_function, &progress_a);
  EXPECT_EQ(easy_->settings.progress_data, &marker);
  // PROGRESSDATA is the same option.
  int other = 0;
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_PROGRESSDATA, &other), FETCHE_OK);
  EXPECT_EQ(easy_->settings.progress_data, &other);
  // NULL restores the defaults.
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_XFERINFOFUNCTION, nullptr), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_PROGRESSFUNCTION, nullptr), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_XFERINFODATA, nullptr), FETCHE_OK);
  EXPECT_EQ(easy_->settings.xferinfo_function, nullptr);
  EXPECT_EQ(easy_->settings.progress_function, nullptr);
  EXPECT_EQ(easy_->settings.progress_data, nullptr);
}

TEST_F(ProgressOptions, ProgressDataIsListedAsAnAlias) {
  const fetch_easyoption *alias = fetch_easy_option_by_name("PROGRESSDATA");
  ASSERT_NE(alias, nullptr);
  EXPECT_TRUE(alias->flags & FETCHOT_FLAG_ALIAS);
  EXPECT_EQ(alias->id, FETCHOPT_XFERINFODATA);
  const fetch_easyoption *info = fetch_easy_option_by_id(FETCHOPT_XFERINFOFUNCTION);
  ASSERT_NE(info, nullptr);
  EXPECT_STREQ(info->name, "XFERINFOFUNCTION");
  EXPECT_EQ(info->type, FETCHOT_FUNCTION);
}

TEST_F(ProgressOptions, LowSpeedLimitRefusesNegatives) {
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_LIMIT, 1000L), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_LIMIT, -1L),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_STREQ(errbuf_, "FETCHOPT_LOW_SPEED_LIMIT: -1 is negative");
  EXPECT_EQ(easy_->settings.low_speed_limit, 1000);  // unchanged by the refused value
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_LIMIT, LONG_MIN),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_LIMIT, 0L), FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_LIMIT, LONG_MAX), FETCHE_OK);
  EXPECT_EQ(easy_->settings.low_speed_limit, LONG_MAX);
}

TEST_F(ProgressOptions, LowSpeedTimeRefusesNegativesAndClamps) {
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_TIME, 30L), FETCHE_OK);
  EXPECT_EQ(easy_->settings.low_speed_time_s, 30);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_TIME, -5L), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_STREQ(errbuf_, "FETCHOPT_LOW_SPEED_TIME: -5 is negative");
  EXPECT_EQ(easy_->settings.low_speed_time_s, 30);
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_TIME, LONG_MAX), FETCHE_OK);
  EXPECT_EQ(easy_->settings.low_speed_time_s, static_cast<long>(INT_MAX));
  EXPECT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_TIME, 0L), FETCHE_OK);
  EXPECT_EQ(easy_->settings.low_speed_time_s, 0);
}

TEST_F(ProgressOptions, ResetRestoresAndDuphandleCopies) {
  int marker = 0;
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_NOPROGRESS, 0L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_XFERINFOFUNCTION, &xferinfo_a), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_PROGRESSFUNCTION, &progress_a), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_XFERINFODATA, &marker), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_LIMIT, 10L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_LOW_SPEED_TIME, 3L), FETCHE_OK);
  FETCH *dup = fetch_easy_duphandle(handle_);
  ASSERT_NE(dup, nullptr);
  const fetch::Settings &d = fetch::as_easy(dup)->settings;
  EXPECT_FALSE(d.noprogress);
  EXPECT_EQ(d.xferinfo_function, &xferinfo_a);
  EXPECT_EQ(d.progress_function, &progress_a);
  EXPECT_EQ(d.progress_data, &marker);
  EXPECT_EQ(d.low_speed_limit, 10);
  EXPECT_EQ(d.low_speed_time_s, 3);
  fetch_easy_cleanup(dup);
  fetch_easy_reset(handle_);
  expect_progress_defaults(easy_->settings);
}

// ---- the built-in meter's text (runtime/progress_meter.h) ------------------------------------

TEST(ProgressMeterLine, CompleteDownload) {
  fetch::ProgressCounts c{.dltotal = 1000, .dlnow = 1000, .ultotal = 0, .ulnow = 0};
  EXPECT_EQ(fetch::ProgressMeter::line(c, 1000000, 1000),
            "100  1000  100  1000    0     0   1000      0 00:00:01 00:00:01 00:00:00  1000");
}

TEST(ProgressMeterLine, UnknownSizeAndLargeCounts) {
  fetch::ProgressCounts c{.dltotal = 0, .dlnow = 5 * 1024 * 1024, .ultotal = 0, .ulnow = 0};
  // No total: no percentages and no estimate; 5 MiB shows as 5120k.
  EXPECT_EQ(fetch::ProgressMeter::line(c, 2000000, 0),
            "  0 5120k    0 5120k    0     0  2560k      0 --:--:-- 00:00:02 --:--:--     0");
}

TEST(ProgressMeterLine, HalfwayUpload) {
  fetch::ProgressCounts c{.dltotal = 0, .dlnow = 0, .ultotal = 400, .ulnow = 200};
  EXPECT_EQ(fetch::ProgressMeter::line(c, 2000000, 100),
            " 50   400    0     0   50   200      0    100 00:00:04 00:00:02 00:00:02   100");
}

TEST(ProgressMeterLine, HeaderHasLibcurlsColumns) {
  std::string h = fetch::ProgressMeter::header();
  EXPECT_EQ(
      h.rfind("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n",
              0),
      0u);
  EXPECT_NE(h.find("Dload  Upload   Total   Spent    Left  Speed\n"), std::string::npos);
}

}  // namespace
