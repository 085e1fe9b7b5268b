// Argument checks the setters share: ranges, timeouts, copied strings and string lists.
// Each returns FETCHE_OK or an error code with a message in the handle's error buffer.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "options/option_table.h"

namespace fetch::options {

// Strings longer than this are refused with FETCHE_BAD_FUNCTION_ARGUMENT (libcurl's limit).
inline constexpr size_t kMaxStringLength = 8000000;

// Stores `value` into `out` when lo <= value <= hi, else FETCHE_BAD_FUNCTION_ARGUMENT.
FETCHcode store_in_range(EasyHandle &easy, const char *option, long value, long lo, long hi,
                         long &out);

// Seconds (>= 0) to milliseconds, saturating instead of overflowing; < 0 is refused.
FETCHcode store_seconds_as_ms(EasyHandle &easy, const char *option, long seconds, long &out_ms);

// Copies the C string at `arg.pointer` into `out`; NULL stores `fallback` (the default).
FETCHcode store_string(EasyHandle &easy, const char *option, const OptionArg &arg, std::string &out,
                       const char *fallback = "");

// Characters a string option must not contain, and why (the error message's text).
struct ForbiddenChars {
  const char *chars;
  const char *why;
};

// Text that goes into a request header or line must not break it (docs/BAD-INPUT: no header
// injection through options).
inline constexpr ForbiddenChars kNoCrOrLf{"\r\n", "CR or LF in a header value"};

// store_string, then each rule in order: a value holding any of a rule's characters is refused
// with FETCHE_BAD_FUNCTION_ARGUMENT and "FETCHOPT_<option>: <why>", and `out` keeps its value.
FETCHcode store_checked_string(EasyHandle &easy, const char *option, const OptionArg &arg,
                               std::string &out, std::initializer_list<ForbiddenChars> rules);

// store_checked_string with kNoCrOrLf: a CR or LF is refused with FETCHE_BAD_FUNCTION_ARGUMENT.
FETCHcode store_header_string(EasyHandle &easy, const char *option, const OptionArg &arg,
                              std::string &out);

// Copies every entry of the struct fetch_slist at `arg.pointer` into `out`; NULL clears.
FETCHcode store_slist(EasyHandle &easy, const char *option, const OptionArg &arg,
                      std::vector<std::string> &out);

}  // namespace fetch::options
