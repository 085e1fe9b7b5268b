// LoopbackServer: a Listener on 127.0.0.1 served by its own LoopThread; the reusable base of the
// in-process test servers (EchoServer now, the scripted HTTP/1 server later).
#pragma once

#include <cstddef>

#include "connection_handler.h"
#include "listener.h"
#include "listener_thread.h"

namespace fetchtest {

struct LoopbackServerOptions {
  int port = 0;  // 0 = pick a free port
  int backlog = 128;
};

// start(), stop() and the accessors are safe from any thread except the loop thread (stop() from
// a handler would deadlock). The destructor stops. Counters are reset by start().
class LoopbackServer {
 public:
  explicit LoopbackServer(HandlerFactory factory, LoopbackServerOptions options = {});
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer &) = delete;
  LoopbackServer &operator=(const LoopbackServer &) = delete;

  // Binds and starts serving; port() is valid when this returns 0. Otherwise a negative libuv
  // error (UV_EBUSY when already running, UV_EADDRINUSE, ...).
  int start();
  // Closes the listener and every connection, stops the loop and joins its thread.
  void stop();
  bool running() const;

  int port() const { return served_.port(); }
  std::size_t accepted() const { return served_.accepted(); }
  std::size_t open_connections() const { return served_.open_connections(); }
  // Handles a stop() had to close because teardown forgot them (should stay 0).
  int leaked_handles() const { return served_.leaked_handles(); }

 private:
  LoopbackServerOptions options_;
  ListenerThread<Listener> served_;
};

}  // namespace fetchtest
