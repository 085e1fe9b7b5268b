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

/* Gets instance `index` (from 0) of the response header `name` (case-insensitive, no colon) of
 * request `request` (0 = the first request of the last transfer, +1 per redirect followed or
 * retry; -1 = the last one) among the origins in `origin` (FETCHH_* bits). Follows
 * curl_easy_header(3). On FETCHHE_OK, *hout points to a struct owned by the handle, overwritten by
 * the next fetch_easy_header call and freed by fetch_easy_reset, the next transfer or cleanup.
 * Errors: FETCHHE_BAD_ARGUMENT (NULL handle, name or hout; origin 0 or with an unknown bit;
 * request < -1), FETCHHE_NOHEADERS (no header stored at all), FETCHHE_NOREQUEST (no such
 * request), FETCHHE_MISSING (no such header in that scope), FETCHHE_BADINDEX (index >= amount).
 * Usable from inside the handle's callbacks, with the headers received so far. */
FETCH_EXTERN FETCHHcode fetch_easy_header(FETCH *easy, const char *name, size_t index,
                                          unsigned int origin, int request,
                                          struct fetch_header **hout);

/* Iterates the stored headers of request `request` (-1 = the last) within `origin`, in arrival
 * order: `prev` NULL gives the first, a struct returned before gives the one after it (follows
 * curl_easy_nextheader(3)). NULL when there are no more, or on a bad handle or request. The
 * struct returned is owned by the handle and overwritten by the next fetch_easy_nextheader
 * call (fetch_easy_header's struct is a separate one). */
FETCH_EXTERN struct fetch_header *fetch_easy_nextheader(FETCH *easy, unsigned int origin,
                                                        int request, struct fetch_header *prev);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FETCHINC_HEADER_H */
