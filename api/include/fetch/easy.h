#ifndef FETCHINC_EASY_H
#define FETCHINC_EASY_H
/*
 * libfetch - the easy interface (follows libcurl's <curl/easy.h>).
 *
 * An easy handle holds one transfer's options. fetch_easy_perform runs it to completion on a
 * private multi handle kept inside the easy handle (so its connection pool lives across
 * performs); the same handle can instead be added to a multi handle.
 * A handle is used by one thread at a time.
 */
#include "fetch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- constants ---- */
/* @generated-begin constants */
#define FETCH_BLOB_COPY 1L
#define FETCH_BLOB_NOCOPY 0L
/* @generated-end constants */

/* FETCHOPT_*_BLOB arguments (follows CURLOPT_SSLCERT_BLOB(3)): `len` bytes at `data`; flags
 * FETCH_BLOB_COPY (libfetch copies) or FETCH_BLOB_NOCOPY (must outlive the handle). */
struct fetch_blob {
  void *data;
  size_t len; /* bytes */
  unsigned int flags;
};

/* Creates an easy handle with default options; NULL on no memory (follows curl_easy_init(3)).
 * Calls fetch_global_init(FETCH_GLOBAL_DEFAULT) first if the application has not. */
FETCH_EXTERN FETCH *fetch_easy_init(void);

/* Sets one option (follows curl_easy_setopt(3)). The third argument's type is given by the
 * option's type base: long for FETCHOPTTYPE_LONG/VALUES, char * (copied) for STRINGPOINT,
 * void * for OBJECTPOINT/CBPOINT, struct fetch_slist * (not copied) for SLISTPOINT, a function
 * pointer for FUNCTIONPOINT, fetch_off_t for OFF_T, struct fetch_blob * for BLOB.
 * Returns FETCHE_OK; FETCHE_BAD_FUNCTION_ARGUMENT for a NULL handle or a value out of range;
 * FETCHE_UNKNOWN_OPTION for a number that is no option; FETCHE_NOT_BUILT_IN for an option
 * libfetch knows but does not implement yet (docs/STATUS.md); FETCHE_OUT_OF_MEMORY;
 * FETCHE_RECURSIVE_API_CALL when called from a callback where that is not allowed. */
FETCH_EXTERN FETCHcode fetch_easy_setopt(FETCH *curl, FETCHoption option, ...);

/* Runs the transfer to completion, blocking the calling thread (follows curl_easy_perform(3)).
 * Returns FETCHE_OK or the transfer's error; FETCHE_URL_MALFORMAT without a URL;
 * FETCHE_FAILED_INIT when the handle is in a multi handle; FETCHE_RECURSIVE_API_CALL
 * from inside a callback. The message is in FETCHOPT_ERRORBUFFER. */
FETCH_EXTERN FETCHcode fetch_easy_perform(FETCH *curl);

/* Frees the handle, its connections (closing a CONNECT_ONLY socket) and its private multi;
 * removes it from a multi handle first (follows curl_easy_cleanup(3)). NULL is a no-op. */
FETCH_EXTERN void fetch_easy_cleanup(FETCH *curl);

/* Reads one item about the last transfer into the pointer given (type from the item's base:
 * char ** / long * / double * (seconds) / struct fetch_slist ** / fetch_socket_t * /
 * fetch_off_t * (bytes or microseconds)) (follows curl_easy_getinfo(3)).
 * Returns FETCHE_OK; FETCHE_UNKNOWN_OPTION for an unknown item; FETCHE_BAD_FUNCTION_ARGUMENT for
 * a NULL handle or pointer; FETCHE_NOT_BUILT_IN for a known item not implemented yet. */
FETCH_EXTERN FETCHcode fetch_easy_getinfo(FETCH *curl, FETCHINFO info, ...);

/* A new handle with the same options (strings copied), no connections and no state of the
 * original's transfer; NULL on no memory (follows curl_easy_duphandle(3)). */
FETCH_EXTERN FETCH *fetch_easy_duphandle(FETCH *curl);

/* Resets every option to its default and forgets the last transfer's infos; keeps the
 * connection pool and DNS cache (follows curl_easy_reset(3)). Closes a CONNECT_ONLY connection. */
FETCH_EXTERN void fetch_easy_reset(FETCH *curl);

/* Receives up to `buflen` bytes on a CONNECT_ONLY connection into `buffer`; *n gets the count
 * (follows curl_easy_recv(3)). Returns FETCHE_OK (with *n == 0 when the peer closed),
 * FETCHE_AGAIN when nothing is ready (poll FETCHINFO_ACTIVESOCKET), FETCHE_UNSUPPORTED_PROTOCOL
 * when the handle has no CONNECT_ONLY connection, FETCHE_RECV_ERROR on a socket error. */
FETCH_EXTERN FETCHcode fetch_easy_recv(FETCH *curl, void *buffer, size_t buflen, size_t *n);

/* Sends up to `buflen` bytes on a CONNECT_ONLY connection; *n gets the bytes sent
 * (follows curl_easy_send(3)). Returns FETCHE_OK, FETCHE_AGAIN when the socket is full,
 * FETCHE_UNSUPPORTED_PROTOCOL without a CONNECT_ONLY connection, FETCHE_SEND_ERROR on error. */
FETCH_EXTERN FETCHcode fetch_easy_send(FETCH *curl, const void *buffer, size_t buflen, size_t *n);

/* Keeps idle pooled connections alive (follows curl_easy_upkeep(3)): drops connections the
 * peer closed. Returns FETCHE_OK, or FETCHE_BAD_FUNCTION_ARGUMENT for a NULL handle. */
FETCH_EXTERN FETCHcode fetch_easy_upkeep(FETCH *curl);

/* libcurl wraps these in gcc type-check macros in C; libfetch checks types at run time. */
#define fetch_easy_setopt(handle, opt, param) fetch_easy_setopt(handle, opt, param)
#define fetch_easy_getinfo(handle, info, arg) fetch_easy_getinfo(handle, info, arg)

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FETCHINC_EASY_H */
