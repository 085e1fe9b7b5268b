#include "host.h"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <vector>

#include "percent.h"

namespace fetch::url {
namespace {

constexpr std::string_view kBadHostBytes = " /:#?!@{}[]\\$'\"^`*<>=;,+&()%|";
constexpr std::uint64_t kCap = 0x100000000ULL;  // values above 32 bits are capped here

int digit_value(char c, int base) {
  int v = -1;
  if (c >= '0' && c <= '9') v = c - '0';
  if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
  if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
  return v < base ? v : -1;
}

// One IPv4 part: "0x" hex (at least one digit), "0..." octal, else decimal.
std::optional<std::uint64_t> ipv4_part(std::string_view part) {
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && part[1] == 'x') {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  if (part.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : part) {
    const int d = digit_value(c, base);
    if (d < 0) return std::nullopt;
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    if (value > kCap) value = kCap;
  }
  return value;
}

std::vector<std::string_view> split_dots(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

FETCHUcode parse_bracketed(std::string_view text, Host &out) {
  if (text.size() < 3 || text.back() != ']') return FETCHUE_BAD_IPV6;
  std::string_view inner = text.substr(1, text.size() - 2);
  std::optional<std::string> zone;
  if (const std::size_t pct = inner.find('%'); pct != std::string_view::npos) {
    std::string_view z = inner.substr(pct + 1);
    if (z.size() > 2 && z.substr(0, 2) == "25") z.remove_prefix(2);
    if (!valid_zoneid(z)) return FETCHUE_BAD_IPV6;
    zone = std::string(z);
    inner = inner.substr(0, pct);
  }
  auto addr = normalize_ipv6(inner);
  if (!addr) return FETCHUE_BAD_IPV6;
  out.name = "[" + *addr + "]";
  out.zoneid = std::move(zone);
  return FETCHUE_OK;
}

}  // namespace

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool valid_host_name(std::string_view name) {
  if (name.empty() || has_control(name, false)) return false;
  return name.find_first_of(kBadHostBytes) == std::string_view::npos;
}

bool valid_zoneid(std::string_view zone) {
  if (zone.empty()) return false;
  for (char c : zone) {
    if (!is_unreserved(c)) return false;
  }
  return true;
}

std::optional<std::string> normalize_ipv4(std::string_view text) {
  const auto parts = split_dots(text);
  if (parts.size() > 4) return std::nullopt;
  std::array<std::uint64_t, 4> v{};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto n = ipv4_part(parts[i]);
    if (!n) return std::nullopt;
    v[i] = *n;
  }
  const std::size_t last = parts.size() - 1;
  for (std::size_t i = 0; i < last; ++i) {
    if (v[i] > 255) return std::nullopt;
  }
  // The last part fills the bytes the earlier parts did not.
  const unsigned last_bits = static_cast<unsigned>(8 * (4 - last));
  if (v[last] >= (std::uint64_t{1} << last_bits)) return std::nullopt;
  std::uint64_t address = v[last];
  for (std::size_t i = 0; i < last; ++i) address |= v[i] << (8 * (3 - i));
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) {
    if (!out.empty()) out.push_back('.');
    out += std::to_string((address >> shift) & 0xff);
  }
  return out;
}

std::optional<std::string> normalize_ipv6(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  for (char c : text) {
    if (digit_value(c, 16) < 0 && c != ':' && c != '.') return std::nullopt;
  }
  const std::string copy(text);
  std::array<unsigned char, 16> bin{};
  if (inet_pton(AF_INET6, copy.c_str(), bin.data()) != 1) return std::nullopt;
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (!inet_ntop(AF_INET6, bin.data(), buf.data(), buf.size())) return std::nullopt;
  return std::string(buf.data());
}

FETCHUcode parse_host(std::string_view text, bool raw, Host &out) {
  if (!raw && !text.empty() && text.front() == '[') return parse_bracketed(text, out);
  if (auto v4 = normalize_ipv4(text)) {
    out.name = std::move(*v4);
    out.zoneid.reset();
    return FETCHUE_OK;
  }
  std::string name = raw ? std::string(text) : percent_decode(text);
  if (!valid_host_name(name)) return FETCHUE_BAD_HOSTNAME;
  out.name = std::move(name);
  out.zoneid.reset();
  return FETCHUE_OK;
}

}  // namespace fetch::url
