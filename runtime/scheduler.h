// The scheduler: what a multi handle is. It owns every transfer, connection and socket watch of
// the easy handles added to it and moves transfers through their states when their sockets are
// ready or their deadlines pass (DESIGN "runtime/").
//
// Entry points (add, remove, perform, socket_action, timer and socket events) may nest through
// application callbacks; objects are referenced by id across callbacks, and a transfer removed
// from inside a callback is destroyed when the outermost entry point returns.
#pragma once

#include <fetch/multi.h>
#include <poll.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/app_driver.h"
#include "runtime/connection_pool.h"
#include "runtime/deadline_heap.h"
#include "runtime/event_driver.h"
#include "runtime/exchange_pool.h"
#include "runtime/fifo.h"
#include "runtime/id_table.h"
#include "runtime/node_cache.h"
#include "runtime/receive_buffer.h"
#include "runtime/resolver.h"
#include "runtime/transfer.h"

namespace fetch {

struct EasyHandle;

// FETCHMOPT_NOTIFYFUNCTION state (follows CURLMOPT_NOTIFYFUNCTION(3)).
struct NotifySettings {
  fetch_notify_callback callback = nullptr;
  void *data = nullptr;
  unsigned enabled = 0;  // bit (1 << FETCHMNOTIFY_*)
};

struct SchedulerLimits {
  long max_total_connections = 0;  // 0 = unlimited
  long max_host_connections = 0;
  long max_connects = 0;  // pool size (no pooled connections yet)
};

class Scheduler {
 public:
  // `app_loop` non-null: attach to the application's libuv loop (fetch/uv.h).
  Scheduler(FETCHM *multi, uv_loop_t *app_loop = nullptr);
  ~Scheduler();
  Scheduler(const Scheduler &) = delete;
  Scheduler &operator=(const Scheduler &) = delete;

  FETCHMcode add(EasyHandle &easy);
  // `keep_connect_only`: fetch_easy_perform keeps the CONNECT_ONLY connection for send/recv.
  FETCHMcode remove(EasyHandle &easy, bool keep_connect_only);
  // Removes every handle (fetch_multi_cleanup).
  void remove_all();

  // fetch_multi_perform: runs whatever is ready without blocking.
  FETCHMcode perform(int *running);
  // fetch_easy_perform's turn on the private loop: runs due timers, then blocks until a socket
  // is ready or the next deadline. False (and nothing done) when the loop has nothing to wait
  // for, or the multi is driven by the application: then use perform() and wait().
  bool run_once();
  // fetch_multi_wait / fetch_multi_poll.
  FETCHMcode wait(fetch_waitfd *extra, unsigned extra_n, int timeout_ms, int *numfds, bool is_poll);
  FETCHMcode wakeup();
  FETCHMcode socket_action(fetch_socket_t s, int ev_bitmask, int *running);
  FETCHMcode timeout(long *ms);
  FETCHMcode fdset(fd_set *r, fd_set *w, fd_set *e, int *max_fd);
  FETCHMcode waitfds(fetch_waitfd *ufds, unsigned size, unsigned *count);
  FETCHMcode assign(fetch_socket_t s, void *p);
  // fetch_easy_pause (scheduler_pause.cc, curl_easy_pause(3)): `bitmask` (FETCHPAUSE_*) is the
  // new pause state of `easy`'s transfer. FETCHE_BAD_FUNCTION_ARGUMENT when the handle has no
  // transfer past INIT/PENDING or it is done (libcurl: no connection), else FETCHE_OK.
  FETCHcode pause(EasyHandle &easy, int bitmask);
  // Progresses `easy`'s transfer again on the next driver turn (a kResume deadline due 1 µs
  // from now), never nested inside the caller, so fetch_easy_pause is safe in any callback.
  void unpause(EasyHandle &easy);
  FETCHMsg *info_read(int *msgs_in_queue);

  // Driver callbacks. `from`: who says the socket is ready: the kernel (libuv's poll), the
  // application (socket_action's bitmask) or nobody (perform() in socket_action mode tries each).
  enum class Readiness : uint8_t { kKernel, kApplication, kGuess };
  void on_socket_event(int fd, int cselect_bits, Readiness from);
  void on_timer();

  // Options that change the driver: socket/timer callbacks switch to socket_action mode.
  MultiCallbacks &callbacks() { return callbacks_; }
  void callbacks_changed();
  SchedulerLimits &limits() { return limits_; }
  NotifySettings &notify() { return notify_; }
  // True while the notify callback runs: perform, socket_action and cleanup are refused.
  bool in_notify() const { return notify_depth_ > 0; }

  int running() const { return static_cast<int>(transfers_.size() - done_count_); }
  size_t transfer_count() const { return transfers_.size(); }
  std::vector<EasyHandle *> handles() const;
  bool in_callback() const { return callback_depth_ > 0; }
  void enter_callback() { ++callback_depth_; }
  // Keeps a trace line for delivery at the outermost entry's exit; false when no entry is
  // active (the caller then emits it at once).
  bool defer_trace(uint64_t transfer_id, fetch_infotype type, const char *data, size_t len);
  void leave_callback() { --callback_depth_; }
  uv_loop_t *loop() { return driver_->loop(); }
  bool attached() const { return app_loop_ != nullptr; }

  // Counters for FETCHMINFO_*.
  int64_t xfers_added() const { return xfers_added_; }
  int64_t xfers_done() const { return xfers_done_total_; }
  int64_t pending_count() const;

  // Live connections (in transfers and CONNECT_ONLY ones attached to handles still added).
  size_t connection_count() const { return total_connections_; }
  void release_connect_only(EasyHandle &easy);

 private:
  class Entry;  // runtime/scheduler_entry.h

  Transfer *find(uint64_t id);
  void step(uint64_t id);
  void set_state(Transfer &t, TransferState next,
                 std::source_location where = std::source_location::current());
  void run_now(Transfer &t);
  void arm_deadline(Transfer &t, DeadlineKind kind, int64_t when_us);
  void process_deadlines();
  void update_timer();

  void start_connection(Transfer &t);
  void start_http(Transfer &t);
  void progress_http(Transfer &t);
  // A paused or throttled exchange: its socket unwatched (the app hears FETCH_POLL_REMOVE),
  // progressed again at `resume_us` (0: when unpaused). scheduler_pause.cc.
  void park(Transfer &t, int64_t resume_us);
  RedirectDecision redirect_decision(Transfer &t);           // scheduler_http.cc
  void follow_redirect(Transfer &t, RedirectDecision next);  // scheduler_http.cc
  // Progress (scheduler_progress.cc, runtime/transfer_progress.h).
  void progress_begin(Transfer &t);
  void progress_exchange_started(Transfer &t);
  // Runs the low-speed check and the progress callback; false when the transfer ended or was
  // removed meanwhile (then touch nothing).
  bool report_progress(Transfer &t);
  void on_progress_tick(Transfer &t);
  // The last report when `t` ends with `code`; returns the code the transfer ends with.
  FETCHcode final_progress(Transfer &t, FETCHcode code);
  void pool_put(std::unique_ptr<Connection> conn);
  void drop_pooled(int fd);
  // Stops watching idle sockets in the application's loop (an empty multi watches nothing).
  void unwatch_pool();
  void drain_pool();
  void start_resolve(Transfer &t);
  void on_resolved(uint64_t id, ResolveResult result);
  void start_connect(Transfer &t);
  bool start_next_attempt(Transfer &t);
  // `writable`: the kernel reported the socket writable (a connect that is no longer in
  // progress), so SO_ERROR alone tells the outcome.
  void check_attempt(Transfer &t, int fd, bool writable);
  void connected(Transfer &t, size_t attempt_index);
  void finish(Transfer &t, FETCHcode code);
  FETCHcode setup(Transfer &t);
  bool slot_available(const Transfer &t) const;
  void retry_pending();
  // Takes `t` out of the PENDING counts if it is there (its queue entry goes lazily).
  void leave_pending(Transfer &t);
  // No longer counted as armed to start at the next timer tick (retry_pending).
  void disarm_pending(Transfer &t);
  void take_slot(Transfer &t);
  void release_slot(const std::string &origin_key);

  void watch(int fd, int what, uint64_t owner);
  void unwatch(int fd);
  void close_attempts(Transfer &t);
  void destroy(std::unique_ptr<Transfer> t);
  std::unique_ptr<Transfer> take_spare_transfer();
  void recycle(std::unique_ptr<Transfer> t);
  // Recycles the transfers whose removal was deferred while a callback could still use them.
  void bury_graveyard();
  void set_backend_watch(bool on, uint64_t for_transfer = 0);
  void flush_deferred();
  void deliver_traces();
  void deliver_notifications();
  void fail_all(FETCHcode code, const char *why);
  bool deadline_valid(const Deadline &d);
  bool run_now_valid(uint64_t transfer_id);  // a queued run_now for a live, unfinished transfer
  // When the next thing is due (now_us() clock; 0 = at once), or nullopt: nothing is.
  std::optional<int64_t> next_deadline_us();
  // The transfer `id` if it still exists and is attached to its easy handle, else nullptr.
  Transfer *live(uint64_t id);
  void queue_notification(unsigned type, EasyHandle *easy);

  FETCHM *multi_;
  uv_loop_t *app_loop_;
  uv_loop_t private_loop_{};
  bool private_loop_live_ = false;
  MultiCallbacks callbacks_;
  SchedulerLimits limits_;
  std::unique_ptr<EventDriver> driver_;
  std::unique_ptr<Resolver> resolver_;
  int wakeup_fd_ = -1;  // eventfd for fetch_multi_wakeup

  uint64_t next_transfer_id_ = 1;
  IdTable<Transfer> transfers_;  // runtime/id_table.h
  // Recycled transfers (Scheduler::recycle): adding a handle again, the steady state of a busy
  // client, allocates nothing. At most kMaxSpareTransfers.
  static constexpr size_t kMaxSpareTransfers = 1024;
  std::vector<std::unique_ptr<Transfer>> spare_transfers_;
  size_t done_count_ = 0;
  // Waiting for a connection slot, in arrival order; may hold ids that left PENDING (skipped).
  Fifo<uint64_t> pending_;
  // Transfers that run_now() asked to step at the next timer turn, oldest first; may hold ids
  // of transfers removed since (skipped).
  Fifo<uint64_t> run_now_;
  size_t pending_live_ = 0;         // transfers in PENDING
  size_t pending_armed_count_ = 0;  // of those, armed to start at the next timer tick

  struct SocketEntry {
    int announced = 0;  // what the driver was last told
    uint64_t owner = 0;
    void *socketp = nullptr;
  };
  using SocketTable = std::unordered_map<int, SocketEntry>;
  SocketTable sockets_;
  uint64_t interest_changes_ = 0;  // set_interest calls made, for perform()'s extra passes
  static constexpr int kMaxPerformPasses = 4;
  bool watches_unapplied_ = false;  // perform()'s last pass changed a watch: wait at most 0 ms
  NodeCache<SocketTable> socket_nodes_{kMaxSpareTransfers};
  std::vector<pollfd> poll_fds_;  // Scheduler::wait's poll set, reused
  bool backend_watched_ = false;
  uint64_t backend_owner_ = 0;  // the transfer the lookup fd was announced for

  ConnectionPool pool_;        // idle keep-alive connections (owner 0 in sockets_)
  ReceiveBuffer recv_buffer_;  // every connection's recv() lands here (runtime/receive_buffer.h)
  ExchangePool exchanges_;     // finished exchanges, rebuilt in place for the next requests
  DeadlineHeap deadlines_;
  // Compaction threshold of deadlines_ (Scheduler::arm_deadline): entries beyond this many per
  // transfer, plus the slack, are mostly stale.
  static constexpr size_t kDeadlinesPerTransfer = 4;
  static constexpr size_t kCompactSlack = 256;
  bool timer_armed_ = false;        // the driver knows timer_deadline_us_
  int64_t timer_deadline_us_ = -1;  // -1 = no timer

  struct Message {
    FETCHMsg msg;
    uint64_t transfer_id;
  };
  Fifo<Message> messages_;  // may hold messages of removed handles (skipped)
  size_t live_messages_ = 0;

  NotifySettings notify_;
  struct Note {
    unsigned type;
    uint64_t transfer_id;
  };
  std::vector<Note> notes_;
  struct TraceLine {
    uint64_t transfer_id;
    fetch_infotype type;
    std::string text;
  };
  std::vector<TraceLine> trace_lines_;
  int notify_depth_ = 0;
  bool flushing_ = false;
  bool flush_again_ = false;
  bool timer_failed_ = false;  // the timer callback returned -1

  std::vector<std::unique_ptr<Transfer>> graveyard_;
  int entry_depth_ = 0;
  int callback_depth_ = 0;
  size_t total_connections_ = 0;
  using HostCounts = std::unordered_map<std::string, size_t>;
  HostCounts host_connections_;
  NodeCache<HostCounts> host_nodes_{64};  // an origin's entry comes back without allocating
  uint64_t next_connection_id_ = 0;
  int64_t xfers_added_ = 0;
  int64_t xfers_done_total_ = 0;
};

}  // namespace fetch
