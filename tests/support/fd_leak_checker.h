// Counting this process's open file descriptors (/proc/self/fd) to prove a clean teardown.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

namespace fetchtest {

// Every open fd of this process mapped to what it refers to ("socket:[1234]", "/dev/null", ...).
// The descriptor used to read /proc/self/fd itself is left out.
std::map<int, std::string> open_fds();
std::size_t count_open_fds();

// Snapshots the open fds at construction; no_new_fds() fails when more are open later, and lists
// the fds that were not there at the snapshot. The constructor first makes libuv open its
// process-wide fds (a pipe created by the first uv_loop_init, kept until exit), so they are part
// of the baseline.
//
//   fetchtest::FdLeakChecker fds;
//   ... test ...
//   EXPECT_TRUE(fds.no_new_fds());
class FdLeakChecker {
 public:
  FdLeakChecker();

  std::size_t baseline() const;
  // Re-checks every 10 ms for up to `grace` before failing, for fds closed by another thread.
  ::testing::AssertionResult no_new_fds(
      std::chrono::milliseconds grace = std::chrono::milliseconds(0)) const;

 private:
  std::map<int, std::string> baseline_;
};

}  // namespace fetchtest
