// Adversarial tests of two changes: recycled HTTP/1 exchanges (runtime/exchange_pool.h, the
// NodeCache tables and Fifo queues) and the receive low-water mark of a long body
// (runtime/receive_low_water.h). Each test drives a long Content-Length body fast enough for the
// mark to go up, then does something awkward with it: pausing, a short body, a reset, a slow
// sender, MAX_RECV_SPEED, TIMEOUT, redirects on the same connection, bodiless responses, errors,
// removal from a callback, fetch_multi_cleanup mid-body, many transfers at once. Every test checks
// exact bytes and that the next request on the same handle (and, where kept, the same connection)
// sees nothing of the one before. Bounded: every transfer has a TIMEOUT and every loop a limit.
#include <fetch/fetch.h>
#include <fetch/header.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
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
using fetchtest::Harness;
using fetchtest::HttpServer;
using fetchtest::RecordedRequest;
using fetchtest::Script;
using std::chrono::milliseconds;

constexpr size_t kKiB = 1024;
constexpr size_t kMiB = 1024 * 1024;

// ---- sinks ---------------------------------------------------------------------------------

struct Sink {
  FETCH *easy = nullptr;
  FETCHM *multi = nullptr;
  std::string data;
  size_t calls = 0;
  std::set<size_t> pause_on;  // write calls (from 0) answered FETCH_WRITEFUNC_PAUSE
  size_t pauses = 0;
  bool paused = false;
  Clock::time_point paused_at;
  size_t calls_while_paused = 0;
  std::string refused;
  bool check_next = false;
  size_t redelivery_mismatches = 0;
  size_t remove_after = 0;  // multi: fetch_multi_remove_handle from the callback past this
  bool removed = false;
  size_t calls_after_remove = 0;
  bool pause_recv_api = false;  // take the bytes but call fetch_easy_pause(RECV) on pause calls
  milliseconds unpause_after{0};  // xferinfo unpauses once paused this long (0: on park)
};

size_t sink_write(char *data, size_t size, size_t nmemb, void *userdata) {
  auto *s = static_cast<Sink *>(userdata);
  const size_t len = size * nmemb;
  if (s->removed) ++s->calls_after_remove;
  if (s->paused) ++s->calls_while_paused;
  const size_t call = s->calls++;
  if (s->check_next) {
    s->check_next = false;
    if (std::string_view(data, len) != s->refused) ++s->redelivery_mismatches;
  }
  if (s->pause_on.count(call) != 0) {
    ++s->pauses;
    s->paused = true;
    s->paused_at = Clock::now();
    if (s->pause_recv_api) {
      EXPECT_EQ(fetch_easy_pause(s->easy, FETCHPAUSE_RECV), FETCHE_OK);
      s->data.append(data, len);
      return len;
    }
    s->refused.assign(data, len);
    s->check_next = true;
    return FETCH_WRITEFUNC_PAUSE;
  }
  s->data.append(data, len);
  if (s->remove_after != 0 && !s->removed && s->data.size() >= s->remove_after) {
    s->removed = true;
    EXPECT_EQ(fetch_multi_remove_handle(s->multi, s->easy), FETCHM_OK);
  }
  return len;
}

// Debug callback: unpauses as soon as the transfer is reported parked (unpause_after 0), inside
// the loop of every driver; collects the text lines.
struct Debug {
  Sink *sink = nullptr;
  std::string text;
};

int debug_cb(FETCH *, fetch_infotype type, char *data, size_t size, void *userdata) {
  auto *d = static_cast<Debug *>(userdata);
  if (type != FETCHINFO_TEXT) return 0;
  std::string_view line(data, size);
  d->text.append(line);
  Sink *s = d->sink;
  if (s != nullptr && s->paused && s->unpause_after.count() == 0 &&
      line.find("socket not watched until unpaused") != std::string_view::npos) {
    s->paused = false;
    EXPECT_EQ(fetch_easy_pause(s->easy, FETCHPAUSE_CONT), FETCHE_OK);
  }
  return 0;
}

// Progress callback: unpauses once paused for unpause_after (the ~1 s progress tick runs even
// while the transfer is parked).
int xferinfo_cb(void *clientp, fetch_off_t, fetch_off_t, fetch_off_t, fetch_off_t) {
  auto *s = static_cast<Sink *>(clientp);
  if (s->paused && s->unpause_after.count() > 0 && Clock::now() - s->paused_at >= s->unpause_after) {
    s->paused = false;
    EXPECT_EQ(fetch_easy_pause(s->easy, FETCHPAUSE_CONT), FETCHE_OK);
  }
  return 0;
}

size_t append_to(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

std::string body_of(size_t n, uint32_t seed) { return fetchtest::pattern_bytes(n, seed); }

std::string cl_head(size_t length, const std::string &extra = "") {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(length) + "\r\n" + extra + "\r\n";
}

// `head`, then `body` in pieces of `piece` bytes with `gap` between them: the client wakes idle
// for each piece and reads whole segments, so the mark goes up.
Script in_pieces(const std::string &head, const std::string &body, size_t piece = 256 * kKiB,
                 milliseconds gap = milliseconds(5)) {
  Script s;
  s.send(head);
  for (size_t at = 0; at < body.size(); at += piece) {
    s.send(body.substr(at, piece));
    if (at + piece < body.size()) s.delay(gap);
  }
  return s;
}

const std::string kShort = "short";

// ---- one bounded turn of a multi driver ----------------------------------------------------

void turn(Harness &h) {
  switch (h.driver()) {
    case Driver::kMultiPoll: {
      int running = 0;
      EXPECT_EQ(fetch_multi_perform(h.multi(), &running), FETCHM_OK);
      EXPECT_EQ(fetch_multi_poll(h.multi(), nullptr, 0, 20, nullptr), FETCHM_OK);
      break;
    }
    case Driver::kSocketAction:
      h.epoll()->run_once(milliseconds(20));
      break;
    case Driver::kUvLoop: {
      uv_timer_t guard;
      uv_timer_init(h.loop(), &guard);
      guard.data = h.loop();
      uv_timer_start(
          &guard, [](uv_timer_t *t) { uv_stop(static_cast<uv_loop_t *>(t->data)); }, 20, 0);
      uv_run(h.loop(), UV_RUN_DEFAULT);
      uv_close(reinterpret_cast<uv_handle_t *>(&guard), nullptr);
      uv_run(h.loop(), UV_RUN_NOWAIT);
      break;
    }
    case Driver::kEasyPerform:
      ADD_FAILURE() << "turn() is for multi drivers";
      break;
  }
}

// Reads every FETCHMSG_DONE; returns the result for `e` if one came.
bool done_result(FETCHM *m, FETCH *e, FETCHcode *rc) {
  bool found = false;
  int left = 0;
  while (FETCHMsg *msg = fetch_multi_info_read(m, &left)) {
    if (msg->msg == FETCHMSG_DONE && msg->easy_handle == e) {
      *rc = msg->data.result;
      found = true;
    }
  }
  return found;
}

// ---- the fixture: one easy handle, the test server, one driver -----------------------------

class RecycleBreakerTest : public ::testing::TestWithParam<Driver> {
 protected:
  RecycleBreakerTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    server_.on("/short", Script().send(fetchtest::http_response(200, {}, kShort)));
    ASSERT_EQ(server_.start(), 0);
    easy_.reset(
        fetchtest::make_easy(server_.origin() + "/", {.connect_only = false, .errbuf = errbuf_}));
    ASSERT_TRUE(easy_);
    sink_.easy = easy_.get();
    sink_.multi = harness_.multi();
    debug_.sink = &sink_;
    set(FETCHOPT_WRITEFUNCTION, &sink_write);
    set(FETCHOPT_WRITEDATA, &sink_);
    set(FETCHOPT_HEADERFUNCTION, &append_to);
    set(FETCHOPT_HEADERDATA, &head_);
    set(FETCHOPT_VERBOSE, 1L);
    set(FETCHOPT_DEBUGFUNCTION, &debug_cb);
    set(FETCHOPT_DEBUGDATA, &debug_);
    set(FETCHOPT_TIMEOUT_MS, 8000L);
  }

  template <class T>
  void set(FETCHoption opt, T value) {
    ASSERT_EQ(fetch_easy_setopt(easy_.get(), opt, value), FETCHE_OK);
  }

  FETCHcode get(const std::string &path, milliseconds limit = milliseconds(9000)) {
    sink_.data.clear();
    sink_.calls = 0;
    head_.clear();
    fetch_easy_setopt(easy_.get(), FETCHOPT_URL, (server_.origin() + path).c_str());
    FETCHcode rc = harness_.run_one(easy_.get(), limit);
    harness_.remove(easy_.get());
    return rc;
  }

  // A GET of /short that must succeed with exactly "short".
  void expect_short(const char *why) {
    sink_.pause_on.clear();
    ASSERT_EQ(get("/short"), FETCHE_OK) << why << ": " << errbuf_;
    EXPECT_EQ(sink_.data, kShort) << why;
    EXPECT_STREQ(errbuf_, "") << why;
    EXPECT_EQ(fetchtest::info_long(easy_.get(), FETCHINFO_RESPONSE_CODE), 200) << why;
  }

  std::vector<RecordedRequest> settled(size_t n) {
    EXPECT_TRUE(server_.wait_for_requests(n));
    return server_.requests();
  }

  Harness harness_;
  HttpServer server_;
  EasyPtr easy_;
  Sink sink_;
  Debug debug_;
  std::string head_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

// Write pauses mid-body while the mark is raised (unpaused as soon as the transfer parks):
// every byte once, in order; then the kept connection serves the next request at once.
TEST_P(RecycleBreakerTest, PauseMidBodyWhileMarkRaised) {
  const std::string body = body_of(4 * kMiB, 11);
  server_.on("/long", in_pieces(cl_head(body.size()), body));
  sink_.pause_on = {10, 40, 100, 180, 250};
  ASSERT_EQ(get("/long"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.pauses, 5u);
  EXPECT_EQ(sink_.redelivery_mismatches, 0u);
  EXPECT_EQ(sink_.calls_while_paused, 0u);
  EXPECT_EQ(sink_.data.size(), body.size());
  EXPECT_TRUE(sink_.data == body);
  EXPECT_NE(debug_.text.find("receive low-water mark raised"), std::string::npos);
  const Clock::time_point t0 = Clock::now();
  expect_short("after a paused long body");
  EXPECT_LT(fetchtest::ms_since(t0), 1000) << "the next response waited behind a mark";
  EXPECT_EQ(server_.accepted(), 1u);
}

// The same with fetch_easy_pause(RECV) called from the write callback (bytes taken).
TEST_P(RecycleBreakerTest, EasyPauseRecvMidBodyWhileMarkRaised) {
  const std::string body = body_of(3 * kMiB, 12);
  server_.on("/long", in_pieces(cl_head(body.size()), body));
  sink_.pause_on = {20, 90};
  sink_.pause_recv_api = true;
  ASSERT_EQ(get("/long"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.pauses, 2u);
  EXPECT_EQ(sink_.calls_while_paused, 0u);
  EXPECT_TRUE(sink_.data == body) << sink_.data.size();
  expect_short("after fetch_easy_pause(RECV)");
  EXPECT_EQ(server_.accepted(), 1u);
}

// A long pause (about a second, unpaused from the progress tick) while the server has sent the
// whole body: the socket fills, the server blocks, then everything comes.
TEST_P(RecycleBreakerTest, LongPauseWithTheWholeBodyQueued) {
  const std::string body = body_of(3 * kMiB, 13);
  server_.on("/long", Script().send(cl_head(body.size()) + body.substr(0, 512 * kKiB))
                          .delay(milliseconds(10))
                          .send(body.substr(512 * kKiB)));
  set(FETCHOPT_NOPROGRESS, 0L);
  set(FETCHOPT_XFERINFOFUNCTION, &xferinfo_cb);
  set(FETCHOPT_XFERINFODATA, &sink_);
  sink_.unpause_after = milliseconds(100);
  sink_.pause_on = {12};
  ASSERT_EQ(get("/long"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.pauses, 1u);
  EXPECT_EQ(sink_.redelivery_mismatches, 0u);
  EXPECT_TRUE(sink_.data == body) << sink_.data.size();
  set(FETCHOPT_NOPROGRESS, 1L);
  expect_short("after a long pause");
  EXPECT_EQ(server_.accepted(), 1u);
}

// The server closes with the body short while the mark is raised: 18 at once (the FIN wakes
// us whatever the mark), exactly the bytes that came; the next request uses a new connection.
TEST_P(RecycleBreakerTest, ShortBodyThenCloseWhileMarkRaised) {
  const std::string body = body_of(1536 * kKiB, 14);
  Script s = in_pieces(cl_head(4 * kMiB), body);
  server_.on("/cut", s.delay(milliseconds(5)).close());
  const Clock::time_point t0 = Clock::now();
  EXPECT_EQ(get("/cut"), FETCHE_PARTIAL_FILE) << errbuf_;
  EXPECT_LT(fetchtest::ms_since(t0), 3000);
  EXPECT_TRUE(sink_.data == body) << sink_.data.size();
  EXPECT_STRNE(errbuf_, "");
  expect_short("after a short body");
  EXPECT_EQ(server_.accepted(), 2u);
}

// RST mid-body while raised: 56, only valid bytes, a prefix of the body.
TEST_P(RecycleBreakerTest, ResetWhileMarkRaised) {
  const std::string body = body_of(1536 * kKiB, 15);
  Script s = in_pieces(cl_head(4 * kMiB), body);
  server_.on("/rst", s.delay(milliseconds(20)).reset());
  EXPECT_EQ(get("/rst"), FETCHE_RECV_ERROR) << errbuf_;
  EXPECT_LE(sink_.data.size(), body.size());
  EXPECT_TRUE(sink_.data == body.substr(0, sink_.data.size()));
  expect_short("after a reset");
  EXPECT_EQ(server_.accepted(), 2u);
}

// A fast start raises the mark, then the sender slows to a trickle: LOW_SPEED still fires
// (28), in time, with every byte that arrived before it delivered.
TEST_P(RecycleBreakerTest, SlowdownAfterFastStartTripsLowSpeed) {
  const std::string body = body_of(2 * kMiB, 16);
  Script s = in_pieces(cl_head(body.size()), body.substr(0, kMiB));
  s.trickle(body.substr(kMiB, 400), milliseconds(10));  // 100 B/s
  server_.on("/slow", s.stall());
  set(FETCHOPT_LOW_SPEED_LIMIT, 20000L);
  set(FETCHOPT_LOW_SPEED_TIME, 1L);
  const Clock::time_point t0 = Clock::now();
  EXPECT_EQ(get("/slow"), FETCHE_OPERATION_TIMEDOUT) << errbuf_;
  EXPECT_LT(fetchtest::ms_since(t0), 5000);
  EXPECT_GE(sink_.data.size(), kMiB);
  EXPECT_TRUE(sink_.data == body.substr(0, sink_.data.size()));
  set(FETCHOPT_LOW_SPEED_LIMIT, 0L);
  set(FETCHOPT_LOW_SPEED_TIME, 0L);
  expect_short("after a low-speed abort");
}

// TIMEOUT while the mark is raised and the sender stalls with a few bytes queued below it:
// those bytes are delivered before the 28.
TEST_P(RecycleBreakerTest, TimeoutWhileMarkRaisedDeliversTheQueuedBytes) {
  const std::string body = body_of(2 * kMiB, 17);
  const size_t sent = kMiB + 777;
  Script s = in_pieces(cl_head(body.size()), body.substr(0, kMiB));
  s.delay(milliseconds(30)).send(body.substr(kMiB, 777));
  server_.on("/stall", s.stall());
  set(FETCHOPT_TIMEOUT_MS, 900L);
  EXPECT_EQ(get("/stall"), FETCHE_OPERATION_TIMEDOUT);
  EXPECT_EQ(sink_.data.size(), sent);
  EXPECT_TRUE(sink_.data == body.substr(0, sent));
  set(FETCHOPT_TIMEOUT_MS, 8000L);
  expect_short("after a timeout");
  EXPECT_EQ(server_.accepted(), 2u);
}

// MAX_RECV_SPEED never raises the mark; the body is whole and the connection serves the next.
TEST_P(RecycleBreakerTest, MaxRecvSpeedLongBodyThenShort) {
  const std::string body = body_of(1536 * kKiB, 18);
  server_.on("/long", in_pieces(cl_head(body.size()), body));
  set(FETCHOPT_MAX_RECV_SPEED_LARGE, static_cast<fetch_off_t>(6 * kMiB));
  ASSERT_EQ(get("/long"), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(sink_.data == body) << sink_.data.size();
  EXPECT_EQ(debug_.text.find("receive low-water mark raised"), std::string::npos);
  set(FETCHOPT_MAX_RECV_SPEED_LARGE, static_cast<fetch_off_t>(0));
  // Then the same body unthrottled on the same connection (mark raised), then a short one.
  ASSERT_EQ(get("/long"), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(sink_.data == body) << sink_.data.size();
  expect_short("after throttled and unthrottled bodies");
  EXPECT_EQ(server_.accepted(), 1u);
}

// Chunked and close-delimited long bodies, each followed by requests on the handle; and a long
// Content-Length body right after a chunked one on the same connection.
TEST_P(RecycleBreakerTest, ChunkedAndCloseDelimitedLongBodies) {
  const std::string body = body_of(2 * kMiB, 19);
  const std::string chunked = fetchtest::chunked_response(200, {}, body, {70000});
  Script c;
  for (size_t at = 0; at < chunked.size(); at += 300 * kKiB) {
    c.send(chunked.substr(at, 300 * kKiB)).delay(milliseconds(3));
  }
  server_.on("/chunked", c);
  server_.on("/long", in_pieces(cl_head(body.size()), body));
  Script close_delimited = in_pieces("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", body);
  server_.on("/eof", close_delimited.close());

  ASSERT_EQ(get("/chunked"), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(sink_.data == body) << sink_.data.size();
  ASSERT_EQ(get("/long"), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(sink_.data == body) << sink_.data.size();
  ASSERT_EQ(get("/chunked"), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(sink_.data == body) << sink_.data.size();
  expect_short("after chunked");
  EXPECT_EQ(server_.accepted(), 1u);
  ASSERT_EQ(get("/eof"), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(sink_.data == body) << sink_.data.size();
  expect_short("after a close-delimited body");
  EXPECT_EQ(server_.accepted(), 2u);
}

// HEAD of a 10 MiB resource, 204, 304 with a Content-Length: no body is read for any, and the
// next request on the same connection gets its own answer at once.
TEST_P(RecycleBreakerTest, BodilessResponsesThenGetOnTheSameConnection) {
  server_.on("/big", Script().send(cl_head(10 * kMiB)));  // HEAD: the head only
  server_.on("/nc", Script().send("HTTP/1.1 204 No Content\r\nX-Stale: 204\r\n\r\n"));
  server_.on("/nm",
             Script().send("HTTP/1.1 304 Not Modified\r\nContent-Length: 5000\r\nX-Stale: 304\r\n\r\n"));
  set(FETCHOPT_NOBODY, 1L);
  ASSERT_EQ(get("/big"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.data, "");
  EXPECT_EQ(fetchtest::info_off(easy_.get(), FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T),
            static_cast<fetch_off_t>(10 * kMiB));
  set(FETCHOPT_NOBODY, 0L);
  set(FETCHOPT_HTTPGET, 1L);
  expect_short("after HEAD");
  ASSERT_EQ(get("/nc"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_long(easy_.get(), FETCHINFO_RESPONSE_CODE), 204);
  EXPECT_EQ(sink_.data, "");
  expect_short("after 204");
  EXPECT_EQ(head_.find("X-Stale"), std::string::npos) << head_;
  ASSERT_EQ(get("/nm"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_long(easy_.get(), FETCHINFO_RESPONSE_CODE), 304);
  EXPECT_EQ(sink_.data, "");
  expect_short("after 304");
  EXPECT_EQ(head_.find("X-Stale"), std::string::npos) << head_;
  EXPECT_EQ(server_.accepted(), 1u);
  std::vector<RecordedRequest> all = settled(6);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].method, "HEAD");
  for (size_t i = 1; i < all.size(); ++i) EXPECT_EQ(all[i].method, "GET") << i;
}

// A followed 302 whose long body is discarded while the mark is raised, then the target on the
// same connection; then a 302 not followed: its Location is the redirect URL, and the request
// after it has none.
TEST_P(RecycleBreakerTest, FollowedRedirectWithLongBodyOnTheSameConnection) {
  const std::string junk = body_of(2 * kMiB, 20);
  server_.on("/from", in_pieces("HTTP/1.1 302 Found\r\nLocation: /to\r\nContent-Length: " +
                                    std::to_string(junk.size()) + "\r\n\r\n",
                                junk));
  server_.on("/to", Script().send(fetchtest::http_response(200, {}, "landed")));
  set(FETCHOPT_FOLLOWLOCATION, 1L);
  ASSERT_EQ(get("/from"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.data, "landed");
  EXPECT_EQ(fetchtest::info_long(easy_.get(), FETCHINFO_REDIRECT_COUNT), 1);
  EXPECT_EQ(fetchtest::info_long(easy_.get(), FETCHINFO_RESPONSE_CODE), 200);
  std::vector<RecordedRequest> all = settled(2);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].target, "/to");
  EXPECT_EQ(all[1].connection_id, all[0].connection_id);
  set(FETCHOPT_FOLLOWLOCATION, 0L);
  ASSERT_EQ(get("/from"), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(sink_.data == junk) << sink_.data.size();
  EXPECT_EQ(fetchtest::info_string(easy_.get(), FETCHINFO_REDIRECT_URL), server_.origin() + "/to");
  expect_short("after an unfollowed redirect");
  EXPECT_EQ(fetchtest::info_string(easy_.get(), FETCHINFO_REDIRECT_URL), "(null)");
  EXPECT_EQ(fetchtest::info_long(easy_.get(), FETCHINFO_REDIRECT_COUNT), 0);
  EXPECT_EQ(server_.accepted(), 1u);
}

// Errors, then a request on the same handle: nothing of the error shows (result, error
// buffer, headers, infos), and a faulted connection is never used again.
TEST_P(RecycleBreakerTest, ReuseAfterErrorsLeavesNothingBehind) {
  server_.on("/nocolon", Script().send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Ok: 1\r\n"
                                       "NoColonHere\r\n\r\nhello"));
  server_.on("/typed", Script().send(fetchtest::http_response(
                           200, {{"Content-Type", "text/x-first"}, {"X-First", "1"}}, "typed")));
  server_.on("/badgz", Script().send(fetchtest::http_response(
                           200, {{"Content-Encoding", "gzip"}}, std::string(64, 'x'))));
  server_.on("/404", Script().send(fetchtest::http_response(404, {{"X-Err", "1"}}, "nope")));
  server_.on("/gz", Script().send(fetchtest::http_response(200, {{"Content-Encoding", "gzip"}},
                                                           fetchtest::gzip("unzipped"))));
  const std::string big = body_of(kMiB, 21);
  server_.on("/longcut",
             in_pieces(cl_head(big.size()), big.substr(0, 700 * kKiB)).delay(milliseconds(5)).close());

  EXPECT_EQ(get("/nocolon"), FETCHE_WEIRD_SERVER_REPLY);
  EXPECT_STRNE(errbuf_, "");
  expect_short("after a header without a colon");

  ASSERT_EQ(get("/typed"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_string(easy_.get(), FETCHINFO_CONTENT_TYPE), "text/x-first");
  expect_short("after a typed response");
  EXPECT_EQ(fetchtest::info_string(easy_.get(), FETCHINFO_CONTENT_TYPE), "(null)");
  fetch_header *h = nullptr;
  EXPECT_EQ(fetch_easy_header(easy_.get(), "X-First", 0, FETCHH_HEADER, -1, &h), FETCHHE_MISSING);

  set(FETCHOPT_ACCEPT_ENCODING, "");
  EXPECT_EQ(get("/badgz"), FETCHE_BAD_CONTENT_ENCODING);
  expect_short("after a broken gzip body");
  ASSERT_EQ(get("/gz"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.data, "unzipped");
  expect_short("after a good gzip body");

  set(FETCHOPT_FAILONERROR, 1L);
  EXPECT_EQ(get("/404"), FETCHE_HTTP_RETURNED_ERROR);
  EXPECT_EQ(sink_.data, "");
  set(FETCHOPT_FAILONERROR, 0L);
  expect_short("after FAILONERROR");
  EXPECT_EQ(head_.find("X-Err"), std::string::npos);

  EXPECT_EQ(get("/longcut"), FETCHE_PARTIAL_FILE);
  EXPECT_TRUE(sink_.data == big.substr(0, sink_.data.size())) << "no bytes of the next response";
  EXPECT_EQ(sink_.data.size(), 700 * kKiB);
  expect_short("after a cut body");

  // No request after a fault went out on the faulted connection.
  std::vector<RecordedRequest> all = server_.requests();
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      const bool faulted =
          all[j].target == "/nocolon" || all[j].target == "/badgz" || all[j].target == "/longcut";
      EXPECT_FALSE(faulted && all[j].connection_id == all[i].connection_id)
          << all[i].target << " went out on the connection of faulted " << all[j].target;
    }
  }
}

// Request bodies do not leak: a streamed PUT, then a GET; a POSTFIELDS body larger than what a
// kept exchange keeps, then a GET; Expect: 100-continue on a large upload, then a GET.
size_t read_pattern(char *buffer, size_t size, size_t nitems, void *userdata) {
  auto *src = static_cast<std::pair<std::string, size_t> *>(userdata);
  size_t n = std::min(size * nitems, src->first.size() - src->second);
  memcpy(buffer, src->first.data() + src->second, n);
  src->second += n;
  return n;
}

TEST_P(RecycleBreakerTest, RequestBodiesDoNotLeakIntoTheNextRequest) {
  server_.on("/put", Script().send(fetchtest::http_response(200, {}, "put-ok")));
  server_.on("/post", Script().send(fetchtest::http_response(200, {}, "post-ok")));
  std::pair<std::string, size_t> upload{body_of(1536 * kKiB, 22), 0};
  set(FETCHOPT_UPLOAD, 1L);
  set(FETCHOPT_READFUNCTION, &read_pattern);
  set(FETCHOPT_READDATA, &upload);
  set(FETCHOPT_INFILESIZE_LARGE, static_cast<fetch_off_t>(upload.first.size()));
  ASSERT_EQ(get("/put"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.data, "put-ok");
  set(FETCHOPT_UPLOAD, 0L);
  set(FETCHOPT_HTTPGET, 1L);
  expect_short("after a PUT");
  const std::string fields(40000, 'f');
  set(FETCHOPT_POSTFIELDS, fields.c_str());
  ASSERT_EQ(get("/post"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.data, "post-ok");
  set(FETCHOPT_HTTPGET, 1L);
  expect_short("after a large POST");
  std::vector<RecordedRequest> all = settled(4);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].method, "PUT");
  EXPECT_TRUE(all[0].body == upload.first) << all[0].body.size();
  EXPECT_EQ(all[2].method, "POST");
  EXPECT_EQ(all[2].body, fields);
  for (size_t i : {1u, 3u}) {
    EXPECT_EQ(all[i].method, "GET") << i;
    EXPECT_EQ(all[i].body, "") << i;
    EXPECT_FALSE(all[i].has_header("Content-Length")) << all[i].raw;
    EXPECT_FALSE(all[i].has_header("Expect")) << all[i].raw;
    EXPECT_FALSE(all[i].has_header("Transfer-Encoding")) << all[i].raw;
    EXPECT_FALSE(all[i].has_header("Content-Type")) << all[i].raw;
    EXPECT_TRUE(all[i].complete) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Drivers, RecycleBreakerTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

// ---- multi-only: several handles, removal from callbacks ------------------------------------

class RecycleBreakerMultiTest : public ::testing::TestWithParam<Driver> {
 protected:
  RecycleBreakerMultiTest() : harness_(GetParam()) {}
  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    server_.on("/short", Script().send(fetchtest::http_response(200, {}, kShort)));
    ASSERT_EQ(server_.start(), 0);
  }

  EasyPtr easy_for(const std::string &path, Sink &sink) {
    EasyPtr e(fetchtest::make_easy(server_.origin() + path, {.connect_only = false}));
    fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &sink_write);
    fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &sink);
    fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 8000L);
    sink.easy = e.get();
    sink.multi = harness_.multi();
    return e;
  }

  Harness harness_;
  HttpServer server_;
};

// Many transfers at once, long bodies of different sizes and BUFFERSIZEs through a few
// connections (MAX_HOST_CONNECTIONS), twice: recycled exchanges and nodes serve other handles.
TEST_P(RecycleBreakerMultiTest, ManyConcurrentLongBodiesTwice) {
  constexpr size_t kCount = 12;
  std::vector<std::string> bodies;
  for (size_t i = 0; i < kCount; ++i) {
    bodies.push_back(body_of(256 * kKiB + i * 97 * kKiB + i, 100 + static_cast<uint32_t>(i)));
    const std::string path = "/b" + std::to_string(i);
    if (i % 3 == 0) {
      server_.on(path, in_pieces(cl_head(bodies[i].size()), bodies[i], 128 * kKiB));
    } else if (i % 3 == 1) {
      server_.on(path, Script().send(fetchtest::chunked_response(200, {}, bodies[i], {50000})));
    } else {
      server_.on(path, Script().send(cl_head(bodies[i].size()) + bodies[i]));
    }
  }
  ASSERT_EQ(fetch_multi_setopt(harness_.multi(), FETCHMOPT_MAX_HOST_CONNECTIONS, 4L), FETCHM_OK);
  std::vector<Sink> sinks(kCount);
  std::vector<EasyPtr> handles;
  std::vector<FETCH *> raw;
  const long sizes[] = {1024L, 16384L, 524288L};
  for (size_t i = 0; i < kCount; ++i) {
    handles.push_back(easy_for("/b" + std::to_string(i), sinks[i]));
    fetch_easy_setopt(handles.back().get(), FETCHOPT_BUFFERSIZE, sizes[i % 3]);
    raw.push_back(handles.back().get());
  }
  for (int round = 0; round < 2; ++round) {
    for (Sink &s : sinks) s.data.clear();
    std::vector<FETCHcode> rc = harness_.run(raw, milliseconds(12000));
    for (size_t i = 0; i < kCount; ++i) {
      EXPECT_EQ(rc[i], FETCHE_OK) << round << "/" << i;
      EXPECT_TRUE(sinks[i].data == bodies[i]) << round << "/" << i << ": " << sinks[i].data.size();
      harness_.remove(raw[i]);
    }
  }
  EXPECT_LE(server_.accepted(), 8u);
}

// The write callback removes its own handle mid-body (mark raised); no callback after that;
// the same handle added again gets a whole new answer, not on the abandoned connection.
TEST_P(RecycleBreakerMultiTest, RemoveFromTheWriteCallbackMidBodyThenAddAgain) {
  const std::string body = body_of(3 * kMiB, 30);
  server_.on("/long", in_pieces(cl_head(body.size()), body));
  Sink sink;
  EasyPtr e = easy_for("/long", sink);
  sink.remove_after = 600 * kKiB;
  ASSERT_EQ(fetch_multi_add_handle(harness_.multi(), e.get()), FETCHM_OK);
  const Clock::time_point end = Clock::now() + milliseconds(5000);
  while (!sink.removed && Clock::now() < end) turn(harness_);
  ASSERT_TRUE(sink.removed);
  for (int i = 0; i < 5; ++i) turn(harness_);
  EXPECT_EQ(sink.calls_after_remove, 0u);
  EXPECT_TRUE(sink.data == body.substr(0, sink.data.size()));
  FETCHcode rc = fetchtest::kNotFinished;
  EXPECT_FALSE(done_result(harness_.multi(), e.get(), &rc)) << "no DONE for a removed handle";

  sink.data.clear();
  sink.remove_after = 0;
  sink.removed = false;
  fetch_easy_setopt(e.get(), FETCHOPT_URL, (server_.origin() + "/short").c_str());
  ASSERT_EQ(harness_.run_one(e.get()), FETCHE_OK);
  EXPECT_EQ(sink.data, kShort);
  harness_.remove(e.get());
  ASSERT_TRUE(server_.wait_for_requests(2));
  std::vector<RecordedRequest> all = server_.requests();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NE(all[1].connection_id, all[0].connection_id) << "reused a connection left mid-body";
}

// A transfer paused by its write callback is removed while paused; added again (new URL) it
// is not paused any more (a new transfer), and nothing held from the old one shows.
TEST_P(RecycleBreakerMultiTest, RemovedWhilePausedThenAddedAgainIsNotPaused) {
  const std::string body = body_of(2 * kMiB, 31);
  server_.on("/long", in_pieces(cl_head(body.size()), body));
  Sink sink;
  EasyPtr e = easy_for("/long", sink);
  sink.pause_on = {30};
  ASSERT_EQ(fetch_multi_add_handle(harness_.multi(), e.get()), FETCHM_OK);
  const Clock::time_point end = Clock::now() + milliseconds(5000);
  while (sink.pauses == 0 && Clock::now() < end) turn(harness_);
  ASSERT_EQ(sink.pauses, 1u);
  for (int i = 0; i < 3; ++i) turn(harness_);
  const size_t before = sink.data.size();
  EXPECT_TRUE(sink.data == body.substr(0, before));
  EXPECT_EQ(fetch_multi_remove_handle(harness_.multi(), e.get()), FETCHM_OK);
  sink.pause_on.clear();
  sink.paused = false;
  sink.check_next = false;
  sink.data.clear();
  fetch_easy_setopt(e.get(), FETCHOPT_URL, (server_.origin() + "/short").c_str());
  ASSERT_EQ(harness_.run_one(e.get(), milliseconds(4000)), FETCHE_OK);
  EXPECT_EQ(sink.data, kShort);
  harness_.remove(e.get());
}

// fetch_multi_cleanup with transfers mid-body (marks raised, one paused, one stalled): the
// handles survive and work again, in fetch_easy_perform and in a new multi.
TEST_P(RecycleBreakerMultiTest, MultiCleanupMidBodyThenHandlesWorkAgain) {
  const std::string body = body_of(4 * kMiB, 32);
  Script stalls = in_pieces(cl_head(body.size()), body.substr(0, kMiB));
  server_.on("/long", in_pieces(cl_head(body.size()), body, 256 * kKiB, milliseconds(20)));
  server_.on("/stalls", stalls.stall());
  std::vector<Sink> sinks(4);
  std::vector<EasyPtr> handles;
  for (size_t i = 0; i < sinks.size(); ++i) {
    handles.push_back(easy_for(i == 3 ? "/stalls" : "/long", sinks[i]));
    if (i == 2) sinks[i].pause_on = {20};
    ASSERT_EQ(fetch_multi_add_handle(harness_.multi(), handles.back().get()), FETCHM_OK);
  }
  const Clock::time_point end = Clock::now() + milliseconds(5000);
  auto far_enough = [&] {
    for (const Sink &s : sinks) {
      if (s.data.size() < 300 * kKiB) return false;
    }
    return true;
  };
  while (!far_enough() && Clock::now() < end) turn(harness_);
  EXPECT_TRUE(far_enough());
  harness_.shutdown();  // fetch_multi_cleanup with all four mid-body
  for (size_t i = 0; i < sinks.size(); ++i) {
    sinks[i].data.clear();
    sinks[i].pause_on.clear();
    sinks[i].paused = false;
    sinks[i].check_next = false;
    fetch_easy_setopt(handles[i].get(), FETCHOPT_URL, (server_.origin() + "/short").c_str());
    EXPECT_EQ(fetch_easy_perform(handles[i].get()), FETCHE_OK) << i;
    EXPECT_EQ(sinks[i].data, kShort) << i;
  }
  FETCHM *m = fetch_multi_init();
  ASSERT_NE(m, nullptr);
  for (size_t i = 0; i < sinks.size(); ++i) {
    sinks[i].data.clear();
    fetch_easy_setopt(handles[i].get(), FETCHOPT_URL, (server_.origin() + "/long").c_str());
    ASSERT_EQ(fetch_multi_add_handle(m, handles[i].get()), FETCHM_OK);
  }
  size_t done = 0;
  const Clock::time_point end2 = Clock::now() + milliseconds(8000);
  while (done < sinks.size() && Clock::now() < end2) {
    int running = 0;
    fetch_multi_perform(m, &running);
    int left = 0;
    while (FETCHMsg *msg = fetch_multi_info_read(m, &left)) {
      if (msg->msg == FETCHMSG_DONE) {
        EXPECT_EQ(msg->data.result, FETCHE_OK);
        ++done;
      }
    }
    fetch_multi_poll(m, nullptr, 0, 50, nullptr);
  }
  EXPECT_EQ(done, sinks.size());
  for (size_t i = 0; i < sinks.size(); ++i) {
    EXPECT_TRUE(sinks[i].data == body) << i << ": " << sinks[i].data.size();
  }
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
}

INSTANTIATE_TEST_SUITE_P(Drivers, RecycleBreakerMultiTest,
                         ::testing::ValuesIn(fetchtest::multi_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
