// EchoServer: an in-process 127.0.0.1 echo server on its own libuv loop thread.
#pragma once

#include <cstddef>

#include "echo_handler.h"
#include "loopback_server.h"

namespace fetchtest {

struct EchoServerOptions {
  int port = 0;  // 0 = pick a free port
  int backlog = 128;
  EchoOptions echo;
};

// Usage: EchoServer server; ASSERT_EQ(server.start(), 0); connect to server.port() ...
// start()/stop() are thread-safe (not from the loop thread); the destructor stops.
class EchoServer {
 public:
  explicit EchoServer(EchoServerOptions options = {});

  // 0, or a negative libuv error code. port() is valid when this returns 0.
  int start();
  // Joins the loop thread after closing the listener and every connection.
  void stop();
  bool running() const;

  int port() const;
  std::size_t accepted() const;          // connections accepted since start()
  std::size_t open_connections() const;  // accepted connections whose handle is not closed yet
  int leaked_handles() const;            // uv handles stop() had to force-close (expect 0)

 private:
  LoopbackServer server_;
};

}  // namespace fetchtest
