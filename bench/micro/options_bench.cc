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

// One fetch_easy_getinfo of `info` into a T: a long, an off_t and a string (EFFECTIVE_URL, a
// pointer into the handle, no copy).
template <class T>
void BM_Getinfo(benchmark::State &state, FETCHINFO info) {
  FETCH *easy = fetch_easy_init();
  T value{};
  for (auto _ : state) {
    FETCHcode rc = fetch_easy_getinfo(easy, info, &value);
    benchmark::DoNotOptimize(rc);
    benchmark::DoNotOptimize(value);
  }
  fetch_easy_cleanup(easy);
}
// Registered by hand: Debian's Google Benchmark 1.7 has no BENCHMARK_TEMPLATE1_CAPTURE.
const bool getinfo_registered = [] {
  benchmark::RegisterBenchmark("BM_Getinfo/response_code", BM_Getinfo<long>,
                               FETCHINFO_RESPONSE_CODE);
  benchmark::RegisterBenchmark("BM_Getinfo/size_download", BM_Getinfo<fetch_off_t>,
                               FETCHINFO_SIZE_DOWNLOAD_T);
  benchmark::RegisterBenchmark("BM_Getinfo/total_time", BM_Getinfo<fetch_off_t>,
                               FETCHINFO_TOTAL_TIME_T);
  benchmark::RegisterBenchmark("BM_Getinfo/effective_url", BM_Getinfo<char *>,
                               FETCHINFO_EFFECTIVE_URL);
  return true;
}();

}  // namespace
