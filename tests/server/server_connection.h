// ServerConnection: one accepted TCP connection (a uv_tcp_t) driven by its ConnectionHandler.
#pragma once

#include <uv.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "connection_handler.h"

namespace fetchtest {

// Lifetime rules:
//  1. The owner (Listener) keeps the object alive until `on_closed` runs; that callback is the
//     only place where the owner may destroy it.
//  2. The handle is initialised by the constructor, so close() must run even if accept fails.
//  3. close() is immediate: pending writes are cancelled, unread input makes the kernel send RST.
//  4. finish() is graceful: pending writes are flushed, FIN is sent (uv_shutdown), further input
//     is discarded, and the handle closes once the peer has half-closed too (or on error, or when
//     the owner calls close()).
//  5. Everything runs on the loop thread.
class ServerConnection {
 public:
  using ClosedCallback = std::function<void(ServerConnection &)>;

  ServerConnection(uv_loop_t &loop, std::unique_ptr<ConnectionHandler> handler,
                   ClosedCallback on_closed);
  ServerConnection(const ServerConnection &) = delete;
  ServerConnection &operator=(const ServerConnection &) = delete;

  // uv_accept from the listening stream; 0 or a negative libuv error.
  int accept_from(uv_stream_t &server);
  // Calls the handler's on_open, then starts reading unless the handler closed the connection.
  void start();

  // Queues a copy of `bytes`. Reading pauses while more than kMaxQueuedBytes wait to be sent.
  void write(std::string_view bytes);
  void finish();
  void close();

  bool closing() const;
  bool finishing() const;
  std::size_t bytes_received() const;

  static constexpr std::size_t kMaxQueuedBytes = 1 << 20;
  static constexpr std::size_t kReadBufferBytes = 64 * 1024;

 private:
  struct PendingWrite;

  uv_stream_t *stream();
  uv_handle_t *handle();
  void start_reading();
  void after_write(int status);
  void after_shutdown(int status);
  void on_read(ssize_t nread);

  uv_tcp_t tcp_{};
  uv_shutdown_t shutdown_req_{};
  std::unique_ptr<ConnectionHandler> handler_;
  ClosedCallback on_closed_;
  std::unique_ptr<char[]> read_buffer_;
  std::size_t bytes_received_ = 0;
  bool reading_ = false;
  bool read_paused_ = false;
  bool peer_eof_ = false;
  bool shutdown_requested_ = false;
  bool shutdown_done_ = false;
};

}  // namespace fetchtest
