// The mime API, not built yet (follows curl_mime_init(3) and its pages): fetch_mime_init and
// fetch_mime_addpart return NULL (which their man pages document as failure), the part setters
// return FETCHE_NOT_BUILT_IN, and fetch_mime_free has nothing to free.
#include <fetch/fetch.h>

extern "C" {

fetch_mime *fetch_mime_init(FETCH * /*easy*/) { return nullptr; }

void fetch_mime_free(fetch_mime * /*mime*/) {}

fetch_mimepart *fetch_mime_addpart(fetch_mime * /*mime*/) { return nullptr; }

FETCHcode fetch_mime_name(fetch_mimepart * /*part*/, const char * /*name*/) {
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_mime_filename(fetch_mimepart * /*part*/, const char * /*filename*/) {
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_mime_type(fetch_mimepart * /*part*/, const char * /*mimetype*/) {
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_mime_encoder(fetch_mimepart * /*part*/, const char * /*encoding*/) {
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_mime_data(fetch_mimepart * /*part*/, const char * /*data*/, size_t /*datasize*/) {
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_mime_filedata(fetch_mimepart * /*part*/, const char * /*filename*/) {
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_mime_data_cb(fetch_mimepart * /*part*/, fetch_off_t /*datasize*/,
                             fetch_read_callback /*readfunc*/, fetch_seek_callback /*seekfunc*/,
                             fetch_free_callback /*freefunc*/, void * /*arg*/) {
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_mime_subparts(fetch_mimepart * /*part*/, fetch_mime * /*subparts*/) {
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_mime_headers(fetch_mimepart * /*part*/, struct fetch_slist * /*headers*/,
                             int /*take_ownership*/) {
  return FETCHE_NOT_BUILT_IN;
}

}  // extern "C"
