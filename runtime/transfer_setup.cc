// The init phase of a transfer: URL, scheme and protocol checks, CONNECT_TO. Everything here
// fails before any socket exists, with the message in FETCHOPT_ERRORBUFFER.
#include <cctype>
#include <charconv>
#include <cstdio>
#include <string>

#include "easy/easy_handle.h"
#include "runtime/host_overrides.h"
#include "runtime/trace.h"
#include "runtime/transfer.h"
#include "url/url.h"

namespace fetch {

namespace {

bool scheme_in_list(const std::string &scheme, const std::string &list) {
  if (list.empty()) return true;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string name =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    for (char &c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    if (name == "all" || name == scheme) return true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

bool same_host(const std::string &a, const std::string &b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (tolower(static_cast<unsigned char>(a[i])) != tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// CONNECT_TO: the first entry matching the URL's host and port redirects the connection.
FETCHcode apply_connect_to(EasyHandle &easy, std::string &host, int &port) {
  for (const std::string &text : easy.settings.connect_to) {
    std::string why;
    auto e = parse_connect_to_entry(text, why);
    if (!e) {
      return fail(easy, FETCHE_SETOPT_OPTION_SYNTAX, "Bad FETCHOPT_CONNECT_TO entry '%s': %s",
                  text.c_str(), why.c_str());
    }
    if (!e->host.empty() && !same_host(e->host, host)) continue;
    if (e->port >= 0 && e->port != port) continue;
    if (!e->to_host.empty()) host = e->to_host;
    if (e->to_port >= 0) port = e->to_port;
    return FETCHE_OK;
  }
  return FETCHE_OK;
}

// The redirect bookkeeping of one request: which URL and method it has (the first request's
// come from the Settings; a followed one's were decided by runtime/redirect.cc).
FETCHcode start_hop(EasyHandle &easy, Transfer &t, const url::Url &u) {
  const Settings &s = easy.settings;
  if (!t.follow.current) t.follow.current = std::make_unique<url::Url>();
  *t.follow.current = u;
  if (t.follow.count > 0) return FETCHE_OK;
  t.follow.custom = !s.customrequest.empty();
  t.follow.method = s.nobody   ? RequestMethod::kHead
                    : s.post   ? RequestMethod::kPost
                    : s.upload ? RequestMethod::kPut
                               : RequestMethod::kGet;
  return FETCHE_OK;
}

// Appends ":port" in place (to_chars: no locale, no temporary string).
void append_port(std::string &out, int port) {
  char digits[8];
  const char *end = std::to_chars(digits, digits + sizeof digits, port).ptr;
  out.append(":").append(digits, static_cast<size_t>(end - digits));
}

}  // namespace

FETCHcode setup_transfer(EasyHandle &easy, Transfer &t) {
  const Settings &s = easy.settings;
  // Following a redirect: the Location target (absolute) instead of FETCHOPT_URL.
  const bool followed = t.follow.count > 0;
  if (!followed && s.url.empty()) return fail(easy, FETCHE_URL_MALFORMAT, "No URL set");
  std::string_view text = followed ? std::string_view(t.follow.next_url) : std::string_view(s.url);
  std::string prefixed;
  unsigned flags = FETCHU_NON_SUPPORT_SCHEME;
  if (s.path_as_is) flags |= FETCHU_PATH_AS_IS;  // FETCHOPT_PATH_AS_IS: keep "." and ".."
  if (!s.default_protocol.empty() && !url::has_scheme(text, true)) {
    prefixed = s.default_protocol + "://" + std::string(text);
    text = prefixed;
  } else {
    flags |= FETCHU_GUESS_SCHEME;
  }
  const url::Url *parsed = nullptr;
  const std::string *normalized = nullptr;
  FETCHUcode uc = easy.url_cache.get(text, flags, &parsed, &normalized);
  if (uc != FETCHUE_OK) {
    return fail(easy, FETCHE_URL_MALFORMAT, "URL rejected: %s", url::strerror(uc));
  }
  const url::Url &u = *parsed;
  if (normalized != nullptr) easy.info.effective_url = *normalized;
  if (FETCHcode rc = start_hop(easy, t, u); rc != FETCHE_OK) return rc;
  t.scheme = u.scheme.value_or("http");
  std::string upper = t.scheme;
  for (char &c : upper) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  easy.info.scheme = upper;

  if (!scheme_in_list(t.scheme, s.protocols_str)) {
    return fail(easy, FETCHE_UNSUPPORTED_PROTOCOL, "Protocol \"%s\" disabled", t.scheme.c_str());
  }
  if (t.scheme == "https" || t.scheme == "wss") {
    return fail(easy, FETCHE_NOT_BUILT_IN, "Protocol \"%s\" needs TLS, not built in yet",
                t.scheme.c_str());
  }
  if (t.scheme != "http" && t.scheme != "ws") {
    return fail(easy, FETCHE_UNSUPPORTED_PROTOCOL, "Protocol \"%s\" not supported",
                t.scheme.c_str());
  }
  if (s.connect_only == 2) {
    return fail(easy, FETCHE_NOT_BUILT_IN,
                "CONNECT_ONLY 2 (request, then hand over) is not built in yet");
  }
  if (s.connect_only == 0 && t.scheme == "ws") {
    return fail(easy, FETCHE_NOT_BUILT_IN, "WebSocket transfers are not built in yet");
  }
  t.connect_only = s.connect_only == 1;
  if (!u.host || u.host->empty()) return fail(easy, FETCHE_URL_MALFORMAT, "No host part in URL");
  t.host = *u.host;
  // FETCHOPT_PORT applies to the URL that was set, not to redirect targets.
  t.port = s.port != 0 && !followed ? static_cast<int>(s.port)
                                    : static_cast<int>(url::effective_port(u));
  if (!t.connect_only) {
    // Host names the URL's origin (before CONNECT_TO); the port only when not the default.
    // Written into the recycled transfer's strings, without temporaries: no allocation per
    // request once they have held a URL this long.
    t.http_target.host_header = t.host;
    if (static_cast<unsigned>(t.port) != url::default_port(t.scheme)) {
      append_port(t.http_target.host_header, t.port);
    }
    // The path as stored (URL-encoded, as FETCHUPART_PATH gives it; "/" when empty).
    const bool has_path = u.path && !u.path->empty();
    t.http_target.target.assign(has_path ? std::string_view(*u.path) : std::string_view("/"));
    if (u.query) t.http_target.target.append("?").append(*u.query);
  }
  for (const std::string &entry : s.resolve) {
    if (!parse_resolve_entry(entry)) {
      return fail(easy, FETCHE_SETOPT_OPTION_SYNTAX, "Couldn't parse FETCHOPT_RESOLVE entry '%s'",
                  entry.c_str());
    }
  }
  if (FETCHcode rc = apply_connect_to(easy, t.host, t.port); rc != FETCHE_OK) return rc;
  if (t.port <= 0 || t.port > 65535) {
    return fail(easy, FETCHE_URL_MALFORMAT, "Port number out of range");
  }
  // Built in place: a recycled transfer's string keeps its buffer (no allocation per request).
  t.origin_key.assign(t.scheme).append("://").append(t.host);
  append_port(t.origin_key, t.port);
  if (tracing(&easy))
    trace(&easy, t.id, -1, "%s to %s port %d", t.connect_only ? "CONNECT_ONLY" : "HTTP/1.1",
          t.host.c_str(), t.port);
  return FETCHE_OK;
}

}  // namespace fetch
