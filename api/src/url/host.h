// Host parsing: IPv6 literals with zone ids, IPv4 normalisation, name checks.
#ifndef FETCH_API_SRC_URL_HOST_H
#define FETCH_API_SRC_URL_HOST_H

#include <optional>
#include <string>
#include <string_view>

#include "fetch/urlapi.h"

namespace fetch::url {

struct Host {
  std::string name;                   // decoded name, dotted IPv4, or "[v6]"
  std::optional<std::string> zoneid;  // only for IPv6
};

// Parses the host text of a URL or of fetch_url_set(FETCHUPART_HOST):
// "[v6]" / "[v6%25zone]" -> normalised IPv6 (FETCHUE_BAD_IPV6 on failure);
// IPv4 in decimal/octal/hex with 1..4 parts -> dotted quad; otherwise a name,
// percent-decoded unless 'raw', checked for forbidden bytes
// (FETCHUE_BAD_HOSTNAME). With 'raw' brackets are not special.
FETCHUcode parse_host(std::string_view text, bool raw, Host &out);

// "127.1" -> "127.0.0.1", "0x7f.1" -> "127.0.0.1", "2130706433" -> "127.0.0.1";
// nullopt when 'text' is not such a number form.
std::optional<std::string> normalize_ipv4(std::string_view text);

// Checks and shortens an IPv6 address given without brackets and zone.
std::optional<std::string> normalize_ipv6(std::string_view text);

// True if 'name' (decoded) is a non-empty host name without control bytes or
// any of the bytes " /:#?!@{}[]\\$'\"^`*<>=;,+&()%|".
bool valid_host_name(std::string_view name);

// A zone id is one or more unreserved bytes (ALPHA DIGIT - . _ ~).
bool valid_zoneid(std::string_view zone);

// True if every byte is below 0x80.
bool is_ascii(std::string_view text);

}  // namespace fetch::url

#endif  // FETCH_API_SRC_URL_HOST_H
