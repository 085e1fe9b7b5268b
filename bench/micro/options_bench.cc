// fetch_easy_setopt / fetch_easy_getinfo on a reused handle (curl_easy_setopt(3),
// curl_easy_getinfo(3)): the C entry point, the option table lookup, the value checks and the
// store into Settings (or the read from TransferInfo).
#include <benchmark/benchmark.h>
#include <fetch/fetch.h>

namespace {

size_t sink_write(char *, size_t size, size_t nmemb, void *) { return size * nmemb; }

// A string option: copied into the handle each time (as libcurl does).
void BM_SetoptUrl(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  for (auto _ : state) {
    FETCHcode rc = fetch_easy_setopt(easy, FETCHOPT_URL, "http://www.example.com/index.html");
    benchmark::DoNotOptimize(rc);
  }
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_SetoptUrl);

void BM_SetoptLong(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  for (auto _ : state) {
    FETCHcode rc = fetch_easy_setopt(easy, FETCHOPT_FOLLOWLOCATION, 1L);
    benchmark::DoNotOptimize(rc);
  }
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_SetoptLong);

void BM_SetoptFunction(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  for (auto _ : state) {
    FETCHcode rc = fetch_easy_setopt(easy, FETCHOPT_WRITEFUNCTION, &sink_write);
    benchmark::DoNotOptimize(rc);
  }
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_SetoptFunction);

// What an application sets before each request on a reused handle: 8 options.
void BM_SetoptTypicalRequest(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  for (auto _ : state) {
    fetch_easy_setopt(easy, FETCHOPT_URL, "http://www.example.com/index.html");
    fetch_easy_setopt(easy, FETCHOPT_WRITEFUNCTION, &sink_write);
    fetch_easy_setopt(easy, FETCHOPT_WRITEDATA, nullptr);
    fetch_easy_setopt(easy, FETCHOPT_FOLLOWLOCATION, 1L);
    fetch_easy_setopt(easy, FETCHOPT_MAXREDIRS, 5L);
    fetch_easy_setopt(easy, FETCHOPT_TIMEOUT_MS, 30000L);
    fetch_easy_setopt(easy, FETCHOPT_USERAGENT, "libfetch/0.1.0");
    fetch_easy_setopt(easy, FETCHOPT_ACCEPT_ENCODING, "");
  }
  state.SetItemsProcessed(state.iterations() * 8);  // items = setopt calls
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_SetoptTypicalRequest);

// An option we do not build (FETCHE_NOT_BUILT_IN, or UNKNOWN_OPTION): the refusal path.
void BM_SetoptRefused(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  for (auto _ : state) {
    FETCHcode rc = fetch_easy_setopt(easy, static_cast<FETCHoption>(99999), 1L);
    benchmark::DoNotOptimize(rc);
  }
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_SetoptRefused);

void BM_GetinfoResponseCode(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  long code = 0;
  for (auto _ : state) {
    FETCHcode rc = fetch_easy_getinfo(easy, FETCHINFO_RESPONSE_CODE, &code);
    benchmark::DoNotOptimize(rc);
    benchmark::DoNotOptimize(code);
  }
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_GetinfoResponseCode);

void BM_GetinfoSizeDownload(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  fetch_off_t size = 0;
  for (auto _ : state) {
    FETCHcode rc = fetch_easy_getinfo(easy, FETCHINFO_SIZE_DOWNLOAD_T, &size);
    benchmark::DoNotOptimize(rc);
    benchmark::DoNotOptimize(size);
  }
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_GetinfoSizeDownload);

void BM_GetinfoTotalTime(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  fetch_off_t us = 0;
  for (auto _ : state) {
    FETCHcode rc = fetch_easy_getinfo(easy, FETCHINFO_TOTAL_TIME_T, &us);
    benchmark::DoNotOptimize(rc);
    benchmark::DoNotOptimize(us);
  }
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_GetinfoTotalTime);

// A string info: EFFECTIVE_URL (a pointer into the handle, no copy).
void BM_GetinfoEffectiveUrl(benchmark::State &state) {
  FETCH *easy = fetch_easy_init();
  char *url = nullptr;
  for (auto _ : state) {
    FETCHcode rc = fetch_easy_getinfo(easy, FETCHINFO_EFFECTIVE_URL, &url);
    benchmark::DoNotOptimize(rc);
    benchmark::DoNotOptimize(url);
  }
  fetch_easy_cleanup(easy);
}
BENCHMARK(BM_GetinfoEffectiveUrl);

}  // namespace
