#include "runtime/transfer_progress.h"

#include <cstdio>

#include "easy/easy_handle.h"
#include "runtime/callback_guard.h"

namespace fetch {

bool TransferProgress::low_speed_enabled(const Settings &s) {
  // libcurl checks only when both are set: a limit of 0 is never undercut.
  return s.low_speed_limit > 0 && s.low_speed_time_s > 0;
}

bool TransferProgress::wanted(const Settings &s) { return !s.noprogress || low_speed_enabled(s); }

ProgressCounts TransferProgress::counts(const EasyHandle &easy) {
  const TransferInfo &i = easy.info;
  ProgressCounts c;
  c.dltotal = i.content_length_download > 0 ? i.content_length_download : 0;
  c.dlnow = i.size_download;
  c.ultotal = i.content_length_upload > 0 ? i.content_length_upload : 0;
  c.ulnow = i.size_upload;
  return c;
}

void TransferProgress::begin(int64_t now_us) {
  *this = TransferProgress{};
  start_us_ = now_us;
  next_tick_us_ = now_us + kTickUs;
}

void TransferProgress::start_speed_check(int64_t now_us, int64_t bytes) {
  checking_ = true;
  sample_count_ = 0;
  current_speed_ = 0;  // nothing measured yet: counts as slow until the first second passed
  add_sample(now_us, bytes);
  below_since_us_ = now_us;
}

void TransferProgress::ticked(int64_t now_us, const Settings &s) {
  next_tick_us_ = now_us + kTickUs;
  if (checking_ && below_since_us_ != 0 && low_speed_enabled(s)) {
    // Fail when the time runs out, not at the next whole second after it.
    int64_t too_slow_at = below_since_us_ + static_cast<int64_t>(s.low_speed_time_s) * kTickUs;
    // Only a moment still ahead: between exchanges (a redirect connecting again) the clock of
    // the last one is not checked, and a past moment must not make the tick spin.
    if (too_slow_at > now_us && too_slow_at < next_tick_us_) next_tick_us_ = too_slow_at;
  }
}

void TransferProgress::add_sample(int64_t now_us, int64_t bytes) {
  samples_[sample_count_ % kSamples] = Sample{now_us, bytes};
  ++sample_count_;
  current_speed_ = window_speed(now_us, bytes);
}

// Bytes per second from the oldest sample in the ring to (now_us, bytes).
int64_t TransferProgress::window_speed(int64_t now_us, int64_t bytes) const {
  if (sample_count_ == 0) return 0;
  const Sample &oldest = samples_[sample_count_ > kSamples ? sample_count_ % kSamples : 0];
  int64_t span_us = now_us - oldest.when_us;
  if (span_us <= 0) return current_speed_;
  int64_t moved = bytes - oldest.bytes;
  if (moved <= 0) return 0;
  // moved * 1e6 overflows only past 9 TB moved in the window; saturate instead.
  if (moved > INT64_MAX / kTickUs) return INT64_MAX / span_us;
  return moved * kTickUs / span_us;
}

FETCHcode TransferProgress::check_speed(EasyHandle &easy, int64_t now_us, int64_t bytes,
                                        bool paused) {
  const Settings &s = easy.settings;
  if (!checking_ || !low_speed_enabled(s)) return FETCHE_OK;
  const Sample &last = samples_[(sample_count_ - 1) % kSamples];
  if (now_us - last.when_us >= kTickUs) add_sample(now_us, bytes);
  if (paused || current_speed_ >= s.low_speed_limit) {
    below_since_us_ = 0;  // a paused direction is not slow (libcurl 8.x)
    return FETCHE_OK;
  }
  if (below_since_us_ == 0) {
    below_since_us_ = now_us;
    return FETCHE_OK;
  }
  if (now_us - below_since_us_ < static_cast<int64_t>(s.low_speed_time_s) * kTickUs) {
    return FETCHE_OK;
  }
  // The speed is recomputed once per second: look once more over the whole window, so a
  // transfer that sped up since the last sample is not failed on a stale figure.
  if (window_speed(now_us, bytes) >= s.low_speed_limit) {
    below_since_us_ = 0;
    return FETCHE_OK;
  }
  return fail(easy, FETCHE_OPERATION_TIMEDOUT,
              "Operation too slow. Less than %ld bytes/sec transferred the last %ld seconds",
              s.low_speed_limit, s.low_speed_time_s);
}

TransferProgress::CallbackResult TransferProgress::call(EasyHandle &easy) {
  const Settings &s = easy.settings;
  if (s.noprogress) return CallbackResult::kNone;
  if (s.xferinfo_function == nullptr && s.progress_function == nullptr) {
    return CallbackResult::kMeter;
  }
  const ProgressCounts c = counts(easy);
  int rc;
  {
    CallbackGuard guard(&easy);
    if (s.xferinfo_function != nullptr) {  // XFERINFOFUNCTION wins when both are set
      rc = s.xferinfo_function(s.progress_data, c.dltotal, c.dlnow, c.ultotal, c.ulnow);
    } else {
      rc = s.progress_function(s.progress_data, static_cast<double>(c.dltotal),
                               static_cast<double>(c.dlnow), static_cast<double>(c.ultotal),
                               static_cast<double>(c.ulnow));
    }
  }
  if (rc == FETCH_PROGRESSFUNC_CONTINUE) return CallbackResult::kMeter;
  return rc == 0 ? CallbackResult::kNone : CallbackResult::kAbort;
}

void TransferProgress::draw_meter(EasyHandle &easy, int64_t now_us, bool final) {
  FILE *out = easy.settings.stderr_stream != nullptr ? easy.settings.stderr_stream : stderr;
  meter_.draw(out, counts(easy), now_us, now_us - start_us_, current_speed_, final);
}

}  // namespace fetch
