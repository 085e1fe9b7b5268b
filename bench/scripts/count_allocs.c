/*
 * count_allocs.so: an LD_PRELOAD shim that counts calls to malloc, calloc, realloc and
 * aligned allocations (operator new ends in malloc) and writes "ALLOCS n" to stderr when the
 * process exits. bench/run runs the load driver under it at two request counts: the
 * difference divided by the requests in between is allocations per request, start-up and
 * connection set-up excluded. A count, not a timing: the same on a busy machine.
 *
 *   cc -O2 -shared -fPIC -o count_allocs.so count_allocs.c
 *   LD_PRELOAD=./count_allocs.so PROGRAM ...
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static atomic_ulong allocations;

void *malloc(size_t size) {
  atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
  return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
  atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
  return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size) {
  atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
  return __libc_realloc(p, size);
}

void *memalign(size_t alignment, size_t size) {
  atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
  return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
  void *p = memalign(alignment, size);
  if (!p) return 12; /* ENOMEM */
  *out = p;
  return 0;
}

__attribute__((destructor)) static void report(void) {
  char line[64];
  int n = snprintf(line, sizeof line, "ALLOCS %lu\n", atomic_load(&allocations));
  if (n > 0) (void)!write(2, line, (size_t)n);
}
