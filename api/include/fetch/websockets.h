#ifndef FETCHINC_WEBSOCKETS_H
#define FETCHINC_WEBSOCKETS_H
/* libfetch - WebSocket API (follows libcurl's <curl/websockets.h>). Not built yet: every
 * function returns FETCHE_NOT_BUILT_IN (fetch_ws_meta returns NULL). */
#include "fetch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One WebSocket frame's metadata (follows curl_ws_meta(3)). */
struct fetch_ws_frame {
  int age;               /* zero */
  int flags;             /* FETCHWS_* bits */
  fetch_off_t offset;    /* offset of this data within the frame, bytes */
  fetch_off_t bytesleft; /* bytes of the frame still to come */
  size_t len;            /* bytes in this chunk */
};

/* ---- constants ---- */
/* @generated-begin constants */
#define FETCHWS_TEXT 1L
#define FETCHWS_BINARY 2L
#define FETCHWS_CONT 4L
#define FETCHWS_CLOSE 8L
#define FETCHWS_PING 16L
#define FETCHWS_OFFSET 32L
#define FETCHWS_PONG 64L
#define FETCHWS_RAW_MODE 1L
#define FETCHWS_NOAUTOPONG 2L
/* @generated-end constants */

/* Receives WebSocket data (follows curl_ws_recv(3)). */
FETCH_EXTERN FETCHcode fetch_ws_recv(FETCH *curl, void *buffer, size_t buflen, size_t *recv,
                                     const struct fetch_ws_frame **metap);
/* Sends WebSocket data (follows curl_ws_send(3)); fragsize in bytes. */
FETCH_EXTERN FETCHcode fetch_ws_send(FETCH *curl, const void *buffer, size_t buflen,
                                     size_t *sent, fetch_off_t fragsize, unsigned int flags);
/* Starts a frame of `frame_len` bytes to be sent in parts (follows curl_ws_start_frame(3)). */
FETCH_EXTERN FETCHcode fetch_ws_start_frame(FETCH *curl, unsigned int flags,
                                            fetch_off_t frame_len);
/* Metadata of the frame being received in a write callback (follows curl_ws_meta(3)). */
FETCH_EXTERN const struct fetch_ws_frame *fetch_ws_meta(FETCH *curl);

#ifdef __cplusplus
} /* extern "C" */
#endif
#endif /* FETCHINC_WEBSOCKETS_H */
