#include "runtime/scheduler.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "easy/easy_handle.h"
#include "runtime/callback_guard.h"
#include "runtime/clock.h"
#include "runtime/scheduler_entry.h"
#include "runtime/trace.h"
#include "runtime/uv_driver.h"

namespace fetch {

namespace {
constexpr int64_t kDefaultConnectTimeoutUs = 300LL * 1000 * 1000;  // libcurl's 300 s

// start + ms, saturating: LONG_MAX milliseconds means "practically never", not an overflow.
int64_t deadline_after(int64_t start_us, long ms) {
  constexpr int64_t kFar = INT64_MAX / 4;
  if (ms >= kFar / 1000) return kFar;
  return start_us + static_cast<int64_t>(ms) * 1000;
}
}  // namespace

const char *to_string(TransferState s) {
  switch (s) {
    case TransferState::kInit:
      return "INIT";
    case TransferState::kPending:
      return "PENDING";
    case TransferState::kResolve:
      return "RESOLVE";
    case TransferState::kConnect:
      return "CONNECT";
    case TransferState::kProtocol:
      return "PROTOCOL";
    case TransferState::kDone:
      return "DONE";
  }
  return "?";
}

Scheduler::Scheduler(FETCHM *multi, uv_loop_t *app_loop) : multi_(multi), app_loop_(app_loop) {
  uv_loop_init(&private_loop_);
  private_loop_live_ = true;
  uv_loop_t *loop = app_loop_ != nullptr ? app_loop_ : &private_loop_;
  driver_ = std::make_unique<UvDriver>(loop, *this);
  resolver_ = std::make_unique<Resolver>(
      loop, [this](uint64_t id, ResolveResult r) { on_resolved(id, std::move(r)); });
  // fetch_multi_wakeup writes to an eventfd that fetch_multi_poll waits on and drains, so a
  // wake-up is consumed exactly once, from any thread.
  wakeup_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

Scheduler::~Scheduler() {
  // The lookup fd goes first, while a transfer can still be named in its REMOVE.
  if (backend_watched_) set_backend_watch(false);
  remove_all();
  drain_pool();
  flush_deferred();  // announces "no timer" (-1) once, if a timer was armed
  resolver_.reset();
  driver_.reset();
  if (wakeup_fd_ >= 0) close(wakeup_fd_);
  if (app_loop_ == nullptr) {
    // Our loop: run it until every closed handle and orphaned lookup has called back.
    while (uv_run(&private_loop_, UV_RUN_NOWAIT) != 0) {
      uv_run(&private_loop_, UV_RUN_ONCE);
    }
  }
  // An attached multi leaves its closing handles to the application's loop; the private loop
  // then holds nothing.
  uv_run(&private_loop_, UV_RUN_NOWAIT);
  uv_loop_close(&private_loop_);
}

// ---- membership -------------------------------------------------------------------------------

FETCHMcode Scheduler::add(EasyHandle &easy) {
  Entry entry(*this);
  std::unique_ptr<Transfer> t = take_spare_transfer();
  t->id = next_transfer_id_++;
  t->easy = &easy;
  t->start_us = now_us();
  if (easy.connect_only) {  // a new transfer replaces the old one
    release_connect_only(easy);
    easy.connect_only.reset();
  }
  easy.info.clear();
  easy.headers.clear();
  // CURLOPT_ERRORBUFFER(3): emptied before each transfer, so a success leaves "".
  if (easy.settings.error_buffer != nullptr) easy.settings.error_buffer[0] = '\0';
  easy.info.xfer_id = static_cast<int64_t>(t->id);
  easy.info.effective_url = easy.settings.url;
  easy.transfer_id = t->id;
  Transfer &ref = *t;
  transfers_.insert(ref.id, std::move(t));
  ++xfers_added_;
  if (tracing(&easy)) trace(&easy, ref.id, -1, "added to multi, state INIT");
  if (easy.settings.timeout_ms > 0) {
    arm_deadline(ref, DeadlineKind::kTotalTimeout,
                 deadline_after(ref.start_us, easy.settings.timeout_ms));
  }
  progress_begin(ref);  // runtime/scheduler_progress.cc
  run_now(ref);
  return FETCHM_OK;
}

FETCHMcode Scheduler::remove(EasyHandle &easy, bool keep_connect_only) {
  Entry entry(*this);
  Transfer *live = find(easy.transfer_id);
  if (live != nullptr && !live->removing) {
    live->removing = true;
    uint64_t id = live->id;
    if (tracing(&easy))
      trace(&easy, id, -1, "removed from multi in state %s", to_string(live->state));
    // Sockets are announced REMOVE (with this easy handle) before anything is closed; the
    // socket callback may re-enter, so look the transfer up again afterwards.
    close_attempts(*live);
    if (live->connection) unwatch(live->connection->fd());
    std::unique_ptr<Transfer> t = transfers_.take(id);
    if (t->state == TransferState::kDone) {
      --done_count_;
    } else if (t->state == TransferState::kResolve) {
      resolver_->cancel(t->id);
    }
    // Its entries in pending_ and messages_ stay and are skipped later: no scan here.
    leave_pending(*t);
    if (t->message_queued) --live_messages_;
    if (live_messages_ == 0) messages_.clear();  // only stale ones left (keeps one block)
    t->easy = nullptr;
    destroy(std::move(t));
  }
  if (easy.connect_only && !keep_connect_only) {
    release_connect_only(easy);
    easy.connect_only.reset();
  }
  easy.transfer_id = 0;
  retry_pending();
  if (transfers_.empty()) unwatch_pool();
  return FETCHM_OK;
}

void Scheduler::release_connect_only(EasyHandle &easy) {
  if (!easy.connect_only || easy.connect_only->counted_by != this) return;
  easy.connect_only->counted_by = nullptr;
  release_slot(easy.connect_only->origin_key);
}

// A transfer takes a connection slot when it leaves INIT/PENDING (so transfers still resolving
// or connecting count against MAX_TOTAL/MAX_HOST_CONNECTIONS) and gives it back when it ends
// without a connection, or when its CONNECT_ONLY connection is released.
void Scheduler::take_slot(Transfer &t) {
  ++total_connections_;
  ++host_nodes_.at(host_connections_, t.origin_key);
  t.counted_connection = true;
}

void Scheduler::release_slot(const std::string &origin_key) {
  if (total_connections_ > 0) --total_connections_;
  auto h = host_connections_.find(origin_key);
  if (h != host_connections_.end() && h->second > 0 && --h->second == 0) {
    host_nodes_.take(host_connections_, h);
  }
  retry_pending();
}

void Scheduler::remove_all() {
  std::vector<EasyHandle *> all = handles();
  for (EasyHandle *e : all) {
    remove(*e, false);
    e->multi = nullptr;
  }
}

std::vector<EasyHandle *> Scheduler::handles() const {
  std::vector<EasyHandle *> out;
  out.reserve(transfers_.size());
  transfers_.for_each([&out](uint64_t, const Transfer &t) {
    if (t.easy != nullptr) out.push_back(t.easy);
  });
  std::sort(out.begin(), out.end(),
            [](EasyHandle *a, EasyHandle *b) { return a->transfer_id < b->transfer_id; });
  return out;
}

int64_t Scheduler::pending_count() const { return static_cast<int64_t>(pending_live_); }

Transfer *Scheduler::find(uint64_t id) { return transfers_.find(id); }

void Scheduler::destroy(std::unique_ptr<Transfer> t) {
  close_attempts(*t);
  if (t->connection) unwatch(t->connection->fd());
  if (t->counted_connection) {
    t->counted_connection = false;
    release_slot(t->origin_key);
  }
  if (entry_depth_ > 0) {
    graveyard_.push_back(std::move(t));  // maybe still on the stack of a callback
  } else {
    recycle(std::move(t));
  }
}

// Steady state allocates nothing per transfer (DESIGN "Performance habits"): a finished
// Transfer is emptied in place and kept for the next fetch_multi_add_handle. Assigning a fresh
// Transfer closes what it held, exactly as destroying it would, while its strings keep their
// buffers (a short string is copied into the existing buffer, not swapped for a new one).
std::unique_ptr<Transfer> Scheduler::take_spare_transfer() {
  if (spare_transfers_.empty()) return std::make_unique<Transfer>();
  std::unique_ptr<Transfer> t = std::move(spare_transfers_.back());
  spare_transfers_.pop_back();
  return t;
}

void Scheduler::recycle(std::unique_ptr<Transfer> t) {
  exchanges_.recycle(std::move(t->exchange));
  // The parsed URL of the request in flight keeps its strings (one pointer moved, not the
  // URL's parts): a fresh Transfer's would be disengaged optionals, and assigning a URL to
  // those allocates every part again. setup_transfer's start_hop assigns it before any use,
  // so its old contents are never seen.
  std::unique_ptr<url::Url> current = std::move(t->follow.current);
  *t = Transfer{};
  t->follow.current = std::move(current);
  if (spare_transfers_.size() < kMaxSpareTransfers) spare_transfers_.push_back(std::move(t));
}

void Scheduler::bury_graveyard() {
  std::vector<std::unique_ptr<Transfer>> dead;
  dead.swap(graveyard_);
  for (std::unique_ptr<Transfer> &t : dead) recycle(std::move(t));
  dead.clear();
  if (graveyard_.empty()) graveyard_.swap(dead);  // keeps the vector's buffer
}

bool Scheduler::defer_trace(uint64_t transfer_id, fetch_infotype type, const char *data,
                            size_t len) {
  if (entry_depth_ == 0) return false;
  trace_lines_.push_back(TraceLine{transfer_id, type, std::string(data, len)});
  return true;
}

Transfer *Scheduler::live(uint64_t id) {
  Transfer *t = find(id);
  return (t != nullptr && t->easy != nullptr && !t->removing) ? t : nullptr;
}

void Scheduler::flush_deferred() {
  // Runs when the outermost entry point returns. An entry point called from inside one of our
  // own callbacks (the timer callback runs from here) must not flush: the flush in progress
  // notices and goes round again, so no callback ever runs nested inside another.
  if (callback_depth_ > 0 || flushing_) {
    flush_again_ = true;
    return;
  }
  flushing_ = true;
  do {
    flush_again_ = false;
    bury_graveyard();
    if (timer_failed_) fail_all(FETCHE_ABORTED_BY_CALLBACK, "timer callback returned error");
    deliver_traces();
    deliver_notifications();
    update_timer();
  } while (flush_again_);
  flushing_ = false;
}

void Scheduler::deliver_traces() {
  if (trace_lines_.empty()) return;
  std::vector<TraceLine> lines;
  lines.swap(trace_lines_);
  ++entry_depth_;  // callbacks may re-enter; their own traces wait for the next round
  for (const TraceLine &l : lines) {
    Transfer *t = find(l.transfer_id);
    if (t != nullptr && t->easy != nullptr && t->easy->settings.debug != nullptr) {
      emit_debug(t->easy, l.type, l.text.data(), l.text.size());
    }
  }
  --entry_depth_;
  bury_graveyard();
  if (!trace_lines_.empty()) flush_again_ = true;
}

// Notifications go out when libfetch is about to return to the application, one at a time; the
// callback may add or remove handles (CURLMOPT_NOTIFYFUNCTION(3)).
void Scheduler::deliver_notifications() {
  if (notes_.empty()) return;
  std::vector<Note> batch;
  batch.swap(notes_);
  for (const Note &n : batch) {
    Transfer *t = find(n.transfer_id);
    if (t == nullptr || t->easy == nullptr) continue;
    if (notify_.callback == nullptr || !(notify_.enabled & (1u << n.type))) continue;
    ++notify_depth_;
    ++entry_depth_;  // removals inside the callback are deferred again
    notify_.callback(multi_, n.type, t->easy, notify_.data);
    --entry_depth_;
    --notify_depth_;
  }
  bury_graveyard();
  if (!notes_.empty()) flush_again_ = true;
}

// CURLMOPT_TIMERFUNCTION(3): a timer callback that fails aborts every transfer in progress.
void Scheduler::fail_all(FETCHcode code, const char *why) {
  timer_failed_ = false;
  ++entry_depth_;
  std::vector<uint64_t> ids;
  transfers_.for_each([&ids](uint64_t id, const Transfer &t) {
    if (t.state != TransferState::kDone) ids.push_back(id);
  });
  std::sort(ids.begin(), ids.end());  // oldest first, as they were added
  for (uint64_t id : ids) {
    if (Transfer *t = live(id); t != nullptr && t->state != TransferState::kDone) {
      fail(*t->easy, code, "%s", why);
      finish(*t, code);
    }
  }
  --entry_depth_;
  flush_again_ = true;
}

void Scheduler::queue_notification(unsigned type, EasyHandle *easy) {
  if (notify_.callback == nullptr || !(notify_.enabled & (1u << type)) || easy == nullptr) return;
  notes_.push_back(Note{type, easy->transfer_id});
}

bool Scheduler::deadline_valid(const Deadline &d) {
  Transfer *t = find(d.transfer_id);
  if (t == nullptr || t->state == TransferState::kDone) return false;
  switch (d.kind) {
    case DeadlineKind::kTotalTimeout:
    case DeadlineKind::kExchangeCheck:  // harmless when stale: the exchange checks the time
    case DeadlineKind::kResume:         // harmless when stale: the exchange decides again
      return true;
    case DeadlineKind::kConnectTimeout:
    case DeadlineKind::kHappyEyeballs:
      return d.generation == t->deadline_generation;
    case DeadlineKind::kProgress:  // one tick per transfer: the one at its next tick time
      return d.when_us == t->progress.next_tick_us();
  }
  return false;
}

// ---- state machine ----------------------------------------------------------------------------

void Scheduler::set_state(Transfer &t, TransferState next, std::source_location where) {
  if (t.state == next) return;
  if (tracing(t.easy))
    trace(t.easy, t.id, t.connection ? static_cast<int64_t>(t.connection->id()) : -1,
          "state %s -> %s (%s:%u)", to_string(t.state), to_string(next),
          strrchr(where.file_name(), '/') ? strrchr(where.file_name(), '/') + 1 : where.file_name(),
          where.line());
  t.state = next;
  ++t.deadline_generation;  // deadlines armed for the old state are stale now
  if (next == TransferState::kConnect) {
    long ms = t.easy->settings.connect_timeout_ms;
    // Measured from this hop's resolve (a redirect or a retry connects again), as libcurl's
    // connect timeout covers name resolution and connecting.
    int64_t base = t.connect_phase_us != 0 ? t.connect_phase_us : t.start_us;
    t.connect_deadline_us = ms > 0 ? deadline_after(base, ms) : base + kDefaultConnectTimeoutUs;
    arm_deadline(t, DeadlineKind::kConnectTimeout, t.connect_deadline_us);
  }
}

// A queue, not the deadline heap: every added transfer starts this way, and with thousands of
// transfers a heap push and pop cost a dozen cache misses each (bench E5).
void Scheduler::run_now(Transfer &t) {
  run_now_.push_back(t.id);
  if (entry_depth_ == 0) flush_deferred();
}

void Scheduler::arm_deadline(Transfer &t, DeadlineKind kind, int64_t when_us) {
  deadlines_.push(Deadline{when_us, t.id, kind, t.deadline_generation});
  // Live transfers hold a few deadlines each; far more entries means stale ones piled up.
  if (deadlines_.size() > kCompactSlack + kDeadlinesPerTransfer * transfers_.size()) {
    deadlines_.compact([this](const Deadline &d) { return !deadline_valid(d); });
  }
  if (entry_depth_ == 0) flush_deferred();
}

void Scheduler::step(uint64_t id) {
  Transfer *t = find(id);
  if (t == nullptr) return;
  switch (t->state) {
    case TransferState::kInit: {
      FETCHcode rc = setup(*t);
      if (rc != FETCHE_OK) return finish(*t, rc);
      if (!slot_available(*t)) {
        set_state(*t, TransferState::kPending);
        pending_.push_back(t->id);
        ++pending_live_;
        trace(t->easy, t->id, -1,
              "no connection slot free (MAX_TOTAL/MAX_HOST_CONNECTIONS): "
              "waiting");
        return;
      }
      take_slot(*t);
      return start_connection(*t);
    }
    case TransferState::kPending:
      disarm_pending(*t);  // this run is the armed one, whether or not a slot is free
      if (slot_available(*t)) {
        leave_pending(*t);
        take_slot(*t);
        start_connection(*t);
      }
      return;
    case TransferState::kProtocol:
      // CONNECT_ONLY: the connection is the result.
      if (t->connect_only) return finish(*t, FETCHE_OK);
      return start_http(*t);
    case TransferState::kResolve:
    case TransferState::kConnect:
    case TransferState::kDone:
      return;
  }
}

bool Scheduler::slot_available(const Transfer &t) const {
  if (limits_.max_total_connections > 0 &&
      total_connections_ >= static_cast<size_t>(limits_.max_total_connections)) {
    return false;
  }
  if (limits_.max_host_connections > 0) {
    auto it = host_connections_.find(t.origin_key);
    if (it != host_connections_.end() &&
        it->second >= static_cast<size_t>(limits_.max_host_connections)) {
      return false;
    }
  }
  return true;
}

void Scheduler::leave_pending(Transfer &t) {
  if (t.state != TransferState::kPending) return;
  --pending_live_;
  disarm_pending(t);
}

void Scheduler::disarm_pending(Transfer &t) {
  if (!t.pending_armed) return;
  t.pending_armed = false;
  --pending_armed_count_;
}

void Scheduler::retry_pending() {
  // Entries of transfers that left PENDING (started, finished, removed) are dropped here.
  while (!pending_.empty()) {
    Transfer *front = find(pending_.front());
    if (front != nullptr && front->state == TransferState::kPending) break;
    pending_.pop_front();
  }
  if (pending_live_ == 0) {
    pending_.clear();
    return;
  }
  // Oldest first; each one that fits is started on the next timer tick, and armed only once.
  // Transfers already armed will take slots: with a total limit the walk stops once they fill
  // it, so the cost is the slots freed, not the length of the queue.
  const size_t total_limit = static_cast<size_t>(std::max(0L, limits_.max_total_connections));
  for (uint64_t id : pending_) {
    if (total_limit > 0 && total_connections_ + pending_armed_count_ >= total_limit) break;
    Transfer *t = find(id);
    if (t == nullptr || t->state != TransferState::kPending || t->pending_armed) continue;
    if (!slot_available(*t)) continue;
    t->pending_armed = true;
    ++pending_armed_count_;
    run_now(*t);
  }
}

void Scheduler::finish(Transfer &t, FETCHcode code) {
  if (t.state == TransferState::kDone || t.removing || t.easy == nullptr) return;
  uint64_t id = t.id;
  code = final_progress(t, code);  // the last progress report may abort (scheduler_progress.cc)
  if (live(id) == nullptr || t.state == TransferState::kDone) return;
  t.result = code;
  close_attempts(t);
  if (live(id) == nullptr) return;  // removed by the socket callback
  EasyHandle &easy = *t.easy;
  int64_t now = now_us();
  easy.info.total_us = now - t.start_us;
  if (code == FETCHE_OK && t.connection && !t.connect_only) {
    // HTTP: the connection was handled by finish_http (pooled or closed) unless it is here.
    unwatch(t.connection->fd());
    if (live(id) == nullptr) return;
    t.connection.reset();
  } else if (code == FETCHE_OK && t.connection) {
    // CONNECT_ONLY: the scheduler stops watching the fd and the easy handle owns the
    // connection from now on (DESIGN invariant 4).
    unwatch(t.connection->fd());
    if (live(id) == nullptr) return;  // removed by the socket callback: the connection went too
    t.counted_connection = false;     // the count moves with the connection
    easy.connect_only = std::move(t.connection);
    trace(&easy, t.id, static_cast<int64_t>(easy.connect_only->id()),
          "CONNECT_ONLY done: connection handed to the easy handle, fd %d no longer watched",
          easy.connect_only->fd());
  } else if (t.connection) {
    unwatch(t.connection->fd());
    if (live(id) == nullptr) return;
    t.connection.reset();
  }
  if (t.counted_connection) {  // ended without handing a connection over
    t.counted_connection = false;
    release_slot(t.origin_key);
  }
  if (t.state == TransferState::kResolve) resolver_->cancel(t.id);
  leave_pending(t);
  set_state(t, TransferState::kDone);
  ++done_count_;
  ++xfers_done_total_;
  if (tracing(&easy))
    trace(&easy, t.id, easy.info.conn_id, "done: %d (%s)", code, fetch_easy_strerror(code));
  bool was_empty = live_messages_ == 0;
  Message m{};
  m.msg.msg = FETCHMSG_DONE;
  m.msg.easy_handle = &easy;
  m.msg.data.result = code;
  m.transfer_id = t.id;
  messages_.push_back(m);
  t.message_queued = true;
  ++live_messages_;
  if (was_empty) queue_notification(FETCHMNOTIFY_INFO_READ, &easy);
  queue_notification(FETCHMNOTIFY_EASY_DONE, &easy);
  retry_pending();
}

FETCHcode Scheduler::setup(Transfer &t) { return setup_transfer(*t.easy, t); }

// ---- driver entry points ----------------------------------------------------------------------

FETCHMcode Scheduler::perform(int *running) {
  {
    Entry entry(*this);
    if (driver_->app_driven()) {
      // The application asked for socket callbacks but calls perform: check every socket of
      // a transfer. Idle pooled ones (owner 0) are left alone: a guessed event would drop
      // them as closed, and reuse looks at them anyway (looks_alive).
      uv_run(&private_loop_, UV_RUN_NOWAIT);
      process_deadlines();
      std::vector<std::pair<int, uint64_t>> all;
      for (const auto &[fd, e] : sockets_) {
        if (e.owner != 0) all.emplace_back(fd, e.owner);
      }
      for (const auto &[fd, owner] : all) on_socket_event(fd, FETCH_CSELECT_OUT, Readiness::kGuess);
    } else {
      // Timers, readiness and lookups all arrive through the loop. libuv applies a watch
      // changed in a callback at its next poll, and the application's fetch_multi_poll waits
      // on the loop's epoll fd: another pass runs while the last one changed a watch (a retry
      // or a redirect chains connect, send and read inside one call). A steady stream changes
      // none: one epoll_wait per call. Still changing after the last pass, the next wait does
      // not sleep (timeout()).
      for (int pass = 0; pass < kMaxPerformPasses; ++pass) {
        const uint64_t changes = interest_changes_;
        uv_run(driver_->loop(), UV_RUN_NOWAIT);
        watches_unapplied_ = interest_changes_ != changes;
        if (!watches_unapplied_) break;
      }
    }
  }
  if (running != nullptr) *running = this->running();
  return FETCHM_OK;
}

bool Scheduler::run_once() {
  if (driver_->app_driven() || app_loop_ != nullptr) return false;
  // Timers first (a transfer just added starts and sends), then one wait for readiness that
  // also applies the watches those callbacks started: a keep-alive request is one epoll_wait,
  // one send and one recv. uv_run returns at once when nothing keeps the loop alive. No Entry
  // around it: each callback is its own entry and arms the next timer as it leaves, before
  // the wait computes its timeout (held until after uv_run, the wait could block forever).
  return uv_run(driver_->loop(), UV_RUN_ONCE) != 0;
}

FETCHMcode Scheduler::socket_action(fetch_socket_t s, int ev_bitmask, int *running) {
  {
    Entry entry(*this);
    if (s == FETCH_SOCKET_TIMEOUT) {
      timer_armed_ = false;
      process_deadlines();
    } else if (backend_watched_ && s == uv_backend_fd(&private_loop_)) {
      uv_run(&private_loop_, UV_RUN_NOWAIT);  // delivers lookups and wake-ups
    } else if (sockets_.count(s) != 0) {
      on_socket_event(s, ev_bitmask, Readiness::kApplication);
    }
    // else: a stray event for a socket already announced REMOVE (event loops can deliver one
    // from the same batch); ignored, as libcurl does.
    process_deadlines();
  }
  if (running != nullptr) *running = this->running();
  return FETCHM_OK;
}

void Scheduler::callbacks_changed() {
  bool want_app = callbacks_.socket_cb != nullptr || callbacks_.timer_cb != nullptr;
  if (app_loop_ != nullptr || want_app == driver_->app_driven()) return;
  if (!sockets_.empty() || resolver_->pending() > 0) return;  // switch only while idle
  if (want_app) {
    driver_ = std::make_unique<AppDriver>(multi_, callbacks_, &private_loop_);
  } else {
    driver_ = std::make_unique<UvDriver>(&private_loop_, *this);
  }
  timer_armed_ = false;
}

}  // namespace fetch
