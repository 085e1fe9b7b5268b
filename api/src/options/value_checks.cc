#include "options/value_checks.h"

#include <cstring>
#include <limits>

namespace fetch::options {

FETCHcode store_in_range(EasyHandle &easy, const char *option, long value, long lo, long hi,
                         long &out) {
  if (value < lo || value > hi) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: %ld is outside %ld..%ld", option,
                value, lo, hi);
  }
  out = value;
  return FETCHE_OK;
}

FETCHcode store_seconds_as_ms(EasyHandle &easy, const char *option, long seconds, long &out_ms) {
  if (seconds < 0) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: negative timeout %ld", option,
                seconds);
  }
  constexpr long kMaxSeconds = std::numeric_limits<long>::max() / 1000;
  out_ms = (seconds > kMaxSeconds ? kMaxSeconds : seconds) * 1000;
  return FETCHE_OK;
}

FETCHcode store_string(EasyHandle &easy, const char *option, const OptionArg &arg, std::string &out,
                       const char *fallback) {
  const auto *text = static_cast<const char *>(arg.pointer);
  if (text == nullptr) {
    out.assign(fallback);
    return FETCHE_OK;
  }
  const size_t length = strnlen(text, kMaxStringLength + 1);
  if (length > kMaxStringLength) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: string longer than %zu bytes",
                option, kMaxStringLength);
  }
  out.assign(text, length);
  return FETCHE_OK;
}

FETCHcode store_checked_string(EasyHandle &easy, const char *option, const OptionArg &arg,
                               std::string &out, std::initializer_list<ForbiddenChars> rules) {
  std::string value;  // checked before it replaces `out`: a refused value leaves the old one
  const FETCHcode code = store_string(easy, option, arg, value);
  if (code != FETCHE_OK) return code;
  for (const ForbiddenChars &rule : rules) {
    if (value.find_first_of(rule.chars) != std::string::npos) {
      return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: %s", option, rule.why);
    }
  }
  out.swap(value);
  return FETCHE_OK;
}

FETCHcode store_header_string(EasyHandle &easy, const char *option, const OptionArg &arg,
                              std::string &out) {
  return store_checked_string(easy, option, arg, out, {kNoCrOrLf});
}

FETCHcode store_slist(EasyHandle &easy, const char *option, const OptionArg &arg,
                      std::vector<std::string> &out) {
  std::vector<std::string> copy;
  for (auto *item = static_cast<const fetch_slist *>(arg.pointer); item != nullptr;
       item = item->next) {
    if (item->data == nullptr) continue;
    const size_t length = strnlen(item->data, kMaxStringLength + 1);
    if (length > kMaxStringLength) {
      return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: entry longer than %zu bytes",
                  option, kMaxStringLength);
    }
    copy.emplace_back(item->data, length);
  }
  out.swap(copy);
  return FETCHE_OK;
}

}  // namespace fetch::options
