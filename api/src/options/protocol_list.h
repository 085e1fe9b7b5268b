// FETCHOPT_PROTOCOLS_STR: a comma-separated, case-insensitive list of scheme names, or "ALL".
#pragma once

#include <string>
#include <string_view>

#include <fetch/fetch.h>

namespace fetch::options {

// Checks `spec` and writes its normalized form to `out`: the names in lower case joined by ','
// without empty items, or "" for "all". Returns FETCHE_UNSUPPORTED_PROTOCOL for a name that is
// no libcurl protocol, FETCHE_BAD_FUNCTION_ARGUMENT when the list names none (as libcurl).
// Names of protocols libcurl has and libfetch does not build are accepted: restricting to them
// is harmless, and a URL using one fails at perform with FETCHE_UNSUPPORTED_PROTOCOL anyway.
FETCHcode normalize_protocol_list(std::string_view spec, std::string &out, std::string &problem);

}  // namespace fetch::options
