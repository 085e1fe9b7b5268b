// fetch_global_sslset (follows curl_global_sslset(3)).
//
// No TLS backend is built into libfetch yet, so whatever id or name is asked for, the answer is
// FETCHSSLSET_NO_BACKENDS, which curl_global_sslset(3) documents for a build without any TLS
// support. When `avail` is non-NULL it is set to the list of available backends, as the man page
// says it always is: here an empty, NULL-terminated list.
#include <fetch/fetch.h>

namespace fetch::global {
namespace {

const fetch_ssl_backend *g_no_backends[] = {nullptr};

}  // namespace
}  // namespace fetch::global

extern "C" {

FETCHsslset fetch_global_sslset(fetch_sslbackend /*id*/, const char * /*name*/,
                                const fetch_ssl_backend ***avail) {
  if (avail != nullptr) *avail = fetch::global::g_no_backends;
  return FETCHSSLSET_NO_BACKENDS;
}

}  // extern "C"
