// The deprecated form API, not built (follows curl_formadd(3), curl_formget(3),
// curl_formfree(3)): fetch_formadd returns FETCH_FORMADD_DISABLED, the code libcurl uses when the
// form API is disabled; fetch_formget returns that same non-zero value (its man page: non-zero
// means an error); fetch_formfree has nothing to free since no form can be built.
#include <fetch/fetch.h>

extern "C" {

FETCHFORMcode fetch_formadd(struct fetch_httppost ** /*httppost*/,
                            struct fetch_httppost ** /*last_post*/, ...) {
  return FETCH_FORMADD_DISABLED;
}

int fetch_formget(struct fetch_httppost * /*form*/, void * /*arg*/,
                  fetch_formget_callback /*append*/) {
  return FETCH_FORMADD_DISABLED;
}

void fetch_formfree(struct fetch_httppost * /*form*/) {}

}  // extern "C"
