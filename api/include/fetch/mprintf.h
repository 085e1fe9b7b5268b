#ifndef FETCHINC_MPRINTF_H
#define FETCHINC_MPRINTF_H
/*
 * libfetch - printf-style helpers (follows libcurl's <curl/mprintf.h> and curl_mprintf(3)).
 * They accept the C99 printf conversions; fetch_maprintf/fetch_mvaprintf return a malloc'd
 * string (free with fetch_free) or NULL on no memory.
 */
#include <stdarg.h>
#include <stdio.h>

#include "fetch.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define FETCH_TEMP_PRINTF(fmt, arg) __attribute__((format(printf, fmt, arg)))
#else
#define FETCH_TEMP_PRINTF(fmt, arg)
#endif

FETCH_EXTERN int fetch_mprintf(const char *format, ...) FETCH_TEMP_PRINTF(1, 2);
FETCH_EXTERN int fetch_mfprintf(FILE *fd, const char *format, ...) FETCH_TEMP_PRINTF(2, 3);
FETCH_EXTERN int fetch_msprintf(char *buffer, const char *format, ...) FETCH_TEMP_PRINTF(2, 3);
FETCH_EXTERN int fetch_msnprintf(char *buffer, size_t maxlength, const char *format, ...)
    FETCH_TEMP_PRINTF(3, 4);
FETCH_EXTERN int fetch_mvprintf(const char *format, va_list args) FETCH_TEMP_PRINTF(1, 0);
FETCH_EXTERN int fetch_mvfprintf(FILE *fd, const char *format, va_list args)
    FETCH_TEMP_PRINTF(2, 0);
FETCH_EXTERN int fetch_mvsprintf(char *buffer, const char *format, va_list args)
    FETCH_TEMP_PRINTF(2, 0);
FETCH_EXTERN int fetch_mvsnprintf(char *buffer, size_t maxlength, const char *format,
                                  va_list args) FETCH_TEMP_PRINTF(3, 0);
FETCH_EXTERN char *fetch_maprintf(const char *format, ...) FETCH_TEMP_PRINTF(1, 2);
FETCH_EXTERN char *fetch_mvaprintf(const char *format, va_list args) FETCH_TEMP_PRINTF(1, 0);

#ifdef __cplusplus
} /* extern "C" */
#endif
#endif /* FETCHINC_MPRINTF_H */
