#ifndef FETCHINC_TYPECHECK_GCC_H
#define FETCHINC_TYPECHECK_GCC_H
/*
 * libfetch - libcurl ships compile-time type checks for setopt/getinfo arguments here (gcc, C
 * only). libfetch does not have them yet: as with libcurl built without them, passing the wrong
 * type to fetch_easy_setopt/getinfo is undefined behaviour. The header exists for programs that
 * include it.
 */
#endif /* FETCHINC_TYPECHECK_GCC_H */
