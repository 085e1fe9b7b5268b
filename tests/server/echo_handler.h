// EchoHandler: sends every received byte back on the same connection, with optional faults.
#pragma once

#include <cstddef>
#include <optional>

#include "connection_handler.h"

namespace fetchtest {

struct EchoOptions {
  // Close each connection immediately after accept, without reading (the client sees EOF).
  bool close_after_accept = false;
  // Echo only this many bytes per connection, then finish(): flush, send FIN, drop later input.
  std::optional<std::size_t> close_after_bytes;
};

class EchoHandler : public ConnectionHandler {
 public:
  explicit EchoHandler(EchoOptions options);

  void on_open(ServerConnection &conn) override;
  void on_data(ServerConnection &conn, std::span<const char> bytes) override;

 private:
  EchoOptions options_;
  std::size_t echoed_ = 0;
};

}  // namespace fetchtest
