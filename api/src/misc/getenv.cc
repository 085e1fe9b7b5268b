// fetch_getenv: a malloc'd copy of an environment variable, or NULL when it is not set
// (follows curl_getenv(3)); the caller frees it with fetch_free.
#include <fetch/fetch.h>

#include <cstdlib>
#include <cstring>

extern "C" {

char *fetch_getenv(const char *variable) {
  if (variable == nullptr) return nullptr;
  const char *value = std::getenv(variable);
  if (value == nullptr) return nullptr;
  return strdup(value);
}

}  // extern "C"
