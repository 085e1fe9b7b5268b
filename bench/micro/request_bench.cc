// Request serialization (protocols/http1/request_writer.h): one request head per iteration
// into a reused buffer, as a connection does for every request.
#include <benchmark/benchmark.h>
#include <fetch/fetch.h>

#include <string>

#include "protocols/http1/request_writer.h"

namespace {

// Two FETCHOPT_HTTPHEADER lines, like an API client's.
struct CustomHeaders {
  CustomHeaders() {
    list = fetch_slist_append(list, "X-Request-Id: 4f1c2a9e-8b7d-4e21-9c3a-0d5e6f7a8b9c");
    list = fetch_slist_append(list, "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789");
  }
  ~CustomHeaders() { fetch_slist_free_all(list); }
  fetch_slist *list = nullptr;
};

fetch::http1::RequestHead typical_get(const fetch_slist *custom) {
  fetch::http1::RequestHead req;
  req.method = "GET";
  req.target = "/index.html?lang=en&page=2";
  req.host = "www.example.com";
  req.user_agent = "libfetch/0.1.0";
  req.accept_encoding = "gzip, deflate, br, zstd";
  req.custom_headers = custom;
  return req;
}

// GET: Host, User-Agent, Accept, Accept-Encoding and two custom headers.
void BM_RequestGet(benchmark::State &state) {
  CustomHeaders custom;
  fetch::http1::RequestHead req = typical_get(custom.list);
  std::string out;
  for (auto _ : state) {
    fetch::http1::WriteResult r = fetch::http1::write_request_head(req, out);
    if (r.code != FETCHE_OK) state.SkipWithError("write_request_head failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
  state.counters["head_bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_RequestGet);

// POST with a small form body sent along with the head (as FETCHOPT_POSTFIELDS is when no
// "Expect: 100-continue" holds it back): head with Content-Length and Content-Type, then the
// body appended to the same buffer.
void BM_RequestPost(benchmark::State &state) {
  static const std::string kBody = "name=libfetch&version=0.1.0&comment=micro+benchmark+body";
  CustomHeaders custom;
  fetch::http1::RequestHead req = typical_get(custom.list);
  req.method = "POST";
  req.target = "/api/v1/submit";
  req.body = fetch::http1::BodyKind::kLength;
  req.content_length = kBody.size();
  req.content_type = "application/x-www-form-urlencoded";
  std::string out;
  for (auto _ : state) {
    fetch::http1::WriteResult r = fetch::http1::write_request_head(req, out);
    if (r.code != FETCHE_OK) state.SkipWithError("write_request_head failed");
    out += kBody;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
  state.counters["request_bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_RequestPost);

// The smallest request: GET / with Host only (the floor of the writer's cost).
void BM_RequestMinimal(benchmark::State &state) {
  fetch::http1::RequestHead req;
  req.host = "127.0.0.1:8080";
  std::string out;
  for (auto _ : state) {
    fetch::http1::write_request_head(req, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_RequestMinimal);

}  // namespace
