// Response parsing: the sans-I/O reader (protocols/http1/response_reader.h, llhttp plus our
// callbacks) with a sink that does minimal work, per response; and one whole HTTP exchange
// (runtime/http_exchange.h: request out, response in, the application's write callback) over a
// socketpair, which is the per-request cost of the HTTP layer without the scheduler.
#include <benchmark/benchmark.h>
#include <fetch/fetch.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "easy/easy_handle.h"
#include "protocols/http1/response_reader.h"
#include "protocols/http1/response_sink.h"
#include "runtime/clock.h"
#include "runtime/connection.h"
#include "runtime/exchange_pool.h"
#include "runtime/http_exchange.h"
#include "runtime/receive_buffer.h"

namespace {

// What nginx sends for a 1 KiB static file: status line, 8 headers, 1024 body bytes.
std::string nginx_head(const std::string &framing) {
  return "HTTP/1.1 200 OK\r\n"
         "Server: nginx/1.24.0\r\n"
         "Date: Mon, 30 Nov 2026 11:00:00 GMT\r\n"
         "Content-Type: text/html\r\n" +
         framing +
         "Last-Modified: Mon, 30 Nov 2026 10:00:00 GMT\r\n"
         "Connection: keep-alive\r\n"
         "ETag: \"6569e4a0-400\"\r\n"
         "Accept-Ranges: bytes\r\n"
         "\r\n";
}

const std::string &content_length_response() {
  static const std::string r = nginx_head("Content-Length: 1024\r\n") + std::string(1024, 'x');
  return r;
}

// The same body as four 256-byte chunks, then the last chunk.
const std::string &chunked_response() {
  static const std::string r = [] {
    std::string s = nginx_head("Transfer-Encoding: chunked\r\n");
    for (int i = 0; i < 4; ++i) s += "100\r\n" + std::string(256, 'x') + "\r\n";
    return s + "0\r\n\r\n";
  }();
  return r;
}

// Counts what it is told and nothing more.
class CountingSink final : public fetch::http1::ResponseSink {
 public:
  FETCHcode on_header(std::string_view, std::string_view value) override {
    header_bytes += value.size();
    return FETCHE_OK;
  }
  FETCHcode on_body(std::span<const char> data) override {
    body_bytes += data.size();
    return FETCHE_OK;
  }
  uint64_t header_bytes = 0;
  uint64_t body_bytes = 0;
};

// One response per iteration, fed in `pieces` segments of near-equal size (1 = all at once, as
// when the whole response arrived in one recv).
void parse_loop(benchmark::State &state, const std::string &response, size_t pieces) {
  fetch::http1::ResponseReader reader;
  CountingSink sink;
  const size_t step = (response.size() + pieces - 1) / pieces;
  for (auto _ : state) {
    reader.begin(sink);
    for (size_t at = 0; at < response.size(); at += step) {
      size_t len = std::min(step, response.size() - at);
      size_t consumed = 0;
      if (reader.feed(response.data() + at, len, &consumed) != FETCHE_OK) {
        state.SkipWithError("feed failed");
        return;
      }
    }
    if (!reader.done()) state.SkipWithError("response not complete");
  }
  benchmark::DoNotOptimize(sink.body_bytes);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * response.size()));
  state.SetItemsProcessed(state.iterations());  // items = responses
}

void BM_ResponseContentLength(benchmark::State &state) {
  parse_loop(state, content_length_response(), 1);
}
BENCHMARK(BM_ResponseContentLength);

void BM_ResponseChunked(benchmark::State &state) { parse_loop(state, chunked_response(), 1); }
BENCHMARK(BM_ResponseChunked);

// The head in one recv and the body in another (a slow peer, or a large head).
void BM_ResponseContentLengthSplit(benchmark::State &state) {
  parse_loop(state, content_length_response(), 2);
}
BENCHMARK(BM_ResponseContentLengthSplit);

// A whole exchange per iteration, as the scheduler runs one per request (scheduler_http.cc):
// a new HttpExchange on a kept connection, start() serializes the GET, progress() sends it and
// reads the response through the reader into the write callback. The peer end of the
// socketpair plays the server: the response is queued before the request goes out and the
// request is read and dropped after, so the exchange finishes at once. Includes
// the socket syscalls on both ends (a send, a recv and the peer's write and read).
void BM_HttpExchange(benchmark::State &state, bool chunked) {
  const std::string &response = chunked ? chunked_response() : content_length_response();
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0) {
    state.SkipWithError("socketpair failed");
    return;
  }
  FETCH *easy = fetch_easy_init();
  fetch_easy_setopt(easy, FETCHOPT_URL, "http://127.0.0.1:8080/index.html");
  fetch_easy_setopt(easy, FETCHOPT_USERAGENT, "libfetch/0.1.0");
  uint64_t received = 0;
  fetch_easy_setopt(
      easy, FETCHOPT_WRITEFUNCTION, +[](char *, size_t size, size_t n, void *user) -> size_t {
        *static_cast<uint64_t *>(user) += size * n;
        return size * n;
      });
  fetch_easy_setopt(easy, FETCHOPT_WRITEDATA, &received);
  fetch::EasyHandle &e = *fetch::as_easy(easy);
  fetch::Connection conn(1, sv[0], fetch::SocketCloser{});
  fetch::HttpTarget target{"127.0.0.1:8080", "/index.html", false};
  fetch::ReceiveBuffer recv_buffer;  // the scheduler's, shared by its exchanges
  fetch::ExchangePool exchanges;     // the scheduler's: each request reuses the last exchange
  std::vector<char> drain(64 * 1024);
  for (auto _ : state) {
    if (write(sv[1], response.data(), response.size()) != static_cast<ssize_t>(response.size())) {
      state.SkipWithError("peer write failed");
      break;
    }
    std::unique_ptr<fetch::HttpExchange> owned =
        exchanges.make(e, conn, recv_buffer, true, fetch::now_us(), [] { return true; });
    fetch::HttpExchange &x = *owned;
    if (x.start(target) != FETCHE_OK) {
      state.SkipWithError("start failed");
      break;
    }
    // The first call sends the request; the response may be read in the same call or, as
    // the scheduler does once the socket is readable, in the next.
    fetch::HttpExchange::Progress p = x.progress();
    for (int calls = 1; calls < 4 && p.wait == fetch::HttpExchange::Wait::kRead; ++calls) {
      p = x.progress();
    }
    if (p.wait != fetch::HttpExchange::Wait::kDone || p.code != FETCHE_OK || !p.keep_connection) {
      std::string why = "exchange did not complete: wait " +
                        std::to_string(static_cast<int>(p.wait)) + ", code " +
                        std::to_string(p.code) + ", keep " + std::to_string(p.keep_connection);
      state.SkipWithError(why.c_str());
      break;
    }
    if (read(sv[1], drain.data(), drain.size()) <= 0) {
      state.SkipWithError("peer read failed");
      break;
    }
    exchanges.recycle(std::move(owned));
  }
  if (received != static_cast<uint64_t>(state.iterations()) * 1024)
    state.SkipWithError("body bytes lost");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * response.size()));
  state.SetItemsProcessed(state.iterations());
  close(sv[1]);
  fetch_easy_cleanup(easy);  // conn closes sv[0] when it goes out of scope
}
BENCHMARK_CAPTURE(BM_HttpExchange, content_length, false);
BENCHMARK_CAPTURE(BM_HttpExchange, chunked, true);

}  // namespace
