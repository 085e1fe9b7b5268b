// The header API: fetch_easy_header and fetch_easy_nextheader (follow curl_easy_header(3) and
// curl_easy_nextheader(3)). Arguments are checked here; the headers themselves live in the easy
// handle's HeaderStore (runtime/header_store.h), filled by the HTTP exchange as they arrive, so
// both functions also work from inside the handle's callbacks.
#include <fetch/fetch.h>
#include <fetch/header.h>

#include "easy/easy_handle.h"
#include "runtime/header_store.h"

using fetch::as_easy;
using fetch::EasyHandle;
using fetch::HeaderStore;

extern "C" {

FETCHHcode fetch_easy_header(FETCH *easy, const char *name, size_t index, unsigned int origin,
                             int request, struct fetch_header **hout) {
  EasyHandle *e = as_easy(easy);
  if (e == nullptr || name == nullptr || hout == nullptr || origin == 0 ||
      origin > HeaderStore::kAllOrigins || request < -1) {
    return FETCHHE_BAD_ARGUMENT;
  }
  return e->headers.find(name, index, origin, request, hout);
}

struct fetch_header *fetch_easy_nextheader(FETCH *easy, unsigned int origin, int request,
                                           struct fetch_header *prev) {
  EasyHandle *e = as_easy(easy);
  if (e == nullptr) return nullptr;
  return e->headers.next(origin, request, prev);
}

}  // extern "C"
