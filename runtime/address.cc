#include "runtime/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace fetch {

int Address::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
  if (family() == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
  }
  return 0;
}

void Address::set_port(int port) {
  if (family() == AF_INET) {
    reinterpret_cast<sockaddr_in *>(&storage)->sin_port = htons(static_cast<uint16_t>(port));
  } else if (family() == AF_INET6) {
    reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port = htons(static_cast<uint16_t>(port));
  }
}

std::string Address::ip() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (family() == AF_INET) {
    // Dotted decimal by hand: glibc's inet_ntop formats IPv4 through sprintf (about 1,800
    // instructions), and every new connection formats its two addresses.
    const auto *octets = reinterpret_cast<const unsigned char *>(
        &reinterpret_cast<const sockaddr_in *>(&storage)->sin_addr);
    char *at = buf;
    for (int i = 0; i < 4; ++i) {
      if (i != 0) *at++ = '.';
      at = std::to_chars(at, buf + sizeof buf, octets[i]).ptr;
    }
    return std::string(buf, static_cast<size_t>(at - buf));
  }
  if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_addr, buf,
              sizeof buf);
  }
  return buf;
}

bool parse_ip_literal(const std::string &text, int port, Address &out) {
  std::string host = text;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  out = Address{};
  auto *v4 = reinterpret_cast<sockaddr_in *>(&out.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    out.length = sizeof(sockaddr_in);
    out.set_port(port);
    return true;
  }
  auto *v6 = reinterpret_cast<sockaddr_in6 *>(&out.storage);
  std::string bare = host.substr(0, host.find('%'));  // zone ids are not supported yet
  if (inet_pton(AF_INET6, bare.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    out.length = sizeof(sockaddr_in6);
    out.set_port(port);
    return true;
  }
  return false;
}

}  // namespace fetch
