// Pieces of a URL's text form, shared by to_string() and resolve().
#ifndef FETCH_API_SRC_URL_BUILD_H
#define FETCH_API_SRC_URL_BUILD_H

#include <optional>
#include <string>

#include "url.h"

namespace fetch::url {

// The host as written in a URL: IPv6 with "%25zone"; with FETCHU_URLENCODE
// every byte that is not unreserved is percent-encoded. FETCHUE_LACKS_IDN when
// FETCHU_PUNYCODE / FETCHU_PUNY2IDN would need an IDN conversion.
FETCHUcode host_text(const Url &url, unsigned flags, std::string &out);

// Host text for FETCHUPART_HOST (no zone, no encoding) with the IDN checks.
FETCHUcode host_part(const Url &url, unsigned flags, std::string &out);

// The port to show given FETCHU_DEFAULT_PORT / FETCHU_NO_DEFAULT_PORT.
std::optional<std::string> shown_port(const Url &url, unsigned flags);

// "user:password;options@" or ""; options only for imap/pop3/smtp(s).
std::string userinfo_text(const Url &url);

}  // namespace fetch::url

#endif  // FETCH_API_SRC_URL_BUILD_H
