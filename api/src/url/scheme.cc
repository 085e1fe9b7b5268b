#include "scheme.h"

#include <array>

#include "url.h"

namespace fetch::url {
namespace {

struct SchemeInfo {
  std::string_view name;
  unsigned port;
  bool supported;
  bool login_options;
};

// Default ports from the URL syntax documentation.
constexpr std::array<SchemeInfo, 16> kSchemes{{
    {"http", 80, true, false},
    {"https", 443, true, false},
    {"ws", 80, true, false},
    {"wss", 443, true, false},
    {"file", 0, true, false},
    {"ftp", 21, false, false},
    {"ftps", 990, false, false},
    {"dict", 2628, false, false},
    {"ldap", 389, false, false},
    {"ldaps", 636, false, false},
    {"imap", 143, false, true},
    {"imaps", 993, false, true},
    {"pop3", 110, false, true},
    {"pop3s", 995, false, true},
    {"smtp", 25, false, true},
    {"smtps", 465, false, true},
}};

const SchemeInfo *find(std::string_view scheme) {
  for (const auto &info : kSchemes) {
    if (info.name == scheme) return &info;
  }
  return nullptr;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool has_prefix_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && to_lower(text.substr(0, prefix.size())) == prefix;
}

}  // namespace

bool valid_scheme(std::string_view scheme) {
  if (scheme.empty() || scheme.size() > kMaxSchemeLength || !is_alpha(scheme.front())) {
    return false;
  }
  for (char c : scheme) {
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

unsigned default_port(std::string_view scheme) {
  const SchemeInfo *info = find(scheme);
  return info ? info->port : 0;
}

bool is_supported_scheme(std::string_view scheme) {
  const SchemeInfo *info = find(scheme);
  return info && info->supported;
}

bool scheme_has_login_options(std::string_view scheme) {
  const SchemeInfo *info = find(scheme);
  return info && info->login_options;
}

std::string guess_scheme(std::string_view host) {
  for (std::string_view name : {"dict", "ftp", "imap", "ldap", "pop3", "smtp"}) {
    if (has_prefix_nocase(host, std::string(name) + ".")) return std::string(name);
  }
  return "http";
}

}  // namespace fetch::url
