// Progress callbacks end to end, under each of the four drivers (runtime/drivers.h), against the
// scripted server: XFERINFOFUNCTION and PROGRESSFUNCTION (CURLOPT_XFERINFOFUNCTION(3),
// CURLOPT_PROGRESSFUNCTION(3)), NOPROGRESS, the idle tick, aborting, the built-in meter, and the
// callback's place among the other callbacks (never nested, removal inside it is clean).
#define FETCH_DISABLE_DEPRECATION  // FETCHOPT_PROGRESSFUNCTION is deprecated, and tested here
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Clock;
using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::Script;
using std::chrono::milliseconds;

struct Call {
  int64_t dltotal, dlnow, ultotal, ulnow;
  long at_ms;  // since the transfer started
};

// What a progress callback saw, and what it does.
struct Recorder {
  std::vector<Call> calls;
  Clock::time_point start = Clock::now();
  int answer = 0;               // returned on every call...
  int64_t abort_after_dl = -1;  // ...except 1 once dlnow > this (>= 0)
  long abort_after_ms = -1;     // ...or once this many ms passed (>= 0)
  bool in_write = false;        // set by the write callback while it runs
  int nested = 0;               // calls made while another callback ran
  FETCHM *multi = nullptr;      // for the re-entrancy checks below
  FETCH *easy = nullptr;
  bool remove_on_first = false;
  int64_t remove_at_dl = -1;  // remove the handle once dlnow reaches this (>= 0)
  FETCHMcode perform_inside = FETCHM_OK;
  bool perform_self = false;  // call fetch_easy_perform(easy) from the first call
  FETCHcode easy_perform_inside = FETCHE_OK;
  int progress_calls = 0;  // PROGRESSFUNCTION (doubles)
  std::vector<double> last_doubles;
};

int on_xferinfo(void *p, fetch_off_t dltotal, fetch_off_t dlnow, fetch_off_t ultotal,
                fetch_off_t ulnow) {
  auto *r = static_cast<Recorder *>(p);
  if (r->in_write) ++r->nested;
  r->calls.push_back(Call{dltotal, dlnow, ultotal, ulnow, fetchtest::ms_since(r->start)});
  if (r->multi != nullptr && r->calls.size() == 1) {
    int running = 0;
    r->perform_inside = fetch_multi_perform(r->multi, &running);
    if (r->remove_on_first) fetch_multi_remove_handle(r->multi, r->easy);
  }
  if (r->perform_self && r->calls.size() == 1) r->easy_perform_inside = fetch_easy_perform(r->easy);
  if (r->remove_at_dl >= 0 && dlnow >= r->remove_at_dl && r->multi != nullptr) {
    EXPECT_EQ(fetch_multi_remove_handle(r->multi, r->easy), FETCHM_OK);
    r->remove_at_dl = -1;
  }
  if (r->abort_after_dl >= 0 && dlnow > r->abort_after_dl) return 1;
  if (r->abort_after_ms >= 0 && r->calls.back().at_ms >= r->abort_after_ms) return 1;
  return r->answer;
}

int on_progress(void *p, double dltotal, double dlnow, double ultotal, double ulnow) {
  auto *r = static_cast<Recorder *>(p);
  ++r->progress_calls;
  r->last_doubles = {dltotal, dlnow, ultotal, ulnow};
  return 0;
}

struct Sink {
  std::string body;
  Recorder *recorder = nullptr;
};

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  auto *s = static_cast<Sink *>(userdata);
  if (s->recorder != nullptr) s->recorder->in_write = true;
  s->body.append(data, size * nmemb);
  if (s->recorder != nullptr) s->recorder->in_write = false;
  return size * nmemb;
}

class ProgressTest : public ::testing::TestWithParam<Driver> {
 protected:
  ProgressTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
    sink_.recorder = &rec_;
  }

  // A handle for `target` with XFERINFOFUNCTION -> rec_ and NOPROGRESS 0, body to sink_.
  EasyPtr easy(const std::string &target, bool with_callback = true) {
    EasyPtr e(fetchtest::make_easy(server_.origin() + target,
                                   {.connect_only = false, .errbuf = errbuf_}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &sink_), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 8000L), FETCHE_OK);
    if (with_callback) {
      EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_XFERINFOFUNCTION, &on_xferinfo), FETCHE_OK);
      EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_XFERINFODATA, &rec_), FETCHE_OK);
      EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_NOPROGRESS, 0L), FETCHE_OK);
    }
    return e;
  }

  FETCHcode perform(FETCH *e, milliseconds timeout = milliseconds(10000)) {
    rec_.start = Clock::now();
    FETCHcode rc = harness_.run_one(e, timeout);
    harness_.remove(e);
    return rc;
  }

  // A response of `size` body bytes sent in `pieces` parts, 30 ms apart.
  static Script pieces_response(const std::string &body, size_t pieces) {
    Script s;
    s.send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
    size_t step = (body.size() + pieces - 1) / pieces;
    for (size_t at = 0; at < body.size(); at += step) {
      s.delay(milliseconds(30));
      s.send(body.substr(at, step));
    }
    return s;
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  Recorder rec_;
  Sink sink_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

INSTANTIATE_TEST_SUITE_P(Drivers, ProgressTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

TEST_P(ProgressTest, DownloadCountsGrowToTheFullSizeWithContentLengthAsTotal) {
  const std::string body = fetchtest::pattern_bytes(96 * 1024);
  server_.on("/d", pieces_response(body, 4));
  EasyPtr e = easy("/d");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.body, body);
  ASSERT_GE(rec_.calls.size(), 3u);  // while the pieces arrive, and the last report
  int64_t previous = 0;
  for (const Call &c : rec_.calls) {
    EXPECT_GE(c.dlnow, previous) << "dlnow went backwards";
    previous = c.dlnow;
    EXPECT_TRUE(c.dltotal == 0 || c.dltotal == static_cast<int64_t>(body.size())) << c.dltotal;
    EXPECT_EQ(c.ultotal, 0);
    EXPECT_EQ(c.ulnow, 0);
  }
  const Call &last = rec_.calls.back();
  EXPECT_EQ(last.dlnow, static_cast<int64_t>(body.size()));
  EXPECT_EQ(last.dltotal, static_cast<int64_t>(body.size()));
  // Some report saw the body part-way.
  bool partial = false;
  for (const Call &c : rec_.calls) partial = partial || (c.dlnow > 0 && c.dlnow < last.dlnow);
  EXPECT_TRUE(partial);
  EXPECT_EQ(rec_.nested, 0) << "progress callback ran inside the write callback";
}

TEST_P(ProgressTest, StalledServerStillGetsAboutOneCallPerSecond) {
  server_.on("/stall", Script().send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc").stall());
  EasyPtr e = easy("/stall");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 2300L), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_OPERATION_TIMEDOUT);
  // Idle from ~0 s to 2.3 s: ticks at about 1 s and 2 s, plus the reports when data moved and
  // the last one.
  int idle_ticks = 0;
  for (const Call &c : rec_.calls) idle_ticks += c.at_ms >= 900 ? 1 : 0;
  EXPECT_GE(idle_ticks, 2);
  long previous = 0;
  for (const Call &c : rec_.calls) {
    EXPECT_LE(c.at_ms - previous, 1400) << "no call for more than a second";
    previous = c.at_ms;
  }
  ASSERT_FALSE(rec_.calls.empty());
  EXPECT_EQ(rec_.calls.back().dlnow, 3);
  EXPECT_LE(rec_.calls.size(), 12u) << "the idle tick spins";
}

TEST_P(ProgressTest, NonZeroReturnAbortsWithCallbackAborted) {
  server_.on("/a",
             Script().send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789").stall());
  EasyPtr e = easy("/a");
  rec_.abort_after_dl = 0;
  Clock::time_point start = Clock::now();
  EXPECT_EQ(perform(e.get()), FETCHE_ABORTED_BY_CALLBACK);
  EXPECT_STREQ(errbuf_, "Callback aborted");
  EXPECT_LT(fetchtest::ms_since(start), 900) << "the abort waited for the idle tick";
  ASSERT_FALSE(rec_.calls.empty());
  EXPECT_EQ(rec_.calls.back().dlnow, 10);
  size_t calls = rec_.calls.size();
  // The handle runs again afterwards (nothing stale is left on it or in the multi).
  rec_.abort_after_dl = -1;
  server_.on("/a", Script().send(fetchtest::http_response(200, {}, "fine")));
  sink_.body.clear();
  EXPECT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.body, "fine");
  EXPECT_GT(rec_.calls.size(), calls);
}

TEST_P(ProgressTest, AbortFromTheIdleTick) {
  // Nothing arrives at all: past 800 ms only the idle tick calls, about a second in.
  server_.on("/silent", Script().stall());
  EasyPtr e = easy("/silent");
  rec_.abort_after_ms = 800;
  EXPECT_EQ(perform(e.get()), FETCHE_ABORTED_BY_CALLBACK);
  EXPECT_STREQ(errbuf_, "Callback aborted");
  ASSERT_FALSE(rec_.calls.empty());
  EXPECT_GE(rec_.calls.back().at_ms, 800);
  EXPECT_LT(rec_.calls.back().at_ms, 2000);
}

TEST_P(ProgressTest, AbortOnTheLastReportTurnsSuccessInto42) {
  const std::string body(5000, 'x');
  server_.on("/last", Script().send(fetchtest::http_response(200, {}, body)));
  EasyPtr e = easy("/last");
  rec_.abort_after_dl = static_cast<int64_t>(body.size()) - 1;  // only the complete count
  EXPECT_EQ(perform(e.get()), FETCHE_ABORTED_BY_CALLBACK);
  EXPECT_STREQ(errbuf_, "Callback aborted");
  EXPECT_EQ(sink_.body, body);
}

TEST_P(ProgressTest, PerformingTheSameHandleInsideTheCallbackIsRefused) {
  server_.on("/self", Script().send(fetchtest::http_response(200, {}, "self")));
  EasyPtr e = easy("/self");
  rec_.easy = e.get();
  rec_.perform_self = true;
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(rec_.easy_perform_inside, FETCHE_RECURSIVE_API_CALL);
  EXPECT_EQ(sink_.body, "self");
}

TEST_P(ProgressTest, ProgressFunctionGetsDoubles) {
  const std::string body = fetchtest::pattern_bytes(20000);
  server_.on("/p", pieces_response(body, 2));
  EasyPtr e = easy("/p", false);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_PROGRESSFUNCTION, &on_progress), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_PROGRESSDATA, &rec_), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_NOPROGRESS, 0L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_GE(rec_.progress_calls, 2);
  ASSERT_EQ(rec_.last_doubles.size(), 4u);
  EXPECT_EQ(rec_.last_doubles[0], 20000.0);
  EXPECT_EQ(rec_.last_doubles[1], 20000.0);
  EXPECT_EQ(rec_.last_doubles[2], 0.0);
  EXPECT_EQ(rec_.last_doubles[3], 0.0);
}

TEST_P(ProgressTest, XferinfoWinsOverProgressFunction) {
  server_.on("/w", pieces_response(std::string(3000, 'w'), 2));
  EasyPtr e = easy("/w");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_PROGRESSFUNCTION, &on_progress), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_FALSE(rec_.calls.empty());
  EXPECT_EQ(rec_.progress_calls, 0);
}

TEST_P(ProgressTest, NoProgressOneNeverCalls) {
  server_.on("/n", Script().delay(milliseconds(1200)).send(fetchtest::http_response(200, {}, "n")));
  EasyPtr e = easy("/n");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_PROGRESSFUNCTION, &on_progress), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_NOPROGRESS, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(rec_.calls.empty());
  EXPECT_EQ(rec_.progress_calls, 0);
}

TEST_P(ProgressTest, DefaultIsNoProgress) {
  server_.on("/n", Script().send(fetchtest::http_response(200, {}, "n")));
  EasyPtr e = easy("/n", false);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_XFERINFOFUNCTION, &on_xferinfo), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_XFERINFODATA, &rec_), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(rec_.calls.empty());
}

size_t read_source(char *buffer, size_t size, size_t nitems, void *userdata) {
  auto *src = static_cast<std::pair<std::string, size_t> *>(userdata);
  size_t n = std::min({size * nitems, src->first.size() - src->second, size_t{16384}});
  memcpy(buffer, src->first.data() + src->second, n);
  src->second += n;
  return n;
}

TEST_P(ProgressTest, UploadReportsUlnowAndUltotal) {
  // Large enough that loopback socket buffers cannot take it all at once.
  std::pair<std::string, size_t> source{fetchtest::pattern_bytes(16 * 1024 * 1024), 0};
  // A slow reader on the server side makes the upload take several passes.
  server_.on("/up", Script()
                        .read_body_after(milliseconds(100))
                        .send(fetchtest::http_response(201, {}, "stored")));
  EasyPtr e = easy("/up");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UPLOAD, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, &read_source), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READDATA, &source), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_INFILESIZE_LARGE,
                              static_cast<fetch_off_t>(source.first.size())),
            FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.body, "stored");
  const int64_t size = static_cast<int64_t>(source.first.size());
  ASSERT_GE(rec_.calls.size(), 2u);
  int64_t previous = 0;
  bool partial = false;
  for (const Call &c : rec_.calls) {
    EXPECT_GE(c.ulnow, previous) << "ulnow went backwards";
    EXPECT_LE(c.ulnow, size);
    previous = c.ulnow;
    partial = partial || (c.ulnow > 0 && c.ulnow < size);
    if (c.ulnow > 0) {
      EXPECT_EQ(c.ultotal, size);
    }
  }
  EXPECT_TRUE(partial) << "no report during the upload";
  EXPECT_EQ(rec_.calls.back().ulnow, size);
  EXPECT_EQ(rec_.calls.back().ultotal, size);
  EXPECT_EQ(rec_.calls.back().dlnow, 6);
}

TEST_P(ProgressTest, DuplicatedHandleKeepsTheCallback) {
  server_.on("/dup", Script().send(fetchtest::http_response(200, {}, "dup")));
  EasyPtr e = easy("/dup");
  EasyPtr copy(fetch_easy_duphandle(e.get()));
  ASSERT_TRUE(copy);
  ASSERT_EQ(perform(copy.get()), FETCHE_OK);
  EXPECT_FALSE(rec_.calls.empty());
  rec_.calls.clear();
  fetch_easy_reset(copy.get());  // back to NOPROGRESS 1 and no callback
  ASSERT_EQ(fetch_easy_setopt(copy.get(), FETCHOPT_URL, (server_.origin() + "/dup").c_str()),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(copy.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(copy.get(), FETCHOPT_WRITEDATA, &sink_), FETCHE_OK);
  ASSERT_EQ(perform(copy.get()), FETCHE_OK);
  EXPECT_TRUE(rec_.calls.empty());
}

// ---- the built-in meter ----------------------------------------------------------------------

std::string read_all(FILE *f) {
  std::string out;
  rewind(f);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

TEST_P(ProgressTest, NoProgressZeroWithoutCallbackDrawsTheMeterOnStderr) {
  const std::string body(12345, 'm');
  server_.on("/m", Script().send(fetchtest::http_response(200, {}, body)));
  EasyPtr e = easy("/m", false);
  FILE *err = tmpfile();
  ASSERT_NE(err, nullptr);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_STDERR, err), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_NOPROGRESS, 0L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  std::string text = read_all(err);
  fclose(err);
  EXPECT_EQ(text.rfind("  % Total    % Received % Xferd  Average Speed", 0), 0u) << text;
  // The last line: 100 % of 12345 bytes received, nothing sent, ends with a newline.
  size_t last = text.rfind('\r');
  ASSERT_NE(last, std::string::npos) << text;
  std::string line = text.substr(last + 1);
  EXPECT_EQ(line.rfind("100 12345  100 12345    0     0 ", 0), 0u) << line;
  EXPECT_EQ(line.back(), '\n');
}

TEST_P(ProgressTest, ContinueFromTheCallbackDrawsTheMeterToo) {
  server_.on("/c", Script().send(fetchtest::http_response(200, {}, "cc")));
  EasyPtr e = easy("/c");
  rec_.answer = FETCH_PROGRESSFUNC_CONTINUE;
  FILE *err = tmpfile();
  ASSERT_NE(err, nullptr);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_STDERR, err), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  std::string text = read_all(err);
  fclose(err);
  EXPECT_FALSE(rec_.calls.empty());
  EXPECT_NE(text.find("% Received"), std::string::npos) << text;
  EXPECT_NE(text.find("\r100     2  100     2 "), std::string::npos) << text;
}

TEST_P(ProgressTest, CallbackReturningZeroDrawsNoMeter) {
  server_.on("/z", Script().send(fetchtest::http_response(200, {}, "zz")));
  EasyPtr e = easy("/z");
  FILE *err = tmpfile();
  ASSERT_NE(err, nullptr);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_STDERR, err), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(read_all(err), "");
  fclose(err);
  EXPECT_FALSE(rec_.calls.empty());
}

// ---- inside an application's multi ------------------------------------------------------------

class ProgressMultiTest : public ProgressTest {};

INSTANTIATE_TEST_SUITE_P(Drivers, ProgressMultiTest,
                         ::testing::ValuesIn(fetchtest::multi_drivers()),
                         fetchtest::driver_param_name);

TEST_P(ProgressMultiTest, MultiCallsInsideTheCallbackAreRefused) {
  server_.on("/r", pieces_response(std::string(4000, 'r'), 2));
  EasyPtr e = easy("/r");
  rec_.multi = harness_.multi();
  rec_.easy = e.get();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(rec_.perform_inside, FETCHM_RECURSIVE_API_CALL);
}

TEST_P(ProgressMultiTest, RemovingTheTransferInsideTheCallbackIsClean) {
  server_.on("/rm", Script().send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc").stall());
  EasyPtr e = easy("/rm");
  rec_.multi = harness_.multi();
  rec_.easy = e.get();
  rec_.remove_on_first = true;
  FETCHM *multi = harness_.multi();
  ASSERT_EQ(fetch_multi_add_handle(multi, e.get()), FETCHM_OK);
  // Drive until the callback removed the handle; no message may come for it.
  const Clock::time_point end = Clock::now() + milliseconds(5000);
  while (rec_.calls.empty() && Clock::now() < end) {
    switch (GetParam()) {
      case Driver::kMultiPoll: {
        int running = 0;
        ASSERT_EQ(fetch_multi_perform(multi, &running), FETCHM_OK);
        fetch_multi_poll(multi, nullptr, 0, 100, nullptr);
        break;
      }
      case Driver::kSocketAction:
        harness_.epoll()->run_once(milliseconds(100));
        break;
      case Driver::kUvLoop:
        uv_run(harness_.loop(), UV_RUN_ONCE);  // the idle tick bounds the wait
        break;
      case Driver::kEasyPerform:
        break;
    }
  }
  ASSERT_EQ(rec_.calls.size(), 1u);
  std::optional<std::vector<FETCH *>> left = fetchtest::handles_in(multi);
  ASSERT_TRUE(left.has_value());
  EXPECT_TRUE(left->empty());
  int queued = -1;
  EXPECT_EQ(fetch_multi_info_read(multi, &queued), nullptr);
  // The handle is usable again, on its own.
  rec_.multi = nullptr;
  rec_.remove_on_first = false;
  server_.on("/rm", Script().send(fetchtest::http_response(200, {}, "again")));
  sink_.body.clear();
  EXPECT_EQ(fetch_easy_perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.body, "again");
}

TEST_P(ProgressMultiTest, RemovingTheTransferInsideTheLastReportIsClean) {
  const std::string body(3000, 'f');
  server_.on("/fin", Script().send(fetchtest::http_response(200, {}, body)));
  EasyPtr e = easy("/fin");
  FETCHM *multi = harness_.multi();
  rec_.multi = multi;
  rec_.easy = e.get();
  rec_.remove_at_dl = static_cast<int64_t>(body.size());  // only the last report sees it all
  ASSERT_EQ(fetch_multi_add_handle(multi, e.get()), FETCHM_OK);
  const Clock::time_point end = Clock::now() + milliseconds(5000);
  while (rec_.remove_at_dl >= 0 && Clock::now() < end) {
    switch (GetParam()) {
      case Driver::kMultiPoll: {
        int running = 0;
        ASSERT_EQ(fetch_multi_perform(multi, &running), FETCHM_OK);
        fetch_multi_poll(multi, nullptr, 0, 100, nullptr);
        break;
      }
      case Driver::kSocketAction:
        harness_.epoll()->run_once(milliseconds(100));
        break;
      case Driver::kUvLoop:
        uv_run(harness_.loop(), UV_RUN_ONCE);
        break;
      case Driver::kEasyPerform:
        break;
    }
  }
  EXPECT_EQ(rec_.remove_at_dl, -1) << "the last report never came";
  EXPECT_EQ(sink_.body, body);
  std::optional<std::vector<FETCH *>> left = fetchtest::handles_in(multi);
  ASSERT_TRUE(left.has_value());
  EXPECT_TRUE(left->empty());
  int queued = -1;
  EXPECT_EQ(fetch_multi_info_read(multi, &queued), nullptr);  // removed: no DONE message
}

TEST_P(ProgressMultiTest, AnAbortedTransferLeavesTheOthersAlone) {
  const std::string body(40000, 'o');
  server_.on("/ok", pieces_response(body, 3));
  server_.on("/abort", Script().send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nab").stall());
  EasyPtr ok = easy("/ok");
  Recorder aborting;
  aborting.abort_after_dl = 0;
  EasyPtr bad(fetchtest::make_easy(server_.origin() + "/abort", {.connect_only = false}));
  ASSERT_TRUE(bad);
  Sink bad_sink;
  ASSERT_EQ(fetch_easy_setopt(bad.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(bad.get(), FETCHOPT_WRITEDATA, &bad_sink), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(bad.get(), FETCHOPT_XFERINFOFUNCTION, &on_xferinfo), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(bad.get(), FETCHOPT_XFERINFODATA, &aborting), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(bad.get(), FETCHOPT_NOPROGRESS, 0L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(bad.get(), FETCHOPT_TIMEOUT_MS, 8000L), FETCHE_OK);
  std::vector<FETCHcode> results = harness_.run({bad.get(), ok.get()});
  EXPECT_EQ(results[0], FETCHE_ABORTED_BY_CALLBACK);
  EXPECT_EQ(results[1], FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.body, body);
  EXPECT_EQ(rec_.calls.back().dlnow, static_cast<int64_t>(body.size()));
  harness_.remove(bad.get());
  harness_.remove(ok.get());
}

}  // namespace
