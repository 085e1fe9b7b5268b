// Scheduler, part 6: progress reporting and the low-speed check (runtime/transfer_progress.h).
//
// A transfer that wants them (NOPROGRESS 0, or LOW_SPEED_LIMIT and LOW_SPEED_TIME set) has one
// kProgress deadline in the heap at a time, about once per second from when it was added; it is
// valid only while its time equals TransferProgress::next_tick_us() (lazy deletion, like every
// deadline). Besides the tick, the callback runs after each progress_http pass that moved the
// exchange, and once more when the transfer ends (as libcurl's Curl_pgrsDone), unless it ended
// because a callback aborted it.
//
// The callback runs from the scheduler's own code paths (a socket event, a deadline, finish),
// never nested inside another callback of the same multi: when one is on the stack (or the
// notify callback runs), the report is skipped and the next tick or data movement makes it.
#include "easy/easy_handle.h"
#include "runtime/clock.h"
#include "runtime/scheduler.h"
#include "runtime/trace.h"

namespace fetch {

namespace {

// libcurl 8.x does not count a paused direction as slow (runtime/transfer_pause.h).
bool direction_paused(const Transfer &t) { return t.pause.recv_paused() || t.pause.send_paused(); }

}  // namespace

void Scheduler::progress_begin(Transfer &t) {
  if (!TransferProgress::wanted(t.easy->settings)) return;
  t.progress.begin(t.start_us);
  arm_deadline(t, DeadlineKind::kProgress, t.progress.next_tick_us());
}

void Scheduler::progress_exchange_started(Transfer &t) {
  if (!TransferProgress::low_speed_enabled(t.easy->settings)) return;
  ProgressCounts c = TransferProgress::counts(*t.easy);
  t.progress.start_speed_check(now_us(), c.dlnow + c.ulnow);
}

bool Scheduler::report_progress(Transfer &t) {
  EasyHandle &easy = *t.easy;
  const Settings &s = easy.settings;
  if (!TransferProgress::wanted(s)) return true;
  const uint64_t id = t.id;
  const int64_t now = now_us();
  if (t.state == TransferState::kProtocol) {
    ProgressCounts c = TransferProgress::counts(easy);
    FETCHcode rc = t.progress.check_speed(easy, now, c.dlnow + c.ulnow, direction_paused(t));
    if (rc != FETCHE_OK) {
      trace(&easy, id, easy.info.conn_id, "low speed limit: %ld bytes/s not reached for %ld s",
            s.low_speed_limit, s.low_speed_time_s);
      finish(t, rc);
      return false;
    }
  }
  if (s.noprogress || callback_depth_ > 0 || notify_depth_ > 0) return true;
  ++entry_depth_;  // a removal inside the callback defers the transfer's destruction
  TransferProgress::CallbackResult r = t.progress.call(easy);
  --entry_depth_;
  Transfer *again = live(id);
  if (again == nullptr || again->state == TransferState::kDone) return false;
  switch (r) {
    case TransferProgress::CallbackResult::kNone:
      break;
    case TransferProgress::CallbackResult::kMeter:
      again->progress.draw_meter(easy, now, false);
      break;
    case TransferProgress::CallbackResult::kAbort:
      trace(&easy, id, easy.info.conn_id, "progress callback returned non-zero: aborting");
      finish(*again, fail(easy, FETCHE_ABORTED_BY_CALLBACK, "Callback aborted"));
      return false;
  }
  return true;
}

void Scheduler::on_progress_tick(Transfer &t) {
  const uint64_t id = t.id;
  if (!report_progress(t)) return;
  Transfer *again = live(id);
  if (again == nullptr || again->state == TransferState::kDone) return;
  again->progress.ticked(now_us(), again->easy->settings);
  arm_deadline(*again, DeadlineKind::kProgress, again->progress.next_tick_us());
}

FETCHcode Scheduler::final_progress(Transfer &t, FETCHcode code) {
  EasyHandle &easy = *t.easy;
  // libcurl skips the last report when a callback already aborted the transfer.
  if (easy.settings.noprogress || code == FETCHE_ABORTED_BY_CALLBACK) return code;
  if (callback_depth_ > 0 || notify_depth_ > 0) return code;
  const uint64_t id = t.id;
  ++entry_depth_;
  TransferProgress::CallbackResult r = t.progress.call(easy);
  --entry_depth_;
  Transfer *again = live(id);
  if (again == nullptr) return code;  // removed inside the callback: the caller stops
  if (r == TransferProgress::CallbackResult::kMeter) {
    again->progress.draw_meter(easy, now_us(), true);
  } else if (r == TransferProgress::CallbackResult::kAbort && code == FETCHE_OK) {
    trace(&easy, id, easy.info.conn_id, "progress callback returned non-zero on the last report");
    return fail(easy, FETCHE_ABORTED_BY_CALLBACK, "Callback aborted");
  }
  return code;
}

}  // namespace fetch
