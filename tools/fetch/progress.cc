#include "progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace fetchcli {
namespace {

constexpr auto kInterval = std::chrono::milliseconds(100);
constexpr std::size_t kMaxTransferLines = 10;

int terminal_width() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) return ws.ws_col;
  return 80;
}

std::string fit(std::string text, std::size_t width) {
  if (text.size() > width) text.resize(width);
  return text;
}

}  // namespace

Progress::Progress(bool enabled, bool parallel)
    : enabled_(enabled), parallel_(parallel), start_(std::chrono::steady_clock::now()) {}

bool Progress::due() const {
  return enabled_ && std::chrono::steady_clock::now() - last_draw_ >= kInterval;
}

std::string Progress::human_bytes(double bytes) {
  static const char *const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit < 4) {
    bytes /= 1024.0;
    ++unit;
  }
  char buf[32];
  if (unit == 0) {
    std::snprintf(buf, sizeof(buf), "%.0f %s", bytes, kUnits[unit]);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f %s", bytes, kUnits[unit]);
  }
  return buf;
}

std::string Progress::bar(double fraction, int width) const {
  if (width < 3) return "";
  const int inner = width - 2;
  const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * inner);
  return "[" + std::string(filled, '#') + std::string(inner - filled, '-') + "]";
}

std::string Progress::transfer_line(const TransferProgress &t, int width) const {
  char tail[96];
  if (t.total > 0) {
    std::snprintf(tail, sizeof(tail), " %5.1f%% %s / %s",
                  100.0 * static_cast<double>(t.now) / static_cast<double>(t.total),
                  human_bytes(static_cast<double>(t.now)).c_str(),
                  human_bytes(static_cast<double>(t.total)).c_str());
  } else {
    std::snprintf(tail, sizeof(tail), "        %s",
                  human_bytes(static_cast<double>(t.now)).c_str());
  }
  std::string tail_text(tail);
  tail_text.resize(std::max<std::size_t>(tail_text.size(), 32), ' ');  // a steady bar width
  const int name_width = std::min(24, width / 4);
  std::string name = fit(t.name, static_cast<std::size_t>(name_width));
  name.resize(static_cast<std::size_t>(name_width), ' ');
  const int bar_width = width - name_width - 2 - static_cast<int>(tail_text.size()) - 1;
  const double fraction =
      t.total > 0 ? static_cast<double>(t.now) / static_cast<double>(t.total) : 0.0;
  return fit(name + "  " + bar(fraction, bar_width) + tail_text,
             static_cast<std::size_t>(width - 1));
}

std::string Progress::overall_line(const OverallProgress &o, int width) const {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double speed = seconds > 0 ? static_cast<double>(o.bytes) / seconds : 0.0;
  char tail[128];
  std::snprintf(tail, sizeof(tail), " %zu/%zu done, %zu failed, %s, %s/s", o.done, o.total,
                o.failed, human_bytes(static_cast<double>(o.bytes)).c_str(),
                human_bytes(speed).c_str());
  const std::string head = "overall ";
  const int bar_width = width - static_cast<int>(head.size() + std::string(tail).size()) - 1;
  const double fraction =
      o.total > 0 ? static_cast<double>(o.done) / static_cast<double>(o.total) : 0.0;
  return fit(head + bar(fraction, std::min(bar_width, 40)) + tail,
             static_cast<std::size_t>(width - 1));
}

void Progress::draw(const OverallProgress &overall, const std::vector<TransferProgress> &running) {
  if (!enabled_) return;
  last_draw_ = std::chrono::steady_clock::now();
  const int width = terminal_width();
  std::vector<std::string> lines;
  if (parallel_) {
    lines.push_back(overall_line(overall, width));
    for (std::size_t i = 0; i < running.size() && i < kMaxTransferLines; ++i) {
      lines.push_back("  " + transfer_line(running[i], width - 2));
    }
    if (running.size() > kMaxTransferLines) {
      lines.push_back("  ... and " + std::to_string(running.size() - kMaxTransferLines) +
                      " more running");
    }
  } else if (!running.empty()) {
    lines.push_back(transfer_line(running.front(), width));
  }
  paint(lines);
}

void Progress::paint(const std::vector<std::string> &lines) {
  std::string out;
  if (lines_drawn_ > 1) out += "\x1b[" + std::to_string(lines_drawn_ - 1) + "A";
  out += "\r\x1b[J";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += "\n";
    out += lines[i];
  }
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
  lines_drawn_ = static_cast<int>(lines.size());
}

void Progress::clear() {
  if (!enabled_ || lines_drawn_ == 0) return;
  paint({});
  lines_drawn_ = 0;
}

void Progress::finish() {
  if (!enabled_ || lines_drawn_ == 0) return;
  std::fputc('\n', stderr);
  std::fflush(stderr);
  lines_drawn_ = 0;
}

}  // namespace fetchcli
