// Tests of global set-up and version reporting: fetch_global_init / _init_mem / _cleanup,
// fetch_global_trace, fetch_version and fetch_version_info.
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "global/global_state.h"

namespace {

TEST(GlobalInit, CountedAndBalanced) {
  const int before = fetch::global::init_count();
  EXPECT_EQ(fetch_global_init(FETCH_GLOBAL_DEFAULT), FETCHE_OK);
  EXPECT_EQ(fetch_global_init(FETCH_GLOBAL_ALL), FETCHE_OK);
  EXPECT_EQ(fetch::global::init_count(), before + 2);
  fetch_global_cleanup();
  fetch_global_cleanup();
  EXPECT_EQ(fetch::global::init_count(), before);
}

TEST(GlobalInit, ExtraCleanupIsHarmless) {
  while (fetch::global::init_count() > 0) fetch_global_cleanup();
  fetch_global_cleanup();
  EXPECT_EQ(fetch::global::init_count(), 0);
  EXPECT_EQ(fetch_global_init(FETCH_GLOBAL_DEFAULT), FETCHE_OK);
  EXPECT_EQ(fetch::global::init_count(), 1);
  fetch_global_cleanup();
}

TEST(GlobalInit, EightThreadsAtOnce) {
  const int before = fetch::global::init_count();
  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  std::atomic<int> failures{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kRounds; ++i) {
        if (fetch_global_init(FETCH_GLOBAL_ALL) != FETCHE_OK) ++failures;
        if (fetch_global_init(FETCH_GLOBAL_DEFAULT) != FETCHE_OK) ++failures;
        fetch_global_cleanup();
      }
    });
  }
  go = true;
  for (std::thread &t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  // Each round left one reference: kThreads * kRounds to release.
  EXPECT_EQ(fetch::global::init_count(), before + kThreads * kRounds);
  std::vector<std::thread> cleaners;
  for (int t = 0; t < kThreads; ++t) {
    cleaners.emplace_back([] {
      for (int i = 0; i < kRounds; ++i) fetch_global_cleanup();
    });
  }
  for (std::thread &t : cleaners) t.join();
  EXPECT_EQ(fetch::global::init_count(), before);
}

TEST(GlobalInit, InitMemChecksCallbacks) {
  const int before = fetch::global::init_count();
  auto m = [](size_t n) -> void * { return std::malloc(n); };
  auto f = [](void *p) { std::free(p); };
  auto r = [](void *p, size_t n) -> void * { return std::realloc(p, n); };
  auto s = [](const char *p) -> char * { return strdup(p); };
  auto c = [](size_t a, size_t b) -> void * { return std::calloc(a, b); };
  EXPECT_EQ(fetch_global_init_mem(FETCH_GLOBAL_ALL, nullptr, f, r, s, c),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_global_init_mem(FETCH_GLOBAL_ALL, m, nullptr, r, s, c),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_global_init_mem(FETCH_GLOBAL_ALL, m, f, nullptr, s, c),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_global_init_mem(FETCH_GLOBAL_ALL, m, f, r, nullptr, c),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_global_init_mem(FETCH_GLOBAL_ALL, m, f, r, s, nullptr),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch::global::init_count(), before);
  EXPECT_EQ(fetch_global_init_mem(FETCH_GLOBAL_ALL, m, f, r, s, c), FETCHE_OK);
  EXPECT_EQ(fetch::global::init_count(), before + 1);
  fetch_global_cleanup();
}

TEST(GlobalTrace, AcceptsConfigurations) {
  EXPECT_EQ(fetch_global_trace("all"), FETCHE_OK);
  EXPECT_EQ(fetch_global_trace("-all,http"), FETCHE_OK);
  EXPECT_EQ(fetch_global_trace(""), FETCHE_OK);
  EXPECT_EQ(fetch_global_trace(nullptr), FETCHE_OK);
}

TEST(Version, StringNamesReleaseApiAndLibuv) {
  const char *v = fetch_version();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(std::string(v),
            std::string("libfetch/0.1.0 (libcurl-API/8.22.0) libuv/") + uv_version_string());
  EXPECT_EQ(fetch_version(), v);  // the same static string every time
}

// FETCHVERSION_NOW is the newest age (libcurl defines CURLVERSION_NOW as CURLVERSION_TWELFTH).
// fetch.h currently defines it as 11L, which C++ cannot pass as a FETCHversion, so the calls
// below name FETCHVERSION_TWELFTH.
static_assert(FETCHVERSION_NOW == FETCHVERSION_TWELFTH);

TEST(VersionInfo, Fields) {
  const fetch_version_info_data *d = fetch_version_info(FETCHVERSION_TWELFTH);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(fetch_version_info(FETCHVERSION_FIRST), d);
  EXPECT_EQ(d->age, FETCHVERSION_TWELFTH);
  EXPECT_EQ(static_cast<long>(d->age), FETCHVERSION_NOW);
  EXPECT_STREQ(d->version, LIBFETCH_VERSION);
  EXPECT_EQ(d->version_num, static_cast<unsigned>(LIBFETCH_VERSION_NUM));
  EXPECT_EQ(d->version_num, 0x081600u);
  ASSERT_NE(d->host, nullptr);
  EXPECT_GT(std::strlen(d->host), 0u);
  EXPECT_EQ(d->ssl_version, nullptr);
  EXPECT_EQ(d->ssl_version_num, 0);
  EXPECT_EQ(d->libz_version, nullptr);
  EXPECT_EQ(d->nghttp2_version, nullptr);
  EXPECT_EQ(d->brotli_version, nullptr);
  EXPECT_EQ(d->zstd_version, nullptr);

  ASSERT_NE(d->protocols, nullptr);
  std::vector<std::string> protocols;
  for (const char *const *p = d->protocols; *p != nullptr; ++p) protocols.emplace_back(*p);
  EXPECT_EQ(protocols, std::vector<std::string>{"http"});
}

TEST(VersionInfo, FeatureBitsMatchFeatureNames) {
  const fetch_version_info_data *d = fetch_version_info(FETCHVERSION_TWELFTH);
  const long expected = FETCH_VERSION_IPV6 | FETCH_VERSION_ASYNCHDNS | FETCH_VERSION_LARGEFILE |
                        FETCH_VERSION_THREADSAFE;
  EXPECT_EQ(static_cast<long>(d->features), expected);
  EXPECT_EQ(d->features & FETCH_VERSION_SSL, 0);
  EXPECT_EQ(d->features & FETCH_VERSION_HTTP2, 0);
  EXPECT_EQ(d->features & FETCH_VERSION_LIBZ, 0);

  ASSERT_NE(d->feature_names, nullptr);
  std::set<std::string> names;
  for (const char *const *p = d->feature_names; *p != nullptr; ++p) names.insert(*p);
  EXPECT_EQ(names, (std::set<std::string>{"AsynchDNS", "IPv6", "Largefile", "threadsafe"}));
}

}  // namespace
