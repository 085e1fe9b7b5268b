// parse(): an absolute (or guessed-scheme) URL string into a Url.
#include <algorithm>
#include <charconv>

#include "host.h"
#include "path.h"
#include "percent.h"
#include "scheme.h"
#include "url.h"

namespace fetch::url {
namespace {

constexpr unsigned kGuessFlags = FETCHU_GUESS_SCHEME | FETCHU_DEFAULT_SCHEME;

bool is_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// Splits "user:password;options" (or "user;options:password"); ';' only
// when the scheme has login options.
void split_userinfo(std::string_view info, bool with_options, Url &url) {
  const std::size_t colon = info.find(':');
  const std::size_t semi = with_options ? info.find(';') : std::string_view::npos;
  const std::size_t user_end = std::min(colon, semi);
  url.user = std::string(info.substr(0, user_end));
  if (colon != std::string_view::npos) {
    const std::size_t end = (semi != std::string_view::npos && semi > colon) ? semi : info.size();
    url.password = std::string(info.substr(colon + 1, end - colon - 1));
  }
  if (semi != std::string_view::npos) {
    const std::size_t end = (colon != std::string_view::npos && colon > semi) ? colon : info.size();
    url.options = std::string(info.substr(semi + 1, end - semi - 1));
  }
}

// "digits" -> port without leading zeros; empty means no port.
FETCHUcode parse_port(std::string_view text, bool allow_empty, std::optional<std::string> &out) {
  if (text.empty()) {
    if (!allow_empty) return FETCHUE_BAD_PORT_NUMBER;
    out.reset();
    return FETCHUE_OK;
  }
  if (!is_digits(text)) {
    return text.find('\\') != std::string_view::npos ? FETCHUE_BACKSLASH : FETCHUE_BAD_PORT_NUMBER;
  }
  const std::size_t first = text.find_first_not_of('0');
  if (first == std::string_view::npos) {
    out = "0";
    return FETCHUE_OK;
  }
  text.remove_prefix(first);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    return FETCHUE_BAD_PORT_NUMBER;
  }
  out = std::to_string(value);
  return FETCHUE_OK;
}

// "host", "host:port" or "[v6%zone]:port".
FETCHUcode parse_hostport(std::string_view text, unsigned flags, Url &url) {
  std::string_view host_text = text;
  std::optional<std::string_view> port_text;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return FETCHUE_BAD_IPV6;
    host_text = text.substr(0, close + 1);
    std::string_view after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return FETCHUE_BAD_PORT_NUMBER;
      port_text = after.substr(1);
    }
  } else if (const std::size_t colon = text.find(':'); colon != std::string_view::npos) {
    host_text = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (port_text) {
    const FETCHUcode rc = parse_port(*port_text, !url.guessed_scheme, url.port);
    if (rc != FETCHUE_OK) return rc;
  }
  if (host_text.empty()) {
    if (!(flags & FETCHU_NO_AUTHORITY)) return FETCHUE_NO_HOST;
    url.host = "";
    return FETCHUE_OK;
  }
  Host host;
  const FETCHUcode rc = parse_host(host_text, false, host);
  if (rc != FETCHUE_OK) return rc;
  url.host = std::move(host.name);
  url.zoneid = std::move(host.zoneid);
  return FETCHUE_OK;
}

// Path, query and fragment; 'rest' starts at '/', '?', '#' or is empty.
void parse_tail(std::string_view rest, unsigned flags, Url &url) {
  const bool encode = flags & FETCHU_URLENCODE;
  auto store = [encode](std::string_view part, bool plus = false) {
    return encode ? encode_unsafe(part, plus) : std::string(part);
  };
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    url.fragment = store(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
    url.query = store(rest.substr(q + 1), true);
    rest = rest.substr(0, q);
  }
  std::string path = store(rest);
  if (!(flags & FETCHU_PATH_AS_IS)) path = remove_dot_segments(path);
  url.path = std::move(path);
}

// After "file:": "//[localhost|127.0.0.1]/path" or "/path".
FETCHUcode parse_file(std::string_view rest, unsigned flags, Url &url) {
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const std::size_t end = std::min(rest.find_first_of("/?#"), rest.size());
    const std::string host = to_lower(rest.substr(0, end));
    if (!host.empty() && host != "localhost" && host != "127.0.0.1") return FETCHUE_BAD_FILE_URL;
    rest.remove_prefix(end);
  } else if (rest.empty() || rest.front() != '/') {
    return FETCHUE_BAD_FILE_URL;
  }
  parse_tail(rest, flags, url);
  return FETCHUE_OK;
}

}  // namespace

bool has_scheme(std::string_view input, bool guess_mode) {
  const std::size_t colon = input.find(':');
  if (colon == std::string_view::npos || !valid_scheme(input.substr(0, colon))) return false;
  // A scheme-less "host:port" must not be taken for a scheme when guessing.
  return !guess_mode || input.substr(colon + 1, 1) == "/";
}

FETCHUcode parse(std::string_view input, unsigned flags, Url &out) {
  if (input.size() >= kMaxInputLength) return FETCHUE_MALFORMED_INPUT;
  if (has_control(input, !(flags & FETCHU_ALLOW_SPACE))) return FETCHUE_MALFORMED_INPUT;
  Url url;
  std::string_view rest = input;
  if (has_scheme(input, flags & kGuessFlags)) {
    const std::size_t colon = input.find(':');
    url.scheme = to_lower(input.substr(0, colon));
    rest.remove_prefix(colon + 1);
    if (*url.scheme == "file") {
      const FETCHUcode rc = parse_file(rest, flags, url);
      if (rc == FETCHUE_OK) out = std::move(url);
      return rc;
    }
    if (!(flags & FETCHU_NON_SUPPORT_SCHEME) && !is_supported_scheme(*url.scheme)) {
      return FETCHUE_UNSUPPORTED_SCHEME;
    }
    const std::size_t slashes = std::min(rest.find_first_not_of('/'), rest.size());
    if (slashes < 3 && rest.substr(slashes, 1) == "\\") return FETCHUE_BACKSLASH;
    if (slashes < 1 || slashes > 3) return FETCHUE_BAD_SLASHES;
    rest.remove_prefix(slashes);
  } else if (!(flags & kGuessFlags)) {
    return FETCHUE_BAD_SCHEME;
  } else {
    url.guessed_scheme = true;
  }

  const std::size_t auth_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, auth_end);
  rest.remove_prefix(auth_end);
  std::string_view userinfo;
  bool has_userinfo = false;
  if (const std::size_t at = authority.find('@'); at != std::string_view::npos) {
    if (flags & FETCHU_DISALLOW_USER) return FETCHUE_USER_NOT_ALLOWED;
    userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    has_userinfo = true;
  }
  FETCHUcode rc = parse_hostport(authority, flags, url);
  if (rc != FETCHUE_OK) return rc;
  if (url.guessed_scheme) {
    url.scheme = (flags & FETCHU_DEFAULT_SCHEME) ? "https" : guess_scheme(*url.host);
  }
  if (has_userinfo) split_userinfo(userinfo, scheme_has_login_options(*url.scheme), url);
  const unsigned def = default_port(*url.scheme);
  if (url.port && (flags & FETCHU_NO_DEFAULT_PORT) && def && std::to_string(def) == *url.port) {
    url.port.reset();
  }
  parse_tail(rest, flags, url);
  out = std::move(url);
  return FETCHUE_OK;
}

}  // namespace fetch::url
