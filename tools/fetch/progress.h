// Progress: the bars drawn on stderr (a terminal) while transfers run. One bar per transfer in
// serial mode; with --parallel an overall bar and one line per running transfer. Redrawn at most
// ten times a second, from sizes the runner polls between perform calls.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace fetchcli {

struct TransferProgress {
  std::string name;
  long long now = 0;     // bytes received
  long long total = -1;  // expected bytes, -1 if unknown
};

struct OverallProgress {
  std::size_t done = 0;
  std::size_t failed = 0;
  std::size_t total = 0;
  long long bytes = 0;  // finished transfers plus running ones
};

class Progress {
 public:
  Progress(bool enabled, bool parallel);

  bool enabled() const { return enabled_; }
  // True when a redraw is due (at most every 100 ms).
  bool due() const;
  void draw(const OverallProgress &overall, const std::vector<TransferProgress> &running);
  // Erases what is drawn (before a message is printed to stderr).
  void clear();
  // Leaves the last drawing on screen and moves below it.
  void finish();

  // "12.3 MiB"
  static std::string human_bytes(double bytes);

 private:
  std::string bar(double fraction, int width) const;
  std::string transfer_line(const TransferProgress &t, int width) const;
  std::string overall_line(const OverallProgress &o, int width) const;
  void paint(const std::vector<std::string> &lines);

  bool enabled_;
  bool parallel_;
  int lines_drawn_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace fetchcli
