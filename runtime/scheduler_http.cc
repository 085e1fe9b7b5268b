// Scheduler, part 5: HTTP transfers: the pool decision, the exchange on the connection, and what
// becomes of the connection afterwards (pooled for reuse, or closed).
#include <sys/socket.h>

#include <cerrno>

#include "easy/easy_handle.h"
#include "runtime/clock.h"
#include "runtime/scheduler.h"
#include "runtime/scheduler_entry.h"
#include "runtime/trace.h"

namespace fetch {

namespace {

// True when an idle connection shows no sign of having been closed: nothing to read yet.
// Used in socket_action mode, where pooled sockets are not watched.
bool looks_alive(int fd) {
  char byte;
  ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

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
    if (driver_->app_driven() && !looks_alive(conn->fd())) {
      trace(&easy, t.id, static_cast<int64_t>(conn->id()),
            "pool: idle connection %llu was closed by the server: dropped",
            static_cast<unsigned long long>(conn->id()));
      unwatch(conn->fd());
      continue;
    }
    trace(&easy, t.id, static_cast<int64_t>(conn->id()), "pool: reusing connection %llu to %s",
          static_cast<unsigned long long>(conn->id()), t.origin_key.c_str());
    // The fd stays watched for reading (as it was in the pool): the owner changes, not the
    // interest, so reuse costs no epoll_ctl.
    if (auto it = sockets_.find(conn->fd()); it != sockets_.end()) it->second.owner = t.id;
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
  t.exchange = std::make_unique<HttpExchange>(*t.easy, *t.connection, t.reused, t.start_us,
                                              [this, id] { return live(id) != nullptr; });
  FETCHcode rc = t.exchange->start(t.http_target);
  if (rc != FETCHE_OK) return finish(t, rc);
  trace(t.easy, t.id, static_cast<int64_t>(t.connection->id()), "request %s %s",
        t.easy->info.effective_method.c_str(), t.http_target.target.c_str());
  progress_http(t);
}

void Scheduler::progress_http(Transfer &t) {
  uint64_t id = t.id;
  HttpExchange::Progress p = t.exchange->progress();
  if (p.gone || live(id) == nullptr) return;
  int fd = t.connection->fd();
  switch (p.wait) {
    case HttpExchange::Wait::kWrite:
      return watch(fd, FETCH_POLL_OUT, id);
    case HttpExchange::Wait::kRead:
      return watch(fd, FETCH_POLL_IN, id);
    case HttpExchange::Wait::kDone:
      break;
  }
  if (p.retry && !t.retried) {
    // The server closed the idle connection just as we reused it: once, on a new one.
    trace(t.easy, id, static_cast<int64_t>(t.connection->id()),
          "reused connection failed before any response byte: retrying on a new connection");
    t.retried = true;
    t.reused = false;
    t.exchange.reset();
    unwatch(fd);
    if (live(id) == nullptr) return;
    t.connection.reset();
    return start_resolve(t);
  }
  if (p.retry) {
    fail(*t.easy, p.code, "Connection died before the response, also after a retry");
  }
  if (p.code == FETCHE_OK && p.keep_connection) {
    t.exchange.reset();
    std::unique_ptr<Connection> conn = std::move(t.connection);
    trace(t.easy, id, static_cast<int64_t>(conn->id()), "pool: connection %llu kept for reuse",
          static_cast<unsigned long long>(conn->id()));
    pool_put(std::move(conn));
  } else if (t.connection) {
    trace(t.easy, id, static_cast<int64_t>(t.connection->id()), "pool: connection %llu closed (%s)",
          static_cast<unsigned long long>(t.connection->id()),
          p.code != FETCHE_OK ? "transfer failed" : "not reusable");
  }
  if (Transfer *again = live(id)) finish(*again, p.code);
}

void Scheduler::pool_put(std::unique_ptr<Connection> conn) {
  int fd = conn->fd();
  if (driver_->app_driven()) {
    unwatch(fd);  // the application is not asked to watch idle sockets
  } else if (auto it = sockets_.find(fd); it != sockets_.end() && it->second.announced != 0) {
    it->second.owner = 0;  // readable while idle = closed or junk: on_socket_event drops it
    if (it->second.announced != FETCH_POLL_IN) {
      sockets_.erase(it);
      watch(fd, FETCH_POLL_IN, 0);
    }
  } else {
    watch(fd, FETCH_POLL_IN, 0);
  }
  pool_.put(std::move(conn), now_us());
  size_t limit = limits_.max_connects > 0 ? static_cast<size_t>(limits_.max_connects)
                                          : std::max<size_t>(4, 4 * transfers_.size());
  while (pool_.size() > limit) {
    std::unique_ptr<Connection> oldest = pool_.take_oldest();
    unwatch(oldest->fd());
  }
}

void Scheduler::drop_pooled(int fd) {
  std::unique_ptr<Connection> conn = pool_.take_fd(fd);
  if (conn) unwatch(fd);
}

void Scheduler::drain_pool() {
  while (std::unique_ptr<Connection> conn = pool_.take_oldest()) unwatch(conn->fd());
}

}  // namespace fetch
