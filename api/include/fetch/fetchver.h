#ifndef FETCHINC_FETCHVER_H
#define FETCHINC_FETCHVER_H
/*
 * libfetch - version numbers (follows libcurl's <curl/curlver.h>).
 *
 * LIBFETCH_VERSION_* give the libcurl API level that libfetch implements: a program written for
 * libcurl that tests `LIBCURL_VERSION_NUM >= 0x075500` keeps working after the rename. libfetch's
 * own release is LIBFETCH_RELEASE; fetch_version() reports both.
 */

#define LIBFETCH_COPYRIGHT "The libfetch authors"

/* The libcurl API level implemented (libcurl 8.22.0). */
#define LIBFETCH_VERSION "8.22.0"
#define LIBFETCH_VERSION_MAJOR 8
#define LIBFETCH_VERSION_MINOR 22
#define LIBFETCH_VERSION_PATCH 0
#define LIBFETCH_VERSION_NUM 0x081600

/* libfetch's own release number. */
#define LIBFETCH_RELEASE "0.1.0"

#define LIBFETCH_TIMESTAMP "[unreleased]"

/* Packs x.y.z into one number comparable with LIBFETCH_VERSION_NUM. */
#define FETCH_VERSION_BITS(x, y, z) ((x) << 16 | (y) << 8 | (z))
/* True when the headers are at least at libcurl API level x.y.z. */
#define FETCH_AT_LEAST_VERSION(x, y, z) (LIBFETCH_VERSION_NUM >= FETCH_VERSION_BITS(x, y, z))

#endif /* FETCHINC_FETCHVER_H */
