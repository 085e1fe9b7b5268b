// to_string() and the text pieces of a URL.
#include "build.h"

#include <charconv>

#include "host.h"
#include "percent.h"
#include "scheme.h"

namespace fetch::url {
namespace {

bool has_punycode_label(std::string_view host) {
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t dot = host.find('.', start);
    const std::string_view label = host.substr(start, dot - start);
    if (label.size() >= 4 && (label[0] == 'x' || label[0] == 'X') &&
        (label[1] == 'n' || label[1] == 'N') && label[2] == '-' && label[3] == '-') {
      return true;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return false;
}

bool is_ipv6(const std::string &host) { return !host.empty() && host.front() == '['; }

}  // namespace

FETCHUcode host_part(const Url &url, unsigned flags, std::string &out) {
  if (!url.host) return FETCHUE_NO_HOST;
  const std::string &host = *url.host;
  if (!is_ipv6(host)) {
    if ((flags & FETCHU_PUNYCODE) && !(flags & FETCHU_URLENCODE) && !is_ascii(host)) {
      return FETCHUE_LACKS_IDN;
    }
    if ((flags & FETCHU_PUNY2IDN) && has_punycode_label(host)) return FETCHUE_LACKS_IDN;
  }
  out = host;
  return FETCHUE_OK;
}

FETCHUcode host_text(const Url &url, unsigned flags, std::string &out) {
  std::string host;
  const FETCHUcode rc = host_part(url, flags, host);
  if (rc != FETCHUE_OK) return rc;
  if (is_ipv6(host)) {
    if (url.zoneid) host.insert(host.size() - 1, "%25" + *url.zoneid);
    out = std::move(host);
  } else if (flags & FETCHU_URLENCODE) {
    out = percent_encode(host, "", false, true);
  } else {
    out = std::move(host);
  }
  return FETCHUE_OK;
}

std::optional<std::string> shown_port(const Url &url, unsigned flags) {
  const unsigned def = url.scheme ? default_port(*url.scheme) : 0;
  if (url.port) {
    if ((flags & FETCHU_NO_DEFAULT_PORT) && def && *url.port == std::to_string(def)) {
      return std::nullopt;
    }
    return url.port;
  }
  if ((flags & FETCHU_DEFAULT_PORT) && def) return std::to_string(def);
  return std::nullopt;
}

std::string userinfo_text(const Url &url) {
  if (!url.user && !url.password && !url.options) return "";
  std::string out = url.user.value_or("");
  if (url.password) out += ":" + *url.password;
  if (url.options && url.scheme && scheme_has_login_options(*url.scheme)) {
    out += ";" + *url.options;
  }
  out += "@";
  return out;
}

FETCHUcode to_string(const Url &url, unsigned flags, std::string &out) {
  std::string text;
  if (!url.scheme) {
    if (!(flags & FETCHU_DEFAULT_SCHEME)) return FETCHUE_NO_SCHEME;
    text = "https://";
  } else if (!(url.guessed_scheme && (flags & FETCHU_NO_GUESS_SCHEME))) {
    text = *url.scheme + "://";
  }
  const std::string &scheme = url.scheme ? *url.scheme : std::string("https");
  if (scheme != "file") {
    std::string host;
    const FETCHUcode rc = host_text(url, flags, host);
    if (rc != FETCHUE_OK) return rc;
    text += userinfo_text(url) + host;
    if (auto port = shown_port(url, flags)) text += ":" + *port;
  }
  const std::string path = url.path.value_or("");
  if (path.empty() || path.front() != '/') text += "/";
  text += path;
  const bool get_empty = flags & FETCHU_GET_EMPTY;
  if (url.query && (get_empty || !url.query->empty())) text += "?" + *url.query;
  if (url.fragment && (get_empty || !url.fragment->empty())) text += "#" + *url.fragment;
  if (text.size() > kMaxInputLength) return FETCHUE_TOO_LARGE;
  out = std::move(text);
  return FETCHUE_OK;
}

unsigned effective_port(const Url &url) {
  if (url.port) {
    unsigned value = 0;
    std::from_chars(url.port->data(), url.port->data() + url.port->size(), value);
    return value;
  }
  return url.scheme ? default_port(*url.scheme) : 0;
}

}  // namespace fetch::url
