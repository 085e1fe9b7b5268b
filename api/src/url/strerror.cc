// strerror(): texts for fetch_url_strerror(), as in curl_url_strerror(3).
#include <array>

#include "url.h"

namespace fetch::url {
namespace {

constexpr std::array<const char *, FETCHUE_LAST> kTexts{
    "No error",
    "An invalid FETCHU pointer was passed as argument",
    "An invalid 'part' argument was passed as argument",
    "Malformed input to a URL function",
    "Port number was not a decimal number between 0 and 65535",
    "Unsupported URL scheme",
    "URL decode error, most likely because of rubbish in the input",
    "A memory function failed",
    "Credentials was passed in the URL when prohibited",
    "An unknown part ID was passed to a URL API function",
    "No scheme present",
    "No user present",
    "No password present",
    "No options present",
    "No host present",
    "No port number present",
    "No query present",
    "No fragment present",
    "No zoneid present",
    "Bad file:// URL",
    "Bad fragment",
    "Bad hostname",
    "Bad IPv6 address",
    "Bad login",
    "Bad password",
    "Bad path",
    "Bad query",
    "Bad scheme",
    "Unsupported number of slashes following scheme",
    "Bad user",
    "libfetch lacks IDN support",
    "A value or data field is larger than allowed",
    "Found a backslash where a forward slash was expected",
};

}  // namespace

const char *strerror(FETCHUcode code) {
  const int index = static_cast<int>(code);
  if (index < 0 || index >= FETCHUE_LAST) return "FETCHUcode unknown";
  return kTexts[static_cast<std::size_t>(index)];
}

}  // namespace fetch::url
