// HttpSocket: one accepted TCP connection of the scripted HTTP server, with the controls the
// scripts need: pausing reads, writes with a completion callback, FIN, RST.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <span>
#include <string>

namespace fetchtest {

// Lifetime rules (as for ServerConnection):
//  1. The owner keeps the object alive until the `closed` callback runs; that callback is the only
//     place where the owner may destroy it. The handle is initialised by the constructor, so
//     close() must run even if accept fails.
//  2. close() and reset() are immediate and cancel pending writes (their callbacks never run).
//  3. finish() flushes pending writes, sends FIN, then reads and discards input until the peer's
//     FIN, and closes. Data and EOF callbacks are not called once finishing.
//  4. Everything runs on the loop thread.
class HttpSocket {
 public:
  using DataCallback = std::function<void(std::span<const char>)>;
  using Callback = std::function<void()>;

  HttpSocket(uv_loop_t &loop, Callback closed);
  HttpSocket(const HttpSocket &) = delete;
  HttpSocket &operator=(const HttpSocket &) = delete;

  int accept_from(uv_stream_t &server);
  void set_callbacks(DataCallback on_data, Callback on_eof);

  // Reading starts paused; want_reading(true) reads while the socket is open.
  void want_reading(bool on);
  // Queues `bytes`; `written` runs once the kernel took them all (never if the socket closes).
  void write(std::string bytes, Callback written = {});
  void finish();
  void close();
  void reset();  // SO_LINGER {1, 0} then close: the peer sees RST instead of FIN

  bool closing() const;
  bool finishing() const { return shutdown_requested_; }

 private:
  struct PendingWrite;

  uv_stream_t *stream();
  uv_handle_t *handle();
  void update_reading();
  void on_read(ssize_t nread);
  void after_shutdown(int status);

  uv_tcp_t tcp_{};
  uv_shutdown_t shutdown_req_{};
  Callback closed_;
  DataCallback on_data_;
  Callback on_eof_;
  std::unique_ptr<char[]> read_buffer_;
  bool want_reading_ = false;
  bool reading_ = false;
  bool peer_eof_ = false;
  bool shutdown_requested_ = false;
  bool shutdown_done_ = false;
};

}  // namespace fetchtest
