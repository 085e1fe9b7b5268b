// The bad-input catalog (/work/shared/BAD-INPUT.md; coverage map in docs/BAD-INPUT-STATUS.md)
// run through the whole stack, one table row per case. Each row scripts the server's answer to
// "/bad" (or sets a bad option), then runs that transfer in a multi together with a healthy
// transfer to the same server, under each multi driver. Every row checks what the catalog
// promises:
//   - the exact code, and a reason in the error buffer;
//   - exactly the valid body bytes that arrived before the fault, nothing invented or repeated;
//   - the healthy transfer beside it finishes with 0 and its full body;
//   - afterwards two probe transfers in the same multi finish with 0, and none of them is sent
//     on the connection that carried the fault (a faulted connection is never reused).
// Rows that need a pooled connection first ("prime") run two transfers before, so that both the
// faulty and the healthy transfer take an idle connection from the pool.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"
#include "support/full_backlog.h"
#include "support/gzip.h"
#include "support/wait_until.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::ExpectMode;
using fetchtest::HttpServer;
using fetchtest::RecordedRequest;
using fetchtest::Script;
using fetchtest::ScriptStart;
using std::chrono::milliseconds;

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

// A request body generated on the fly: `total` bytes of 'a'..'z' (large uploads need no memory).
struct UploadSource {
  size_t total = 0;
  size_t sent = 0;
  static char byte_at(size_t i) { return static_cast<char>('a' + i % 26); }
  static std::string bytes(size_t n) {
    std::string s(n, '\0');
    for (size_t i = 0; i < n; ++i) s[i] = byte_at(i);
    return s;
  }
};

size_t read_upload(char *buffer, size_t size, size_t nitems, void *userdata) {
  auto *src = static_cast<UploadSource *>(userdata);
  size_t n = std::min(size * nitems, src->total - src->sent);
  for (size_t i = 0; i < n; ++i) buffer[i] = UploadSource::byte_at(src->sent + i);
  src->sent += n;
  return n;
}

std::string gzip_times(std::string data, int times) {
  for (int i = 0; i < times; ++i) data = fetchtest::gzip(data);
  return data;
}

std::string codings(const char *coding, int times) {
  std::string list;
  for (int i = 0; i < times; ++i) list += (i == 0 ? "" : ", ") + std::string(coding);
  return list;
}

const std::string kChunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

// ---- one row of the catalog ---------------------------------------------------------------------

// What runs before the faulty transfer.
enum class Prime : uint8_t {
  kNone,
  kTwoIdle,          // two transfers leave two idle connections in the multi's pool
  kTwoServerClosed,  // the same, then the server closes both while they are idle
};

// Whether the connection that carried the faulty transfer may carry another request.
enum class Reuse : uint8_t { kNever, kAllowed };

// State one row's transfer needs besides its easy handle; lives until the row is done.
struct RowState {
  HttpServer *server = nullptr;
  UploadSource upload;
  std::vector<fetchtest::SlistPtr> lists;
  std::unique_ptr<fetchtest::ListenerWithFullBacklog> backlog;
};

// What a row's extra check sees once the transfers are done.
struct RowResult {
  FETCH *bad = nullptr;
  HttpServer *server = nullptr;
  RowState *state = nullptr;
  std::vector<RecordedRequest> bad_requests;  // every recorded request for "/bad"
  size_t accepted_before_probes = 0;          // connections the server accepted before probes
  size_t primed_connections = 0;
};

struct Row {
  std::string name = {};     // the test name (letters and digits)
  std::string catalog = {};  // the catalog's wording for the case
  // Routes for "/bad" (and whatever else the row needs).
  std::function<void(HttpServer &)> serve = nullptr;
  // Options on the faulty handle beyond the defaults (URL origin+"/bad", TIMEOUT_MS 5000,
  // CONNECTTIMEOUT_MS 5000, write callback, error buffer). Returns the first setopt failure.
  std::function<FETCHcode(FETCH *, RowState &)> setup = nullptr;
  FETCHcode code = FETCHE_OK;
  std::string body = {};  // exactly the body bytes the write callback must get
  Reuse reuse = Reuse::kNever;
  Prime prime = Prime::kNone;
  bool refused_at_setopt = false;  // setup itself must return `code`; the transfer never runs
  bool no_connection = false;      // the faulty transfer must not connect at all
  bool nothing_sent = false;       // no request for "/bad" may reach the server
  std::function<void(const RowResult &)> check = nullptr;
};

// Sets `path` to `script`.
std::function<void(HttpServer &)> answer(Script script, const std::string &path = "/bad") {
  return [script = std::move(script), path](HttpServer &s) { s.on(path, script); };
}

std::function<void(HttpServer &)> send(std::string bytes) { return answer(Script().send(bytes)); }
std::function<void(HttpServer &)> send_close(std::string bytes) {
  return answer(Script().send_then_close(std::move(bytes)));
}

// On a reused connection (not the first request on it) `reused`, else `fresh`.
std::function<void(HttpServer &)> by_reuse(Script reused, Script fresh) {
  return [reused = std::move(reused), fresh = std::move(fresh)](HttpServer &s) {
    s.on("/bad",
         [reused, fresh](const RecordedRequest &r) { return r.index > 0 ? reused : fresh; });
  };
}

FETCHcode first_failure(std::initializer_list<FETCHcode> codes) {
  for (FETCHcode c : codes) {
    if (c != FETCHE_OK) return c;
  }
  return FETCHE_OK;
}

FETCHcode set_header_list(FETCH *e, RowState &st, std::vector<std::string> headers) {
  st.lists.push_back(fetchtest::make_slist(headers));
  return fetch_easy_setopt(e, FETCHOPT_HTTPHEADER, st.lists.back().get());
}

// An upload of `size` generated bytes; `expect` false removes "Expect: 100-continue".
FETCHcode set_upload(FETCH *e, RowState &st, size_t size, bool put, bool expect) {
  st.upload.total = size;
  FETCHcode rc = first_failure({
      fetch_easy_setopt(e, FETCHOPT_READFUNCTION, &read_upload),
      fetch_easy_setopt(e, FETCHOPT_READDATA, &st.upload),
      put ? fetch_easy_setopt(e, FETCHOPT_UPLOAD, 1L) : fetch_easy_setopt(e, FETCHOPT_POST, 1L),
      put ? fetch_easy_setopt(e, FETCHOPT_INFILESIZE_LARGE, static_cast<fetch_off_t>(size))
          : FETCHE_OK,
  });
  if (rc != FETCHE_OK || expect) return rc;
  return set_header_list(e, st, {"Expect:"});
}

long total_ms(FETCH *e) {
  return static_cast<long>(fetchtest::info_off(e, FETCHINFO_TOTAL_TIME_T) / 1000);
}

constexpr size_t kBigUpload = 64u * 1024 * 1024;  // more than any loopback socket buffers hold

// ---- the table ------------------------------------------------------------------------------

std::vector<Row> status_line_rows() {
  return {
      {.name = "CloseBeforeAnyByte",
       .catalog = "close before any byte -> 52",
       .serve = answer(Script().close()),
       .code = FETCHE_GOT_NOTHING},
      {.name = "GarbageOnAFreshConnection",
       .catalog = "garbage -> 1 on a fresh connection (test1172)",
       .serve = send("garbage here\r\n\r\n"),
       .code = FETCHE_UNSUPPORTED_PROTOCOL},
      {.name = "GarbageOnAReusedConnection",
       .catalog = "garbage -> 8 on a reused one (test1479)",
       .serve = by_reuse(Script().send("garbage here\r\n\r\n"),
                         Script().send(fetchtest::http_response(200, {}, "fresh"))),
       .code = FETCHE_WEIRD_SERVER_REPLY,
       .prime = Prime::kTwoIdle},
      {.name = "Http09OnAFreshConnection",
       .catalog = "HTTP/0.9 (no status line) -> 1, like garbage",
       .serve = send_close(fetchtest::http09_response("<html>hi</html>")),
       .code = FETCHE_UNSUPPORTED_PROTOCOL},
      {.name = "Http12",
       .catalog = "HTTP/1.2 -> 1 (test129)",
       .serve = send(fetchtest::versioned_response("HTTP/1.2")),
       .code = FETCHE_UNSUPPORTED_PROTOCOL},
      {.name = "StatusBelow100",
       .catalog = "a status code below 100 -> 1",
       .serve = send("HTTP/1.1 099 Low\r\nContent-Length: 2\r\n\r\nok"),
       .code = FETCHE_UNSUPPORTED_PROTOCOL},
  };
}

std::vector<Row> header_rows() {
  fetchtest::HeaderList block;
  for (int i = 0; i < 320; ++i)
    block.emplace_back("X-Fill-" + std::to_string(i), std::string(1000, 'f'));
  return {
      {.name = "HeaderWithoutColon",
       .catalog = "no colon -> 8",
       .serve = send("HTTP/1.1 200 OK\r\nNoColonHere\r\nContent-Length: 2\r\n\r\nok"),
       .code = FETCHE_WEIRD_SERVER_REPLY},
      {.name = "NulInAHeader",
       .catalog = "NUL -> 8 (test2107)",
       .serve = send(fetchtest::nul_in_header_response()),
       .code = FETCHE_WEIRD_SERVER_REPLY},
      {.name = "BareCrInAHeader",
       .catalog = "a bare CR -> 8 (test2105)",
       .serve = send(fetchtest::bare_cr_in_header_response()),
       .code = FETCHE_WEIRD_SERVER_REPLY},
      {.name = "OneHeaderOver100KiB",
       .catalog = "one header over 100 KiB -> 100 (test1154)",
       .serve = send(fetchtest::huge_header_response(100 * 1024 + 1)),
       .code = FETCHE_TOO_LARGE},
      {.name = "HeaderBlockOver300KiB",
       .catalog = "a block over 300 KiB -> 56 (test497)",
       .serve = send(fetchtest::http_response(200, block, "ok")),
       .code = FETCHE_RECV_ERROR},
      {.name = "InterimResponseFlood",
       .catalog = "a block over 300 KiB -> 56, made of interim 102 responses",
       .serve = send(
           fetchtest::informational_flood(12000, fetchtest::http_response(200, {}, "never seen"))),
       .code = FETCHE_RECV_ERROR},
      {.name = "ResetInTheHeaders",
       .catalog = "RST in the middle of the headers -> 56",
       .serve = answer(Script()
                           .send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Half: ")
                           .delay(milliseconds(100))
                           .reset()),
       .code = FETCHE_RECV_ERROR},
      {.name = "Headers5001",
       .catalog = "5,001 headers -> 100",
       // 5,000 X-H fields plus Content-Length: one over the limit.
       .serve = send(fetchtest::many_headers_response(5000)),
       .code = FETCHE_TOO_LARGE},
      {.name = "Headers5000AreFine",
       .catalog = "5,000 headers -> 0 (the limit itself)",
       .serve = send(fetchtest::many_headers_response(4999, "fine")),
       .code = FETCHE_OK,
       .body = "fine",
       .reuse = Reuse::kAllowed},
      {.name = "TwoLocationHeaders",
       .catalog = "two Location: headers -> 8",
       .serve = send("HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\n"
                     "Content-Length: 0\r\n\r\n"),
       .setup = [](FETCH *e,
                   RowState &) { return fetch_easy_setopt(e, FETCHOPT_FOLLOWLOCATION, 1L); },
       .code = FETCHE_WEIRD_SERVER_REPLY},
      {.name = "Unexpected101",
       .catalog = "an unexpected 101 -> 8",
       .serve = send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n"
                     "Connection: Upgrade\r\n\r\n"),
       .code = FETCHE_WEIRD_SERVER_REPLY},
  };
}

std::vector<Row> framing_rows() {
  return {
      {.name = "ContentLengthNotANumber",
       .catalog = "a bad Content-Length -> 8",
       .serve = send("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nabc"),
       .code = FETCHE_WEIRD_SERVER_REPLY},
      {.name = "NegativeContentLength",
       .catalog = "a bad Content-Length -> 8",
       .serve = send("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nabc"),
       .code = FETCHE_WEIRD_SERVER_REPLY},
      {.name = "ConflictingContentLength",
       .catalog = "a conflicting Content-Length -> 8",
       .serve = send(fetchtest::duplicate_content_length_response("abcde", 5, 6)),
       .code = FETCHE_WEIRD_SERVER_REPLY},
      {.name = "BodyShortOfContentLength",
       .catalog = "a body short of Content-Length, then close -> 18 (test2093)",
       .serve = send_close(fetchtest::wrong_content_length_response("abcde", 10)),
       .code = FETCHE_PARTIAL_FILE,
       .body = "abcde"},
      {.name = "HeadersWithoutTheFinalEmptyLine",
       .catalog = "headers without the final empty line -> 18 (test1665)",
       .serve = send_close("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"),
       .code = FETCHE_PARTIAL_FILE},
      {.name = "NonHexChunkSize",
       .catalog = "a non-hex chunk size -> 56 (test36)",
       .serve = send(kChunkedHead + "5\r\nhello\r\nzz\r\nabc\r\n0\r\n\r\n"),
       .code = FETCHE_RECV_ERROR,
       .body = "hello"},
      {.name = "ChunkSize17HexDigits",
       .catalog = "17+ hex digits -> 56 (test1416)",
       .serve = send(kChunkedHead + "00000000000000001\r\na\r\n0\r\n\r\n"),
       .code = FETCHE_RECV_ERROR},
      {.name = "ChunkSizeOverflow",
       .catalog = "an overflow -> 56 (test1416)",
       .serve = send(fetchtest::overflowing_chunk_response()),
       .code = FETCHE_RECV_ERROR},
      {.name = "CutBeforeTheLastChunk",
       .catalog = "a cut before the last chunk -> 18 (test207)",
       .serve = send_close(kChunkedHead + "5\r\nhello\r\n3\r\nabc\r\n"),
       .code = FETCHE_PARTIAL_FILE,
       .body = "helloabc"},
      {.name = "CutInsideAChunk",
       .catalog = "a cut before the last chunk -> 18 (test207), inside a chunk",
       .serve = send_close(fetchtest::truncated_chunk_response(100, 10)),
       .code = FETCHE_PARTIAL_FILE,
       .body = std::string(10, 'c')},
      {.name = "TrailerOver4KiB",
       .catalog = "a trailer over 4 KiB -> 100",
       .serve =
           send(kChunkedHead + "2\r\nok\r\n0\r\nX-T: " + std::string(4 * 1024, 't') + "\r\n\r\n"),
       .code = FETCHE_TOO_LARGE,
       .body = "ok"},
      {.name = "NulInATrailer",
       .catalog = "NUL in a trailer -> 8 (test2106)",
       .serve = send(kChunkedHead + std::string("2\r\nok\r\n0\r\nX-T: a\0b\r\n\r\n", 23)),
       .code = FETCHE_WEIRD_SERVER_REPLY,
       .body = "ok"},
      {.name = "ChunkedNotTheLastCoding",
       .catalog = "chunked not the last coding -> 61 (test1722)",
       .serve = send(fetchtest::coding_after_chunked_response("abc")),
       .code = FETCHE_BAD_CONTENT_ENCODING},
      {.name = "ContentLengthWithChunked",
       .catalog = "Content-Length together with chunked -> 0, chunked wins (test365); the "
                  "connection is closed (RFC 9112 6.3)",
       .serve = send(fetchtest::content_length_and_chunked_response("chunky body")),
       .code = FETCHE_OK,
       .body = "chunky body"},
  };
}

std::vector<Row> decoding_rows() {
  auto accept_all = [](FETCH *e, RowState &) {
    return fetch_easy_setopt(e, FETCHOPT_ACCEPT_ENCODING, "");
  };
  return {
      {.name = "BrokenGzipHeader",
       .catalog = "a broken gzip header -> 61 (test221)",
       .serve = send(fetchtest::http_response(200, {{"Content-Encoding", "gzip"}},
                                              "this is not gzip at all")),
       .setup = accept_all,
       .code = FETCHE_BAD_CONTENT_ENCODING},
      {.name = "BrokenDeflateHeader",
       .catalog = "a broken deflate header -> 61 (test223)",
       .serve = send(fetchtest::http_response(200, {{"Content-Encoding", "deflate"}},
                                              "this is not deflate either")),
       .setup = accept_all,
       .code = FETCHE_BAD_CONTENT_ENCODING},
      {.name = "SixStackedCodings",
       .catalog = "6 stacked codings -> 61",
       .serve = send(fetchtest::http_response(200, {{"Content-Encoding", codings("gzip", 6)}},
                                              gzip_times("six layers", 6))),
       .setup = accept_all,
       .code = FETCHE_BAD_CONTENT_ENCODING},
      {.name = "FiveStackedCodingsAreDecoded",
       .catalog = "5 stacked codings -> 0 (the limit itself)",
       .serve = send(fetchtest::http_response(200, {{"Content-Encoding", codings("gzip", 5)}},
                                              gzip_times("five layers", 5))),
       .setup = accept_all,
       .code = FETCHE_OK,
       .body = "five layers",
       .reuse = Reuse::kAllowed},
  };
}

std::vector<Row> redirect_rows() {
  auto follow = [](FETCH *e, RowState &) {
    return fetch_easy_setopt(e, FETCHOPT_FOLLOWLOCATION, 1L);
  };
  return {
      {.name = "ThirtyOneHops",
       .catalog = "31 hops -> 47",
       .serve = send(fetchtest::redirect_response(302, "/bad")),
       .setup = follow,
       .code = FETCHE_TOO_MANY_REDIRECTS,
       // The 302s themselves are fine: their connection may carry more requests.
       .reuse = Reuse::kAllowed,
       .check =
           [](const RowResult &r) {
             EXPECT_EQ(fetchtest::info_long(r.bad, FETCHINFO_REDIRECT_COUNT), 30);
             EXPECT_EQ(r.bad_requests.size(), 31u);
           }},
      {.name = "LocationFileScheme",
       .catalog = "Location: file:// -> 1 (test1563)",
       .serve = send(fetchtest::redirect_response(302, "file:///etc/passwd")),
       .setup = follow,
       .code = FETCHE_UNSUPPORTED_PROTOCOL,
       .reuse = Reuse::kAllowed},
      {.name = "LocationGopherScheme",
       .catalog = "Location: gopher:// -> 1 (test1563)",
       .serve = send(fetchtest::redirect_response(302, "gopher://127.0.0.1/x")),
       .setup = follow,
       .code = FETCHE_UNSUPPORTED_PROTOCOL,
       .reuse = Reuse::kAllowed},
      {.name = "UnparsableLocation",
       .catalog = "an unparsable Location: -> 3",
       .serve = send(fetchtest::redirect_response(302, "http://[::1/")),
       .setup = follow,
       .code = FETCHE_URL_MALFORMAT,
       .reuse = Reuse::kAllowed},
  };
}

std::vector<Row> timing_rows() {
  const std::string ok_head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
  return {
      {.name = "NoResponseTimesOut",
       .catalog = "no response, with TIMEOUT_MS=1000 -> 28 within 1.25 s",
       .serve = answer(Script().stall()),
       .setup = [](FETCH *e,
                   RowState &) { return fetch_easy_setopt(e, FETCHOPT_TIMEOUT_MS, 1000L); },
       .code = FETCHE_OPERATION_TIMEDOUT,
       .check =
           [](const RowResult &r) {
             EXPECT_GE(total_ms(r.bad), 1000);
             EXPECT_LE(total_ms(r.bad), 1250);
           }},
      {.name = "StallMidBodyTimesOut",
       .catalog = "a stall after part of the body, with TIMEOUT_MS -> 28, the part delivered",
       .serve = answer(Script().send(ok_head + "0123456789").stall()),
       .setup = [](FETCH *e,
                   RowState &) { return fetch_easy_setopt(e, FETCHOPT_TIMEOUT_MS, 500L); },
       .code = FETCHE_OPERATION_TIMEDOUT,
       .body = "0123456789"},
      {.name = "BlackholedConnect",
       .catalog = "a blackholed connect -> 28 at CONNECTTIMEOUT_MS",
       .serve = nullptr,
       .setup =
           [](FETCH *e, RowState &st) {
             st.backlog = std::make_unique<fetchtest::ListenerWithFullBacklog>();
             if (!st.backlog->ok() || !st.backlog->fill()) {
               ADD_FAILURE() << "could not fill the listener's accept queue";
               return FETCHE_FAILED_INIT;
             }
             const std::string url = fetchtest::loopback_url(st.backlog->port()) + "bad";
             return first_failure({fetch_easy_setopt(e, FETCHOPT_URL, url.c_str()),
                                   fetch_easy_setopt(e, FETCHOPT_CONNECTTIMEOUT_MS, 500L)});
           },
       .code = FETCHE_OPERATION_TIMEDOUT,
       .nothing_sent = true,
       .check =
           [](const RowResult &r) {
             EXPECT_GE(total_ms(r.bad), 500);
             EXPECT_LT(total_ms(r.bad), 2000);
           }},
      {.name = "No100ContinueSendsTheBodyAfterOneSecond",
       .catalog = "no 100 Continue -> the body is sent after 1 s, result 0",
       .serve = answer(
           Script().expect(ExpectMode::kIgnore).send(fetchtest::http_response(200, {}, "got it"))),
       // POST from the read callback without a size: chunked, with Expect: 100-continue.
       .setup = [](FETCH *e, RowState &st) { return set_upload(e, st, 3000, false, true); },
       .code = FETCHE_OK,
       .body = "got it",
       .reuse = Reuse::kAllowed,
       .check =
           [](const RowResult &r) {
             ASSERT_EQ(r.bad_requests.size(), 1u);
             EXPECT_EQ(r.bad_requests[0].header("Expect"), "100-continue");
             EXPECT_TRUE(r.bad_requests[0].body == UploadSource::bytes(3000));
             EXPECT_GE(total_ms(r.bad), 1000);
           }},
      {.name = "ResetMidBody",
       .catalog = "RST mid-body -> 56",
       .serve = answer(Script().send(ok_head + "0123456789").delay(milliseconds(100)).reset()),
       .code = FETCHE_RECV_ERROR,
       .body = "0123456789"},
      {.name = "ResetDuringUpload",
       .catalog = "RST during upload -> 55",
       .serve = answer(Script().start(ScriptStart::kAfterHeaders).delay(milliseconds(50)).reset()),
       .setup = [](FETCH *e, RowState &st) { return set_upload(e, st, kBigUpload, true, false); },
       .code = FETCHE_SEND_ERROR},
      {.name = "ResetDuringUploadAfterAFullResponse",
       .catalog = "RST during upload -> 0 if the server already sent a full response",
       .serve = answer(Script()
                           .start(ScriptStart::kAfterHeaders)
                           .send(fetchtest::http_response(413, {}, "too large"))
                           .delay(milliseconds(100))
                           .reset()),
       .setup = [](FETCH *e, RowState &st) { return set_upload(e, st, kBigUpload, true, false); },
       .code = FETCHE_OK,
       .body = "too large",
       .check =
           [](const RowResult &r) {
             EXPECT_EQ(fetchtest::info_long(r.bad, FETCHINFO_RESPONSE_CODE), 413);
           }},
      {.name = "EarlyFullResponseWithoutCloseDuringUpload",
       .catalog = "an early full response during an upload, the server neither reads nor "
                  "closes -> 0 at once (libcurl stops sending), connection not reused",
       // The answer comes once the client is blocked sending; the server reads nothing for 4 s,
       // longer than the transfer's 3 s timeout: only an early stop can give 0.
       .serve = answer(Script()
                           .start(ScriptStart::kAfterHeaders)
                           .delay(milliseconds(200))
                           .send(fetchtest::http_response(413, {}, "too large"))
                           .delay(milliseconds(4000))),
       .setup =
           [](FETCH *e, RowState &st) {
             return first_failure({set_upload(e, st, kBigUpload, true, false),
                                   fetch_easy_setopt(e, FETCHOPT_TIMEOUT_MS, 3000L)});
           },
       .code = FETCHE_OK,
       .body = "too large",
       .check =
           [](const RowResult &r) {
             EXPECT_EQ(fetchtest::info_long(r.bad, FETCHINFO_RESPONSE_CODE), 413);
             EXPECT_LT(r.state->upload.sent, kBigUpload) << "the body was not cut short";
           }},
      {.name = "IdleConnectionClosedAsItIsReused",
       .catalog = "an idle keep-alive connection the server closed -> one silent retry, 0, no "
                  "duplicated bytes (closed as the request arrives)",
       .serve = by_reuse(Script().close(),
                         Script().send(fetchtest::http_response(200, {}, "once and only once"))),
       .code = FETCHE_OK,
       .body = "once and only once",
       .reuse = Reuse::kAllowed,
       .prime = Prime::kTwoIdle,
       .check =
           [](const RowResult &r) {
             ASSERT_EQ(r.bad_requests.size(), 2u);
             EXPECT_GT(r.bad_requests[0].index, 0u) << "the first try reused a connection";
             EXPECT_EQ(r.bad_requests[1].index, 0u) << "the retry is on a new connection";
           }},
      {.name = "IdleConnectionClosedWhileIdle",
       .catalog = "an idle keep-alive connection the server closed -> 0, no duplicated bytes "
                  "(closed while idle in the pool)",
       .serve = send(fetchtest::http_response(200, {}, "once and only once")),
       .code = FETCHE_OK,
       .body = "once and only once",
       .reuse = Reuse::kAllowed,
       .prime = Prime::kTwoServerClosed,
       .check =
           [](const RowResult &r) {
             std::set<size_t> done;
             for (const RecordedRequest &q : r.bad_requests) {
               if (q.complete) done.insert(q.connection_id);
             }
             EXPECT_GE(done.size(), 1u);
             EXPECT_GT(r.accepted_before_probes, r.primed_connections)
                 << "a closed idle connection cannot carry the request";
           }},
  };
}

// CR/LF in a header-carrying option: 43 with nothing sent. NUL cannot be written into a C
// string option at all.
std::vector<Row> option_rows() {
  auto refused_string = [](FETCHoption option, const char *value) {
    return [option, value](FETCH *e, RowState &) { return fetch_easy_setopt(e, option, value); };
  };
  return {
      {.name = "CrLfInHttpheader",
       .catalog = "CR/LF in HTTPHEADER -> 43, with 0 bytes sent",
       .serve = send(fetchtest::http_response(200, {}, "no")),
       .setup = [](FETCH *e,
                   RowState &st) { return set_header_list(e, st, {"X-Evil: a\r\nInjected: 1"}); },
       .code = FETCHE_BAD_FUNCTION_ARGUMENT,
       .nothing_sent = true},
      {.name = "BareLfInHttpheader",
       .catalog = "LF in HTTPHEADER -> 43, with 0 bytes sent",
       .serve = send(fetchtest::http_response(200, {}, "no")),
       .setup =
           [](FETCH *e, RowState &st) {
             return set_header_list(e, st, {"X-Ok: 1", "X-Evil: a\nX: 1"});
           },
       .code = FETCHE_BAD_FUNCTION_ARGUMENT,
       .nothing_sent = true},
      {.name = "CrLfInUseragent",
       .catalog = "CR/LF in USERAGENT -> 43",
       .setup = refused_string(FETCHOPT_USERAGENT, "agent\r\nX-Injected: 1"),
       .code = FETCHE_BAD_FUNCTION_ARGUMENT,
       .refused_at_setopt = true},
      {.name = "LfInCustomrequest",
       .catalog = "CR/LF in CUSTOMREQUEST -> 43",
       .setup = refused_string(FETCHOPT_CUSTOMREQUEST, "GET /evil HTTP/1.1\nX:"),
       .code = FETCHE_BAD_FUNCTION_ARGUMENT,
       .refused_at_setopt = true},
      {.name = "CrInReferer",
       .catalog = "CR/LF in REFERER -> 43",
       .setup = refused_string(FETCHOPT_REFERER, "http://a/\rX: y"),
       .code = FETCHE_BAD_FUNCTION_ARGUMENT,
       .refused_at_setopt = true},
      {.name = "CookieIsNotBuiltYet",
       .catalog = "CR/LF in COOKIE -> 43 (COOKIE is not built yet: 4)",
       .setup = refused_string(FETCHOPT_COOKIE, "a=b\r\nX: y"),
       .code = FETCHE_NOT_BUILT_IN,
       .refused_at_setopt = true},
      {.name = "ControlByteInTheUrl",
       .catalog = "a control byte in the URL -> 3, with no connection",
       .setup =
           [](FETCH *e, RowState &st) {
             const std::string url = st.server->origin() + "/ba\x01d";
             return fetch_easy_setopt(e, FETCHOPT_URL, url.c_str());
           },
       .code = FETCHE_URL_MALFORMAT,
       .no_connection = true,
       .nothing_sent = true},
      {.name = "SpaceInTheUrl",
       .catalog = "a space in the URL -> 3, with no connection",
       .setup =
           [](FETCH *e, RowState &st) {
             const std::string url = st.server->origin() + "/ba d";
             return fetch_easy_setopt(e, FETCHOPT_URL, url.c_str());
           },
       .code = FETCHE_URL_MALFORMAT,
       .no_connection = true,
       .nothing_sent = true},
      {.name = "HttpsOutsideProtocolsStr",
       .catalog = "PROTOCOLS_STR=\"http\" with an https URL -> 1",
       .setup =
           [](FETCH *e, RowState &st) {
             const std::string url =
                 "https://127.0.0.1:" + std::to_string(st.server->port()) + "/bad";
             return first_failure({fetch_easy_setopt(e, FETCHOPT_URL, url.c_str()),
                                   fetch_easy_setopt(e, FETCHOPT_PROTOCOLS_STR, "http")});
           },
       .code = FETCHE_UNSUPPORTED_PROTOCOL,
       .no_connection = true,
       .nothing_sent = true},
  };
}

const std::vector<Row> &catalog() {
  static const std::vector<Row> all = [] {
    std::vector<Row> rows;
    for (auto part : {status_line_rows, header_rows, framing_rows, decoding_rows, redirect_rows,
                      timing_rows, option_rows}) {
      std::vector<Row> some = part();
      rows.insert(rows.end(), some.begin(), some.end());
    }
    return rows;
  }();
  return all;
}

// ---- the runner -----------------------------------------------------------------------------

const std::string &healthy_body() {
  static const std::string body = fetchtest::pattern_bytes(200000, 7);
  return body;
}

class BadInputCatalog : public ::testing::TestWithParam<std::tuple<size_t, Driver>> {
 protected:
  const Row &row() const { return catalog()[std::get<0>(GetParam())]; }

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
    server_.on("/healthy", Script().send(fetchtest::http_response(200, {}, healthy_body())));
    server_.on("/probe", Script().send(fetchtest::http_response(200, {}, "probe")));
    state_.server = &server_;
  }

  EasyPtr make(const std::string &url, std::string *body, char *errbuf, long timeout_ms) {
    EasyPtr e(fetchtest::make_easy(url, {.connect_only = false, .errbuf = errbuf}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, timeout_ms), FETCHE_OK);
    return e;
  }

  // Runs `count` transfers of `path` together in the multi; each must finish with 0 and
  // `expected` as its body.
  void run_good(const std::string &path, size_t count, const std::string &expected) {
    std::vector<std::string> bodies(count);
    std::vector<std::array<char, FETCH_ERROR_SIZE>> errors(count);
    std::vector<EasyPtr> owned;
    std::vector<FETCH *> handles;
    for (size_t i = 0; i < count; ++i) {
      owned.push_back(make(server_.origin() + path, &bodies[i], errors[i].data(), 5000));
      ASSERT_TRUE(owned.back());
      handles.push_back(owned.back().get());
    }
    std::vector<FETCHcode> results = harness_.run(handles);
    for (size_t i = 0; i < count; ++i) {
      EXPECT_EQ(results[i], FETCHE_OK) << path << " #" << i << ": " << errors[i].data();
      EXPECT_TRUE(bodies[i] == expected)
          << path << " #" << i << ": " << bodies[i].size() << " bytes, not " << expected.size();
      harness_.remove(handles[i]);
    }
  }

  void prime() {
    server_.on("/prime", row().prime == Prime::kTwoServerClosed
                             ? Script()
                                   .send(fetchtest::http_response(200, {}, "prime"))
                                   .delay(milliseconds(20))
                                   .close()
                             : Script().send(fetchtest::http_response(200, {}, "prime")));
    ASSERT_NO_FATAL_FAILURE(run_good("/prime", 2, "prime"));
    ASSERT_EQ(server_.accepted(), 2u) << "priming needs two idle connections";
    if (row().prime == Prime::kTwoServerClosed) {
      // Both FINs reach the client while the connections sit in the pool (no loop runs here).
      std::this_thread::sleep_for(milliseconds(100));
    }
  }

  std::vector<RecordedRequest> requests_to(const std::string &target) const {
    std::vector<RecordedRequest> out;
    for (const RecordedRequest &r : server_.requests()) {
      if (r.target == target) out.push_back(r);
    }
    return out;
  }

  fetchtest::Harness harness_{std::get<1>(GetParam())};
  HttpServer server_;
  RowState state_;
};

TEST_P(BadInputCatalog, GivesItsCodeAndLeavesTheOthersAlone) {
  const Row &r = row();
  SCOPED_TRACE(r.catalog);
  if (r.serve) r.serve(server_);
  size_t primed = 0;
  if (r.prime != Prime::kNone) {
    ASSERT_NO_FATAL_FAILURE(prime());
    primed = server_.accepted();
  }

  std::string bad_body;
  char bad_error[FETCH_ERROR_SIZE] = {};
  EasyPtr bad = make(server_.origin() + "/bad", &bad_body, bad_error, 5000);
  ASSERT_TRUE(bad);
  FETCHcode set = r.setup ? r.setup(bad.get(), state_) : FETCHE_OK;
  if (r.refused_at_setopt) {
    EXPECT_EQ(set, r.code) << bad_error;
    EXPECT_NE(bad_error[0], '\0') << "no reason in the error buffer";
    // The multi still serves a healthy transfer; nothing reached the server for "/bad".
    ASSERT_NO_FATAL_FAILURE(run_good("/healthy", 1, healthy_body()));
    EXPECT_TRUE(requests_to("/bad").empty());
    return;
  }
  ASSERT_EQ(set, FETCHE_OK) << bad_error;

  std::string healthy;
  char healthy_error[FETCH_ERROR_SIZE] = {};
  EasyPtr good = make(server_.origin() + "/healthy", &healthy, healthy_error, 10000);
  ASSERT_TRUE(good);
  std::vector<FETCHcode> results = harness_.run({bad.get(), good.get()}, milliseconds(15000));
  harness_.remove(bad.get());
  harness_.remove(good.get());

  EXPECT_EQ(results[0], r.code) << fetch_easy_strerror(results[0]) << ": " << bad_error;
  if (r.code != FETCHE_OK) {
    EXPECT_NE(bad_error[0], '\0') << "no reason in the error buffer";
  }
  EXPECT_TRUE(bad_body == r.body) << "delivered " << bad_body.size() << " bytes: \""
                                  << bad_body.substr(0, 64) << "\", expected \""
                                  << r.body.substr(0, 64) << "\"";
  EXPECT_EQ(results[1], FETCHE_OK) << "the healthy transfer: " << healthy_error;
  EXPECT_TRUE(healthy == healthy_body()) << "healthy body: " << healthy.size() << " bytes";

  // Settle the server's records of "/bad" (cut short, complete or failed to parse).
  fetchtest::wait_until(
      [&] {
        std::vector<RecordedRequest> all = requests_to("/bad");
        return std::all_of(all.begin(), all.end(), [](const RecordedRequest &q) {
          return q.complete || q.cut_short || !q.parse_error.empty();
        });
      },
      milliseconds(500));
  RowResult result;
  result.bad = bad.get();
  result.server = &server_;
  result.state = &state_;
  result.bad_requests = requests_to("/bad");
  result.accepted_before_probes = server_.accepted();
  result.primed_connections = primed;
  if (r.nothing_sent) {
    EXPECT_TRUE(result.bad_requests.empty()) << "a request was sent";
  }
  if (r.no_connection) {
    EXPECT_EQ(server_.accepted(), primed + 1) << "the faulty transfer opened a connection";
    EXPECT_EQ(fetchtest::info_long(bad.get(), FETCHINFO_NUM_CONNECTS), 0);
  }
  if (r.check) r.check(result);

  // Two probes in the same multi: both fine, neither on a connection that carried a fault.
  ASSERT_NO_FATAL_FAILURE(run_good("/probe", 2, "probe"));
  if (r.reuse == Reuse::kNever) {
    std::set<size_t> faulted;
    for (const RecordedRequest &q : result.bad_requests) faulted.insert(q.connection_id);
    for (const RecordedRequest &q : requests_to("/probe")) {
      EXPECT_EQ(faulted.count(q.connection_id), 0u)
          << "a probe was sent on faulted connection " << q.connection_id;
    }
  }
}

std::string row_name(const ::testing::TestParamInfo<std::tuple<size_t, Driver>> &info) {
  return catalog()[std::get<0>(info.param)].name + "_" +
         fetchtest::driver_name(std::get<1>(info.param));
}

std::vector<size_t> row_indexes() {
  std::vector<size_t> out(catalog().size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = i;
  return out;
}

INSTANTIATE_TEST_SUITE_P(Rows, BadInputCatalog,
                         ::testing::Combine(::testing::ValuesIn(row_indexes()),
                                            ::testing::ValuesIn(fetchtest::multi_drivers())),
                         row_name);

}  // namespace
