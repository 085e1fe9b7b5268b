// fetch_version (follows curl_version(3)): a static, human-readable version string
//   "libfetch/<release> (libcurl-API/<API level>) libuv/<libuv version>"
// built once, on first use (thread-safe static initialisation).
#include <fetch/fetch.h>
#include <uv.h>

#include <string>

extern "C" {

char *fetch_version(void) {
  static std::string text = std::string("libfetch/") + LIBFETCH_RELEASE + " (libcurl-API/" +
                            LIBFETCH_VERSION + ") libuv/" + uv_version_string();
  return text.data();
}

}  // extern "C"
