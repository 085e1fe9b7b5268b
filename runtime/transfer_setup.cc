// The init phase of a transfer: URL, scheme and protocol checks, CONNECT_TO. Everything here
// fails before any socket exists, with the message in FETCHOPT_ERRORBUFFER.
#include <cctype>
#include <string>

#include "easy/easy_handle.h"
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

// CONNECT_TO "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT"; an empty field matches anything /
// keeps the original (CURLOPT_CONNECT_TO(3)). IPv6 hosts are bracketed.
bool split_field(const std::string &s, size_t &pos, std::string &out) {
  if (pos > s.size()) return false;
  if (pos < s.size() && s[pos] == '[') {
    size_t close = s.find(']', pos);
    if (close == std::string::npos) return false;
    out = s.substr(pos, close - pos + 1);
    pos = close + 1;
    if (pos < s.size() && s[pos] != ':') return false;
    ++pos;
    return true;
  }
  size_t colon = s.find(':', pos);
  out = s.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
  pos = colon == std::string::npos ? s.size() + 1 : colon + 1;
  return true;
}

void apply_connect_to(const std::vector<std::string> &entries, std::string &host, int &port) {
  for (const std::string &e : entries) {
    size_t pos = 0;
    std::string h, p, to_h, to_p;
    if (!split_field(e, pos, h) || !split_field(e, pos, p) || !split_field(e, pos, to_h)) continue;
    if (pos <= e.size()) to_p = e.substr(pos);
    if (!h.empty() && h != host) continue;
    if (!p.empty() && p != std::to_string(port)) continue;
    if (!to_h.empty()) host = to_h;
    if (!to_p.empty()) port = std::stoi(to_p);
    return;
  }
}

}  // namespace

FETCHcode setup_transfer(EasyHandle &easy, Transfer &t) {
  const Settings &s = easy.settings;
  if (s.url.empty()) return fail(easy, FETCHE_URL_MALFORMAT, "No URL set");
  std::string text = s.url;
  unsigned flags = FETCHU_NON_SUPPORT_SCHEME;
  if (!s.default_protocol.empty() && !url::has_scheme(text, true)) {
    text = s.default_protocol + "://" + text;
  } else {
    flags |= FETCHU_GUESS_SCHEME;
  }
  url::Url u;
  FETCHUcode uc = url::parse(text, flags, u);
  if (uc != FETCHUE_OK) {
    return fail(easy, FETCHE_URL_MALFORMAT, "URL rejected: %s", url::strerror(uc));
  }
  std::string normalized;
  if (url::to_string(u, 0, normalized) == FETCHUE_OK) easy.info.effective_url = normalized;
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
  if (s.connect_only != 1) {
    return fail(easy, FETCHE_NOT_BUILT_IN,
                "HTTP transfers are not built in yet: only CONNECT_ONLY (1) works");
  }
  if (!u.host || u.host->empty()) return fail(easy, FETCHE_URL_MALFORMAT, "No host part in URL");
  t.host = *u.host;
  t.port = s.port != 0 ? static_cast<int>(s.port) : static_cast<int>(url::effective_port(u));
  apply_connect_to(s.connect_to, t.host, t.port);
  if (t.port <= 0 || t.port > 65535) {
    return fail(easy, FETCHE_URL_MALFORMAT, "Port number out of range");
  }
  t.origin_key = t.scheme + "://" + t.host + ":" + std::to_string(t.port);
  trace(&easy, t.id, -1, "CONNECT_ONLY to %s port %d", t.host.c_str(), t.port);
  return FETCHE_OK;
}

}  // namespace fetch
