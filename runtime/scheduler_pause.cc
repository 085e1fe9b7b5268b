// Scheduler, pausing (curl_easy_pause(3)) and throttling (MAX_RECV/SEND_SPEED): what the
// scheduler does when an exchange can make no progress until the application unpauses it or
// until a speed limit's wait is over.
//
// A parked transfer's socket is unwatched (the application's socket callback hears
// FETCH_POLL_REMOVE), so a paused transfer costs no wake-ups; its deadlines (TIMEOUT) stay armed,
// so a timeout still ends a paused transfer, as in libcurl. Any change of the pause state arms a
// kResume deadline due on the next driver turn: the exchange then releases held data, or parks
// again, or watches its socket. Nothing runs inside fetch_easy_pause itself, so it is safe in
// any callback.
#include "easy/easy_handle.h"
#include "runtime/clock.h"
#include "runtime/scheduler.h"
#include "runtime/scheduler_entry.h"
#include "runtime/trace.h"

namespace fetch {

FETCHcode Scheduler::pause(EasyHandle &easy, int bitmask) {
  Entry entry(*this);
  Transfer *t = live(easy.transfer_id);
  // libcurl refuses a handle without a connection; a transfer has one (or is getting one) from
  // the name lookup on, until it is done.
  if (t == nullptr || t->state == TransferState::kInit || t->state == TransferState::kPending ||
      t->state == TransferState::kDone) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT,
                "fetch_easy_pause: the handle has no transfer with a connection");
  }
  if (!t->pause.set(bitmask)) return FETCHE_OK;
  trace(&easy, t->id, t->connection ? static_cast<int64_t>(t->connection->id()) : -1,
        "pause: receiving %s, sending %s (fetch_easy_pause)",
        t->pause.recv_paused() ? "paused" : "on", t->pause.send_paused() ? "paused" : "on");
  unpause(easy);
  return FETCHE_OK;
}

void Scheduler::unpause(EasyHandle &easy) {
  Entry entry(*this);
  Transfer *t = live(easy.transfer_id);
  if (t == nullptr) return;
  // Due just after now, not at 0: a deadline armed while deadlines are being processed then
  // waits for the next turn, so a callback that keeps pausing and unpausing cannot spin here.
  arm_deadline(*t, DeadlineKind::kResume, now_us() + 1);
}

void Scheduler::park(Transfer &t, int64_t resume_us) {
  if (resume_us != 0) {
    arm_deadline(t, DeadlineKind::kResume, resume_us);  // throttled: no trace, it is frequent
  } else {
    trace(t.easy, t.id, t.connection ? static_cast<int64_t>(t.connection->id()) : -1,
          "pause: receiving %s, sending %s: socket not watched until unpaused",
          t.pause.recv_paused() ? "paused" : "on", t.pause.send_paused() ? "paused" : "on");
  }
  if (t.connection) unwatch(t.connection->fd());
}

}  // namespace fetch
