// Small text helpers for HTTP field values: case-insensitive compare, OWS trimming and
// comma-separated lists ("gzip, br", "chunked").
#pragma once

#include <string_view>

namespace fetch::http1 {

// ASCII case-insensitive equality. The length test is inline: every header name of every
// response is compared with a handful of known names, and most differ in length.
bool iequals_same_length(std::string_view a, std::string_view b);
inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && iequals_same_length(a, b);
}

// Strips leading and trailing spaces and tabs.
std::string_view trim_ows(std::string_view s);

// Calls fn(token) for each non-empty element of a comma-separated list, trimmed and without
// parameters (";q=1"). Stops early and returns false when fn returns false.
template <class Fn>
bool for_each_list_token(std::string_view list, Fn &&fn) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == list.npos ? std::string_view() : list.substr(comma + 1);
    item = trim_ows(item.substr(0, item.find(';')));
    if (!item.empty() && !fn(item)) return false;
  }
  return true;
}

// A field name as RFC 9110 allows it: one or more tchar (no blanks, no separators).
bool is_token(std::string_view s);

// The offset of the first CR or LF in s, or npos. One memchr per byte sought rather than
// string_view::find_first_of, which calls memchr on the set for every byte of s: this runs
// for every header line of every response.
size_t find_cr_or_lf(std::string_view s);
// True when s holds CR, LF or NUL (bytes that would break a request line or header).
bool has_cr_lf_nul(std::string_view s);

}  // namespace fetch::http1
