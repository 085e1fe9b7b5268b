// fetch_version_info (follows curl_version_info(3)): a static description of this build.
//
// Only what is really built is reported:
//   - features: IPv6 (addresses of both families are resolved and connected to), AsynchDNS
//     (name resolution runs on libuv's thread pool, never blocking the event loop), Largefile
//     (fetch_off_t is 64-bit) and threadsafe (fetch_global_init / cleanup are thread-safe).
//     feature_names lists the same four with libcurl's names.
//   - protocols: "http", the only URL scheme a transfer is accepted for today (plain HTTP
//     through FETCHOPT_CONNECT_ONLY); more are added here as they are built.
//   - ssl_version and every other library version: NULL, no such library is built in.
// The `stamp` argument is the caller's idea of the struct's age; the struct returned is always
// the newest (age FETCHVERSION_NOW), which has every older field in place.
#include <fetch/fetch.h>

#ifndef FETCH_HOST_TRIPLET
#define FETCH_HOST_TRIPLET ""
#endif

namespace fetch::global {
namespace {

const char *const kProtocols[] = {"http", nullptr};

const char *const kFeatureNames[] = {"AsynchDNS", "IPv6", "Largefile", "threadsafe", nullptr};

constexpr int kFeatures = static_cast<int>(FETCH_VERSION_ASYNCHDNS | FETCH_VERSION_IPV6 |
                                           FETCH_VERSION_LARGEFILE | FETCH_VERSION_THREADSAFE);

// CMake's CMAKE_LIBRARY_ARCHITECTURE (e.g. "x86_64-linux-gnu") can be empty on some systems.
constexpr const char *host_triplet() {
  return FETCH_HOST_TRIPLET[0] != '\0' ? FETCH_HOST_TRIPLET : "unknown-linux";
}

fetch_version_info_data make_info() {
  fetch_version_info_data d{};
  d.age = static_cast<FETCHversion>(FETCHVERSION_NOW);
  d.version = LIBFETCH_VERSION;
  d.version_num = LIBFETCH_VERSION_NUM;
  d.host = host_triplet();
  d.features = kFeatures;
  d.ssl_version = nullptr;
  d.ssl_version_num = 0;
  d.libz_version = nullptr;
  d.protocols = kProtocols;
  d.feature_names = kFeatureNames;
  return d;
}

}  // namespace
}  // namespace fetch::global

extern "C" {

fetch_version_info_data *fetch_version_info(FETCHversion /*stamp*/) {
  static fetch_version_info_data info = fetch::global::make_info();
  return &info;
}

}  // extern "C"
