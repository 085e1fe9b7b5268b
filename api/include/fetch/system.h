#ifndef FETCHINC_SYSTEM_H
#define FETCHINC_SYSTEM_H
/*
 * libfetch - platform types of the public API (follows libcurl's <curl/system.h>).
 *
 * libfetch targets Linux on LP64 (x86_64, aarch64): fetch_off_t is a signed 64-bit `long`,
 * fetch_socklen_t is `socklen_t`. The printf formats below print a fetch_off_t.
 */

#include <sys/socket.h> /* socklen_t */
#include <sys/types.h>

#define FETCH_TYPEOF_FETCH_OFF_T long
#define FETCH_FORMAT_FETCH_OFF_T "ld"
#define FETCH_FORMAT_FETCH_OFF_TU "lu"
#define FETCH_SUFFIX_FETCH_OFF_T L
#define FETCH_SUFFIX_FETCH_OFF_TU UL
#define FETCH_TYPEOF_FETCH_SOCKLEN_T socklen_t

typedef FETCH_TYPEOF_FETCH_OFF_T fetch_off_t;
typedef FETCH_TYPEOF_FETCH_SOCKLEN_T fetch_socklen_t;

/* Builds a fetch_off_t constant: FETCH_OFF_T_C(1234) is 1234L. */
#define FETCHINC_OFF_T_C_HLPR2(val, suffix) val##suffix
#define FETCHINC_OFF_T_C_HLPR1(val, suffix) FETCHINC_OFF_T_C_HLPR2(val, suffix)
#define FETCH_OFF_T_C(val) FETCHINC_OFF_T_C_HLPR1(val, FETCH_SUFFIX_FETCH_OFF_T)
#define FETCH_OFF_TU_C(val) FETCHINC_OFF_T_C_HLPR1(val, FETCH_SUFFIX_FETCH_OFF_TU)

#endif /* FETCHINC_SYSTEM_H */
