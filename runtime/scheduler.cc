#include "runtime/scheduler.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "easy/easy_handle.h"
#include "runtime/callback_guard.h"
#include "runtime/clock.h"
#include "runtime/trace.h"
#include "runtime/uv_driver.h"

namespace fetch {

namespace {
constexpr int64_t kDefaultConnectTimeoutUs = 300LL * 1000 * 1000;  // libcurl's 300 s
constexpr int64_t kHappyEyeballsDelayUs = 200 * 1000;              // RFC 8305's 200 ms
}  // namespace

// Every public entry point holds one; when the outermost returns, transfers removed during
// callbacks are destroyed and the timer is re-announced once.
class Scheduler::Entry {
 public:
  explicit Entry(Scheduler &s) : s_(s) { ++s_.entry_depth_; }
  ~Entry() {
    if (--s_.entry_depth_ == 0) s_.flush_deferred();
  }

 private:
  Scheduler &s_;
};

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
  remove_all();
  flush_deferred();
  if (backend_watched_) set_backend_watch(false);
  driver_->set_timer(-1);
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
  auto t = std::make_unique<Transfer>();
  t->id = next_transfer_id_++;
  t->easy = &easy;
  t->start_us = now_us();
  if (easy.connect_only) {  // a new transfer replaces the old one
    release_connect_only(easy);
    easy.connect_only.reset();
  }
  easy.info.clear();
  easy.info.xfer_id = static_cast<int64_t>(t->id);
  easy.info.effective_url = easy.settings.url;
  easy.transfer_id = t->id;
  Transfer &ref = *t;
  transfers_.emplace(t->id, std::move(t));
  ++xfers_added_;
  trace(&easy, ref.id, -1, "added to multi, state INIT");
  if (easy.settings.timeout_ms > 0) {
    arm_deadline(ref, DeadlineKind::kTotalTimeout,
                 ref.start_us + static_cast<int64_t>(easy.settings.timeout_ms) * 1000);
  }
  run_now(ref);
  return FETCHM_OK;
}

FETCHMcode Scheduler::remove(EasyHandle &easy, bool keep_connect_only) {
  Entry entry(*this);
  Transfer *live = find(easy.transfer_id);
  if (live != nullptr && !live->removing) {
    live->removing = true;
    uint64_t id = live->id;
    trace(&easy, id, -1, "removed from multi in state %s", to_string(live->state));
    // Sockets are announced REMOVE (with this easy handle) before anything is closed; the
    // socket callback may re-enter, so look the transfer up again afterwards.
    close_attempts(*live);
    if (live->connection) unwatch(live->connection->fd());
    auto it = transfers_.find(id);
    std::unique_ptr<Transfer> t = std::move(it->second);
    transfers_.erase(it);
    if (t->state == TransferState::kDone) {
      --done_count_;
    } else if (t->state == TransferState::kResolve) {
      resolver_->cancel(t->id);
    }
    pending_.erase(std::remove(pending_.begin(), pending_.end(), t->id), pending_.end());
    messages_.erase(std::remove_if(messages_.begin(), messages_.end(),
                                   [&](const Message &m) { return m.transfer_id == t->id; }),
                    messages_.end());
    t->easy = nullptr;
    destroy(std::move(t));
  }
  if (easy.connect_only && !keep_connect_only) {
    release_connect_only(easy);
    easy.connect_only.reset();
  }
  easy.transfer_id = 0;
  retry_pending();
  return FETCHM_OK;
}

void Scheduler::release_connect_only(EasyHandle &easy) {
  if (!easy.connect_only || easy.connect_only->counted_by != this) return;
  easy.connect_only->counted_by = nullptr;
  if (total_connections_ > 0) --total_connections_;
  auto h = host_connections_.find(easy.connect_only->origin_key);
  if (h != host_connections_.end() && h->second > 0 && --h->second == 0) {
    host_connections_.erase(h);
  }
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
  for (const auto &[id, t] : transfers_) {
    if (t->easy != nullptr) out.push_back(t->easy);
  }
  std::sort(out.begin(), out.end(),
            [](EasyHandle *a, EasyHandle *b) { return a->transfer_id < b->transfer_id; });
  return out;
}

int64_t Scheduler::pending_count() const { return static_cast<int64_t>(pending_.size()); }

Transfer *Scheduler::find(uint64_t id) {
  auto it = transfers_.find(id);
  return it == transfers_.end() ? nullptr : it->second.get();
}

void Scheduler::destroy(std::unique_ptr<Transfer> t) {
  close_attempts(*t);
  if (t->connection) {
    unwatch(t->connection->fd());
    if (t->counted_connection) {
      if (total_connections_ > 0) --total_connections_;
      auto h = host_connections_.find(t->origin_key);
      if (h != host_connections_.end() && h->second > 0 && --h->second == 0) {
        host_connections_.erase(h);
      }
    }
  }
  if (entry_depth_ > 0) {
    graveyard_.push_back(std::move(t));  // maybe still on the stack of a callback
  }
}

bool Scheduler::defer_trace(uint64_t transfer_id, const char *line, size_t len) {
  if (entry_depth_ == 0) return false;
  trace_lines_.push_back(TraceLine{transfer_id, std::string(line, len)});
  return true;
}

Transfer *Scheduler::live(uint64_t id) {
  Transfer *t = find(id);
  return (t != nullptr && t->easy != nullptr && !t->removing) ? t : nullptr;
}

void Scheduler::flush_deferred() {
  graveyard_.clear();
  if (!trace_lines_.empty()) {
    std::vector<TraceLine> lines;
    lines.swap(trace_lines_);
    ++entry_depth_;  // callbacks may re-enter; their own traces wait for the next round
    for (const TraceLine &l : lines) {
      Transfer *t = find(l.transfer_id);
      if (t != nullptr && t->easy != nullptr && t->easy->settings.debug != nullptr) {
        emit_debug(t->easy, l.text.data(), l.text.size());
      }
    }
    --entry_depth_;
    graveyard_.clear();
  }
  // Notifications go out when libfetch is about to return to the application, one at a time;
  // the callback may add or remove handles (CURLMOPT_NOTIFYFUNCTION(3)).
  while (!notes_.empty() && notify_depth_ == 0) {
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
    graveyard_.clear();
  }
  update_timer();
}

void Scheduler::queue_notification(unsigned type, EasyHandle *easy) {
  if (notify_.callback == nullptr || !(notify_.enabled & (1u << type)) || easy == nullptr) return;
  notes_.push_back(Note{type, easy->transfer_id});
}

bool Scheduler::deadline_valid(const Deadline &d) {
  Transfer *t = find(d.transfer_id);
  if (t == nullptr || t->state == TransferState::kDone) return false;
  switch (d.kind) {
    case DeadlineKind::kRunNow:
    case DeadlineKind::kTotalTimeout:
      return true;
    case DeadlineKind::kConnectTimeout:
    case DeadlineKind::kHappyEyeballs:
      return d.generation == t->deadline_generation;
  }
  return false;
}

// ---- state machine ----------------------------------------------------------------------------

void Scheduler::set_state(Transfer &t, TransferState next, std::source_location where) {
  if (t.state == next) return;
  trace(t.easy, t.id, t.connection ? static_cast<int64_t>(t.connection->id()) : -1,
        "state %s -> %s (%s:%u)", to_string(t.state), to_string(next),
        strrchr(where.file_name(), '/') ? strrchr(where.file_name(), '/') + 1 : where.file_name(),
        where.line());
  t.state = next;
  ++t.deadline_generation;  // deadlines armed for the old state are stale now
  if (next == TransferState::kConnect) {
    long ms = t.easy->settings.connect_timeout_ms;
    int64_t budget = ms > 0 ? static_cast<int64_t>(ms) * 1000 : kDefaultConnectTimeoutUs;
    t.connect_deadline_us = t.start_us + budget;
    arm_deadline(t, DeadlineKind::kConnectTimeout, t.connect_deadline_us);
  }
}

void Scheduler::run_now(Transfer &t) { arm_deadline(t, DeadlineKind::kRunNow, 0); }

void Scheduler::arm_deadline(Transfer &t, DeadlineKind kind, int64_t when_us) {
  deadlines_.push(Deadline{when_us, t.id, kind, t.deadline_generation});
  if (entry_depth_ == 0) update_timer();
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
        trace(t->easy, t->id, -1,
              "no connection slot free (MAX_TOTAL/MAX_HOST_CONNECTIONS): "
              "waiting");
        return;
      }
      return start_resolve(*t);
    }
    case TransferState::kPending:
      if (slot_available(*t)) {
        pending_.erase(std::remove(pending_.begin(), pending_.end(), t->id), pending_.end());
        start_resolve(*t);
      }
      return;
    case TransferState::kProtocol:
      // CONNECT_ONLY: the connection is the result.
      return finish(*t, FETCHE_OK);
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

void Scheduler::retry_pending() {
  // Oldest first; each one that fits is started on the next timer tick.
  for (uint64_t id : pending_) {
    Transfer *t = find(id);
    if (t != nullptr && slot_available(*t)) run_now(*t);
  }
}

void Scheduler::finish(Transfer &t, FETCHcode code) {
  if (t.state == TransferState::kDone || t.removing || t.easy == nullptr) return;
  uint64_t id = t.id;
  t.result = code;
  close_attempts(t);
  if (live(id) == nullptr) return;  // removed by the socket callback
  EasyHandle &easy = *t.easy;
  int64_t now = now_us();
  easy.info.total_us = now - t.start_us;
  if (code == FETCHE_OK && t.connection) {
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
    if (t.counted_connection) {
      t.counted_connection = false;
      if (total_connections_ > 0) --total_connections_;
      auto h = host_connections_.find(t.origin_key);
      if (h != host_connections_.end() && h->second > 0 && --h->second == 0) {
        host_connections_.erase(h);
      }
    }
    t.connection.reset();
  }
  if (t.state == TransferState::kResolve) resolver_->cancel(t.id);
  pending_.erase(std::remove(pending_.begin(), pending_.end(), t.id), pending_.end());
  set_state(t, TransferState::kDone);
  ++done_count_;
  ++xfers_done_total_;
  trace(&easy, t.id, easy.info.conn_id, "done: %d (%s)", code, fetch_easy_strerror(code));
  bool was_empty = messages_.empty();
  Message m{};
  m.msg.msg = FETCHMSG_DONE;
  m.msg.easy_handle = &easy;
  m.msg.data.result = code;
  m.transfer_id = t.id;
  messages_.push_back(m);
  if (was_empty) queue_notification(FETCHMNOTIFY_INFO_READ, &easy);
  queue_notification(FETCHMNOTIFY_EASY_DONE, &easy);
  retry_pending();
}

FETCHcode Scheduler::setup(Transfer &t) { return setup_transfer(*t.easy, t); }

// ---- resolve ----------------------------------------------------------------------------------

void Scheduler::start_resolve(Transfer &t) {
  EasyHandle &easy = *t.easy;
  set_state(t, TransferState::kResolve);
  trace(&easy, t.id, -1, "pool: not reusing any connection: CONNECT_ONLY transfers never reuse%s",
        easy.settings.fresh_connect ? " (FRESH_CONNECT set)" : "");
  ResolveQuery q;
  q.host = t.host;
  q.port = t.port;
  q.ipresolve = easy.settings.ipresolve;
  q.cache_timeout_s = easy.settings.dns_cache_timeout_s;
  q.overrides = &easy.settings.resolve;
  ResolveResult result;
  if (resolver_->resolve(q, t.id, result)) {
    on_resolved(t.id, std::move(result));
    return;
  }
  trace(&easy, t.id, -1, "resolving %s asynchronously", t.host.c_str());
  if (driver_->app_driven()) {
    // The private loop registers its completion watcher with epoll only when it runs; run it
    // once so its fd turns readable when the lookup completes.
    uv_run(&private_loop_, UV_RUN_NOWAIT);
    set_backend_watch(true);
  }
}

void Scheduler::on_resolved(uint64_t id, ResolveResult result) {
  Entry entry(*this);
  Transfer *t = find(id);
  if (driver_->app_driven() && resolver_->pending() == 0) set_backend_watch(false);
  if (t == nullptr || t->state != TransferState::kResolve) return;
  t->easy->info.namelookup_us = now_us() - t->start_us;
  if (!result.ok) {
    fail(*t->easy, FETCHE_COULDNT_RESOLVE_HOST, "%s", result.error.c_str());
    return finish(*t, FETCHE_COULDNT_RESOLVE_HOST);
  }
  t->addresses = std::move(result.addresses);
  for (Address &a : t->addresses) a.set_port(t->port);
  // RFC 8305: alternate families, starting with the first one the resolver returned.
  std::stable_partition(t->addresses.begin(), t->addresses.end(), [&](const Address &a) {
    return a.family() == t->addresses.front().family();
  });
  std::vector<Address> a_fam, b_fam;
  int first = t->addresses.front().family();
  for (const Address &a : t->addresses) (a.family() == first ? a_fam : b_fam).push_back(a);
  t->addresses.clear();
  for (size_t i = 0; i < std::max(a_fam.size(), b_fam.size()); ++i) {
    if (i < a_fam.size()) t->addresses.push_back(a_fam[i]);
    if (i < b_fam.size()) t->addresses.push_back(b_fam[i]);
  }
  start_connect(*t);
}

// ---- connect (happy eyeballs) ------------------------------------------------------------------

void Scheduler::start_connect(Transfer &t) {
  set_state(t, TransferState::kConnect);
  uint64_t id = t.id;
  if (!start_next_attempt(t)) {
    Transfer *again = find(id);
    if (again != nullptr && again->state == TransferState::kConnect) {
      finish(*again, again->result != FETCHE_OK ? again->result : FETCHE_COULDNT_CONNECT);
    }
  }
}

// Starts attempts until one is in progress. Returns false when none could start and none is
// running (the transfer has failed; t.result holds the code).
bool Scheduler::start_next_attempt(Transfer &t) {
  uint64_t id = t.id;
  while (t.next_address < t.addresses.size()) {
    const Address addr = t.addresses[t.next_address++];
    ConnectAttempt attempt;
    attempt.address = addr;
    std::string why;
    int os_errno = 0;
    FETCHcode rc;
    rc = open_socket(*t.easy, addr, attempt.socket, why, os_errno);
    Transfer *alive = find(id);
    if (alive == nullptr || alive->state != TransferState::kConnect) {
      attempt.socket.closer.close(attempt.socket.fd);  // removed from inside a callback
      return true;
    }
    if (rc != FETCHE_OK) {
      t.result = rc;
      t.easy->info.os_errno = os_errno;
      fail(*t.easy, rc, "%s", why.c_str());
      trace(t.easy, t.id, -1, "connect to %s port %d failed: %s", addr.ip().c_str(), addr.port(),
            why.c_str());
      if (rc == FETCHE_ABORTED_BY_CALLBACK) return false;
      continue;
    }
    trace(t.easy, t.id, -1, "trying %s port %d (fd %d)", addr.ip().c_str(), addr.port(),
          attempt.socket.fd);
    size_t index = t.attempts.size();
    t.attempts.push_back(attempt);
    if (attempt.socket.already_connected) {
      connected(t, index);
      return true;
    }
    int r = ::connect(attempt.socket.fd, addr.sa(), addr.length);
    if (r == 0) {
      connected(t, index);
      return true;
    }
    if (errno == EINPROGRESS || errno == EAGAIN) {
      watch(attempt.socket.fd, FETCH_POLL_OUT, t.id);
      if (live(id) == nullptr) return true;  // removed by the socket callback
      if (t.next_address < t.addresses.size()) {
        arm_deadline(t, DeadlineKind::kHappyEyeballs, now_us() + kHappyEyeballsDelayUs);
      }
      return true;
    }
    int err = errno;
    t.easy->info.os_errno = err;
    fail(*t.easy, FETCHE_COULDNT_CONNECT, "Failed to connect to %s port %d: %s", t.host.c_str(),
         t.port, strerror(err));
    t.result = FETCHE_COULDNT_CONNECT;
    t.attempts.back().failed = true;
    attempt.socket.closer.close(attempt.socket.fd);
    t.attempts.back().socket.fd = -1;
  }
  for (const ConnectAttempt &a : t.attempts) {
    if (!a.failed && a.socket.fd >= 0) return true;  // still racing
  }
  return false;
}

void Scheduler::check_attempt(Transfer &t, int fd) {
  for (size_t i = 0; i < t.attempts.size(); ++i) {
    ConnectAttempt &a = t.attempts[i];
    if (a.socket.fd != fd || a.failed) continue;
    // SO_ERROR reports a failed connect; a connect still in progress also reads 0 there, so
    // getpeername tells "connected" from "not yet" (readiness may be a guess in perform()).
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0) {
      sockaddr_storage peer{};
      socklen_t plen = sizeof peer;
      if (getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &plen) == 0) return connected(t, i);
      if (errno == ENOTCONN) return;  // not yet
      err = errno;
    }
    if (err == EINPROGRESS || err == EALREADY) return;  // not yet
    uint64_t id = t.id;
    std::string ip = a.address.ip();
    int port = a.address.port();
    SocketCloser closer = a.socket.closer;
    unwatch(fd);
    // The socket callback may have removed the transfer, which closed every attempt.
    if (live(id) == nullptr) return;
    closer.close(fd);
    for (ConnectAttempt &same : t.attempts) {
      if (same.socket.fd == fd) {
        same.socket.fd = -1;
        same.failed = true;
      }
    }
    t.easy->info.os_errno = err;
    t.result = FETCHE_COULDNT_CONNECT;
    fail(*t.easy, FETCHE_COULDNT_CONNECT, "Failed to connect to %s port %d: %s", t.host.c_str(),
         t.port, strerror(err));
    trace(t.easy, t.id, -1, "connect to %s port %d failed: %s", ip.c_str(), port, strerror(err));
    if (!start_next_attempt(t)) {
      Transfer *again = find(id);
      if (again != nullptr && again->state == TransferState::kConnect) {
        finish(*again, FETCHE_COULDNT_CONNECT);
      }
    }
    return;
  }
}

void Scheduler::connected(Transfer &t, size_t index) {
  uint64_t id = t.id;
  int fd = t.attempts[index].socket.fd;
  unwatch(fd);
  if (live(id) == nullptr) return;  // removed by the socket callback: its attempts are closed
  ConnectAttempt &winner = t.attempts[index];
  auto conn = std::make_unique<Connection>(next_connection_id_++, fd, winner.socket.closer);
  winner.socket.fd = -1;  // moved into the connection
  conn->primary_ip = winner.address.ip();
  conn->primary_port = winner.address.port();
  conn->origin_key = t.origin_key;
  conn->connect_only = true;
  conn->counted_by = this;
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  if (getsockname(fd, reinterpret_cast<sockaddr *>(&local), &len) == 0) {
    Address a;
    a.storage = local;
    a.length = len;
    conn->local_ip = a.ip();
    conn->local_port = a.port();
  }
  close_attempts(t);  // the losers of the race
  if (live(id) == nullptr) {
    // Removed by the socket callback while the losers were closed: the winner goes too.
    conn.reset();
    return;
  }
  EasyHandle &easy = *t.easy;
  easy.info.connect_us = now_us() - t.start_us;
  easy.info.primary_ip = conn->primary_ip;
  easy.info.primary_port = conn->primary_port;
  easy.info.local_ip = conn->local_ip;
  easy.info.local_port = conn->local_port;
  easy.info.num_connects += 1;
  easy.info.conn_id = static_cast<int64_t>(conn->id());
  trace(&easy, t.id, static_cast<int64_t>(conn->id()), "connected to %s port %d from %s port %d",
        conn->primary_ip.c_str(), conn->primary_port, conn->local_ip.c_str(), conn->local_port);
  ++total_connections_;
  ++host_connections_[t.origin_key];
  t.counted_connection = true;
  t.connection = std::move(conn);
  set_state(t, TransferState::kProtocol);
  step(t.id);
}

void Scheduler::close_attempts(Transfer &t) {
  // Taken out first: the socket callback inside unwatch may remove the transfer, which closes
  // its attempts again (then finding none).
  std::vector<ConnectAttempt> attempts;
  attempts.swap(t.attempts);
  for (ConnectAttempt &a : attempts) {
    if (a.socket.fd < 0) continue;
    unwatch(a.socket.fd);
    a.socket.closer.close(a.socket.fd);
    a.socket.fd = -1;
  }
}

// ---- readiness --------------------------------------------------------------------------------

void Scheduler::watch(int fd, int what, uint64_t owner) {
  SocketEntry &e = sockets_[fd];
  e.owner = owner;
  if (e.announced == what) return;  // unchanged: no syscall, no callback
  e.announced = what;
  Transfer *t = find(owner);
  EasyHandle *easy = t != nullptr ? t->easy : nullptr;
  bool ok;
  {
    CallbackGuard guard(easy);
    ++callback_depth_;
    ok = driver_->set_interest(fd, what, easy, e.socketp);
    --callback_depth_;
  }
  if (!ok) {
    Transfer *again = find(owner);
    if (again != nullptr && again->state != TransferState::kDone) {
      fail(*again->easy, FETCHE_ABORTED_BY_CALLBACK, "socket callback returned error");
      finish(*again, FETCHE_ABORTED_BY_CALLBACK);
    }
  }
}

void Scheduler::unwatch(int fd) {
  auto it = sockets_.find(fd);
  if (it == sockets_.end()) return;
  SocketEntry e = it->second;
  sockets_.erase(it);
  if (e.announced == 0) return;
  Transfer *t = find(e.owner);
  EasyHandle *easy = t != nullptr ? t->easy : nullptr;
  CallbackGuard guard(easy);
  ++callback_depth_;
  driver_->set_interest(fd, FETCH_POLL_REMOVE, easy, e.socketp);
  --callback_depth_;
}

void Scheduler::set_backend_watch(bool on) {
  if (on == backend_watched_) return;
  backend_watched_ = on;
  int fd = uv_backend_fd(&private_loop_);
  ++callback_depth_;
  driver_->set_interest(fd, on ? FETCH_POLL_IN : FETCH_POLL_REMOVE, nullptr, nullptr);
  --callback_depth_;
}

void Scheduler::on_socket_event(int fd, int bits) {
  Entry entry(*this);
  auto it = sockets_.find(fd);
  if (it == sockets_.end()) return;
  Transfer *t = find(it->second.owner);
  if (t == nullptr) return;
  (void)bits;
  if (t->state == TransferState::kConnect) check_attempt(*t, fd);
}

void Scheduler::on_timer() {
  Entry entry(*this);
  timer_armed_ = false;  // the timer fired: the next deadline must be announced again
  process_deadlines();
}

void Scheduler::process_deadlines() {
  int64_t now = now_us();
  while (auto d = deadlines_.pop_due(now)) {
    if (!deadline_valid(*d)) continue;
    Transfer *t = find(d->transfer_id);
    switch (d->kind) {
      case DeadlineKind::kRunNow:
        step(t->id);
        break;
      case DeadlineKind::kConnectTimeout:
        if (t->state != TransferState::kConnect || d->generation != t->deadline_generation) break;
        fail(*t->easy, FETCHE_OPERATION_TIMEDOUT, "Connection timed out after %lld milliseconds",
             static_cast<long long>((now - t->start_us) / 1000));
        finish(*t, FETCHE_OPERATION_TIMEDOUT);
        break;
      case DeadlineKind::kTotalTimeout:
        fail(*t->easy, FETCHE_OPERATION_TIMEDOUT, "Operation timed out after %lld milliseconds",
             static_cast<long long>((now - t->start_us) / 1000));
        finish(*t, FETCHE_OPERATION_TIMEDOUT);
        break;
      case DeadlineKind::kHappyEyeballs:
        if (t->state == TransferState::kConnect && d->generation == t->deadline_generation) {
          start_next_attempt(*t);
        }
        break;
    }
  }
}

void Scheduler::update_timer() {
  // Announce only a changed deadline: the application's timer callback hears each one once.
  int64_t next = -1;
  long ms = -1;
  deadlines_.drop_while([this](const Deadline &d) { return !deadline_valid(d); });
  if (auto when = deadlines_.next_when()) {
    next = *when;
    int64_t diff = next - now_us();
    ms = diff <= 0 ? 0 : static_cast<long>(std::min<int64_t>((diff + 999) / 1000, LONG_MAX));
  }
  if (timer_armed_ && next == timer_deadline_us_) return;
  timer_armed_ = true;
  timer_deadline_us_ = next;
  ++callback_depth_;
  driver_->set_timer(ms);
  --callback_depth_;
}

// ---- driver entry points ----------------------------------------------------------------------

FETCHMcode Scheduler::perform(int *running) {
  {
    Entry entry(*this);
    if (driver_->app_driven()) {
      // The application asked for socket callbacks but calls perform: check every socket.
      uv_run(&private_loop_, UV_RUN_NOWAIT);
      process_deadlines();
      std::vector<std::pair<int, uint64_t>> all;
      for (const auto &[fd, e] : sockets_) all.emplace_back(fd, e.owner);
      for (const auto &[fd, owner] : all) on_socket_event(fd, FETCH_CSELECT_OUT);
    } else {
      // Timers, readiness and lookups all arrive through the loop; a second pass registers
      // the watches that the first one started, so a following wait sees them.
      uv_run(driver_->loop(), UV_RUN_NOWAIT);
      uv_run(driver_->loop(), UV_RUN_NOWAIT);
    }
  }
  if (running != nullptr) *running = this->running();
  return FETCHM_OK;
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
      on_socket_event(s, ev_bitmask);
    }
    // else: a stray event for a socket already announced REMOVE (event loops can deliver one
    // from the same batch); ignored, as libcurl does.
    process_deadlines();
  }
  if (running != nullptr) *running = this->running();
  return FETCHM_OK;
}

FETCHMcode Scheduler::timeout(long *ms) {
  deadlines_.drop_while([this](const Deadline &d) { return !deadline_valid(d); });
  if (auto when = deadlines_.next_when()) {
    int64_t diff = *when - now_us();
    *ms = diff <= 0 ? 0 : static_cast<long>((diff + 999) / 1000);
  } else {
    *ms = -1;
  }
  return FETCHM_OK;
}

FETCHMcode Scheduler::wait(fetch_waitfd *extra, unsigned extra_n, int timeout_ms, int *numfds,
                           bool is_poll) {
  if (numfds != nullptr) *numfds = 0;
  std::vector<pollfd> fds;
  fds.reserve(extra_n + 1 + (driver_->app_driven() ? sockets_.size() : 0));
  bool have_own = !sockets_.empty() || resolver_->pending() > 0;
  size_t own_begin = 0;
  if (driver_->app_driven()) {
    for (const auto &[fd, e] : sockets_) {
      short ev = 0;
      if (e.announced & FETCH_POLL_IN) ev |= POLLIN;
      if (e.announced & FETCH_POLL_OUT) ev |= POLLOUT;
      fds.push_back(pollfd{fd, ev, 0});
    }
    fds.push_back(pollfd{uv_backend_fd(&private_loop_), POLLIN, 0});
  } else {
    // One fd stands for every socket, lookup and wake-up: the loop's epoll fd.
    fds.push_back(pollfd{uv_backend_fd(driver_->loop()), POLLIN, 0});
  }
  size_t own_end = fds.size();
  size_t wake_index = fds.size();
  if (is_poll && wakeup_fd_ >= 0) fds.push_back(pollfd{wakeup_fd_, POLLIN, 0});
  size_t extra_begin = fds.size();
  for (unsigned i = 0; i < extra_n; ++i) {
    short ev = 0;
    if (extra[i].events & FETCH_WAIT_POLLIN) ev |= POLLIN;
    if (extra[i].events & FETCH_WAIT_POLLPRI) ev |= POLLPRI;
    if (extra[i].events & FETCH_WAIT_POLLOUT) ev |= POLLOUT;
    fds.push_back(pollfd{extra[i].fd, ev, 0});
  }
  if (!is_poll && !have_own && extra_n == 0) return FETCHM_OK;  // nothing to wait for
  long next = -1;
  timeout(&next);
  int wait_ms = timeout_ms;
  if (next >= 0 && next < wait_ms) wait_ms = static_cast<int>(next);
  int rc;
  do {
    rc = ::poll(fds.data(), fds.size(), wait_ms);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return FETCHM_OK;
  if (is_poll && wake_index < fds.size() && fds[wake_index].revents != 0) {
    uint64_t drained = 0;
    ssize_t r = read(wakeup_fd_, &drained, sizeof drained);  // consumes the wake-up
    (void)r;
  }
  int count = 0;
  for (size_t i = own_begin; i < own_end; ++i) {
    if (fds[i].revents != 0) ++count;
  }
  for (unsigned i = 0; i < extra_n; ++i) {
    extra[i].revents = 0;
    short r = fds[extra_begin + i].revents;
    if (r & POLLIN) extra[i].revents |= FETCH_WAIT_POLLIN;
    if (r & POLLPRI) extra[i].revents |= FETCH_WAIT_POLLPRI;
    if (r & POLLOUT) extra[i].revents |= FETCH_WAIT_POLLOUT;
    if (r != 0) ++count;
  }
  if (numfds != nullptr) *numfds = count;
  return FETCHM_OK;
}

FETCHMcode Scheduler::wakeup() {
  uint64_t one = 1;
  if (wakeup_fd_ < 0 || write(wakeup_fd_, &one, sizeof one) < 0) return FETCHM_WAKEUP_FAILURE;
  return FETCHM_OK;
}

FETCHMcode Scheduler::fdset(fd_set *r, fd_set *w, fd_set *e, int *max_fd) {
  int highest = -1;
  auto add = [&](int fd, int what) {
    if (fd < 0 || fd >= FD_SETSIZE) return;
    if ((what & FETCH_POLL_IN) && r != nullptr) FD_SET(fd, r);
    if ((what & FETCH_POLL_OUT) && w != nullptr) FD_SET(fd, w);
    (void)e;
    highest = std::max(highest, fd);
  };
  if (driver_->app_driven()) {
    for (const auto &[fd, se] : sockets_) add(fd, se.announced);
    if (backend_watched_) add(uv_backend_fd(&private_loop_), FETCH_POLL_IN);
  } else if (!sockets_.empty() || resolver_->pending() > 0) {
    add(uv_backend_fd(driver_->loop()), FETCH_POLL_IN);
  }
  if (max_fd != nullptr) *max_fd = highest;
  return FETCHM_OK;
}

FETCHMcode Scheduler::waitfds(fetch_waitfd *ufds, unsigned size, unsigned *count) {
  std::vector<fetch_waitfd> all;
  if (driver_->app_driven()) {
    for (const auto &[fd, se] : sockets_) {
      short ev = 0;
      if (se.announced & FETCH_POLL_IN) ev |= FETCH_WAIT_POLLIN;
      if (se.announced & FETCH_POLL_OUT) ev |= FETCH_WAIT_POLLOUT;
      all.push_back(fetch_waitfd{fd, ev, 0});
    }
  } else if (!sockets_.empty() || resolver_->pending() > 0) {
    all.push_back(fetch_waitfd{uv_backend_fd(driver_->loop()), FETCH_WAIT_POLLIN, 0});
  }
  if (count != nullptr) *count = static_cast<unsigned>(all.size());
  if (ufds == nullptr) return FETCHM_OK;
  if (all.size() > size) return FETCHM_OUT_OF_MEMORY;
  std::copy(all.begin(), all.end(), ufds);
  return FETCHM_OK;
}

FETCHMcode Scheduler::assign(fetch_socket_t s, void *p) {
  auto it = sockets_.find(s);
  if (it == sockets_.end()) return FETCHM_BAD_SOCKET;
  it->second.socketp = p;
  return FETCHM_OK;
}

FETCHMsg *Scheduler::info_read(int *msgs_in_queue) {
  if (messages_.empty()) {
    if (msgs_in_queue != nullptr) *msgs_in_queue = 0;
    return nullptr;
  }
  last_read_ = messages_.front().msg;
  messages_.pop_front();
  if (msgs_in_queue != nullptr) *msgs_in_queue = static_cast<int>(messages_.size());
  return &last_read_;
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
