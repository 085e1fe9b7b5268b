// Scheme facts: syntax, default ports, support, login options, guessing.
#ifndef FETCH_API_SRC_URL_SCHEME_H
#define FETCH_API_SRC_URL_SCHEME_H

#include <string>
#include <string_view>

namespace fetch::url {

// RFC 3986 scheme syntax: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), at most
// kMaxSchemeLength bytes.
bool valid_scheme(std::string_view scheme);

// ASCII lower case copy.
std::string to_lower(std::string_view text);

// True if the scheme's URLs carry ";options" in the userinfo (imap, pop3, smtp).
bool scheme_has_login_options(std::string_view scheme);

// The scheme guessed from a host name ("ftp.x" -> ftp, ..., else http).
std::string guess_scheme(std::string_view host);

}  // namespace fetch::url

#endif  // FETCH_API_SRC_URL_SCHEME_H
