#ifndef FETCHINC_URLAPI_H
#define FETCHINC_URLAPI_H
/*
 * libfetch URL API: parse, build, inspect and change URLs.
 *
 * This is libcurl's URL API with curl renamed to fetch; every function below
 * follows the libcurl man page named in its comment. Names and numbers match
 * libcurl's <curl/urlapi.h> exactly.
 */

#include "fetch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes of the URL API (follows libcurl-errors(3), "CURLUcode"). */
typedef enum {
  FETCHUE_OK = 0,                 /* no error */
  FETCHUE_BAD_HANDLE = 1,         /* a NULL FETCHU handle was passed */
  FETCHUE_BAD_PARTPOINTER = 2,    /* a NULL 'part' pointer was passed to fetch_url_get */
  FETCHUE_MALFORMED_INPUT = 3,    /* control bytes, spaces, too long input, ... */
  FETCHUE_BAD_PORT_NUMBER = 4,    /* port not a decimal number 0..65535 */
  FETCHUE_UNSUPPORTED_SCHEME = 5, /* scheme not supported (see FETCHU_NON_SUPPORT_SCHEME) */
  FETCHUE_URLDECODE = 6,          /* URL decoding produced control bytes */
  FETCHUE_OUT_OF_MEMORY = 7,      /* an allocation failed */
  FETCHUE_USER_NOT_ALLOWED = 8,   /* credentials in the URL with FETCHU_DISALLOW_USER */
  FETCHUE_UNKNOWN_PART = 9,       /* a FETCHUPart value this library does not know */
  FETCHUE_NO_SCHEME = 10,         /* fetch_url_get: no scheme stored */
  FETCHUE_NO_USER = 11,           /* fetch_url_get: no user stored */
  FETCHUE_NO_PASSWORD = 12,       /* fetch_url_get: no password stored */
  FETCHUE_NO_OPTIONS = 13,        /* fetch_url_get: no login options stored */
  FETCHUE_NO_HOST = 14,           /* no host stored, or a URL without host */
  FETCHUE_NO_PORT = 15,           /* fetch_url_get: no port stored */
  FETCHUE_NO_QUERY = 16,          /* fetch_url_get: no (or empty) query */
  FETCHUE_NO_FRAGMENT = 17,       /* fetch_url_get: no (or empty) fragment */
  FETCHUE_NO_ZONEID = 18,         /* fetch_url_get: no IPv6 zone id stored */
  FETCHUE_BAD_FILE_URL = 19,      /* a file:// URL with a remote host or bad form */
  FETCHUE_BAD_FRAGMENT = 20,      /* set: control bytes/space in a fragment */
  FETCHUE_BAD_HOSTNAME = 21,      /* a host name with characters not allowed in one */
  FETCHUE_BAD_IPV6 = 22,          /* a bracketed IPv6 address (or zone id) that does not parse */
  FETCHUE_BAD_LOGIN = 23,         /* set: control bytes/space in login options */
  FETCHUE_BAD_PASSWORD = 24,      /* set: control bytes/space in a password */
  FETCHUE_BAD_PATH = 25,          /* set: control bytes/space in a path */
  FETCHUE_BAD_QUERY = 26,         /* set: control bytes/space in a query */
  FETCHUE_BAD_SCHEME = 27,        /* missing or syntactically bad scheme */
  FETCHUE_BAD_SLASHES = 28,       /* not 1..3 slashes after "scheme:" */
  FETCHUE_BAD_USER = 29,          /* set: control bytes/space in a user name */
  FETCHUE_LACKS_IDN = 30,         /* IDN/punycode conversion asked for; not built in */
  FETCHUE_TOO_LARGE = 31,         /* a result would exceed the 8 MB limit */
  FETCHUE_BACKSLASH = 32,         /* "http:\\host" or "host:80\path" */
  FETCHUE_LAST = 33               /* sentinel, never returned */
} FETCHUcode;

/* The parts of a URL, for fetch_url_get() and fetch_url_set(). */
typedef enum {
  FETCHUPART_URL = 0,      /* full URL; set may be relative to the stored one */
  FETCHUPART_SCHEME = 1,   /* "https", lower case, <= 40 bytes; get: FETCHUE_NO_SCHEME */
  FETCHUPART_USER = 2,     /* user name; get: FETCHUE_NO_USER */
  FETCHUPART_PASSWORD = 3, /* after ':'; get: FETCHUE_NO_PASSWORD */
  FETCHUPART_OPTIONS = 4,  /* after ';' (imap/pop3/smtp); get: FETCHUE_NO_OPTIONS */
  FETCHUPART_HOST = 5,     /* name, IPv4 or "[IPv6]"; get: FETCHUE_NO_HOST */
  FETCHUPART_PORT = 6,     /* "0".."65535"; get: FETCHUE_NO_PORT */
  FETCHUPART_PATH = 7,     /* always starts with '/'; never missing */
  FETCHUPART_QUERY = 8,    /* without '?'; get: FETCHUE_NO_QUERY */
  FETCHUPART_FRAGMENT = 9, /* without '#'; get: FETCHUE_NO_FRAGMENT */
  FETCHUPART_ZONEID = 10   /* IPv6 zone id "eth0"; get: FETCHUE_NO_ZONEID */
} FETCHUPart;

/* Flags for fetch_url_get() and fetch_url_set() (follow curl_url_get(3), curl_url_set(3)). */
#define FETCHU_DEFAULT_PORT (1U << 0)    /* get: return the scheme's default port if none */
#define FETCHU_NO_DEFAULT_PORT (1U << 1) /* get: act as if no port if it is the default */
#define FETCHU_DEFAULT_SCHEME (1U << 2)  /* get: "https" if no scheme; set: scheme-less -> https */
#define FETCHU_NON_SUPPORT_SCHEME (1U << 3) /* set: allow schemes this library does not support */
#define FETCHU_PATH_AS_IS (1U << 4)         /* set: keep "." and ".." path segments */
#define FETCHU_DISALLOW_USER (1U << 5)      /* set: refuse URLs with credentials */
#define FETCHU_URLDECODE (1U << 6)          /* get: URL decode the part */
#define FETCHU_URLENCODE (1U << 7)          /* set: URL encode the part; get: encode host in URL */
#define FETCHU_APPENDQUERY (1U << 8)        /* set: append to the query with '&' */
#define FETCHU_GUESS_SCHEME (1U << 9)       /* set: guess the scheme of a scheme-less URL */
#define FETCHU_NO_AUTHORITY (1U << 10)      /* set: allow URLs without host */
#define FETCHU_ALLOW_SPACE (1U << 11)       /* set: allow spaces in the URL */
#define FETCHU_PUNYCODE (1U << 12)          /* get: host as punycode */
#define FETCHU_PUNY2IDN (1U << 13)          /* get: punycode host as IDN (UTF-8) */
#define FETCHU_GET_EMPTY (1U << 14)         /* get: return empty query and fragment */
#define FETCHU_NO_GUESS_SCHEME (1U << 15)   /* get: treat a guessed scheme as absent */

/* Opaque URL handle. */
typedef struct Fetch_URL FETCHU;

/*
 * fetch_url - create a new, empty URL handle.
 * Takes no arguments. Returns the handle, or NULL if out of memory.
 * Free it with fetch_url_cleanup(). Follows curl_url(3).
 */
FETCH_EXTERN FETCHU *fetch_url(void);

/*
 * fetch_url_cleanup - free a URL handle and everything it holds.
 * handle: a handle from fetch_url() or fetch_url_dup(); NULL is a no-op.
 * Returns nothing. Follows curl_url_cleanup(3).
 */
FETCH_EXTERN void fetch_url_cleanup(FETCHU *handle);

/*
 * fetch_url_dup - duplicate a URL handle with all its parts.
 * in: the handle to copy. Returns the new handle, or NULL if 'in' is NULL or
 * memory ran out. Follows curl_url_dup(3).
 */
FETCH_EXTERN FETCHU *fetch_url_dup(const FETCHU *in);

/*
 * fetch_url_get - extract one part, or the full URL, from a handle.
 * handle: the URL handle. what: a FETCHUPART_* value. part: receives a
 * newly allocated zero-terminated string (free it with fetch_free()); set to
 * NULL on error. flags: FETCHU_DEFAULT_PORT, FETCHU_NO_DEFAULT_PORT,
 * FETCHU_DEFAULT_SCHEME, FETCHU_URLDECODE, FETCHU_URLENCODE, FETCHU_PUNYCODE,
 * FETCHU_PUNY2IDN, FETCHU_GET_EMPTY, FETCHU_NO_GUESS_SCHEME.
 * Returns FETCHUE_OK, or: FETCHUE_BAD_HANDLE (handle NULL),
 * FETCHUE_BAD_PARTPOINTER (part NULL), FETCHUE_UNKNOWN_PART (bad 'what'),
 * FETCHUE_NO_SCHEME / _NO_USER / _NO_PASSWORD / _NO_OPTIONS / _NO_HOST /
 * _NO_PORT / _NO_QUERY / _NO_FRAGMENT / _NO_ZONEID (that part is not stored;
 * a full URL needs a scheme and a host), FETCHUE_URLDECODE (decoded text has
 * bytes below 32), FETCHUE_LACKS_IDN (PUNYCODE/PUNY2IDN asked for an IDN
 * host: no IDN support built in), FETCHUE_OUT_OF_MEMORY.
 * Follows curl_url_get(3).
 */
FETCH_EXTERN FETCHUcode fetch_url_get(const FETCHU *handle, FETCHUPart what, char **part,
                                      unsigned int flags);

/*
 * fetch_url_set - set (or with part NULL, clear) one part, or the full URL.
 * handle: the URL handle. what: a FETCHUPART_* value. part: zero-terminated
 * URL-encoded text, copied; a full URL may be relative to the one already
 * stored. flags: FETCHU_DEFAULT_SCHEME, FETCHU_GUESS_SCHEME,
 * FETCHU_NON_SUPPORT_SCHEME, FETCHU_PATH_AS_IS, FETCHU_DISALLOW_USER,
 * FETCHU_URLENCODE, FETCHU_APPENDQUERY, FETCHU_NO_AUTHORITY, FETCHU_ALLOW_SPACE.
 * Returns FETCHUE_OK, or: FETCHUE_BAD_HANDLE, FETCHUE_UNKNOWN_PART,
 * FETCHUE_MALFORMED_INPUT (8 MB or longer, control bytes or spaces, empty URL
 * with nothing stored), FETCHUE_BAD_SCHEME (no or invalid scheme),
 * FETCHUE_UNSUPPORTED_SCHEME, FETCHUE_BAD_SLASHES, FETCHUE_NO_HOST,
 * FETCHUE_BAD_HOSTNAME, FETCHUE_BAD_IPV6, FETCHUE_BAD_PORT_NUMBER,
 * FETCHUE_BAD_FILE_URL, FETCHUE_USER_NOT_ALLOWED, FETCHUE_BACKSLASH,
 * FETCHUE_BAD_USER / _BAD_PASSWORD / _BAD_LOGIN / _BAD_PATH / _BAD_QUERY /
 * _BAD_FRAGMENT (control bytes, or spaces without FETCHU_ALLOW_SPACE, in that
 * part set without FETCHU_URLENCODE), FETCHUE_TOO_LARGE,
 * FETCHUE_OUT_OF_MEMORY. On error nothing is changed.
 * Follows curl_url_set(3).
 */
FETCH_EXTERN FETCHUcode fetch_url_set(FETCHU *handle, FETCHUPart what, const char *part,
                                      unsigned int flags);

/*
 * fetch_url_strerror - a static English text for a FETCHUcode.
 * Unknown codes give "FETCHUcode unknown". Never returns NULL.
 * Follows curl_url_strerror(3).
 */
FETCH_EXTERN const char *fetch_url_strerror(FETCHUcode);

#ifdef __cplusplus
} /* end of extern "C" */
#endif

#endif /* FETCHINC_URLAPI_H */
