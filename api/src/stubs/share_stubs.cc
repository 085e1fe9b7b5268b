// Share handles, not built yet (follows curl_share_init(3), curl_share_setopt(3),
// curl_share_cleanup(3)): fetch_share_init returns NULL, fetch_share_setopt returns
// FETCHSHE_NOT_BUILT_IN, and since no share handle can exist, fetch_share_cleanup reports any
// handle (NULL included) as FETCHSHE_INVALID.
#include <fetch/fetch.h>

extern "C" {

FETCHSH *fetch_share_init(void) { return nullptr; }

FETCHSHcode fetch_share_setopt(FETCHSH * /*share*/, FETCHSHoption /*option*/, ...) {
  return FETCHSHE_NOT_BUILT_IN;
}

FETCHSHcode fetch_share_cleanup(FETCHSH * /*share*/) { return FETCHSHE_INVALID; }

}  // extern "C"
