// resolve(): a reference (possibly relative) against a base URL, RFC 3986 5.2.
#include <algorithm>

#include "build.h"
#include "path.h"
#include "url.h"

namespace fetch::url {
namespace {

// "scheme://userinfo@host:port" of the base, or "file://".
FETCHUcode base_origin(const Url &base, std::string &out) {
  const std::string &scheme = *base.scheme;
  if (scheme == "file") {
    out = "file://";
    return FETCHUE_OK;
  }
  std::string host;
  const FETCHUcode rc = host_text(base, 0, host);
  if (rc != FETCHUE_OK) return rc;
  out = scheme + "://" + userinfo_text(base) + host;
  if (base.port) out += ":" + *base.port;
  return FETCHUE_OK;
}

std::string with_query(const Url &base) { return base.query ? "?" + *base.query : ""; }

// The absolute URL text 'ref' refers to.
FETCHUcode target_text(const Url &base, std::string_view ref, std::string &out) {
  if (ref.substr(0, 2) == "//") {
    out = *base.scheme + ":" + std::string(ref);
    return FETCHUE_OK;
  }
  std::string origin;
  const FETCHUcode rc = base_origin(base, origin);
  if (rc != FETCHUE_OK) return rc;
  const std::string base_path = base.path.value_or("");
  if (ref.empty()) {  // the base itself, without its fragment
    out = origin + base_path + with_query(base);
  } else if (ref.front() == '#') {
    out = origin + base_path + with_query(base) + std::string(ref);
  } else if (ref.front() == '?') {
    out = origin + base_path + std::string(ref);
  } else if (ref.front() == '/') {
    out = origin + std::string(ref);
  } else {
    const std::size_t path_end = std::min(ref.find_first_of("?#"), ref.size());
    out = origin + merge_paths(base_path, ref.substr(0, path_end)) +
          std::string(ref.substr(path_end));
  }
  return FETCHUE_OK;
}

}  // namespace

FETCHUcode resolve(const Url &base, std::string_view ref, unsigned flags, Url &out) {
  if (!base.scheme || has_scheme(ref, false)) {
    if (ref.empty()) return FETCHUE_MALFORMED_INPUT;
    return parse(ref, flags, out);
  }
  if (ref.size() >= kMaxInputLength) return FETCHUE_MALFORMED_INPUT;
  std::string target;
  const FETCHUcode rc = target_text(base, ref, target);
  if (rc != FETCHUE_OK) return rc;
  const unsigned parse_flags = flags & ~(FETCHU_GUESS_SCHEME | FETCHU_DEFAULT_SCHEME);
  Url result;
  const FETCHUcode prc = parse(target, parse_flags | FETCHU_NON_SUPPORT_SCHEME, result);
  if (prc != FETCHUE_OK) return prc;
  result.guessed_scheme = base.guessed_scheme && ref.substr(0, 2) != "//";
  out = std::move(result);
  return FETCHUE_OK;
}

}  // namespace fetch::url
