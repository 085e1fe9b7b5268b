#include "echo_handler.h"

#include <algorithm>
#include <string_view>

#include "server_connection.h"

namespace fetchtest {

EchoHandler::EchoHandler(EchoOptions options) : options_(options) {}

void EchoHandler::on_open(ServerConnection &conn) {
  if (options_.close_after_accept) {
    conn.close();
  } else if (options_.close_after_bytes == 0u) {
    conn.finish();
  }
}

void EchoHandler::on_data(ServerConnection &conn, std::span<const char> bytes) {
  std::size_t take = bytes.size();
  if (options_.close_after_bytes) take = std::min(take, *options_.close_after_bytes - echoed_);
  conn.write(std::string_view(bytes.data(), take));
  echoed_ += take;
  if (options_.close_after_bytes && echoed_ >= *options_.close_after_bytes) conn.finish();
}

}  // namespace fetchtest
