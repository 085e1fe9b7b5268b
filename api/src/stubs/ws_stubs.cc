// The WebSocket API, not built yet (follows curl_ws_recv(3), curl_ws_send(3),
// curl_ws_start_frame(3), curl_ws_meta(3)): the calls return FETCHE_NOT_BUILT_IN and report
// nothing received or sent; fetch_ws_meta returns NULL.
#include <fetch/fetch.h>

extern "C" {

FETCHcode fetch_ws_recv(FETCH * /*curl*/, void * /*buffer*/, size_t /*buflen*/, size_t *recv,
                        const struct fetch_ws_frame **metap) {
  if (recv != nullptr) *recv = 0;
  if (metap != nullptr) *metap = nullptr;
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_ws_send(FETCH * /*curl*/, const void * /*buffer*/, size_t /*buflen*/, size_t *sent,
                        fetch_off_t /*fragsize*/, unsigned int /*flags*/) {
  if (sent != nullptr) *sent = 0;
  return FETCHE_NOT_BUILT_IN;
}

FETCHcode fetch_ws_start_frame(FETCH * /*curl*/, unsigned int /*flags*/,
                               fetch_off_t /*frame_len*/) {
  return FETCHE_NOT_BUILT_IN;
}

const struct fetch_ws_frame *fetch_ws_meta(FETCH * /*curl*/) { return nullptr; }

}  // extern "C"
