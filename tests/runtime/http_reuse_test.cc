// Keep-alive and the connection pool (runtime/connection_pool.*, runtime/scheduler_http.cc),
// under each of the four drivers: what is reused, what never is, and the one silent retry when
// the server dropped a reused connection.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::RecordedRequest;
using fetchtest::Script;

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

int collect_text(FETCH *, fetch_infotype type, char *data, size_t size, void *userp) {
  if (type == FETCHINFO_TEXT) static_cast<std::string *>(userp)->append(data, size);
  return 0;
}

// Gives the server's FIN time to reach the client before the next transfer starts. Either way
// the next transfer must succeed: when the FIN is late the reused connection fails before any
// answer and the request is retried, which is what the retry tests below force.
void let_the_close_arrive() { uv_sleep(100); }

class HttpReuseTest : public ::testing::TestWithParam<Driver> {
 protected:
  HttpReuseTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
  }

  // A handle for `url` whose body goes to `*body`.
  EasyPtr easy(const std::string &url, std::string *body) {
    EasyPtr e(fetchtest::make_easy(url, {.connect_only = false, .errbuf = errbuf_}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, body), FETCHE_OK);
    return e;
  }

  FETCHcode perform(FETCH *e) {
    FETCHcode rc = harness_.run_one(e);
    harness_.remove(e);
    return rc;
  }

  // One handle, `count` transfers one after the other; each must succeed with `expect`.
  void run_sequence(const std::string &path, int count, const std::string &expect,
                    std::vector<long> *connects = nullptr, FETCH *handle = nullptr) {
    std::string body;
    EasyPtr own;
    if (handle == nullptr) {
      own = easy(server_.origin() + path, &body);
      handle = own.get();
    } else {
      fetch_easy_setopt(handle, FETCHOPT_WRITEDATA, &body);
    }
    for (int i = 0; i < count; ++i) {
      body.clear();
      ASSERT_EQ(perform(handle), FETCHE_OK) << "transfer " << i << ": " << errbuf_;
      EXPECT_EQ(body, expect) << "transfer " << i;
      if (connects != nullptr) {
        connects->push_back(fetchtest::info_long(handle, FETCHINFO_NUM_CONNECTS));
      }
    }
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(HttpReuseTest, SequentialTransfersOnOneHandleShareOneConnection) {
  server_.on("/k", Script().send(fetchtest::http_response(200, {}, "kept")));
  std::vector<long> connects;
  ASSERT_NO_FATAL_FAILURE(run_sequence("/k", 5, "kept", &connects));
  EXPECT_EQ(server_.accepted(), 1u);
  EXPECT_EQ(connects, (std::vector<long>{1, 0, 0, 0, 0}));
  std::vector<RecordedRequest> all = server_.requests();
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].connection_id, 1u);
    EXPECT_EQ(all[i].index, i);
  }
}

// Bytes the server sends on an idle pooled connection (a late body, an unasked-for response)
// must never be read as the next request's response: the connection is checked at reuse, in
// every driver, and a fresh one is made.
TEST_P(HttpReuseTest, StrayBytesOnAnIdleConnectionAreNeverTakenAsTheNextResponse) {
  server_.on("/a", Script()
                       .send(fetchtest::http_response(200, {}, "first"))
                       .delay(std::chrono::milliseconds(50))
                       .send(fetchtest::http_response(200, {}, "SMUGGLED")));
  server_.on("/b", Script().send(fetchtest::http_response(200, {}, "second")));
  std::string body;
  EasyPtr e = easy(server_.origin() + "/a", &body);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "first");
  uv_sleep(200);  // the stray response arrives while the connection is idle in the pool
  body.clear();
  fetch_easy_setopt(e.get(), FETCHOPT_URL, (server_.origin() + "/b").c_str());
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "second");
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_NUM_CONNECTS), 1);
  EXPECT_EQ(server_.accepted(), 2u);
}

// CURLOPT_ERRORBUFFER(3): the buffer is emptied when a transfer starts, so an earlier message
// (from a failed setopt or transfer) does not outlive a successful one.
TEST_P(HttpReuseTest, ErrorBufferIsEmptiedWhenATransferStarts) {
  server_.on("/k", Script().send(fetchtest::http_response(200, {}, "kept")));
  std::string body;
  EasyPtr e = easy(server_.origin() + "/k", &body);
  EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXREDIRS, -5L), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_STRNE(errbuf_, "");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_STREQ(errbuf_, "");
}

TEST_P(HttpReuseTest, ChunkedAndHeadResponsesKeepTheConnection) {
  server_.on("/c", Script().send(fetchtest::chunked_response(200, {}, "chunks", {2})));
  server_.on("/h", Script().send(fetchtest::http_head(200, {{"Content-Length", "100"}})));
  std::string body;
  EasyPtr e = easy(server_.origin() + "/c", &body);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "chunks");
  fetch_easy_setopt(e.get(), FETCHOPT_URL, (server_.origin() + "/h").c_str());
  fetch_easy_setopt(e.get(), FETCHOPT_NOBODY, 1L);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  fetch_easy_setopt(e.get(), FETCHOPT_URL, (server_.origin() + "/c").c_str());
  fetch_easy_setopt(e.get(), FETCHOPT_HTTPGET, 1L);
  body.clear();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "chunks");
  EXPECT_EQ(server_.accepted(), 1u);
}

TEST_P(HttpReuseTest, ForbidReuseOpensANewConnectionEachTime) {
  server_.on("/f", Script().send(fetchtest::http_response(200, {}, "x")));
  std::string body;
  EasyPtr e = easy(server_.origin() + "/f", &body);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FORBID_REUSE, 1L), FETCHE_OK);
  std::vector<long> connects;
  ASSERT_NO_FATAL_FAILURE(run_sequence("/f", 3, "x", &connects, e.get()));
  EXPECT_EQ(server_.accepted(), 3u);
  EXPECT_EQ(connects, (std::vector<long>{1, 1, 1}));
}

TEST_P(HttpReuseTest, FreshConnectOpensANewConnection) {
  server_.on("/f", Script().send(fetchtest::http_response(200, {}, "x")));
  std::string body;
  EasyPtr e = easy(server_.origin() + "/f", &body);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FRESH_CONNECT, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_NUM_CONNECTS), 1);
  EXPECT_EQ(server_.accepted(), 2u);
}

TEST_P(HttpReuseTest, ConnectionCloseResponseIsNotReused) {
  // The server would keep the connection open; the client must honour the header anyway.
  server_.on("/cc", Script().send(fetchtest::http_response(200, {{"Connection", "close"}}, "bye")));
  ASSERT_NO_FATAL_FAILURE(run_sequence("/cc", 3, "bye"));
  EXPECT_EQ(server_.accepted(), 3u);
}

TEST_P(HttpReuseTest, Http10ResponseWithoutKeepAliveIsNotReused) {
  server_.on("/old", Script().send("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  ASSERT_NO_FATAL_FAILURE(run_sequence("/old", 2, "ok"));
  EXPECT_EQ(server_.accepted(), 2u);
}

TEST_P(HttpReuseTest, CloseDelimitedResponseIsNotReused) {
  server_.on("/cd", Script().send(fetchtest::http_head(200, {}) + "eof").close());
  ASSERT_NO_FATAL_FAILURE(run_sequence("/cd", 2, "eof"));
  EXPECT_EQ(server_.accepted(), 2u);
}

TEST_P(HttpReuseTest, ServerClosedIdleConnectionGivesAFreshOneAndNoDuplicates) {
  // The server closes each connection right after its answer: the pooled connection is dead.
  server_.on("/idle", Script().send(fetchtest::http_response(200, {}, "payload")).close());
  std::string body;
  EasyPtr e = easy(server_.origin() + "/idle", &body);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  let_the_close_arrive();
  body.clear();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "payload");
  EXPECT_EQ(server_.accepted(), 2u);
}

TEST_P(HttpReuseTest, ServerClosedIdleConnectionAfterADelay) {
  server_.on("/late", Script()
                          .send(fetchtest::http_response(200, {}, "payload"))
                          .delay(fetchtest::milliseconds(50))
                          .close());
  std::string body;
  EasyPtr e = easy(server_.origin() + "/late", &body);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  let_the_close_arrive();
  body.clear();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "payload");
  EXPECT_EQ(server_.accepted(), 2u);
}

// The server reads the second request on the kept connection and closes it without a byte of
// answer (the race "closed while idle" at its worst): the request is retried once, silently,
// on a new connection.
Script close_second_request_on_first_connection(const RecordedRequest &r, Script on_close) {
  if (r.connection_id == 1 && r.index == 1) return on_close;
  return Script().send(fetchtest::http_response(200, {}, "once"));
}

TEST_P(HttpReuseTest, ReusedConnectionClosedBeforeTheAnswerIsRetriedOnce) {
  server_.on("/r", [](const RecordedRequest &r) {
    return close_second_request_on_first_connection(r, Script().close());
  });
  std::string body;
  EasyPtr e = easy(server_.origin() + "/r", &body);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  body.clear();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "once");  // no duplicated bytes
  EXPECT_EQ(server_.accepted(), 2u);
  ASSERT_TRUE(server_.wait_for_requests(3));
  std::vector<RecordedRequest> all = server_.requests();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].connection_id, 2u);
  EXPECT_EQ(all[1].raw, all[2].raw) << "the retry sends the same request";
}

TEST_P(HttpReuseTest, ReusedConnectionResetBeforeTheAnswerIsRetriedOnce) {
  server_.on("/r", [](const RecordedRequest &r) {
    return close_second_request_on_first_connection(r, Script().reset());
  });
  std::string body;
  EasyPtr e = easy(server_.origin() + "/r", &body);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  body.clear();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "once");
  EXPECT_EQ(server_.accepted(), 2u);
}

TEST_P(HttpReuseTest, ResetAgainAfterTheRetryIsAnErrorNotALoop) {
  server_.on("/rr", [](const RecordedRequest &r) {
    if (r.connection_id == 1 && r.index == 0) {
      return Script().send(fetchtest::http_response(200, {}, "first"));
    }
    return Script().reset();
  });
  std::string body;
  EasyPtr e = easy(server_.origin() + "/rr", &body);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  body.clear();
  FETCHcode rc = perform(e.get());
  // A fresh connection reset before any answer: "Recv failure" (56), or 52 if seen as a close.
  EXPECT_TRUE(rc == FETCHE_RECV_ERROR || rc == FETCHE_GOT_NOTHING)
      << fetch_easy_strerror(rc) << ": " << errbuf_;
  EXPECT_EQ(body, "");
  EXPECT_EQ(server_.accepted(), 2u) << "exactly one retry";
  EXPECT_TRUE(server_.wait_for_requests(3));
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_P(HttpReuseTest, ExtraBytesAfterTheResponseForbidReuse) {
  server_.on("/junk", Script().send(fetchtest::http_response(200, {}, "good") + "JUNKJUNK"));
  std::string body;
  EasyPtr e = easy(server_.origin() + "/junk", &body);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "good");
  body.clear();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "good");
  EXPECT_EQ(server_.accepted(), 2u);
}

TEST_P(HttpReuseTest, DifferentOriginsNeverShareAConnection) {
  // Same port on 127.0.0.2 when it is free, so the origins differ only by host.
  fetchtest::HttpServerOptions other_options;
  other_options.host = "127.0.0.2";
  other_options.port = server_.port();
  auto other = std::make_unique<HttpServer>(other_options);
  if (other->start() != 0) {
    other_options.port = 0;
    other = std::make_unique<HttpServer>(other_options);
    ASSERT_EQ(other->start(), 0);
  }
  server_.on("/o", Script().send(fetchtest::http_response(200, {}, "one")));
  other->on("/o", Script().send(fetchtest::http_response(200, {}, "two")));
  std::string body;
  EasyPtr e = easy(server_.origin() + "/o", &body);
  const std::string urls[] = {server_.origin() + "/o", other->origin() + "/o",
                              server_.origin() + "/o", other->origin() + "/o"};
  const char *expect[] = {"one", "two", "one", "two"};
  for (int i = 0; i < 4; ++i) {
    fetch_easy_setopt(e.get(), FETCHOPT_URL, urls[i].c_str());
    body.clear();
    ASSERT_EQ(perform(e.get()), FETCHE_OK) << i << ": " << errbuf_;
    EXPECT_EQ(body, expect[i]) << i;
  }
  EXPECT_EQ(server_.accepted(), 1u);
  EXPECT_EQ(other->accepted(), 1u);
  for (const RecordedRequest &r : other->requests()) {
    EXPECT_EQ(r.header("Host"), "127.0.0.2:" + std::to_string(other->port()));
  }
}

TEST_P(HttpReuseTest, VerboseTraceNamesThePoolDecisions) {
  server_.on("/v", Script().send(fetchtest::http_response(200, {}, "v")));
  std::string body, trace;
  EasyPtr e = easy(server_.origin() + "/v", &body);
  fetch_easy_setopt(e.get(), FETCHOPT_VERBOSE, 1L);
  fetch_easy_setopt(e.get(), FETCHOPT_DEBUGFUNCTION, &collect_text);
  fetch_easy_setopt(e.get(), FETCHOPT_DEBUGDATA, &trace);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_NE(trace.find("pool: no idle connection"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("pool: reusing"), std::string::npos) << trace;
  trace.clear();
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_NE(trace.find("pool: reusing"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("pool: no idle connection"), std::string::npos) << trace;
}

// ---- many transfers in one multi ----------------------------------------------------------------

class HttpMultiReuseTest : public HttpReuseTest {};

TEST_P(HttpMultiReuseTest, ManyTransfersToOneOriginReuseConnections) {
  ASSERT_EQ(fetch_multi_setopt(harness_.multi(), FETCHMOPT_MAX_HOST_CONNECTIONS, 2L), FETCHM_OK);
  server_.on("/m", Script().send(fetchtest::http_response(200, {}, "many")));
  constexpr int kCount = 12;
  std::vector<std::string> bodies(kCount);
  std::vector<EasyPtr> owned;
  std::vector<FETCH *> handles;
  for (int i = 0; i < kCount; ++i) {
    owned.push_back(easy(server_.origin() + "/m", &bodies[i]));
    handles.push_back(owned.back().get());
  }
  std::vector<FETCHcode> results = harness_.run(handles);
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(results[i], FETCHE_OK) << i;
    EXPECT_EQ(bodies[i], "many") << i;
  }
  EXPECT_LE(server_.accepted(), 2u);
  EXPECT_EQ(server_.requests().size(), static_cast<size_t>(kCount));
  for (FETCH *h : handles) harness_.remove(h);
}

TEST_P(HttpMultiReuseTest, BatchesInOneMultiReuseTheFirstBatchConnections) {
  server_.on("/b", Script().send(fetchtest::http_response(200, {}, "batch")));
  constexpr int kBatch = 4;
  std::vector<std::string> bodies(kBatch);
  std::vector<EasyPtr> owned;
  std::vector<FETCH *> handles;
  for (int i = 0; i < kBatch; ++i) {
    owned.push_back(easy(server_.origin() + "/b", &bodies[i]));
    handles.push_back(owned.back().get());
  }
  for (int round = 0; round < 3; ++round) {
    for (std::string &b : bodies) b.clear();
    std::vector<FETCHcode> results = harness_.run(handles);
    for (int i = 0; i < kBatch; ++i) {
      EXPECT_EQ(results[i], FETCHE_OK) << round << "/" << i;
      EXPECT_EQ(bodies[i], "batch") << round << "/" << i;
    }
    for (FETCH *h : handles) harness_.remove(h);
  }
  EXPECT_LE(server_.accepted(), static_cast<size_t>(kBatch));
  EXPECT_EQ(server_.requests().size(), static_cast<size_t>(3 * kBatch));
}

INSTANTIATE_TEST_SUITE_P(Drivers, HttpReuseTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);
INSTANTIATE_TEST_SUITE_P(Drivers, HttpMultiReuseTest,
                         ::testing::ValuesIn(fetchtest::multi_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
