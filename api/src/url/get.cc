// get_part(): fetch_url_get() on the internal model.
#include "build.h"
#include "percent.h"
#include "url.h"

namespace fetch::url {
namespace {

bool has_low_byte(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

// Copies 'value' to 'out', URL decoded when asked.
FETCHUcode deliver(std::string_view value, unsigned flags, bool plus_as_space, std::string &out) {
  if (!(flags & FETCHU_URLDECODE)) {
    out = std::string(value);
    return FETCHUE_OK;
  }
  std::string decoded = percent_decode(value, plus_as_space);
  if (has_low_byte(decoded)) return FETCHUE_URLDECODE;
  out = std::move(decoded);
  return FETCHUE_OK;
}

FETCHUcode optional_part(const std::optional<std::string> &part, FETCHUcode missing, unsigned flags,
                         std::string &out) {
  if (!part) return missing;
  return deliver(*part, flags, false, out);
}

// Query and fragment: an empty one counts as absent unless FETCHU_GET_EMPTY.
FETCHUcode maybe_empty_part(const std::optional<std::string> &part, FETCHUcode missing,
                            unsigned flags, bool plus_as_space, std::string &out) {
  if (!part || (part->empty() && !(flags & FETCHU_GET_EMPTY))) return missing;
  return deliver(*part, flags, plus_as_space, out);
}

FETCHUcode scheme_part(const Url &url, unsigned flags, std::string &out) {
  if (url.scheme && !(url.guessed_scheme && (flags & FETCHU_NO_GUESS_SCHEME))) {
    out = *url.scheme;
    return FETCHUE_OK;
  }
  if (!url.scheme && (flags & FETCHU_DEFAULT_SCHEME)) {
    out = "https";
    return FETCHUE_OK;
  }
  return FETCHUE_NO_SCHEME;
}

}  // namespace

FETCHUcode get_part(const Url &url, FETCHUPart what, unsigned flags, std::string &out) {
  switch (what) {
    case FETCHUPART_URL:
      return to_string(url, flags, out);
    case FETCHUPART_SCHEME:
      return scheme_part(url, flags, out);
    case FETCHUPART_USER:
      return optional_part(url.user, FETCHUE_NO_USER, flags, out);
    case FETCHUPART_PASSWORD:
      return optional_part(url.password, FETCHUE_NO_PASSWORD, flags, out);
    case FETCHUPART_OPTIONS:
      return optional_part(url.options, FETCHUE_NO_OPTIONS, flags, out);
    case FETCHUPART_HOST:
      return host_part(url, flags, out);
    case FETCHUPART_ZONEID:
      return optional_part(url.zoneid, FETCHUE_NO_ZONEID, flags, out);
    case FETCHUPART_PORT: {
      auto port = shown_port(url, flags);
      if (!port) return FETCHUE_NO_PORT;
      out = std::move(*port);
      return FETCHUE_OK;
    }
    case FETCHUPART_PATH: {
      const std::string path = url.path.value_or("");
      return deliver(path.empty() ? std::string_view("/") : std::string_view(path), flags, false,
                     out);
    }
    case FETCHUPART_QUERY:
      return maybe_empty_part(url.query, FETCHUE_NO_QUERY, flags, true, out);
    case FETCHUPART_FRAGMENT:
      return maybe_empty_part(url.fragment, FETCHUE_NO_FRAGMENT, flags, false, out);
  }
  return FETCHUE_UNKNOWN_PART;
}

}  // namespace fetch::url
