#ifndef FETCHINC_STDCHEADERS_H
#define FETCHINC_STDCHEADERS_H
/* libfetch - kept for programs that include it (follows libcurl's <curl/stdcheaders.h>). */
#include <sys/types.h>

size_t fread(void *, size_t, size_t, FILE *);
size_t fwrite(const void *, size_t, size_t, FILE *);
int strcasecmp(const char *, const char *);
int strncasecmp(const char *, const char *, size_t);

#endif /* FETCHINC_STDCHEADERS_H */
