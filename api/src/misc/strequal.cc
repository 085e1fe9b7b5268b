// fetch_strequal / fetch_strnequal: ASCII case-insensitive comparison, independent of the
// locale (follows curl_strequal(3)). Both return non-zero when the strings match, 0 otherwise.
#include <fetch/fetch.h>

#include <cstddef>

namespace fetch::misc {
namespace {

char to_lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Compares at most `max` characters; stops after a terminating NUL in both.
bool equal_nocase(const char *a, const char *b, size_t max) {
  for (size_t i = 0; i < max; ++i) {
    if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
    if (a[i] == '\0') return true;
  }
  return true;
}

}  // namespace
}  // namespace fetch::misc

extern "C" {

int fetch_strequal(const char *s1, const char *s2) {
  if (s1 == nullptr || s2 == nullptr) return s1 == s2 ? 1 : 0;
  return fetch::misc::equal_nocase(s1, s2, static_cast<size_t>(-1)) ? 1 : 0;
}

int fetch_strnequal(const char *s1, const char *s2, size_t n) {
  if (s1 == nullptr || s2 == nullptr) return s1 == s2 ? 1 : 0;
  return fetch::misc::equal_nocase(s1, s2, n) ? 1 : 0;
}

}  // extern "C"
