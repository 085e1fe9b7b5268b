// The header API, not built yet (follows curl_easy_header(3), curl_easy_nextheader(3)):
// fetch_easy_header returns FETCHHE_NOT_BUILT_IN (the code libcurl returns when the API is
// disabled) and leaves *hout NULL; fetch_easy_nextheader returns NULL (no more headers).
#include <fetch/fetch.h>

extern "C" {

FETCHHcode fetch_easy_header(FETCH * /*easy*/, const char * /*name*/, size_t /*index*/,
                             unsigned int /*origin*/, int /*request*/, struct fetch_header **hout) {
  if (hout != nullptr) *hout = nullptr;
  return FETCHHE_NOT_BUILT_IN;
}

struct fetch_header *fetch_easy_nextheader(FETCH * /*easy*/, unsigned int /*origin*/,
                                           int /*request*/, struct fetch_header * /*prev*/) {
  return nullptr;
}

}  // extern "C"
