// Easy-handle calls not built yet: the TLS session import/export (follows
// curl_easy_ssls_import(3), curl_easy_ssls_export(3)). Both return FETCHE_NOT_BUILT_IN.
// (fetch_easy_pause lives in api/src/easy/easy_pause.cc.)
#include <fetch/fetch.h>

#include "easy/easy_handle.h"

extern "C" {

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
