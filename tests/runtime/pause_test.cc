// Pausing transfers (curl_easy_pause(3), CURLOPT_WRITEFUNCTION(3), CURLOPT_READFUNCTION(3)):
// FETCH_WRITEFUNC_PAUSE from the write and header callbacks, FETCH_READFUNC_PAUSE from the read
// callback, and fetch_easy_pause from inside callbacks and from outside, under each of the four
// drivers (runtime/drivers.h). Every test checks the exact bytes: what was refused comes back
// byte for byte, nothing is lost or delivered twice, with content decoding and several pieces
// held, and a paused transfer is not watched, still times out, and can be removed cleanly.
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"
#include "support/gzip.h"

namespace {

using fetchtest::Clock;
using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::gzip;
using fetchtest::Harness;
using fetchtest::HttpServer;
using fetchtest::Script;
using std::chrono::milliseconds;

// A write (or header) callback that answers FETCH_WRITEFUNC_PAUSE on chosen calls and checks
// that the call after each pause offers exactly the refused bytes again.
struct Sink {
  FETCH *easy = nullptr;
  std::string data;           // everything accepted, in order
  std::set<size_t> pause_on;  // call numbers (from 0) answered with FETCH_WRITEFUNC_PAUSE
  size_t calls = 0;
  size_t pauses = 0;
  bool paused = false;  // answered PAUSE, not unpaused yet
  size_t calls_while_paused = 0;
  std::string refused;  // the bytes of the last refused call
  bool check_next = false;
  size_t redelivery_mismatches = 0;
  Clock::time_point paused_at;
  std::function<void()> on_pause;
};

size_t sink_write(char *data, size_t size, size_t nmemb, void *userdata) {
  auto *s = static_cast<Sink *>(userdata);
  const size_t len = size * nmemb;
  if (s->paused) ++s->calls_while_paused;
  const size_t call = s->calls++;
  if (s->check_next) {
    s->check_next = false;
    if (std::string_view(data, len) != s->refused) ++s->redelivery_mismatches;
  }
  if (s->pause_on.count(call) != 0) {
    s->refused.assign(data, len);
    s->check_next = true;
    s->paused = true;
    ++s->pauses;
    s->paused_at = Clock::now();
    if (s->on_pause) s->on_pause();
    return FETCH_WRITEFUNC_PAUSE;
  }
  s->data.append(data, len);
  return len;
}

// Unpauses from outside any callback once `s` has been paused for `after`.
void unpause_when_due(Sink &s, milliseconds after = milliseconds(60)) {
  if (s.paused && Clock::now() - s.paused_at >= after) {
    s.paused = false;
    EXPECT_EQ(fetch_easy_pause(s.easy, FETCHPAUSE_CONT), FETCHE_OK);
  }
}

// What every paused download shows at the end: `pauses` pauses, each refused piece offered
// again unchanged, no write callback while paused, and exactly `want` delivered.
void expect_paused_and_whole(const Sink &s, size_t pauses, const std::string &want) {
  EXPECT_EQ(s.pauses, pauses);
  EXPECT_EQ(s.redelivery_mismatches, 0u) << "the refused bytes must come back unchanged";
  EXPECT_EQ(s.calls_while_paused, 0u) << "no write callback while paused";
  EXPECT_EQ(s.data.size(), want.size());
  EXPECT_TRUE(s.data == want) << "every byte once, in order";
}

// Compressible text (gzip shrinks it a lot, so one receive buffer decodes into many pieces).
std::string text_bytes(size_t size) {
  std::string out;
  for (size_t line = 0; out.size() < size; ++line) {
    out += "line " + std::to_string(line) + ": the quick brown fox jumps over the lazy dog\n";
  }
  out.resize(size);
  return out;
}

// A response whose body arrives in several pieces with pauses in between, so a paused transfer
// has more data waiting in the socket and some already held.
Script pieces(const std::string &head, const std::string &body, size_t first) {
  Script s;
  s.send(head + body.substr(0, first));
  for (size_t at = first; at < body.size(); at += 60000) {
    s.delay(milliseconds(20)).send(body.substr(at, 60000));
  }
  return s;
}

std::string head_for(const std::string &body, const fetchtest::HeaderList &extra = {}) {
  fetchtest::HeaderList h = extra;
  h.emplace_back("Content-Length", std::to_string(body.size()));
  return fetchtest::http_head(200, h);
}

// Adds `handles` to the harness's multi and runs turns until every one is done or `limit`
// passes, calling `each_turn` after every turn; removes them again. The results, in order.
std::vector<FETCHcode> run_multi(Harness &h, const std::vector<FETCH *> &handles,
                                 const std::function<void()> &each_turn = nullptr,
                                 milliseconds limit = milliseconds(10000)) {
  std::vector<FETCHcode> results(handles.size(), fetchtest::kNotFinished);
  for (FETCH *e : handles) EXPECT_EQ(fetch_multi_add_handle(h.multi(), e), FETCHM_OK);
  size_t done = 0;
  const Clock::time_point end = Clock::now() + limit;
  while (done < handles.size() && Clock::now() < end) {
    h.turn();
    int left = 0;
    while (FETCHMsg *msg = fetch_multi_info_read(h.multi(), &left)) {
      for (size_t i = 0; i < handles.size(); ++i) {
        if (msg->msg == FETCHMSG_DONE && msg->easy_handle == handles[i]) {
          results[i] = msg->data.result;
          ++done;
        }
      }
    }
    if (each_turn) each_turn();
  }
  EXPECT_EQ(done, handles.size()) << "transfers did not finish in time";
  for (FETCH *e : handles) EXPECT_EQ(fetch_multi_remove_handle(h.multi(), e), FETCHM_OK);
  return results;
}

// The debug callback of the fetch_easy_perform variant: unpauses as soon as libfetch reports the
// transfer parked (a callback of that very transfer, inside fetch_easy_perform's loop).
int unpause_on_park(FETCH *, fetch_infotype type, char *data, size_t size, void *userdata) {
  auto *s = static_cast<Sink *>(userdata);
  if (type == FETCHINFO_TEXT && s->paused &&
      std::string_view(data, size).find("socket not watched until unpaused") !=
          std::string_view::npos) {
    s->paused = false;
    EXPECT_EQ(fetch_easy_pause(s->easy, FETCHPAUSE_CONT), FETCHE_OK);
  }
  return 0;
}

class PauseTest : public ::testing::TestWithParam<Driver> {
 protected:
  PauseTest() : harness_(GetParam()) {}
  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
  }

  EasyPtr easy(const std::string &path, Sink &sink) {
    EasyPtr e(
        fetchtest::make_easy(server_.origin() + path, {.connect_only = false, .errbuf = errbuf_}));
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &sink_write), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &sink), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 10000L), FETCHE_OK);
    sink.easy = e.get();
    return e;
  }

  // Runs `e` under the test's driver; the paused sink `s` is unpaused from outside callbacks
  // (multi perform / socket_action loops), from a libuv timer (uv driver) or from the debug
  // callback (fetch_easy_perform, where the application runs no loop of its own).
  FETCHcode run_unpausing(FETCH *e, Sink &s) {
    switch (GetParam()) {
      case Driver::kEasyPerform:
        EXPECT_EQ(fetch_easy_setopt(e, FETCHOPT_VERBOSE, 1L), FETCHE_OK);
        EXPECT_EQ(fetch_easy_setopt(e, FETCHOPT_DEBUGFUNCTION, &unpause_on_park), FETCHE_OK);
        EXPECT_EQ(fetch_easy_setopt(e, FETCHOPT_DEBUGDATA, &s), FETCHE_OK);
        return fetch_easy_perform(e);
      case Driver::kUvLoop: {
        uv_timer_init(harness_.loop(), &timer_);
        timer_.data = &s;
        s.on_pause = [this] {
          uv_timer_start(
              &timer_,
              [](uv_timer_t *t) {
                auto *sink = static_cast<Sink *>(t->data);
                sink->paused = false;
                EXPECT_EQ(fetch_easy_pause(sink->easy, FETCHPAUSE_CONT), FETCHE_OK);
              },
              60, 0);
        };
        FETCHcode rc = run_multi(harness_, {e})[0];
        uv_close(reinterpret_cast<uv_handle_t *>(&timer_), nullptr);
        uv_run(harness_.loop(), UV_RUN_NOWAIT);
        return rc;
      }
      case Driver::kMultiPoll:
      case Driver::kSocketAction:
        return run_multi(harness_, {e}, [&] {
          if (GetParam() == Driver::kSocketAction && s.paused &&
              Clock::now() - s.paused_at >= milliseconds(40)) {
            // Parked: the application was told to stop watching the socket.
            if (harness_.epoll()->watched() != 0) ++watched_while_paused_;
          }
          unpause_when_due(s);
        })[0];
    }
    return fetchtest::kNotFinished;
  }

  Harness harness_;
  HttpServer server_;
  uv_timer_t timer_{};
  size_t watched_while_paused_ = 0;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(PauseTest, WritePauseRedeliversTheRefusedBytesAndLosesNothing) {
  const std::string body = fetchtest::pattern_bytes(256 * 1024, 7);
  server_.on("/data", pieces(head_for(body), body, 30000));
  Sink s;
  s.pause_on = {0, 3, 4};  // the first piece, then two pauses in a row
  EasyPtr e = easy("/data", s);
  ASSERT_EQ(run_unpausing(e.get(), s), FETCHE_OK) << errbuf_;
  expect_paused_and_whole(s, 3, body);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T),
            static_cast<fetch_off_t>(body.size()));
  EXPECT_EQ(watched_while_paused_, 0u) << "a paused transfer's socket is announced REMOVE";
}

TEST_P(PauseTest, ChunkedBodyWithManyPiecesHeld) {
  const std::string body = fetchtest::pattern_bytes(100000, 3);
  server_.on("/chunked", Script().send(fetchtest::chunked_response(200, {}, body, {777})));
  Sink s;
  s.pause_on = {0, 1, 2, 10, 50};
  EasyPtr e = easy("/chunked", s);
  ASSERT_EQ(run_unpausing(e.get(), s), FETCHE_OK) << errbuf_;
  expect_paused_and_whole(s, 5, body);
}

TEST_P(PauseTest, PauseWithGzipDecodingKeepsTheDecodedBytes) {
  const std::string plain = text_bytes(400000);
  const std::string packed = gzip(plain);
  ASSERT_LT(packed.size(), plain.size() / 4);
  server_.on("/gz",
             pieces(head_for(packed, {{"Content-Encoding", "gzip"}}), packed, packed.size() / 2));
  Sink s;
  s.pause_on = {0, 2, 5, 9};
  EasyPtr e = easy("/gz", s);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_ACCEPT_ENCODING, ""), FETCHE_OK);
  ASSERT_EQ(run_unpausing(e.get(), s), FETCHE_OK) << errbuf_;
  expect_paused_and_whole(s, 4, plain);
}

TEST_P(PauseTest, BodyEndedByCloseWithRepeatedPauses) {
  // No Content-Length: the close ends the body; the same piece is refused twice in a row.
  const std::string body = fetchtest::pattern_bytes(150000, 5);
  server_.on("/eof",
             Script().send_then_close(fetchtest::http_head(200, {{"Connection", "close"}}) + body));
  Sink s;
  s.pause_on = {0, 1, 2, 5, 6};
  EasyPtr e = easy("/eof", s);
  ASSERT_EQ(run_unpausing(e.get(), s), FETCHE_OK) << errbuf_;
  expect_paused_and_whole(s, 5, body);
}

TEST_P(PauseTest, GzipBodyEndedByCloseWithPauses) {
  const std::string plain = text_bytes(300000);
  server_.on("/gz",
             Script().send_then_close(fetchtest::http_head(200, {{"Connection", "close"},
                                                                 {"Content-Encoding", "gzip"}}) +
                                      gzip(plain)));
  Sink s;
  s.pause_on = {0, 3, 4, 8};
  EasyPtr e = easy("/gz", s);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_ACCEPT_ENCODING, "gzip"), FETCHE_OK);
  ASSERT_EQ(run_unpausing(e.get(), s), FETCHE_OK) << errbuf_;
  expect_paused_and_whole(s, 4, plain);
}

TEST_P(PauseTest, TimeoutStillAppliesWhilePaused) {
  const std::string body = fetchtest::pattern_bytes(50000, 4);
  server_.on("/data", Script().send(head_for(body) + body));
  Sink s;
  s.pause_on = {0};
  EasyPtr e = easy("/data", s);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 300L), FETCHE_OK);
  const Clock::time_point start = Clock::now();
  FETCHcode rc = GetParam() == Driver::kEasyPerform ? fetch_easy_perform(e.get())
                                                    : run_multi(harness_, {e.get()})[0];
  EXPECT_EQ(rc, FETCHE_OPERATION_TIMEDOUT);
  EXPECT_LT(fetchtest::ms_since(start), 3000) << "TIMEOUT ends a paused transfer";
  EXPECT_EQ(s.pauses, 1u);
  EXPECT_EQ(s.calls_while_paused, 0u);
  EXPECT_TRUE(s.data.empty());
}

INSTANTIATE_TEST_SUITE_P(Drivers, PauseTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

// ---- single-driver cases ------------------------------------------------------------------------

class PauseCaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
  }
  EasyPtr easy(const std::string &path) {
    EasyPtr e(
        fetchtest::make_easy(server_.origin() + path, {.connect_only = false, .errbuf = errbuf_}));
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 10000L), FETCHE_OK);
    return e;
  }
  // Adds a GET of "/data" (answered with `body` in one send) whose sink `s` pauses on its first
  // write, and turns the multi until it has paused or 5 s passed (the caller checks s.paused).
  // Use with ASSERT_NO_FATAL_FAILURE.
  void start_paused(const std::string &body, Sink &s, EasyPtr &e) {
    server_.on("/data", Script().send(head_for(body) + body));
    s.pause_on = {0};
    e = easy("/data");
    s.easy = e.get();
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &sink_write), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &s), FETCHE_OK);
    ASSERT_EQ(fetch_multi_add_handle(harness_.multi(), e.get()), FETCHM_OK);
    const Clock::time_point end = Clock::now() + milliseconds(5000);
    while (!s.paused && Clock::now() < end) harness_.turn();
  }
  Harness harness_{Driver::kMultiPoll};
  HttpServer server_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_F(PauseCaseTest, PauseInsideHeaderCallbackKeepsHeaderAndBodyOrder) {
  const std::string body = fetchtest::pattern_bytes(70000, 9);
  const std::string head =
      fetchtest::http_head(200, {{"Content-Type", "application/octet-stream"},
                                 {"X-One", "1"},
                                 {"X-Two", "2"},
                                 {"Content-Length", std::to_string(body.size())}});
  server_.on("/h", Script().send(head + body));
  Sink headers;
  headers.pause_on = {1, 3};  // "Content-Type:" and "X-Two:"
  Sink all;                   // the write callback, with FETCHOPT_HEADER: head, then body
  EasyPtr e = easy("/h");
  headers.easy = all.easy = e.get();
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERFUNCTION, &sink_write), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERDATA, &headers), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &sink_write), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &all), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADER, 1L), FETCHE_OK);
  FETCHcode rc = run_multi(harness_, {e.get()}, [&] { unpause_when_due(headers); })[0];
  ASSERT_EQ(rc, FETCHE_OK) << errbuf_;
  EXPECT_EQ(headers.pauses, 2u);
  EXPECT_EQ(headers.redelivery_mismatches, 0u);
  EXPECT_EQ(headers.calls_while_paused, 0u);
  EXPECT_EQ(all.calls_while_paused, 0u) << "the write callback waits for the header pause too";
  EXPECT_EQ(headers.data, head);
  EXPECT_TRUE(all.data == head + body) << "head lines and body in order, each once";
}

// The write callback pauses with fetch_easy_pause(RECV) and still takes what it was given.
size_t pause_and_take(char *data, size_t size, size_t nmemb, void *userdata) {
  auto *s = static_cast<Sink *>(userdata);
  const size_t len = size * nmemb;
  if (s->paused) ++s->calls_while_paused;
  if (s->calls++ == 0) {
    EXPECT_EQ(fetch_easy_pause(s->easy, FETCHPAUSE_RECV), FETCHE_OK);
    s->paused = true;
    ++s->pauses;
    s->paused_at = Clock::now();
  }
  s->data.append(data, len);
  return len;
}

TEST_F(PauseCaseTest, EasyPauseInsideWriteCallbackHoldsWhatFollows) {
  const std::string body = fetchtest::pattern_bytes(200000, 11);
  server_.on("/data", pieces(head_for(body), body, 20000));
  Sink s;
  EasyPtr e = easy("/data");
  s.easy = e.get();
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &pause_and_take), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &s), FETCHE_OK);
  FETCHcode rc = run_multi(harness_, {e.get()}, [&] { unpause_when_due(s); })[0];
  ASSERT_EQ(rc, FETCHE_OK) << errbuf_;
  EXPECT_EQ(s.pauses, 1u);
  EXPECT_EQ(s.calls_while_paused, 0u);
  EXPECT_TRUE(s.data == body) << "the accepted piece is not delivered again";
}

// A read callback that answers FETCH_READFUNC_PAUSE on chosen calls.
struct Source {
  FETCH *easy = nullptr;
  std::string data;
  size_t pos = 0;
  size_t calls = 0;
  std::set<size_t> pause_on;
  bool paused = false;
  size_t calls_while_paused = 0;
  size_t pauses = 0;
  Clock::time_point paused_at;
};

size_t source_read(char *buffer, size_t size, size_t nitems, void *userdata) {
  auto *s = static_cast<Source *>(userdata);
  if (s->paused) ++s->calls_while_paused;
  if (s->pause_on.count(s->calls++) != 0) {
    s->paused = true;
    ++s->pauses;
    s->paused_at = Clock::now();
    return FETCH_READFUNC_PAUSE;
  }
  const size_t n = std::min({size * nitems, s->data.size() - s->pos, size_t{30000}});
  memcpy(buffer, s->data.data() + s->pos, n);
  s->pos += n;
  return n;
}

TEST_F(PauseCaseTest, ReadfuncPauseStopsTheUploadUntilUnpaused) {
  server_.on("/put", Script().send(fetchtest::http_response(201, {}, "stored")));
  Source src;
  src.data = fetchtest::pattern_bytes(150000, 12);
  src.pause_on = {1, 2, 4};
  Sink out;
  EasyPtr e = easy("/put");
  src.easy = out.easy = e.get();
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UPLOAD, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILESIZE_LARGE,
                              static_cast<fetch_off_t>(src.data.size())),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, &source_read), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READDATA, &src), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &sink_write), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &out), FETCHE_OK);
  size_t paused_turns = 0;
  FETCHcode rc = run_multi(harness_, {e.get()}, [&] {
    if (!src.paused) return;
    ++paused_turns;
    if (Clock::now() - src.paused_at >= milliseconds(60)) {
      src.paused = false;
      EXPECT_EQ(fetch_easy_pause(e.get(), FETCHPAUSE_CONT), FETCHE_OK);
    }
  })[0];
  ASSERT_EQ(rc, FETCHE_OK) << errbuf_;
  EXPECT_EQ(src.pauses, 3u);
  EXPECT_EQ(src.calls_while_paused, 0u) << "the read callback is not asked while paused";
  EXPECT_LT(paused_turns, 200u) << "a paused upload does not spin";
  EXPECT_EQ(out.data, "stored");
  ASSERT_TRUE(server_.wait_for_requests(1));
  std::vector<fetchtest::RecordedRequest> r = server_.requests();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].complete);
  EXPECT_TRUE(r[0].body == src.data) << "the server got every body byte once";
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_UPLOAD_T),
            static_cast<fetch_off_t>(src.data.size()));
}

// The read callback pauses sending with fetch_easy_pause(SEND) and still returns its data: that
// piece is kept and sent after the unpause, and the next read waits for it.
size_t read_then_pause_send(char *buffer, size_t size, size_t nitems, void *userdata) {
  auto *s = static_cast<Source *>(userdata);
  if (s->paused) ++s->calls_while_paused;
  const size_t n = std::min({size * nitems, s->data.size() - s->pos, size_t{30000}});
  memcpy(buffer, s->data.data() + s->pos, n);
  s->pos += n;
  if (s->pause_on.count(s->calls++) != 0) {
    EXPECT_EQ(fetch_easy_pause(s->easy, FETCHPAUSE_SEND), FETCHE_OK);
    s->paused = true;
    ++s->pauses;
    s->paused_at = Clock::now();
  }
  return n;
}

TEST_F(PauseCaseTest, EasyPauseSendInsideReadCallbackHoldsTheRestOfTheBody) {
  server_.on("/put", Script().send(fetchtest::http_response(200, {}, "ok")));
  Source src;
  src.data = fetchtest::pattern_bytes(120000, 13);
  src.pause_on = {0, 2};
  Sink out;
  EasyPtr e = easy("/put");
  src.easy = out.easy = e.get();
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UPLOAD, 1L), FETCHE_OK);  // size unknown: chunked
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, &read_then_pause_send), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READDATA, &src), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &sink_write), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &out), FETCHE_OK);
  FETCHcode rc = run_multi(harness_, {e.get()}, [&] {
    if (src.paused && Clock::now() - src.paused_at >= milliseconds(60)) {
      src.paused = false;
      EXPECT_EQ(fetch_easy_pause(e.get(), FETCHPAUSE_CONT), FETCHE_OK);
    }
  })[0];
  ASSERT_EQ(rc, FETCHE_OK) << errbuf_;
  EXPECT_EQ(src.pauses, 2u);
  EXPECT_EQ(src.calls_while_paused, 0u) << "no read callback while sending is paused";
  EXPECT_EQ(out.data, "ok");
  ASSERT_TRUE(server_.wait_for_requests(1));
  std::vector<fetchtest::RecordedRequest> r = server_.requests();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].body == src.data);
}
// Transfer B's write callback unpauses transfer A (a callback of another transfer).
struct Unpauser {
  Sink *target = nullptr;
  std::string data;
};
size_t unpause_other(char *data, size_t size, size_t nmemb, void *userdata) {
  auto *u = static_cast<Unpauser *>(userdata);
  if (u->target->paused) {
    u->target->paused = false;
    EXPECT_EQ(fetch_easy_pause(u->target->easy, FETCHPAUSE_CONT), FETCHE_OK);
  }
  u->data.append(data, size * nmemb);
  return size * nmemb;
}

TEST_F(PauseCaseTest, UnpauseFromAnotherTransfersCallback) {
  const std::string body = fetchtest::pattern_bytes(150000, 14);
  server_.on("/a", pieces(head_for(body), body, 40000));
  server_.on("/b", Script().delay(milliseconds(150)).send(fetchtest::http_response(200, {}, "b")));
  Sink a;
  a.pause_on = {0};
  EasyPtr ea = easy("/a");
  a.easy = ea.get();
  ASSERT_EQ(fetch_easy_setopt(ea.get(), FETCHOPT_WRITEFUNCTION, &sink_write), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(ea.get(), FETCHOPT_WRITEDATA, &a), FETCHE_OK);
  Unpauser u{&a, {}};
  EasyPtr eb = easy("/b");
  ASSERT_EQ(fetch_easy_setopt(eb.get(), FETCHOPT_WRITEFUNCTION, &unpause_other), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(eb.get(), FETCHOPT_WRITEDATA, &u), FETCHE_OK);
  std::vector<FETCHcode> rc = run_multi(harness_, {ea.get(), eb.get()});
  EXPECT_EQ(rc[0], FETCHE_OK) << errbuf_;
  EXPECT_EQ(rc[1], FETCHE_OK) << errbuf_;
  EXPECT_EQ(a.pauses, 1u);
  EXPECT_FALSE(a.paused);
  EXPECT_EQ(a.calls_while_paused, 0u);
  EXPECT_EQ(a.redelivery_mismatches, 0u);
  EXPECT_TRUE(a.data == body);
  EXPECT_EQ(u.data, "b");
}

// fetch_easy_pause's answers (curl_easy_pause(3), docs BAD-INPUT: 43 without a connection).
struct CodeProbe {
  FETCH *easy = nullptr;
  std::vector<FETCHcode> inside;
};
size_t probe_write(char *, size_t size, size_t nmemb, void *userdata) {
  auto *p = static_cast<CodeProbe *>(userdata);
  p->inside.push_back(fetch_easy_pause(p->easy, FETCHPAUSE_ALL));
  p->inside.push_back(fetch_easy_pause(p->easy, FETCHPAUSE_CONT));
  return size * nmemb;
}

TEST_F(PauseCaseTest, EasyPauseCodes) {
  EXPECT_EQ(fetch_easy_pause(nullptr, FETCHPAUSE_ALL), FETCHE_BAD_FUNCTION_ARGUMENT);
  server_.on("/x", Script().send(fetchtest::http_response(200, {}, "xyz")));
  EasyPtr e = easy("/x");
  EXPECT_EQ(fetch_easy_pause(e.get(), FETCHPAUSE_ALL), FETCHE_BAD_FUNCTION_ARGUMENT)
      << "a handle that was never added has no connection";
  EXPECT_NE(std::string(errbuf_).find("no transfer"), std::string::npos) << errbuf_;
  CodeProbe probe{e.get(), {}};
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &probe_write), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &probe), FETCHE_OK);
  ASSERT_EQ(fetch_multi_add_handle(harness_.multi(), e.get()), FETCHM_OK);
  EXPECT_EQ(fetch_easy_pause(e.get(), FETCHPAUSE_RECV), FETCHE_BAD_FUNCTION_ARGUMENT)
      << "added but not started: no connection yet";
  std::map<FETCH *, FETCHcode> done;
  const Clock::time_point end = Clock::now() + milliseconds(5000);
  while (done.empty() && Clock::now() < end) {
    harness_.turn();
    fetchtest::drain_done(harness_.multi(), done);
  }
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[e.get()], FETCHE_OK) << errbuf_;
  EXPECT_EQ(probe.inside, (std::vector<FETCHcode>{FETCHE_OK, FETCHE_OK}))
      << "allowed inside the transfer's own callback";
  EXPECT_EQ(fetch_easy_pause(e.get(), FETCHPAUSE_CONT), FETCHE_BAD_FUNCTION_ARGUMENT)
      << "done: the connection is gone";
  EXPECT_EQ(fetch_multi_remove_handle(harness_.multi(), e.get()), FETCHM_OK);
  EXPECT_EQ(fetch_easy_pause(e.get(), FETCHPAUSE_CONT), FETCHE_BAD_FUNCTION_ARGUMENT);
}

TEST_F(PauseCaseTest, RemovingAPausedTransferWithHeldDataIsClean) {
  Sink s;
  EasyPtr e;
  ASSERT_NO_FATAL_FAILURE(start_paused(fetchtest::pattern_bytes(200000, 15), s, e));
  ASSERT_TRUE(s.paused);
  for (int i = 0; i < 3; ++i) harness_.turn();  // paused, with data held and more in the socket
  EXPECT_EQ(s.calls_while_paused, 0u);
  EXPECT_EQ(fetch_multi_remove_handle(harness_.multi(), e.get()), FETCHM_OK);
  EXPECT_EQ(fetch_easy_pause(e.get(), FETCHPAUSE_CONT), FETCHE_BAD_FUNCTION_ARGUMENT);
  e.reset();  // ASan: the held pieces and the connection are freed, nothing leaks
  int running = -1;
  EXPECT_EQ(fetch_multi_perform(harness_.multi(), &running), FETCHM_OK);
  EXPECT_EQ(running, 0);
}

// Removed from inside the callback that receives the held data after an unpause.
struct Remover {
  Sink sink;
  FETCHM *multi = nullptr;
  bool removed = false;
};
size_t remove_on_redelivery(char *data, size_t size, size_t nmemb, void *userdata) {
  auto *r = static_cast<Remover *>(userdata);
  const size_t len = size * nmemb;
  if (r->sink.calls++ == 0) {
    r->sink.paused = true;
    r->sink.paused_at = Clock::now();
    return FETCH_WRITEFUNC_PAUSE;
  }
  EXPECT_EQ(fetch_multi_remove_handle(r->multi, r->sink.easy), FETCHM_OK);
  r->removed = true;
  r->sink.data.append(data, len);
  return len;
}

TEST_F(PauseCaseTest, RemovedWhileHeldDataIsDeliveredIsClean) {
  const std::string body = fetchtest::pattern_bytes(200000, 16);
  server_.on("/data", pieces(head_for(body), body, 20000));
  Remover r;
  r.multi = harness_.multi();
  EasyPtr e = easy("/data");
  r.sink.easy = e.get();
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &remove_on_redelivery), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &r), FETCHE_OK);
  ASSERT_EQ(fetch_multi_add_handle(harness_.multi(), e.get()), FETCHM_OK);
  const Clock::time_point end = Clock::now() + milliseconds(5000);
  while (!r.removed && Clock::now() < end) {
    harness_.turn();
    unpause_when_due(r.sink, milliseconds(30));
  }
  ASSERT_TRUE(r.removed);
  for (int i = 0; i < 3; ++i) harness_.turn();
  EXPECT_EQ(r.sink.calls, 2u) << "no callback after the removal";
  EXPECT_TRUE(r.sink.data == body.substr(0, r.sink.data.size()));
  int running = -1;
  EXPECT_EQ(fetch_multi_perform(harness_.multi(), &running), FETCHM_OK);
  EXPECT_EQ(running, 0);
}

// libcurl forbids curl_easy_pause in the socket callback; libfetch allows it, because the call
// only records the state and defers the work: nothing nests, the transfer still completes.
TEST(PauseInSocketCallback, AllowedAndNotNested) {
  Harness harness(Driver::kSocketAction);
  ASSERT_TRUE(harness.ok());
  HttpServer server;
  ASSERT_EQ(server.start(), 0);
  const std::string body = fetchtest::pattern_bytes(50000, 18);
  server.on("/data", Script().send(head_for(body) + body));
  Sink s;
  EasyPtr e(fetchtest::make_easy(server.origin() + "/data", {.connect_only = false}));
  s.easy = e.get();
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &sink_write), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &s), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 10000L), FETCHE_OK);
  std::vector<FETCHcode> inside;
  harness.epoll()->on_socket = [&](FETCH *easy, int, int what) {
    if (easy == e.get() && what != FETCH_POLL_REMOVE) {
      inside.push_back(fetch_easy_pause(easy, FETCHPAUSE_RECV));
      inside.push_back(fetch_easy_pause(easy, FETCHPAUSE_CONT));
    }
  };
  FETCHcode rc = run_multi(harness, {e.get()})[0];
  harness.epoll()->on_socket = nullptr;
  EXPECT_EQ(rc, FETCHE_OK);
  ASSERT_FALSE(inside.empty());
  for (FETCHcode c : inside) EXPECT_EQ(c, FETCHE_OK);
  EXPECT_TRUE(s.data == body);
}

TEST_F(PauseCaseTest, MultiCleanupWithAPausedTransferIsClean) {
  Sink s;
  EasyPtr e;
  ASSERT_NO_FATAL_FAILURE(start_paused(fetchtest::pattern_bytes(100000, 17), s, e));
  ASSERT_TRUE(s.paused);
  harness_.shutdown();  // fetch_multi_cleanup with the paused transfer still added
  EXPECT_EQ(fetch_easy_pause(e.get(), FETCHPAUSE_CONT), FETCHE_BAD_FUNCTION_ARGUMENT);
}

}  // namespace
