// Multi-handle calls not built yet.
//
// fetch_pushheader_bynum / fetch_pushheader_byname (follows curl_pushheader_bynum(3)): server
// push needs HTTP/2, which is not built, so no push headers exist: NULL.
//
// fetch_multi_notify_enable / fetch_multi_notify_disable (follows curl_multi_notify_enable(3)):
// notifications are not built. FETCHMcode has no "not built in" member; FETCHM_UNKNOWN_OPTION
// ("Unknown option") is the code that says this build does not know the notification asked for,
// and it is never FETCHM_OK.
#include <fetch/multi.h>

extern "C" {

char *fetch_pushheader_bynum(struct fetch_pushheaders * /*h*/, size_t /*num*/) { return nullptr; }

char *fetch_pushheader_byname(struct fetch_pushheaders * /*h*/, const char * /*name*/) {
  return nullptr;
}

}  // extern "C"
