// ConnectionHandler: the per-connection behaviour plugged into a Listener (echo today, scripted
// HTTP/1 later). One handler object per accepted connection; every call runs on the loop thread.
#pragma once

#include <functional>
#include <memory>
#include <span>

namespace fetchtest {

class ServerConnection;

class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;

  // Called once right after accept, before reading starts. May write, finish() or close().
  virtual void on_open(ServerConnection &conn);
  // Bytes received from the peer. `bytes` is valid only during the call. Not called once the
  // connection is finishing or closing.
  virtual void on_data(ServerConnection &conn, std::span<const char> bytes) = 0;
  // The peer half-closed (read returned EOF). Default: conn.finish().
  virtual void on_eof(ServerConnection &conn);
};

// Makes the handler for one new connection. Called on the loop thread.
using HandlerFactory = std::function<std::unique_ptr<ConnectionHandler>()>;

}  // namespace fetchtest
