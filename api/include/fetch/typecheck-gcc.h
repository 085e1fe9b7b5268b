#ifndef FETCHINC_TYPECHECK_GCC_H
#define FETCHINC_TYPECHECK_GCC_H
/*
 * libfetch - libcurl ships compile-time type checks for setopt/getinfo arguments here. libfetch
 * checks the argument type at run time through its option table instead (a wrong type gives
 * FETCHE_BAD_FUNCTION_ARGUMENT), so this header only exists for programs that include it.
 */
#endif /* FETCHINC_TYPECHECK_GCC_H */
