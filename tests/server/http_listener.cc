#include "http_listener.h"

#include <netinet/in.h>

#include <cstdio>

namespace fetchtest {

HttpListener::HttpListener(uv_loop_t &loop, HttpRoutes &routes, HttpRecorder &recorder,
                           ListenerStats &stats)
    : loop_(loop), routes_(routes), recorder_(recorder), stats_(stats) {
  server_.data = this;
}

HttpListener::~HttpListener() {
  if (!closed()) std::fprintf(stderr, "fetchtest::HttpListener destroyed before close completed\n");
}

int HttpListener::listen(const std::string &host, int port, int backlog) {
  if (server_open_) return UV_EBUSY;
  int rc = uv_tcp_init(&loop_, &server_);
  if (rc != 0) return rc;
  server_open_ = true;

  sockaddr_in addr{};
  rc = uv_ip4_addr(host.c_str(), port, &addr);
  if (rc == 0) rc = uv_tcp_bind(&server_, reinterpret_cast<const sockaddr *>(&addr), 0);
  auto on_conn = [](uv_stream_t *s, int status) {
    static_cast<HttpListener *>(s->data)->on_connection(status);
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

void HttpListener::on_connection(int status) {
  if (status < 0) return;
  stats_.open_connections.fetch_add(1);
  auto forget = [this](HttpConnection &closed) {
    connections_.erase(&closed);
    stats_.open_connections.fetch_sub(1);
  };
  auto conn = std::make_unique<HttpConnection>(loop_, next_id_, routes_, recorder_, forget);
  HttpConnection &ref = *conn;
  connections_.emplace(&ref, std::move(conn));
  auto *server_stream = reinterpret_cast<uv_stream_t *>(&server_);
  if (ref.accept_from(*server_stream) != 0) {
    ref.close();
    return;
  }
  ++next_id_;
  stats_.accepted.fetch_add(1);
  ref.start();
}

void HttpListener::close() {
  if (server_open_ && !uv_is_closing(reinterpret_cast<uv_handle_t *>(&server_))) {
    uv_close(reinterpret_cast<uv_handle_t *>(&server_),
             [](uv_handle_t *h) { static_cast<HttpListener *>(h->data)->server_open_ = false; });
  }
  for (auto &[ptr, conn] : connections_) conn->close();
}

}  // namespace fetchtest
