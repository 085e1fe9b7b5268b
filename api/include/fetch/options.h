#ifndef FETCHINC_OPTIONS_H
#define FETCHINC_OPTIONS_H
/* libfetch - option introspection (follows libcurl's <curl/options.h>, curl_easy_option_next(3)). */
#include "fetch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- constants: fetch_easytype (FETCHOT_*) and FETCHOT_FLAG_ALIAS ---- */
/* @generated-begin constants */
typedef enum {
  FETCHOT_LONG = 0,
  FETCHOT_VALUES = 1,
  FETCHOT_OFF_T = 2,
  FETCHOT_OBJECT = 3,
  FETCHOT_STRING = 4,
  FETCHOT_SLIST = 5,
  FETCHOT_CBPTR = 6,
  FETCHOT_BLOB = 7,
  FETCHOT_FUNCTION = 8
} fetch_easytype;

#define FETCHOT_FLAG_ALIAS 1L
/* @generated-end constants */

/* One entry of libfetch's option table. */
struct fetch_easyoption {
  const char *name; /* without the FETCHOPT_ prefix */
  FETCHoption id;
  fetch_easytype type;
  unsigned int flags; /* FETCHOT_FLAG_ALIAS for an alias name */
};

/* Finds an option by name, case-insensitively, without the prefix; NULL when unknown
 * (follows curl_easy_option_by_name(3)). */
FETCH_EXTERN const struct fetch_easyoption *fetch_easy_option_by_name(const char *name);
/* Finds an option by id; aliases are skipped (follows curl_easy_option_by_id(3)). */
FETCH_EXTERN const struct fetch_easyoption *fetch_easy_option_by_id(FETCHoption id);
/* Iterates the table: NULL starts, NULL ends (follows curl_easy_option_next(3)). */
FETCH_EXTERN const struct fetch_easyoption *fetch_easy_option_next(
    const struct fetch_easyoption *prev);

#ifdef __cplusplus
} /* extern "C" */
#endif
#endif /* FETCHINC_OPTIONS_H */
