// Scheduler, part 2: name resolution and the connect race (happy eyeballs, RFC 8305).
#include "runtime/scheduler.h"

#include <poll.h>
#include <sys/socket.h>
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

namespace fetch {

namespace {
constexpr int64_t kHappyEyeballsDelayUs = 200 * 1000;  // RFC 8305's 200 ms

// libcurl 8.x's message for a connect that failed (lib/connect.c): the host and port the URL
// named, the time since this request began, and the error's own text; the system's reason
// ("Connection refused") is in the trace and FETCHINFO_OS_ERRNO.
void fail_connect(Transfer &t) {
  const int64_t began = t.connect_phase_us != 0 ? t.connect_phase_us : t.start_us;
  fail(*t.easy, FETCHE_COULDNT_CONNECT, "Failed to connect to %s port %d after %lld ms: %s",
       t.host.c_str(), t.port, static_cast<long long>((now_us() - began) / 1000),
       fetch_easy_strerror(FETCHE_COULDNT_CONNECT));
}
}  // namespace

void Scheduler::start_resolve(Transfer &t) {
  EasyHandle &easy = *t.easy;
  t.connect_phase_us = now_us();
  set_state(t, TransferState::kResolve);
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
    // A fast answer (e.g. /etc/hosts) may complete right here, and the transfer move on.
    uv_run(&private_loop_, UV_RUN_NOWAIT);
    if (resolver_->pending() > 0) set_backend_watch(true, t.id);
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
    fail_connect(t);
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

void Scheduler::check_attempt(Transfer &t, int fd, bool writable) {
  for (size_t i = 0; i < t.attempts.size(); ++i) {
    ConnectAttempt &a = t.attempts[i];
    if (a.socket.fd != fd || a.failed) continue;
    // SO_ERROR reports a failed connect; a connect still in progress also reads 0 there, so
    // unless the kernel itself said writable (a TCP socket is not while connecting),
    // getpeername tells "connected" from "not yet": the application's bitmask or perform()'s
    // try may be a guess.
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0 && writable) return connected(t, i);
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
    fail_connect(t);
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
  // The fd stays watched: the connection goes on with the same socket and owner, and the
  // exchange changes only its interest (one epoll_ctl MOD, not a DEL and an ADD).
  ConnectAttempt &winner = t.attempts[index];
  auto conn = std::make_unique<Connection>(next_connection_id_++, fd, winner.socket.closer);
  winner.socket.fd = -1;  // moved into the connection
  conn->primary_ip = winner.address.ip();
  conn->primary_port = winner.address.port();
  conn->origin_key = t.origin_key;
  conn->connect_only = t.connect_only;
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

}  // namespace fetch
