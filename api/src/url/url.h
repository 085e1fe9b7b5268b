// Internal URL model, parser and builder (sans-I/O). Used by the public URL API
// (url_api.cc) and by the easy handle for FETCHOPT_URL and redirects.
#ifndef FETCH_API_SRC_URL_URL_H
#define FETCH_API_SRC_URL_URL_H

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "fetch/urlapi.h"

namespace fetch::url {

// Longest input accepted by parse()/set_part(), and longest result built.
inline constexpr std::size_t kMaxInputLength = 8000000;
// Longest scheme accepted.
inline constexpr std::size_t kMaxSchemeLength = 40;

// A URL split into its parts. An absent part is std::nullopt; a present but
// empty part (e.g. "http://host/?") is an empty string.
struct Url {
  std::optional<std::string> scheme;    // lower case, e.g. "https"
  std::optional<std::string> user;      // URL encoded, as given
  std::optional<std::string> password;  // URL encoded, as given
  std::optional<std::string> options;   // login options, URL encoded
  std::optional<std::string> host;      // parsed: decoded name, dotted IPv4, "[v6]"
  std::optional<std::string> zoneid;    // IPv6 zone id, without "%25"
  std::optional<std::string> port;      // decimal digits without leading zeros
  std::optional<std::string> path;      // URL encoded; get returns "/" when absent
  std::optional<std::string> query;     // without the '?'
  std::optional<std::string> fragment;  // without the '#'
  bool guessed_scheme = false;          // scheme came from GUESS/DEFAULT_SCHEME

  bool empty() const { return !scheme && !host && !path; }
  bool operator==(const Url &) const = default;
};

// Parses an absolute URL (or, with FETCHU_GUESS_SCHEME / FETCHU_DEFAULT_SCHEME,
// a scheme-less one) using the fetch_url_set() flags. 'out' is only written
// on success.
FETCHUcode parse(std::string_view input, unsigned flags, Url &out);

// Resolves 'ref' against 'base' (RFC 3986 section 5.2): an absolute 'ref' is
// parsed as is; "", "?q", "#f", "/p", "//host/p" and relative paths are
// applied to 'base'. 'out' is only written on success.
FETCHUcode resolve(const Url &base, std::string_view ref, unsigned flags, Url &out);

// True when 'input' starts with "scheme:" (with guess_mode, "scheme:/").
bool has_scheme(std::string_view input, bool guess_mode);

// Builds the full URL text with the fetch_url_get() flags.
FETCHUcode to_string(const Url &url, unsigned flags, std::string &out);

// fetch_url_get(): one part (or the full URL) as text.
FETCHUcode get_part(const Url &url, FETCHUPart what, unsigned flags, std::string &out);

// fetch_url_set(): set one part; content == nullptr clears it. A full URL may
// be relative to what 'url' holds. 'url' is unchanged on error.
FETCHUcode set_part(Url &url, FETCHUPart what, const char *content, unsigned flags);

// The port to connect to: the stored one, else the scheme's default, else 0.
unsigned effective_port(const Url &url);

// The scheme's default port (0 if it has none or is unknown); 'scheme' is lower case.
unsigned default_port(std::string_view scheme);

// True for the schemes this library transfers: http, https, ws, wss, file.
bool is_supported_scheme(std::string_view scheme);

// Text for a FETCHUcode, as fetch_url_strerror() returns it.
const char *strerror(FETCHUcode code);

}  // namespace fetch::url

#endif  // FETCH_API_SRC_URL_URL_H
