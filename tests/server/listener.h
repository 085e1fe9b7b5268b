// Listener: a 127.0.0.1 TCP accept loop that gives every connection its own ConnectionHandler.
#pragma once

#include <uv.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <unordered_map>

#include "connection_handler.h"
#include "server_connection.h"

namespace fetchtest {

// Counters shared with other threads (the test reads them while the loop thread runs).
struct ListenerStats {
  std::atomic<std::size_t> accepted{0};          // successful uv_accept calls
  std::atomic<std::size_t> open_connections{0};  // connection handles not yet closed
};

// Lifetime rules:
//  1. Construct, listen() and close() on the loop thread (or before the loop thread starts).
//  2. close() stops accepting and closes every connection immediately; the object must stay alive
//     until closed() is true, i.e. until the loop has run every close callback.
//  3. Each connection is owned here (unique_ptr) and destroyed in its own close callback.
class Listener {
 public:
  Listener(uv_loop_t &loop, HandlerFactory factory, ListenerStats &stats);
  ~Listener();
  Listener(const Listener &) = delete;
  Listener &operator=(const Listener &) = delete;

  // Binds 127.0.0.1:`port` (0 = a free port) and listens. 0 or a negative libuv error.
  int listen(int port, int backlog);
  // The bound port, 0 before a successful listen().
  int port() const;
  void close();
  bool closed() const;

 private:
  void on_connection(int status);
  void forget(ServerConnection &conn);

  uv_loop_t &loop_;
  HandlerFactory factory_;
  ListenerStats &stats_;
  uv_tcp_t server_{};
  bool server_open_ = false;
  int port_ = 0;
  std::unordered_map<ServerConnection *, std::unique_ptr<ServerConnection>> connections_;
};

}  // namespace fetchtest
