#include "options/protocol_list.h"

#include <array>

namespace fetch::options {
namespace {

// The protocol names CURLOPT_PROTOCOLS_STR(3) lists.
constexpr std::array<std::string_view, 33> kKnownProtocols{
    "dict",  "file",  "ftp",    "ftps",   "gopher", "gophers", "http",  "https", "imap",
    "imaps", "ldap",  "ldaps",  "mqtt",   "mqtts",  "pop3",    "pop3s", "rtmp",  "rtmpe",
    "rtmps", "rtmpt", "rtmpte", "rtmpts", "rtsp",   "scp",     "sftp",  "smb",   "smbs",
    "smtp",  "smtps", "telnet", "tftp",   "ws",     "wss",
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool known(std::string_view name) {
  for (std::string_view candidate : kKnownProtocols) {
    if (candidate == name) return true;
  }
  return false;
}

}  // namespace

FETCHcode normalize_protocol_list(std::string_view spec, std::string &out, std::string &problem) {
  if (lower(spec) == "all") {
    out.clear();
    return FETCHE_OK;
  }
  std::string result;
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    const std::string name = lower(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (name.empty()) continue;
    if (!known(name)) {
      problem = name;
      return FETCHE_UNSUPPORTED_PROTOCOL;
    }
    if (!result.empty()) result += ',';
    result += name;
  }
  if (result.empty()) return FETCHE_BAD_FUNCTION_ARGUMENT;
  out.swap(result);
  return FETCHE_OK;
}

}  // namespace fetch::options
