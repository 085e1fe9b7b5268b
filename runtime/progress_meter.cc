#include "runtime/progress_meter.h"

#include <cinttypes>
#include <string_view>

namespace fetch {

namespace {

constexpr int64_t kSecondUs = 1000 * 1000;

// A byte count or speed in at most five characters: plain below 100000, else scaled by 1024
// with a unit letter until it fits.
std::string size5(int64_t n) {
  if (n < 0) n = 0;
  char buf[32];
  if (n < 100000) {
    snprintf(buf, sizeof buf, "%5" PRId64, n);
    return buf;
  }
  static constexpr char kUnits[] = "kMGTPE";
  int64_t v = n;
  for (char unit : std::string_view(kUnits, sizeof kUnits - 1)) {
    v /= 1024;
    if (v < 10000) {
      snprintf(buf, sizeof buf, "%4" PRId64 "%c", v, unit);
      return buf;
    }
  }
  return "  big";
}

// Seconds as HH:MM:SS (days once they no longer fit); negative = unknown.
std::string time8(int64_t seconds) {
  if (seconds < 0) return "--:--:--";
  char buf[32];
  if (seconds < 100 * 3600) {
    snprintf(buf, sizeof buf, "%02" PRId64 ":%02" PRId64 ":%02" PRId64, seconds / 3600,
             (seconds / 60) % 60, seconds % 60);
  } else {
    snprintf(buf, sizeof buf, "%3" PRId64 "d %02" PRId64 "h", seconds / 86400,
             (seconds / 3600) % 24);
  }
  return buf;
}

int percent(int64_t now, int64_t total) {
  if (total <= 0) return 0;
  if (now >= total) return 100;
  return static_cast<int>(now * 100 / total);
}

}  // namespace

const char *ProgressMeter::header() {
  return "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
         "                                 Dload  Upload   Total   Spent    Left  Speed\n";
}

std::string ProgressMeter::line(const ProgressCounts &c, int64_t elapsed_us,
                                int64_t current_speed) {
  const int64_t total = c.dltotal + c.ultotal;
  const int64_t done = c.dlnow + c.ulnow;
  const int64_t spent_s = elapsed_us / kSecondUs;
  // Averages over the whole transfer (bytes per second).
  const int64_t dl_avg = elapsed_us > 0 ? c.dlnow * kSecondUs / elapsed_us : 0;
  const int64_t ul_avg = elapsed_us > 0 ? c.ulnow * kSecondUs / elapsed_us : 0;
  // The estimate needs a known total and a speed to extrapolate from.
  const int64_t speed = current_speed > 0 ? current_speed : dl_avg + ul_avg;
  int64_t total_s = -1;
  int64_t left_s = -1;
  if (total > 0 && speed > 0) {
    left_s = done >= total ? 0 : (total - done) / speed;
    total_s = spent_s + left_s;
  }
  char buf[160];
  snprintf(buf, sizeof buf, "%3d %s  %3d %s  %3d %s  %s  %s %s %s %s %s", percent(done, total),
           size5(total > 0 ? total : done).c_str(), percent(c.dlnow, c.dltotal),
           size5(c.dlnow).c_str(), percent(c.ulnow, c.ultotal), size5(c.ulnow).c_str(),
           size5(dl_avg).c_str(), size5(ul_avg).c_str(), time8(total_s).c_str(),
           time8(spent_s).c_str(), time8(left_s).c_str(), size5(current_speed).c_str());
  return buf;
}

void ProgressMeter::draw(FILE *out, const ProgressCounts &c, int64_t now_us, int64_t elapsed_us,
                         int64_t current_speed, bool final) {
  if (out == nullptr) return;
  if (!final && header_drawn_ && now_us - last_draw_us_ < kSecondUs) return;
  if (!header_drawn_) {
    fputs(header(), out);
    header_drawn_ = true;
  }
  last_draw_us_ = now_us;
  std::string text = line(c, elapsed_us, current_speed);
  fprintf(out, "\r%s%s", text.c_str(), final ? "\n" : "");
  fflush(out);
}

}  // namespace fetch
