// fetch_global_trace (follows curl_global_trace(3)): selects which components log verbose
// traces. libfetch has no per-component tracing yet, so every configuration string ("all",
// "-all", "http,tcp", ...) and NULL are accepted and change nothing; FETCHOPT_VERBOSE is what
// controls logging.
#include <fetch/fetch.h>

extern "C" {

FETCHcode fetch_global_trace(const char * /*config*/) { return FETCHE_OK; }

}  // extern "C"
