// set_part(): fetch_url_set() on the internal model.
#include <charconv>

#include "host.h"
#include "percent.h"
#include "scheme.h"
#include "url.h"

namespace fetch::url {
namespace {

// Bytes FETCHU_URLENCODE leaves as they are in a path (curl_url_set(3)).
constexpr std::string_view kPathKeep = "/!$&'()*+,;=:@{}[]";

FETCHUcode clear_part(Url &url, FETCHUPart what) {
  switch (what) {
    case FETCHUPART_URL:
      url = Url{};
      break;
    case FETCHUPART_SCHEME:
      url.scheme.reset();
      url.guessed_scheme = false;
      break;
    case FETCHUPART_USER:
      url.user.reset();
      break;
    case FETCHUPART_PASSWORD:
      url.password.reset();
      break;
    case FETCHUPART_OPTIONS:
      url.options.reset();
      break;
    case FETCHUPART_HOST:
      url.host.reset();
      break;
    case FETCHUPART_ZONEID:
      url.zoneid.reset();
      break;
    case FETCHUPART_PORT:
      url.port.reset();
      break;
    case FETCHUPART_PATH:
      url.path.reset();
      break;
    case FETCHUPART_QUERY:
      url.query.reset();
      break;
    case FETCHUPART_FRAGMENT:
      url.fragment.reset();
      break;
    default:
      return FETCHUE_UNKNOWN_PART;
  }
  return FETCHUE_OK;
}

FETCHUcode set_scheme(Url &url, std::string_view value, unsigned flags) {
  if (!valid_scheme(value)) return FETCHUE_BAD_SCHEME;
  std::string scheme = to_lower(value);
  if (!(flags & FETCHU_NON_SUPPORT_SCHEME) && !is_supported_scheme(scheme)) {
    return FETCHUE_UNSUPPORTED_SCHEME;
  }
  url.scheme = std::move(scheme);
  url.guessed_scheme = false;
  return FETCHUE_OK;
}

FETCHUcode set_port(Url &url, std::string_view value) {
  unsigned port = 0;
  const char *end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, port);
  if (value.empty() || value.front() == '+' || ec != std::errc() || ptr != end || port > 65535) {
    return FETCHUE_BAD_PORT_NUMBER;
  }
  url.port = std::to_string(port);
  return FETCHUE_OK;
}

FETCHUcode set_host(Url &url, std::string_view value, unsigned flags) {
  if (value.empty()) {
    if (!(flags & FETCHU_NO_AUTHORITY)) return FETCHUE_BAD_HOSTNAME;
    url.host = "";
    return FETCHUE_OK;
  }
  const bool encode = flags & FETCHU_URLENCODE;
  if (!encode && value.front() == '[') {
    Host host;
    const FETCHUcode rc = parse_host(value, false, host);
    if (rc != FETCHUE_OK) return rc;
    url.host = std::move(host.name);
    if (host.zoneid) url.zoneid = std::move(host.zoneid);
    return FETCHUE_OK;
  }
  // A name is checked in its decoded form but stored as given (no decoding,
  // no IPv4 normalisation), like curl_url_set(3) does.
  if (!valid_host_name(encode ? std::string(value) : percent_decode(value))) {
    return FETCHUE_BAD_HOSTNAME;
  }
  url.host = encode ? percent_encode(value, "") : std::string(value);
  return FETCHUE_OK;
}

std::string encode_query(std::string_view value, unsigned flags) {
  if (!(flags & FETCHU_URLENCODE)) return std::string(value);
  const std::size_t eq = value.find('=');
  if (!(flags & FETCHU_APPENDQUERY) || eq == std::string_view::npos) {
    return percent_encode(value, "", true);
  }
  return percent_encode(value.substr(0, eq), "", true) + "=" +
         percent_encode(value.substr(eq + 1), "", true);
}

void set_query(Url &url, std::string_view value, unsigned flags) {
  std::string query = encode_query(value, flags);
  if ((flags & FETCHU_APPENDQUERY) && url.query && !url.query->empty()) {
    if (url.query->back() != '&') url.query->push_back('&');
    url.query->append(query);
    return;
  }
  url.query = std::move(query);
}

// The error for control bytes (or spaces) in a part set without encoding.
FETCHUcode bad_text_code(FETCHUPart what) {
  switch (what) {
    case FETCHUPART_USER:
      return FETCHUE_BAD_USER;
    case FETCHUPART_PASSWORD:
      return FETCHUE_BAD_PASSWORD;
    case FETCHUPART_OPTIONS:
      return FETCHUE_BAD_LOGIN;
    case FETCHUPART_PATH:
      return FETCHUE_BAD_PATH;
    case FETCHUPART_QUERY:
      return FETCHUE_BAD_QUERY;
    case FETCHUPART_FRAGMENT:
      return FETCHUE_BAD_FRAGMENT;
    case FETCHUPART_HOST:
      return FETCHUE_BAD_HOSTNAME;
    case FETCHUPART_ZONEID:
      return FETCHUE_BAD_IPV6;
    case FETCHUPART_PORT:
      return FETCHUE_BAD_PORT_NUMBER;
    case FETCHUPART_SCHEME:
      return FETCHUE_BAD_SCHEME;
    default:
      return FETCHUE_MALFORMED_INPUT;
  }
}

FETCHUcode set_url(Url &url, std::string_view value, unsigned flags) {
  Url parsed;
  FETCHUcode rc;
  if (url.empty()) {
    rc = value.empty() ? FETCHUE_MALFORMED_INPUT : parse(value, flags, parsed);
  } else {
    rc = resolve(url, value, flags, parsed);
  }
  if (rc == FETCHUE_OK) url = std::move(parsed);
  return rc;
}

// True if some part grew past the input limit (e.g. through URL encoding).
bool too_large(const Url &url) {
  for (const auto *part :
       {&url.user, &url.password, &url.options, &url.host, &url.path, &url.query, &url.fragment}) {
    if (*part && (*part)->size() >= kMaxInputLength) return true;
  }
  return false;
}

FETCHUcode apply(Url &url, FETCHUPart what, const char *content, unsigned flags) {
  const int part = static_cast<int>(what);
  if (part < FETCHUPART_URL || part > FETCHUPART_ZONEID) return FETCHUE_UNKNOWN_PART;
  if (!content) return clear_part(url, what);
  const std::string_view value(content);
  if (value.size() >= kMaxInputLength) return FETCHUE_MALFORMED_INPUT;
  if (what == FETCHUPART_URL) return set_url(url, value, flags);
  const bool encode = flags & FETCHU_URLENCODE;
  if (!encode && has_control(value, !(flags & FETCHU_ALLOW_SPACE))) return bad_text_code(what);
  auto encoded = [&](std::string_view keep) {
    return encode ? percent_encode(value, keep) : std::string(value);
  };
  switch (what) {
    case FETCHUPART_SCHEME:
      return set_scheme(url, value, flags);
    case FETCHUPART_PORT:
      return set_port(url, value);
    case FETCHUPART_HOST:
      return set_host(url, value, flags);
    case FETCHUPART_USER:
      url.user = encoded("");
      break;
    case FETCHUPART_PASSWORD:
      url.password = encoded("");
      break;
    case FETCHUPART_OPTIONS:
      url.options = encoded("");
      break;
    case FETCHUPART_FRAGMENT:
      url.fragment = encoded("");
      break;
    case FETCHUPART_QUERY:
      set_query(url, value, flags);
      break;
    case FETCHUPART_ZONEID:
      if (!valid_zoneid(value)) return FETCHUE_BAD_IPV6;
      url.zoneid = std::string(value);
      break;
    case FETCHUPART_PATH: {
      std::string path = encoded(kPathKeep);
      if (path.empty() || path.front() != '/') path.insert(0, "/");
      url.path = std::move(path);
      break;
    }
    default:
      return FETCHUE_UNKNOWN_PART;
  }
  return FETCHUE_OK;
}

}  // namespace

FETCHUcode set_part(Url &url, FETCHUPart what, const char *content, unsigned flags) {
  Url updated = url;
  const FETCHUcode rc = apply(updated, what, content, flags);
  if (rc != FETCHUE_OK) return rc;
  if (too_large(updated)) return FETCHUE_TOO_LARGE;
  url = std::move(updated);
  return FETCHUE_OK;
}

}  // namespace fetch::url
