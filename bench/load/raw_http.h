/*
 * The little HTTP the no-library clients (read_loop.c, epoll_floor.c) need: where a response
 * head ends, its Content-Length, and a monotonic clock. Enough for nginx's replies, nothing
 * more: these programs measure the kernel, not a parser.
 */
#ifndef FETCH_BENCH_RAW_HTTP_H
#define FETCH_BENCH_RAW_HTTP_H

#include <stddef.h>
#include <strings.h>
#include <time.h>

/* The bytes up to and including the blank line that ends the head, or -1. */
static inline long long head_length(const char *p, size_t n) {
  for (size_t i = 0; i + 3 < n; i++)
    if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n')
      return (long long)i + 4;
  return -1;
}

/* The Content-Length value of the head at p, or -1. */
static inline long long content_length(const char *p, size_t n) {
  static const char name[] = "\r\ncontent-length:";
  const size_t k = sizeof name - 1;
  for (size_t i = 0; i + k < n; i++) {
    if (strncasecmp(p + i, name, k) != 0) continue;
    size_t j = i + k;
    while (j < n && p[j] == ' ') j++;
    long long v = 0;
    int digits = 0;
    while (j < n && p[j] >= '0' && p[j] <= '9') v = v * 10 + (p[j++] - '0'), digits++;
    return digits ? v : -1;
  }
  return -1;
}

static inline double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
