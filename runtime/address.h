// One resolved socket address and its text form.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

namespace fetch {

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const { return storage.ss_family; }
  const sockaddr *sa() const { return reinterpret_cast<const sockaddr *>(&storage); }
  int port() const;
  void set_port(int port);
  std::string ip() const;  // "127.0.0.1" or "::1", no brackets
};

// Parses an IPv4 or IPv6 literal (brackets allowed) into `out` with `port`.
bool parse_ip_literal(const std::string &text, int port, Address &out);

}  // namespace fetch
