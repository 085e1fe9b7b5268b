// Percent-encoding helpers (RFC 3986 section 2.1), byte by byte, charset unaware.
#ifndef FETCH_API_SRC_URL_PERCENT_H
#define FETCH_API_SRC_URL_PERCENT_H

#include <string>
#include <string_view>

namespace fetch::url {

// ALPHA / DIGIT / "-" / "." / "_" / "~"
bool is_unreserved(char c);

// Encodes every byte except the unreserved ones and those listed in 'keep',
// as "%xx" with lower case hex digits (upper case with 'upper'). With
// space_as_plus, a space becomes '+' instead of "%20".
std::string percent_encode(std::string_view in, std::string_view keep, bool space_as_plus = false,
                           bool upper = false);

// Encodes only spaces and bytes >= 0x80 (used on a full URL with
// FETCHU_URLENCODE); with space_as_plus a space becomes '+'.
std::string encode_unsafe(std::string_view in, bool space_as_plus = false);

// Decodes "%XX" sequences; invalid sequences are kept as they are. With
// plus_as_space, '+' becomes a space.
std::string percent_decode(std::string_view in, bool plus_as_space = false);

// True if 'in' holds a byte below 32 or 127; with space_too, also a space.
bool has_control(std::string_view in, bool space_too);

}  // namespace fetch::url

#endif  // FETCH_API_SRC_URL_PERCENT_H
