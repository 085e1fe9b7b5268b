// fetch_global_init, fetch_global_init_mem and fetch_global_cleanup (follows
// curl_global_init(3), curl_global_init_mem(3), curl_global_cleanup(3)).
//
// libfetch keeps no process-wide state that needs setting up: every easy and multi handle owns
// what it uses. The calls are still counted, so that each init is balanced by one cleanup, and a
// mutex makes them safe to call from several threads at once (libcurl documents its own as
// thread-safe since 7.84.0, reported by FETCH_VERSION_THREADSAFE). Extra cleanups are ignored.
// The flags (FETCH_GLOBAL_*) select nothing in libfetch and are accepted as they are.
//
// fetch_global_init_mem: libfetch allocates its own objects with C++ new and the memory it hands
// to the application with malloc (released by fetch_free with free). Routing only part of that
// through the application's callbacks would pair one allocator with another's free, so the
// callbacks are checked (all five must be given, as curl_global_init_mem(3) requires) and then
// not used.
#include <fetch/fetch.h>

#include <mutex>

#include "global/global_state.h"

namespace fetch::global {
namespace {

std::mutex g_mutex;
int g_count = 0;

}  // namespace

int init_count() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_count;
}

}  // namespace fetch::global

extern "C" {

FETCHcode fetch_global_init(long /*flags*/) {
  std::lock_guard<std::mutex> lock(fetch::global::g_mutex);
  ++fetch::global::g_count;
  return FETCHE_OK;
}

FETCHcode fetch_global_init_mem(long flags, fetch_malloc_callback m, fetch_free_callback f,
                                fetch_realloc_callback r, fetch_strdup_callback s,
                                fetch_calloc_callback c) {
  if (m == nullptr || f == nullptr || r == nullptr || s == nullptr || c == nullptr) {
    return FETCHE_BAD_FUNCTION_ARGUMENT;
  }
  return fetch_global_init(flags);
}

void fetch_global_cleanup(void) {
  std::lock_guard<std::mutex> lock(fetch::global::g_mutex);
  if (fetch::global::g_count > 0) --fetch::global::g_count;
}

}  // extern "C"
