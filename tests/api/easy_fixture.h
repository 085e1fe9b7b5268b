// The fixture the API option/info tests share: a fresh easy handle per test with an error buffer
// installed, typed setopt/getinfo shorthands, and access to the handle's internal settings.
// Derived fixtures add only what is particular to their file.
#pragma once

#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include "easy/easy_handle.h"

namespace fetchtest {

class EasyFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    handle_ = fetch_easy_init();
    ASSERT_NE(handle_, nullptr);
    easy_ = fetch::as_easy(handle_);
    ASSERT_NE(easy_, nullptr);
    ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_ERRORBUFFER, errbuf_), FETCHE_OK);
  }
  void TearDown() override { fetch_easy_cleanup(handle_); }

  const fetch::Settings &settings() const { return easy_->settings; }

  // fetch_easy_setopt is variadic: these pin the argument type each option kind expects.
  FETCHcode set_long(FETCHoption option, long value) {
    return fetch_easy_setopt(handle_, option, value);
  }
  FETCHcode set_str(FETCHoption option, const char *value) {
    return fetch_easy_setopt(handle_, option, value);
  }
  FETCHcode set_ptr(FETCHoption option, const void *value) {
    return fetch_easy_setopt(handle_, option, value);
  }
  FETCHcode set_off(FETCHoption option, fetch_off_t value) {
    return fetch_easy_setopt(handle_, option, value);
  }

  // The value of `info`, expecting FETCHE_OK.
  template <typename T>
  T get(FETCHINFO info) {
    T value{};
    EXPECT_EQ(fetch_easy_getinfo(handle_, info, &value), FETCHE_OK);
    return value;
  }

  FETCH *handle_ = nullptr;
  fetch::EasyHandle *easy_ = nullptr;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

}  // namespace fetchtest
