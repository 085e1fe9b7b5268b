// URL parsing: the public URL API (fetch_url_set/fetch_url_get, curl_url_set(3)) and the parse
// a transfer does when it leaves INIT (runtime/transfer_setup.cc: url::parse with the
// transfer's flags, the normalized effective URL, the request target).
#include <benchmark/benchmark.h>
#include <fetch/fetch.h>
#include <fetch/urlapi.h>

#include <string>

#include "easy/easy_handle.h"
#include "runtime/transfer.h"
#include "url/url.h"

namespace {

const char *const kShort = "http://127.0.0.1:8080/";
const char *const kTypical = "http://www.example.com/index.html?lang=en&page=2";
const char *const kLong =
    "http://user:secret@api.example.com:8443/v1/accounts/1234567/transactions/%7Bid%7D"
    "?from=2024-01-01&to=2024-12-31&fields=amount,currency,merchant#details";
const char *const kIpv6 = "http://[2001:db8::1]:8080/a/b/../c/./d?x=1";

// fetch_url_set(FETCHUPART_URL) on a reused handle: parse and store the parts.
void BM_UrlSet(benchmark::State &state, const char *text) {
  FETCHU *u = fetch_url();
  for (auto _ : state) {
    FETCHUcode rc = fetch_url_set(u, FETCHUPART_URL, text, 0);
    if (rc != FETCHUE_OK) state.SkipWithError("fetch_url_set failed");
    benchmark::DoNotOptimize(rc);
  }
  fetch_url_cleanup(u);
}
BENCHMARK_CAPTURE(BM_UrlSet, short, kShort);
BENCHMARK_CAPTURE(BM_UrlSet, typical, kTypical);
BENCHMARK_CAPTURE(BM_UrlSet, long, kLong);
BENCHMARK_CAPTURE(BM_UrlSet, ipv6, kIpv6);

// fetch_url_set + fetch_url_get(FETCHUPART_URL): parse, then build the normalized text again
// (what an application that canonicalizes a URL pays), including the returned string's free.
void BM_UrlSetGet(benchmark::State &state, const char *text) {
  FETCHU *u = fetch_url();
  for (auto _ : state) {
    char *out = nullptr;
    if (fetch_url_set(u, FETCHUPART_URL, text, 0) != FETCHUE_OK ||
        fetch_url_get(u, FETCHUPART_URL, &out, 0) != FETCHUE_OK) {
      state.SkipWithError("fetch_url_set/get failed");
    }
    benchmark::DoNotOptimize(out);
    fetch_free(out);
  }
  fetch_url_cleanup(u);
}
BENCHMARK_CAPTURE(BM_UrlSetGet, short, kShort);
BENCHMARK_CAPTURE(BM_UrlSetGet, typical, kTypical);
BENCHMARK_CAPTURE(BM_UrlSetGet, long, kLong);

// fetch_url_get of the host and the path from a parsed handle (no parse in the loop).
void BM_UrlGetParts(benchmark::State &state) {
  FETCHU *u = fetch_url();
  fetch_url_set(u, FETCHUPART_URL, kTypical, 0);
  for (auto _ : state) {
    char *host = nullptr;
    char *path = nullptr;
    fetch_url_get(u, FETCHUPART_HOST, &host, 0);
    fetch_url_get(u, FETCHUPART_PATH, &path, 0);
    benchmark::DoNotOptimize(host);
    benchmark::DoNotOptimize(path);
    fetch_free(host);
    fetch_free(path);
  }
  fetch_url_cleanup(u);
}
BENCHMARK(BM_UrlGetParts);

// The internal parse alone, with the flags a transfer uses (transfer_setup.cc).
void BM_UrlParseInternal(benchmark::State &state, const char *text) {
  const unsigned flags = FETCHU_NON_SUPPORT_SCHEME | FETCHU_GUESS_SCHEME;
  for (auto _ : state) {
    fetch::url::Url u;
    FETCHUcode rc = fetch::url::parse(text, flags, u);
    if (rc != FETCHUE_OK) state.SkipWithError("url::parse failed");
    benchmark::DoNotOptimize(u);
  }
}
BENCHMARK_CAPTURE(BM_UrlParseInternal, short, kShort);
BENCHMARK_CAPTURE(BM_UrlParseInternal, typical, kTypical);
BENCHMARK_CAPTURE(BM_UrlParseInternal, long, kLong);

// A transfer's whole INIT phase (setup_transfer): parse FETCHOPT_URL, normalize it into
// EFFECTIVE_URL, scheme checks, Host header and request target, origin key. What every
// fetch_multi_add_handle pays once the multi runs it.
void BM_TransferSetup(benchmark::State &state, const char *text) {
  FETCH *easy = fetch_easy_init();
  fetch_easy_setopt(easy, FETCHOPT_URL, text);
  fetch::EasyHandle &e = *fetch::as_easy(easy);
  for (auto _ : state) {
    fetch::Transfer t;
    FETCHcode rc = fetch::setup_transfer(e, t);
    if (rc != FETCHE_OK) state.SkipWithError("setup_transfer failed");
    benchmark::DoNotOptimize(t.origin_key);
  }
  fetch_easy_cleanup(easy);
}
// The handle fetches the same URL each time, so its URL cache (runtime/url_cache.h) answers.
BENCHMARK_CAPTURE(BM_TransferSetup, short, kShort);
BENCHMARK_CAPTURE(BM_TransferSetup, typical, kTypical);

// The same with a different URL each time (two alternating ones): the parse runs every time,
// as for the first transfer of a handle or a crawler's new URLs.
void BM_TransferSetupNewUrl(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  fetch::EasyHandle &e = *fetch::as_easy(easy);
  const char *const urls[2] = {kTypical, "http://www.example.com/index.html?lang=de&page=3"};
  size_t i = 0;
  for (auto _ : state) {
    // Includes one setopt(URL), a copy of the text (BM_SetoptUrl: tens of ns); pausing the
    // timer around it would cost more than the call.
    fetch_easy_setopt(easy, FETCHOPT_URL, urls[i++ & 1]);
    fetch::Transfer t;
    FETCHcode rc = fetch::setup_transfer(e, t);
    if (rc != FETCHE_OK) state.SkipWithError("setup_transfer failed");
    benchmark::DoNotOptimize(t.origin_key);
  }
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_TransferSetupNewUrl);

}  // namespace
