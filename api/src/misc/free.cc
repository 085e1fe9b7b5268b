// fetch_free: releases memory that libfetch handed to the application (follows curl_free(3)).
//
// Every string libfetch returns for the caller to free (fetch_easy_escape, fetch_getenv,
// fetch_maprintf, fetch_url_get, ...) is allocated with malloc, so this is free(). The callbacks
// given to fetch_global_init_mem are not used (see api/src/global/global_init.cc).
#include <fetch/fetch.h>

#include <cstdlib>

extern "C" {

void fetch_free(void *p) { std::free(p); }

}  // extern "C"
