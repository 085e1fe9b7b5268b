// Easy-handle calls not built yet: fetch_easy_pause (follows curl_easy_pause(3)) and the TLS
// session import/export (follows curl_easy_ssls_import(3), curl_easy_ssls_export(3)). All return
// FETCHE_NOT_BUILT_IN.
//
// Note on fetch_easy_pause: for a valid handle with nothing to pause libcurl returns FETCHE_OK,
// but libfetch cannot pause or resume a transfer yet, so it says so rather than pretend.
#include <fetch/fetch.h>

#include "easy/easy_handle.h"

extern "C" {

FETCHcode fetch_easy_pause(FETCH *handle, int /*bitmask*/) {
  if (fetch::as_easy(handle) == nullptr) return FETCHE_BAD_FUNCTION_ARGUMENT;
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_easy_ssls_import(FETCH * /*handle*/, const char * /*session_key*/,
                                 const unsigned char * /*shmac*/, size_t /*shmac_len*/,
                                 const unsigned char * /*sdata*/, size_t /*sdata_len*/) {
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_easy_ssls_export(FETCH * /*handle*/, fetch_ssls_export_cb * /*export_fn*/,
                                 void * /*userptr*/) {
  return FETCHE_NOT_BUILT_IN;
}

}  // extern "C"
