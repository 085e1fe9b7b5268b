// libfetch's built-in progress meter: what NOPROGRESS 0 without a progress callback (or with one
// that returns FETCH_PROGRESSFUNC_CONTINUE) draws on the STDERR stream, in the shape of
// libcurl's (CURLOPT_NOPROGRESS(3)): a two-line header once, then one line redrawn in place
// ("\r") at most once per second, and a last line with a newline when the transfer ends.
//
//   % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current
//                                  Dload  Upload   Total   Spent    Left  Speed
// 100  1000  100  1000    0     0  97656      0 --:--:-- --:--:-- --:--:-- 97656
//
// Sizes and speeds are bytes (per second) in five columns, with k/M/G/T/P (powers of 1024) once
// they need more; times are HH:MM:SS, "--:--:--" when unknown.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace fetch {

// What the progress callback is told, in bytes; unknown totals are 0 (as libcurl).
struct ProgressCounts {
  int64_t dltotal = 0;
  int64_t dlnow = 0;
  int64_t ultotal = 0;
  int64_t ulnow = 0;
};

class ProgressMeter {
 public:
  // Draws on `out` when a second passed since the last line, or when `final` (then ends the
  // line). `elapsed_us`: since the transfer started; `current_speed`: bytes/s.
  void draw(FILE *out, const ProgressCounts &c, int64_t now_us, int64_t elapsed_us,
            int64_t current_speed, bool final);

  // The text of one meter line (no "\r", no newline); public for tests.
  static std::string line(const ProgressCounts &c, int64_t elapsed_us, int64_t current_speed);
  static const char *header();

 private:
  bool header_drawn_ = false;
  int64_t last_draw_us_ = 0;
};

}  // namespace fetch
