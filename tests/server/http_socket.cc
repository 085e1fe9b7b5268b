#include "http_socket.h"

#include <sys/socket.h>

#include <utility>

namespace fetchtest {
namespace {

constexpr std::size_t kReadBufferBytes = 64 * 1024;

}  // namespace

struct HttpSocket::PendingWrite {
  uv_write_t req{};
  std::string bytes;
  Callback written;
};

HttpSocket::HttpSocket(uv_loop_t &loop, Callback closed) : closed_(std::move(closed)) {
  uv_tcp_init(&loop, &tcp_);
  tcp_.data = this;
}

uv_stream_t *HttpSocket::stream() { return reinterpret_cast<uv_stream_t *>(&tcp_); }

uv_handle_t *HttpSocket::handle() { return reinterpret_cast<uv_handle_t *>(&tcp_); }

bool HttpSocket::closing() const {
  return uv_is_closing(reinterpret_cast<const uv_handle_t *>(&tcp_)) != 0;
}

int HttpSocket::accept_from(uv_stream_t &server) {
  int rc = uv_accept(&server, stream());
  if (rc == 0) uv_tcp_nodelay(&tcp_, 1);
  return rc;
}

void HttpSocket::set_callbacks(DataCallback on_data, Callback on_eof) {
  on_data_ = std::move(on_data);
  on_eof_ = std::move(on_eof);
}

void HttpSocket::want_reading(bool on) {
  want_reading_ = on;
  update_reading();
}

// Reads while wanted, and always while finishing (to see the peer's FIN), until EOF or close.
void HttpSocket::update_reading() {
  if (closing()) return;
  bool should = !peer_eof_ && (want_reading_ || shutdown_requested_);
  if (should == reading_) return;
  if (!should) {
    uv_read_stop(stream());
    reading_ = false;
    return;
  }
  auto on_alloc = [](uv_handle_t *h, std::size_t, uv_buf_t *buf) {
    auto *self = static_cast<HttpSocket *>(h->data);
    if (!self->read_buffer_) self->read_buffer_ = std::make_unique<char[]>(kReadBufferBytes);
    *buf = uv_buf_init(self->read_buffer_.get(), kReadBufferBytes);
  };
  auto on_read = [](uv_stream_t *s, ssize_t nread, const uv_buf_t *) {
    static_cast<HttpSocket *>(s->data)->on_read(nread);
  };
  if (uv_read_start(stream(), on_alloc, on_read) == 0) {
    reading_ = true;
  } else {
    close();
  }
}

void HttpSocket::on_read(ssize_t nread) {
  if (nread == 0) return;
  if (nread == UV_EOF) {
    peer_eof_ = true;
    uv_read_stop(stream());
    reading_ = false;
    if (shutdown_requested_) {
      if (shutdown_done_) close();
    } else if (on_eof_) {
      on_eof_();
    }
    return;
  }
  if (nread < 0) {
    close();
    return;
  }
  if (shutdown_requested_ || !on_data_) return;  // finishing: input is discarded
  on_data_(std::span<const char>(read_buffer_.get(), static_cast<std::size_t>(nread)));
}

void HttpSocket::write(std::string bytes, Callback written) {
  if (closing() || shutdown_requested_) return;
  if (bytes.empty()) {
    if (written) written();
    return;
  }
  auto pending = std::make_unique<PendingWrite>();
  pending->bytes = std::move(bytes);
  pending->written = std::move(written);
  pending->req.data = pending.get();
  uv_buf_t buf = uv_buf_init(pending->bytes.data(), pending->bytes.size());
  auto on_written = [](uv_write_t *req, int status) {
    std::unique_ptr<PendingWrite> done(static_cast<PendingWrite *>(req->data));
    auto *self = static_cast<HttpSocket *>(req->handle->data);
    if (self->closing()) return;
    if (status < 0) {
      self->close();
    } else if (done->written) {
      done->written();
    }
  };
  if (uv_write(&pending->req, stream(), &buf, 1, on_written) != 0) {
    close();
    return;
  }
  pending.release();  // owned by the request until on_written
}

void HttpSocket::finish() {
  if (closing() || shutdown_requested_) return;
  shutdown_requested_ = true;
  update_reading();
  shutdown_req_.data = this;
  auto on_shutdown = [](uv_shutdown_t *req, int status) {
    static_cast<HttpSocket *>(req->data)->after_shutdown(status);
  };
  if (uv_shutdown(&shutdown_req_, stream(), on_shutdown) != 0) close();
}

void HttpSocket::after_shutdown(int status) {
  shutdown_done_ = true;
  if (closing()) return;
  if (status < 0 || peer_eof_) close();
}

void HttpSocket::close() {
  if (closing()) return;
  reading_ = false;
  uv_close(handle(), [](uv_handle_t *h) {
    auto *self = static_cast<HttpSocket *>(h->data);
    Callback closed = std::move(self->closed_);  // may destroy *self
    closed();
  });
}

void HttpSocket::reset() {
  if (closing()) return;
  uv_os_fd_t fd = -1;
  if (uv_fileno(handle(), &fd) == 0) {
    linger off{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof(off));
  }
  close();
}

}  // namespace fetchtest
