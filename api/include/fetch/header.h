#ifndef FETCHINC_HEADER_H
#define FETCHINC_HEADER_H
/* libfetch - the header API (follows libcurl's <curl/header.h> and curl_easy_header(3)). */
#include "fetch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One response header (follows curl_easy_header(3)). */
struct fetch_header {
  char *name;
  char *value;
  size_t amount;       /* number of headers with this name */
  size_t index;        /* this one's index among them, from 0 */
  unsigned int origin; /* FETCHH_* bit */
  void *anchor;        /* private */
};

/* ---- FETCHHcode ---- */
/* @generated-begin headercode */
typedef enum {
  FETCHHE_OK = 0,
  FETCHHE_BADINDEX = 1,
  FETCHHE_MISSING = 2,
  FETCHHE_NOHEADERS = 3,
  FETCHHE_NOREQUEST = 4,
  FETCHHE_OUT_OF_MEMORY = 5,
  FETCHHE_BAD_ARGUMENT = 6,
  FETCHHE_NOT_BUILT_IN = 7
} FETCHHcode;
/* @generated-end headercode */

/* ---- constants ---- */
/* @generated-begin constants */
#define FETCHH_HEADER 1L
#define FETCHH_TRAILER 2L
#define FETCHH_CONNECT 4L
#define FETCHH_1XX 8L
#define FETCHH_PSEUDO 16L
/* @generated-end constants */

/* Gets header `name` number `index` of request `request` (-1 for the last) from the origins in
 * `origin` (follows curl_easy_header(3)). HTTP is not built yet: FETCHHE_NOT_BUILT_IN. */
FETCH_EXTERN FETCHHcode fetch_easy_header(FETCH *easy, const char *name, size_t index,
                                          unsigned int origin, int request,
                                          struct fetch_header **hout);

/* Iterates the headers (follows curl_easy_nextheader(3)); NULL when there are none. */
FETCH_EXTERN struct fetch_header *fetch_easy_nextheader(FETCH *easy, unsigned int origin,
                                                        int request, struct fetch_header *prev);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FETCHINC_HEADER_H */
