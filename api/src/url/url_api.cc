// The extern "C" URL API: fetch_url(), fetch_url_cleanup(), fetch_url_dup(),
// fetch_url_get(), fetch_url_set(), fetch_url_strerror().
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "fetch/urlapi.h"
#include "url.h"

struct Fetch_URL {
  fetch::url::Url url;
};

namespace {

// A malloc'd copy, so that the caller can release it with fetch_free().
char *c_copy(const std::string &text) {
  auto *out = static_cast<char *>(std::malloc(text.size() + 1));
  if (out) std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

}  // namespace

extern "C" {

FETCHU *fetch_url(void) {
  try {
    return std::make_unique<Fetch_URL>().release();
  } catch (...) {
    return nullptr;
  }
}

void fetch_url_cleanup(FETCHU *handle) { std::unique_ptr<Fetch_URL> owner(handle); }

FETCHU *fetch_url_dup(const FETCHU *in) {
  if (!in) return nullptr;
  try {
    return std::make_unique<Fetch_URL>(*in).release();
  } catch (...) {
    return nullptr;
  }
}

FETCHUcode fetch_url_get(const FETCHU *handle, FETCHUPart what, char **part, unsigned int flags) {
  if (!handle) return FETCHUE_BAD_HANDLE;
  if (!part) return FETCHUE_BAD_PARTPOINTER;
  *part = nullptr;
  try {
    std::string text;
    const FETCHUcode rc = fetch::url::get_part(handle->url, what, flags, text);
    if (rc != FETCHUE_OK) return rc;
    *part = c_copy(text);
    return *part ? FETCHUE_OK : FETCHUE_OUT_OF_MEMORY;
  } catch (const std::bad_alloc &) {
    return FETCHUE_OUT_OF_MEMORY;
  } catch (...) {
    return FETCHUE_MALFORMED_INPUT;
  }
}

FETCHUcode fetch_url_set(FETCHU *handle, FETCHUPart what, const char *part, unsigned int flags) {
  if (!handle) return FETCHUE_BAD_HANDLE;
  try {
    // set_part() leaves the handle untouched when it fails.
    return fetch::url::set_part(handle->url, what, part, flags);
  } catch (const std::bad_alloc &) {
    return FETCHUE_OUT_OF_MEMORY;
  } catch (...) {
    return FETCHUE_MALFORMED_INPUT;
  }
}

const char *fetch_url_strerror(FETCHUcode code) { return fetch::url::strerror(code); }

}  // extern "C"
