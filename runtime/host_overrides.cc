#include "runtime/host_overrides.h"

#include <cctype>

namespace fetch {

namespace {

// A decimal port 0..65535 with nothing else.
std::optional<int> parse_port(const std::string &s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (!isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > 65535) return std::nullopt;
  return v;
}

// Reads one host field up to the next ':' at `pos`, keeping brackets of an IPv6 literal. Moves
// `pos` past the ':' (or to npos at the end). False on an unclosed bracket.
bool take_host(const std::string &s, size_t &pos, std::string &out) {
  if (pos < s.size() && s[pos] == '[') {
    size_t close = s.find(']', pos);
    if (close == std::string::npos) return false;
    out = s.substr(pos, close - pos + 1);
    pos = close + 1;
    if (pos == s.size()) {
      pos = std::string::npos;
      return true;
    }
    if (s[pos] != ':') return false;
    ++pos;
    return true;
  }
  size_t colon = s.find(':', pos);
  out = s.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
  pos = colon == std::string::npos ? std::string::npos : colon + 1;
  return true;
}

std::string take_field(const std::string &s, size_t &pos) {
  if (pos == std::string::npos) return {};
  size_t colon = s.find(':', pos);
  std::string out = s.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
  pos = colon == std::string::npos ? std::string::npos : colon + 1;
  return out;
}

}  // namespace

std::optional<ResolveEntry> parse_resolve_entry(const std::string &text) {
  ResolveEntry e;
  std::string s = text;
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  if (!s.empty() && s[0] == '-') {
    e.remove = true;
    s.erase(0, 1);
  }
  size_t pos = 0;
  if (!take_host(s, pos, e.host) || e.host.empty() || pos == std::string::npos) return std::nullopt;
  std::string port = take_field(s, pos);
  auto p = parse_port(port);
  if (!p) return std::nullopt;
  e.port = *p;
  if (e.remove) return pos == std::string::npos ? std::optional(e) : std::nullopt;
  if (pos == std::string::npos) return std::nullopt;
  std::string list = s.substr(pos);
  if (list.empty()) return std::nullopt;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string one =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    Address a;
    if (!parse_ip_literal(one, e.port, a)) return std::nullopt;
    e.addresses.push_back(a);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return e;
}

std::optional<ConnectToEntry> parse_connect_to_entry(const std::string &text, std::string &why) {
  ConnectToEntry e;
  size_t pos = 0;
  std::string port, to_port;
  if (!take_host(text, pos, e.host)) {
    why = "Invalid IPv6 address format";
    return std::nullopt;
  }
  port = take_field(text, pos);
  if (pos == std::string::npos && text.find(':') == std::string::npos) {
    why = "Missing fields";
    return std::nullopt;
  }
  if (pos != std::string::npos && !take_host(text, pos, e.to_host)) {
    why = "Invalid IPv6 address format";
    return std::nullopt;
  }
  if (pos != std::string::npos) to_port = text.substr(pos);
  if (!port.empty()) {
    auto p = parse_port(port);
    if (!p) {
      why = "No valid port number in connect to host string";
      return std::nullopt;
    }
    e.port = *p;
  }
  if (!to_port.empty()) {
    auto p = parse_port(to_port);
    if (!p) {
      why = "No valid port number in connect to host string";
      return std::nullopt;
    }
    e.to_port = *p;
  }
  return e;
}

}  // namespace fetch
