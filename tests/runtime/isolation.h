// Runs a test body in a child process, so that a crash in the library fails that test alone
// instead of ending the whole run. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

namespace fetchtest {

// Runs `body` as a GoogleTest death test that must exit 0 (1 when `body` recorded a failure;
// the parent prints the child's stderr). FETCHTEST_NO_ISOLATION=1 runs it in-process, for a
// debugger.
inline void run_isolated(const std::function<void()> &body) {
  if (getenv("FETCHTEST_NO_ISOLATION") != nullptr) return body();
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        body();
        std::exit(::testing::Test::HasFailure() ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace fetchtest
