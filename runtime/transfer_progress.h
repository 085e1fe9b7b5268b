// One transfer's progress reporting and low-speed check, without I/O and without the scheduler.
//
// Follows libcurl 8.x: CURLOPT_NOPROGRESS(3), CURLOPT_XFERINFOFUNCTION(3),
// CURLOPT_PROGRESSFUNCTION(3), CURLOPT_LOW_SPEED_LIMIT(3), CURLOPT_LOW_SPEED_TIME(3).
//
// - The application's callback (XFERINFOFUNCTION, else PROGRESSFUNCTION with doubles) runs when
//   data moved and on a periodic tick (at least about once per second while idle), only with
//   NOPROGRESS 0. A non-zero return aborts the transfer with FETCHE_ABORTED_BY_CALLBACK (42,
//   "Callback aborted"); FETCH_PROGRESSFUNC_CONTINUE means "go on, and draw the built-in meter".
// - NOPROGRESS 0 without a callback draws the built-in meter (runtime/progress_meter.h) on the
//   STDERR stream, at most once per second and once more at the end.
// - LOW_SPEED_LIMIT (bytes/s) with LOW_SPEED_TIME (s), both non-zero: when the current speed
//   (download plus upload, over a window of up to 5 s, recomputed once per second as libcurl
//   does) stays below the limit for the time, the transfer fails with FETCHE_OPERATION_TIMEDOUT
//   (28, "Operation too slow. Less than N bytes/sec transferred the last M seconds"). The check
//   runs while the request/response exchange runs (not while resolving or connecting: the
//   connect timeout covers those), and not while a direction is paused.
//
// The scheduler (runtime/scheduler_progress.cc) owns the when: it arms the tick at
// next_tick_us() in its deadline heap, calls the callback outside any other callback of the
// multi, and checks after each call whether the transfer still exists.
#pragma once

#include <fetch/fetch.h>

#include <array>
#include <cstdint>

#include "runtime/progress_meter.h"

namespace fetch {

struct EasyHandle;
struct Settings;

class TransferProgress {
 public:
  static constexpr int64_t kTickUs = 1000 * 1000;  // the idle interval: about once per second

  // Whether the transfer needs progress work at all: NOPROGRESS 0, or the low-speed check.
  static bool wanted(const Settings &s);
  static bool low_speed_enabled(const Settings &s);
  // The counts the callback gets, from the easy handle's infos.
  static ProgressCounts counts(const EasyHandle &easy);

  // The transfer was added at `now_us`: the first tick is a second later.
  void begin(int64_t now_us);
  // The request/response exchange starts: the speed window and the low-speed clock start over
  // (the speed counts as 0 until the first second passed, as libcurl's does).
  void start_speed_check(int64_t now_us, int64_t bytes);

  // When the scheduler should tick next (0: no tick). A tick that is not at this time is stale.
  int64_t next_tick_us() const { return next_tick_us_; }
  // The tick at `now_us` ran: the next one is a second later, or earlier when the low-speed
  // time runs out before.
  void ticked(int64_t now_us, const Settings &s);

  // The low-speed rule at `now_us` with `bytes` moved so far (download + upload). Returns
  // FETCHE_OPERATION_TIMEDOUT with the message in the error buffer when the transfer has been
  // too slow for LOW_SPEED_TIME; `paused` (a direction paused) never counts as slow.
  FETCHcode check_speed(EasyHandle &easy, int64_t now_us, int64_t bytes, bool paused);

  // What the application's callback said (call()).
  enum class CallbackResult : uint8_t {
    kNone,   // NOPROGRESS 1, or the callback returned 0: nothing more to do
    kMeter,  // no callback, or FETCH_PROGRESSFUNC_CONTINUE: draw the built-in meter
    kAbort,  // any other non-zero value: fail with FETCHE_ABORTED_BY_CALLBACK
  };
  // Calls XFERINFOFUNCTION (else PROGRESSFUNCTION) with counts(easy), under a CallbackGuard.
  // The callback may remove the transfer: the caller checks that it still exists before it
  // touches the transfer (or this object) again.
  CallbackResult call(EasyHandle &easy);
  // Draws the built-in meter on the STDERR stream; `final` ends its line.
  void draw_meter(EasyHandle &easy, int64_t now_us, bool final);

 private:
  struct Sample {
    int64_t when_us = 0;
    int64_t bytes = 0;
  };
  static constexpr size_t kSamples = 6;  // about five seconds of window

  void add_sample(int64_t now_us, int64_t bytes);
  int64_t window_speed(int64_t now_us, int64_t bytes) const;

  int64_t start_us_ = 0;
  int64_t next_tick_us_ = 0;
  bool checking_ = false;       // the exchange runs: the low-speed rule applies
  int64_t below_since_us_ = 0;  // 0: at or above the limit
  int64_t current_speed_ = 0;   // bytes/s, recomputed once per second
  std::array<Sample, kSamples> samples_{};
  size_t sample_count_ = 0;  // samples taken (the ring holds the last kSamples)
  ProgressMeter meter_;
};

}  // namespace fetch
