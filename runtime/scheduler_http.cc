// Scheduler, part 5: HTTP transfers: the pool decision, the exchange on the connection, and what
// becomes of the connection afterwards (pooled for reuse, or closed).
#include <sys/socket.h>

#include <cerrno>

#include "easy/easy_handle.h"
#include "runtime/clock.h"
#include "runtime/conn_age.h"
#include "runtime/redirect.h"
#include "runtime/scheduler.h"
#include "runtime/scheduler_entry.h"
#include "runtime/trace.h"

namespace fetch {

namespace {

// An idle connection whose socket stays watched is dropped when it turns readable (a FIN, or
// bytes nobody asked for: on_socket_event). That needs the loop to have run since; one idle
// for less than this has had no real chance to show either, and is reused without a look.
// What could slip through in that window is what a look would race with anyway: a FIN makes
// the request fail before any response byte, which is retried once on a new connection.
constexpr int64_t kFreshIdleUs = 2000;

// True when an idle connection shows no sign of having been closed and holds no stray bytes:
// nothing to read yet. A recv(MSG_PEEK): one syscall, so only for connections the loop may not
// have told us about (not watched, or idle long enough that the loop may not have run since:
// easy_perform or multi_perform called again after the application did other work).
bool looks_alive(int fd) {
  char byte;
  ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

// Redirects (runtime/redirect.h): a followed request goes in, the Location comes out.
FETCHcode start_exchange(HttpExchange &x, const Transfer &t) {
  return x.start(t.http_target, t.followed.active ? &t.followed : nullptr);
}
std::string_view location_of(const HttpExchange &x) { return x.location(); }

}  // namespace

// Leaves INIT/PENDING: reuse an idle connection of the same origin, or resolve and connect.
void Scheduler::start_connection(Transfer &t) {
  EasyHandle &easy = *t.easy;
  if (t.connect_only) {
    trace(&easy, t.id, -1, "pool: not reusing any connection: CONNECT_ONLY transfers never reuse");
    return start_resolve(t);
  }
  if (easy.settings.fresh_connect) {
    trace(&easy, t.id, -1, "pool: not reusing any connection: FRESH_CONNECT set");
    return start_resolve(t);
  }
  while (std::unique_ptr<Connection> conn = pool_.take(t.origin_key)) {
    char why[128];
    const int64_t now = now_us();
    if (too_old_for_reuse(*conn, easy.settings, now, why, sizeof why) != nullptr) {
      trace(&easy, t.id, static_cast<int64_t>(conn->id()),
            "pool: idle connection %llu not reused: %s: closed",
            static_cast<unsigned long long>(conn->id()), why);
      unwatch(conn->fd());
      continue;
    }
    auto watched = sockets_.find(conn->fd());
    const bool known_quiet = watched != sockets_.end() && watched->second.announced != 0 &&
                             now - conn->idle_since_us < kFreshIdleUs;
    if (!known_quiet && !looks_alive(conn->fd())) {
      trace(&easy, t.id, static_cast<int64_t>(conn->id()),
            "pool: idle connection %llu was closed by the server or holds stray bytes: dropped",
            static_cast<unsigned long long>(conn->id()));
      unwatch(conn->fd());
      continue;
    }
    if (tracing(&easy))
      trace(&easy, t.id, static_cast<int64_t>(conn->id()), "pool: reusing connection %llu to %s",
            static_cast<unsigned long long>(conn->id()), t.origin_key.c_str());
    // The fd stays watched for reading (as it was in the pool): the owner changes, not the
    // interest, so reuse costs no epoll_ctl.
    if (auto it = sockets_.find(conn->fd()); it != sockets_.end()) it->second.owner = t.id;
    driver_->set_idle(conn->fd(), false);
    easy.info.conn_id = static_cast<int64_t>(conn->id());
    easy.info.primary_ip = conn->primary_ip;
    easy.info.primary_port = conn->primary_port;
    easy.info.local_ip = conn->local_ip;
    easy.info.local_port = conn->local_port;
    t.reused = true;
    t.connection = std::move(conn);
    set_state(t, TransferState::kProtocol);
    return step(t.id);
  }
  trace(&easy, t.id, -1, "pool: no idle connection to %s: connecting", t.origin_key.c_str());
  start_resolve(t);
}

void Scheduler::start_http(Transfer &t) {
  if (t.exchange) return progress_http(t);
  uint64_t id = t.id;
  t.exchange = exchanges_.make(*t.easy, *t.connection, recv_buffer_, t.reused, t.start_us,
                               [this, id] { return live(id) != nullptr; });
  t.exchange->attach_pause(t.pause);
  FETCHcode rc = start_exchange(*t.exchange, t);
  if (rc != FETCHE_OK) return finish(t, rc);
  const Settings &s = t.easy->settings;
  t.easy->info.referer = t.followed.set_referer ? t.followed.referer : s.referer;
  if (tracing(t.easy))
    trace(t.easy, t.id, static_cast<int64_t>(t.connection->id()), "request %s %s",
          t.easy->info.effective_method.c_str(), t.http_target.target.c_str());
  progress_exchange_started(t);  // the low-speed clock starts (scheduler_progress.cc)
  progress_http(t);
}

void Scheduler::progress_http(Transfer &t) {
  uint64_t id = t.id;
  HttpExchange::Progress p = t.exchange->progress();
  if (p.gone || live(id) == nullptr) return;
  // TIMEOUT has its deadline, but an application loop that sees this socket ready on every
  // turn may not get to its timer: checked here too, as libcurl checks it on every run.
  if (const long limit_ms = t.easy->settings.timeout_ms;
      p.wait != HttpExchange::Wait::kDone && limit_ms > 0) {
    const int64_t elapsed_us = now_us() - t.start_us;
    if (elapsed_us >= static_cast<int64_t>(limit_ms) * 1000) {
      fail(*t.easy, FETCHE_OPERATION_TIMEDOUT, "Operation timed out after %lld milliseconds",
           static_cast<long long>(elapsed_us / 1000));
      return finish(t, FETCHE_OPERATION_TIMEDOUT);
    }
  }
  // Data moved: progress callback and low-speed check (scheduler_progress.cc); the last report
  // of a finished exchange comes from finish().
  if (p.wait != HttpExchange::Wait::kDone && !report_progress(t)) return;
  int fd = t.connection->fd();
  switch (p.wait) {
    case HttpExchange::Wait::kWrite:
      return watch(fd, FETCH_POLL_OUT, id);
    case HttpExchange::Wait::kReadWrite:
      return watch(fd, FETCH_POLL_INOUT, id);
    case HttpExchange::Wait::kRead:
      // Waiting for 100 Continue, or a raised receive low-water mark: progress() again at the
      // deadline even if the socket stays quiet.
      if (p.deadline_us != 0) arm_deadline(t, DeadlineKind::kExchangeCheck, p.deadline_us);
      return watch(fd, FETCH_POLL_IN, id);
    case HttpExchange::Wait::kNone:
      return park(t, p.deadline_us);  // paused or throttled (scheduler_pause.cc)
    case HttpExchange::Wait::kDone:
      break;
  }
  if (p.expect_rejected) {
    // 417 to "Expect: 100-continue" before any body byte: once more without it (as libcurl).
    t.http_target.no_expect = true;
    t.retried = false;
    t.addresses.clear();  // resolved again for the new connection
    t.next_address = 0;
  }
  if (p.retry && !t.retried) {
    // The server closed the idle connection just as we reused it: once, on a new one.
    trace(t.easy, id, static_cast<int64_t>(t.connection->id()), "%s",
          p.expect_rejected
              ? "417 to Expect: 100-continue: sending the request again without it"
              : "reused connection failed before any response byte: retrying on a new connection");
    t.retried = true;
    t.reused = false;
    exchanges_.recycle(std::move(t.exchange));
    unwatch(fd);
    if (live(id) == nullptr) return;
    t.connection.reset();
    return start_resolve(t);
  }
  if (p.retry) {
    fail(*t.easy, p.code, "Connection died before the response, also after a retry");
  }
  RedirectDecision next;
  if (p.code == FETCHE_OK) next = redirect_decision(t);
  if (p.code == FETCHE_OK && p.keep_connection) {
    exchanges_.recycle(std::move(t.exchange));
    std::unique_ptr<Connection> conn = std::move(t.connection);
    if (tracing(t.easy))
      trace(t.easy, id, static_cast<int64_t>(conn->id()), "pool: connection %llu kept for reuse",
            static_cast<unsigned long long>(conn->id()));
    pool_put(std::move(conn));
  } else if (t.connection) {
    trace(t.easy, id, static_cast<int64_t>(t.connection->id()), "pool: connection %llu closed (%s)",
          static_cast<unsigned long long>(t.connection->id()),
          p.code != FETCHE_OK ? "transfer failed" : "not reusable");
  }
  Transfer *again = live(id);
  if (again == nullptr) return;
  if (p.code != FETCHE_OK || next.kind == RedirectDecision::Kind::kNone) {
    return finish(*again, p.code);
  }
  const Settings &s = again->easy->settings;
  const bool callback_body = s.upload || (s.post && s.postfields == nullptr);
  if (next.kind == RedirectDecision::Kind::kFollow && callback_body &&
      next.method != RequestMethod::kGet && next.method != RequestMethod::kHead) {
    // The body would have to be read again: that needs SEEKFUNCTION, not built yet.
    next.kind = RedirectDecision::Kind::kFail;
    next.code = FETCHE_SEND_FAIL_REWIND;
    next.message = "Redirect needs the upload sent again: rewinding is not built in yet";
  }
  if (next.kind == RedirectDecision::Kind::kFail) {
    return finish(*again, fail(*again->easy, next.code, "%s", next.message.c_str()));
  }
  follow_redirect(*again, std::move(next));
}

// What the finished response asks for: nothing, another request, or a failure. Sets
// FETCHINFO_REDIRECT_URL to a Location that is not followed.
RedirectDecision Scheduler::redirect_decision(Transfer &t) {
  EasyHandle &easy = *t.easy;
  const Settings &s = easy.settings;
  RedirectInput in;
  in.status = static_cast<int>(easy.info.response_code);
  in.location = location_of(*t.exchange);
  in.current = t.follow.current.get();
  in.method = t.follow.method;
  in.custom = t.follow.custom;
  in.follow = s.follow_location;
  in.postredir = s.postredir;
  in.max_redirs = s.max_redirs;
  in.followed = t.follow.count;
  in.protocols = s.redir_protocols_str;
  RedirectDecision d = decide_redirect(in);
  easy.info.redirect_url = d.kind == RedirectDecision::Kind::kFollow ? std::string() : d.url;
  return d;
}

// Restarts the transfer on the redirect target: back to INIT with the new URL, the easy handle
// and its infos kept. The connection was pooled (or closed) already; a target of the same
// origin takes it from the pool again.
void Scheduler::follow_redirect(Transfer &t, RedirectDecision next) {
  EasyHandle &easy = *t.easy;
  const Settings &s = easy.settings;
  uint64_t id = t.id;
  exchanges_.recycle(std::move(t.exchange));
  if (t.connection) {  // not reusable: closed here
    unwatch(t.connection->fd());
    if (live(id) == nullptr) return;
    t.connection.reset();
  }
  if (t.counted_connection) {  // the slot is taken again for the new origin
    t.counted_connection = false;
    release_slot(t.origin_key);
  }
  if (t.follow.count == 0) t.follow.first = *t.follow.current;
  ++t.follow.count;
  easy.info.redirect_count = t.follow.count;
  easy.info.redirect_us = now_us() - t.start_us;
  // Per-response infos start again with the next response.
  easy.info.has_content_type = false;
  easy.info.content_type.clear();
  easy.info.content_length_download = -1;
  trace(&easy, id, -1, "redirect %ld: %ld response, following to %s", t.follow.count,
        easy.info.response_code, next.url.c_str());

  FollowedRequest &f = t.followed;
  f.active = true;
  f.as_get = next.method == RequestMethod::kGet;
  f.drop_custom = !next.custom;
  f.set_referer = s.autoreferer;
  f.referer = s.autoreferer ? referer_for(*t.follow.current) : std::string();
  // UNRESTRICTED_AUTH: credentials go to the first origin only.
  f.filter_headers = !s.unrestricted_auth && !same_origin(next.target, t.follow.first);
  f.headers = f.filter_headers ? without_credentials(s.httpheader, f.header_nodes) : nullptr;
  t.follow.method = next.method;
  t.follow.custom = next.custom;
  t.follow.next_url = std::move(next.url);

  t.reused = false;
  t.retried = false;
  t.addresses.clear();
  t.next_address = 0;
  t.attempts.clear();
  t.http_target = HttpTarget{};
  set_state(t, TransferState::kInit);
  step(id);
}

void Scheduler::pool_put(std::unique_ptr<Connection> conn) {
  int fd = conn->fd();
  // Idle sockets stay watched for reading in every driver, the application's too: a reused
  // connection then costs no re-arm (one epoll_ctl less each way), and one that turns readable
  // while idle is dropped without a look. An empty multi un-announces them (unwatch_pool).
  if (auto it = sockets_.find(fd); it != sockets_.end() && it->second.announced != 0) {
    it->second.owner = 0;  // readable while idle = closed or junk: on_socket_event drops it
    if (it->second.announced != FETCH_POLL_IN) {
      socket_nodes_.take(sockets_, it);
      watch(fd, FETCH_POLL_IN, 0);
    }
  } else {
    watch(fd, FETCH_POLL_IN, 0);
  }
  if (!driver_->app_driven()) driver_->set_idle(fd, true);
  pool_.put(std::move(conn), now_us());
  size_t limit = limits_.max_connects > 0 ? static_cast<size_t>(limits_.max_connects)
                                          : std::max<size_t>(4, 4 * transfers_.size());
  while (pool_.size() > limit) {
    std::unique_ptr<Connection> oldest = pool_.take_oldest();
    unwatch(oldest->fd());
  }
}

void Scheduler::unwatch_pool() {
  // With the application's loop, watched idle sockets could keep it running (a libuv or libev
  // loop runs while a watcher is active) after the last transfer: announce REMOVE for them.
  // Reusing one then looks at it once (looks_alive) and watches it again.
  if (!driver_->app_driven()) return;
  pool_.for_each_fd([this](int fd) {
    auto it = sockets_.find(fd);
    if (it != sockets_.end() && it->second.announced != 0) unwatch(fd);
  });
}

void Scheduler::drop_pooled(int fd) {
  std::unique_ptr<Connection> conn = pool_.take_fd(fd);
  if (conn) unwatch(fd);
}

void Scheduler::drain_pool() {
  while (std::unique_ptr<Connection> conn = pool_.take_oldest()) unwatch(conn->fd());
}

}  // namespace fetch
