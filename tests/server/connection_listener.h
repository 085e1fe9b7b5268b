// ConnectionListener<Conn>: a TCP accept loop on one loopback IPv4 address that owns every
// accepted connection until it has closed. Conn is the per-connection class (the echo server's
// ServerConnection, the HTTP server's HttpConnection); it provides accept_from(uv_stream_t &),
// start() and close(), and calls the "closed" callback it was made with once its handle closed.
#pragma once

#include <netinet/in.h>
#include <uv.h>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace fetchtest {

// Counters shared with other threads (the test reads them while the loop thread runs).
struct ListenerStats {
  std::atomic<std::size_t> accepted{0};          // successful uv_accept calls
  std::atomic<std::size_t> open_connections{0};  // connection handles not yet closed
};

template <class Conn>
class ConnectionListener {
 public:
  using Closed = std::function<void(Conn &)>;
  // Makes the object for connection number `id` (1, 2, ... in accept order).
  using Make = std::function<std::unique_ptr<Conn>(std::size_t id, Closed closed)>;

  ConnectionListener(uv_loop_t &loop, Make make, ListenerStats &stats)
      : loop_(loop), make_(std::move(make)), stats_(stats) {
    server_.data = this;
  }
  ~ConnectionListener() {
    if (!closed()) std::fprintf(stderr, "fetchtest: listener destroyed before close completed\n");
  }
  ConnectionListener(const ConnectionListener &) = delete;
  ConnectionListener &operator=(const ConnectionListener &) = delete;

  // Binds `host` (an IPv4 literal) : `port` (0 = a free port) and listens. 0 or a negative
  // libuv error.
  int listen(const std::string &host, int port, int backlog) {
    if (server_open_) return UV_EBUSY;
    int rc = uv_tcp_init(&loop_, &server_);
    if (rc != 0) return rc;
    server_open_ = true;  // from here on close() must close the handle, even if bind fails

    sockaddr_in addr{};
    rc = uv_ip4_addr(host.c_str(), port, &addr);
    if (rc == 0) rc = uv_tcp_bind(&server_, reinterpret_cast<const sockaddr *>(&addr), 0);
    auto on_conn = [](uv_stream_t *s, int status) {
      static_cast<ConnectionListener *>(s->data)->on_connection(status);
    };
    if (rc == 0) rc = uv_listen(reinterpret_cast<uv_stream_t *>(&server_), backlog, on_conn);
    if (rc != 0) return rc;

    sockaddr_in bound{};
    int len = sizeof(bound);
    rc = uv_tcp_getsockname(&server_, reinterpret_cast<sockaddr *>(&bound), &len);
    if (rc != 0) return rc;
    port_ = ntohs(bound.sin_port);
    return 0;
  }

  // The bound port, 0 before a successful listen().
  int port() const { return port_; }
  bool closed() const { return !server_open_ && connections_.empty(); }

  // Stops accepting and closes every connection; closed() turns true once the handles closed.
  void close() {
    if (server_open_ && !uv_is_closing(reinterpret_cast<uv_handle_t *>(&server_))) {
      uv_close(reinterpret_cast<uv_handle_t *>(&server_), [](uv_handle_t *h) {
        static_cast<ConnectionListener *>(h->data)->server_open_ = false;
      });
    }
    for (auto &[ptr, conn] : connections_) conn->close();
  }

 private:
  void on_connection(int status) {
    if (status < 0) return;
    stats_.open_connections.fetch_add(1);
    std::unique_ptr<Conn> conn = make_(next_id_, [this](Conn &done) {
      connections_.erase(&done);
      stats_.open_connections.fetch_sub(1);
    });
    Conn &ref = *conn;
    connections_.emplace(&ref, std::move(conn));
    // Through a named pointer: dereferencing the cast directly trips -Werror=strict-aliasing
    // at -O2.
    auto *server_stream = reinterpret_cast<uv_stream_t *>(&server_);
    if (ref.accept_from(*server_stream) != 0) {
      ref.close();
      return;
    }
    ++next_id_;
    stats_.accepted.fetch_add(1);
    ref.start();
  }

  uv_loop_t &loop_;
  Make make_;
  ListenerStats &stats_;
  uv_tcp_t server_{};
  bool server_open_ = false;
  int port_ = 0;
  std::size_t next_id_ = 1;
  std::unordered_map<Conn *, std::unique_ptr<Conn>> connections_;
};

}  // namespace fetchtest
