#include "server_connection.h"

#include <string>
#include <utility>

namespace fetchtest {

void ConnectionHandler::on_open(ServerConnection &) {}

void ConnectionHandler::on_eof(ServerConnection &conn) { conn.finish(); }

struct ServerConnection::PendingWrite {
  uv_write_t req{};
  std::string bytes;
};

ServerConnection::ServerConnection(uv_loop_t &loop, std::unique_ptr<ConnectionHandler> handler,
                                   ClosedCallback on_closed)
    : handler_(std::move(handler)), on_closed_(std::move(on_closed)) {
  uv_tcp_init(&loop, &tcp_);
  tcp_.data = this;
}

uv_stream_t *ServerConnection::stream() { return reinterpret_cast<uv_stream_t *>(&tcp_); }

uv_handle_t *ServerConnection::handle() { return reinterpret_cast<uv_handle_t *>(&tcp_); }

bool ServerConnection::closing() const {
  return uv_is_closing(reinterpret_cast<const uv_handle_t *>(&tcp_)) != 0;
}

bool ServerConnection::finishing() const { return shutdown_requested_; }

std::size_t ServerConnection::bytes_received() const { return bytes_received_; }

int ServerConnection::accept_from(uv_stream_t &server) {
  int rc = uv_accept(&server, stream());
  if (rc == 0) uv_tcp_nodelay(&tcp_, 1);
  return rc;
}

void ServerConnection::start() {
  handler_->on_open(*this);
  if (!closing()) start_reading();
}

void ServerConnection::start_reading() {
  auto on_alloc = [](uv_handle_t *h, std::size_t, uv_buf_t *buf) {
    auto *self = static_cast<ServerConnection *>(h->data);
    if (!self->read_buffer_) self->read_buffer_ = std::make_unique<char[]>(kReadBufferBytes);
    *buf = uv_buf_init(self->read_buffer_.get(), kReadBufferBytes);
  };
  auto on_read = [](uv_stream_t *s, ssize_t nread, const uv_buf_t *) {
    static_cast<ServerConnection *>(s->data)->on_read(nread);
  };
  if (uv_read_start(stream(), on_alloc, on_read) == 0) {
    reading_ = true;
  } else {
    close();
  }
}

void ServerConnection::on_read(ssize_t nread) {
  if (nread == 0) return;
  if (nread == UV_EOF) {
    peer_eof_ = true;
    uv_read_stop(stream());
    reading_ = false;
    handler_->on_eof(*this);
    return;
  }
  if (nread < 0) {
    close();
    return;
  }
  bytes_received_ += static_cast<std::size_t>(nread);
  if (shutdown_requested_) return;  // finishing: input is discarded
  handler_->on_data(*this, std::span<const char>(read_buffer_.get(), nread));
}

void ServerConnection::write(std::string_view bytes) {
  if (closing() || shutdown_requested_ || bytes.empty()) return;
  auto pending = std::make_unique<PendingWrite>();
  pending->bytes.assign(bytes);
  pending->req.data = pending.get();
  uv_buf_t buf = uv_buf_init(pending->bytes.data(), pending->bytes.size());
  auto on_written = [](uv_write_t *req, int status) {
    std::unique_ptr<PendingWrite> done(static_cast<PendingWrite *>(req->data));
    static_cast<ServerConnection *>(req->handle->data)->after_write(status);
  };
  if (uv_write(&pending->req, stream(), &buf, 1, on_written) != 0) {
    close();
    return;
  }
  pending.release();  // owned by the request until on_written
  if (reading_ && uv_stream_get_write_queue_size(stream()) > kMaxQueuedBytes) {
    uv_read_stop(stream());
    reading_ = false;
    read_paused_ = true;
  }
}

void ServerConnection::after_write(int status) {
  if (closing()) return;
  if (status < 0) {
    close();
    return;
  }
  if (read_paused_ && uv_stream_get_write_queue_size(stream()) <= kMaxQueuedBytes / 2) {
    read_paused_ = false;
    start_reading();
  }
}

void ServerConnection::finish() {
  if (closing()) return;
  if (shutdown_done_) {
    if (peer_eof_) close();
    return;
  }
  if (shutdown_requested_) return;
  shutdown_requested_ = true;
  if (read_paused_ && !peer_eof_) {
    read_paused_ = false;
    start_reading();  // keep draining input so the final close sends FIN, not RST
  }
  shutdown_req_.data = this;
  auto on_shutdown = [](uv_shutdown_t *req, int status) {
    static_cast<ServerConnection *>(req->data)->after_shutdown(status);
  };
  if (uv_shutdown(&shutdown_req_, stream(), on_shutdown) != 0) close();
}

void ServerConnection::after_shutdown(int status) {
  shutdown_done_ = true;
  if (closing()) return;
  if (status < 0 || peer_eof_) close();
}

void ServerConnection::close() {
  if (closing()) return;
  reading_ = false;
  uv_close(handle(), [](uv_handle_t *h) {
    auto *self = static_cast<ServerConnection *>(h->data);
    ClosedCallback on_closed = std::move(self->on_closed_);  // may destroy *self
    on_closed(*self);
  });
}

}  // namespace fetchtest
