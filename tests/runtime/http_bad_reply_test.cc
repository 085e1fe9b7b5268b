// Bad replies through the whole stack (codec, exchange, scheduler, pool): each gives libcurl's
// code with a message, delivers exactly the valid body bytes that arrived, and never leaves a
// faulted connection in the pool. The cases are a subset of the catalog in BAD-INPUT.md (the
// shared folder); protocols/http1 tests the codec alone at every split offset.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"
#include "support/gzip.h"

namespace {

using fetchtest::EasyPtr;
using fetchtest::gzip;
using fetchtest::HttpServer;
using fetchtest::Script;

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

class HttpBadReplyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(server_.start(), 0); }

  EasyPtr easy(const std::string &path) {
    EasyPtr e(
        fetchtest::make_easy(server_.origin() + path, {.connect_only = false, .errbuf = errbuf_}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &body_), FETCHE_OK);
    return e;
  }

  // One fetch_easy_perform of `path` answered with `script`.
  FETCHcode fetch(const std::string &path, Script script) {
    server_.on(path, std::move(script));
    EasyPtr e = easy(path);
    return fetch_easy_perform(e.get());
  }

  // After a faulted transfer on `e`, a good one: it must need a new connection.
  void expect_next_transfer_on_a_new_connection(FETCH *e) {
    size_t before = server_.accepted();
    server_.on("/after", Script().send(fetchtest::http_response(200, {}, "fine")));
    fetch_easy_setopt(e, FETCHOPT_URL, (server_.origin() + "/after").c_str());
    body_.clear();
    ASSERT_EQ(fetch_easy_perform(e), FETCHE_OK) << errbuf_;
    EXPECT_EQ(body_, "fine");
    EXPECT_EQ(server_.accepted(), before + 1) << "the faulted connection was reused";
  }

  HttpServer server_;
  std::string body_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

// ---- status line --------------------------------------------------------------------------------

TEST_F(HttpBadReplyTest, CloseBeforeAnyByteIsGotNothing) {
  EXPECT_EQ(fetch("/x", Script().close()), FETCHE_GOT_NOTHING);
  EXPECT_NE(errbuf_[0], '\0');
}

TEST_F(HttpBadReplyTest, GarbageStatusLineOnAFreshConnection) {
  EXPECT_EQ(fetch("/x", Script().send("garbage here\r\n\r\n").close()),
            FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_NE(errbuf_[0], '\0');
  EXPECT_EQ(body_, "");
}

TEST_F(HttpBadReplyTest, GarbageStatusLineOnAReusedConnectionIsWeird) {
  server_.on("/x", [](const fetchtest::RecordedRequest &r) {
    if (r.index == 0) return Script().send(fetchtest::http_response(200, {}, "ok"));
    return Script().send("garbage here\r\n\r\n").close();
  });
  EasyPtr e = easy("/x");
  ASSERT_EQ(fetch_easy_perform(e.get()), FETCHE_OK) << errbuf_;
  body_.clear();
  EXPECT_EQ(fetch_easy_perform(e.get()), FETCHE_WEIRD_SERVER_REPLY);
  EXPECT_EQ(server_.accepted(), 1u);
  EXPECT_EQ(body_, "");
}

TEST_F(HttpBadReplyTest, Http12IsUnsupported) {
  EXPECT_EQ(fetch("/x", Script().send(fetchtest::versioned_response("HTTP/1.2")).close()),
            FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_NE(errbuf_[0], '\0');
}

// ---- headers ------------------------------------------------------------------------------------

TEST_F(HttpBadReplyTest, HeaderWithoutColonIsWeird) {
  EXPECT_EQ(fetch("/x", Script().send("HTTP/1.1 200 OK\r\nNoColonHere\r\nContent-Length: 2\r\n\r\n"
                                      "ok")),
            FETCHE_WEIRD_SERVER_REPLY);
  EXPECT_NE(errbuf_[0], '\0');
  EXPECT_EQ(body_, "");
}

TEST_F(HttpBadReplyTest, SingleHeaderOver100KiBIsTooLarge) {
  EXPECT_EQ(fetch("/x", Script().send(fetchtest::huge_header_response(101 * 1024))),
            FETCHE_TOO_LARGE);
  EXPECT_NE(errbuf_[0], '\0');
}

TEST_F(HttpBadReplyTest, HeaderBlockOver300KiBIsARecvError) {
  fetchtest::HeaderList headers;
  for (int i = 0; i < 320; ++i)
    headers.emplace_back("X-Fill-" + std::to_string(i), "f" + std::string(1000, 'f'));
  EXPECT_EQ(fetch("/x", Script().send(fetchtest::http_response(200, headers, "ok"))),
            FETCHE_RECV_ERROR);
  EXPECT_NE(errbuf_[0], '\0');
  EXPECT_EQ(body_, "");
}

// ---- framing ------------------------------------------------------------------------------------

TEST_F(HttpBadReplyTest, BodyShortOfContentLengthIsPartialWithTheBytesThatArrived) {
  EXPECT_EQ(
      fetch("/x", Script().send(fetchtest::wrong_content_length_response("abcde", 10)).close()),
      FETCHE_PARTIAL_FILE);
  EXPECT_EQ(body_, "abcde");
  EXPECT_NE(errbuf_[0], '\0');
}

TEST_F(HttpBadReplyTest, NonHexChunkSizeIsARecvError) {
  EXPECT_EQ(fetch("/x", Script().send(fetchtest::bogus_chunk_response("zz"))), FETCHE_RECV_ERROR);
  EXPECT_NE(errbuf_[0], '\0');
  EXPECT_EQ(body_, "");
}

TEST_F(HttpBadReplyTest, CutBeforeTheLastChunkIsPartial) {
  EXPECT_EQ(fetch("/x", Script().send(fetchtest::truncated_chunk_response(100, 10)).close()),
            FETCHE_PARTIAL_FILE);
  EXPECT_EQ(body_, std::string(10, 'c'));
}

TEST_F(HttpBadReplyTest, ConflictingContentLengthIsWeird) {
  EXPECT_EQ(fetch("/x", Script().send(fetchtest::duplicate_content_length_response("abcde", 5, 6))),
            FETCHE_WEIRD_SERVER_REPLY);
  EXPECT_NE(errbuf_[0], '\0');
  EXPECT_EQ(body_, "");
}

TEST_F(HttpBadReplyTest, ContentLengthWithChunkedChunkedWinsAndTheConnectionIsClosed) {
  server_.on("/x", Script().send(fetchtest::content_length_and_chunked_response("chunky body")));
  EasyPtr e = easy("/x");
  ASSERT_EQ(fetch_easy_perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body_, "chunky body");
  ASSERT_NO_FATAL_FAILURE(expect_next_transfer_on_a_new_connection(e.get()));
}

TEST_F(HttpBadReplyTest, FaultedConnectionIsNotReused) {
  server_.on("/x", Script().send(fetchtest::duplicate_content_length_response("abcde", 5, 6)));
  EasyPtr e = easy("/x");
  ASSERT_EQ(fetch_easy_perform(e.get()), FETCHE_WEIRD_SERVER_REPLY);
  ASSERT_NO_FATAL_FAILURE(expect_next_transfer_on_a_new_connection(e.get()));
}

// ---- timing -------------------------------------------------------------------------------------

TEST_F(HttpBadReplyTest, StalledServerTimesOut) {
  server_.on("/x", Script().stall());
  EasyPtr e = easy("/x");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 500L), FETCHE_OK);
  const auto start = fetchtest::Clock::now();
  EXPECT_EQ(fetch_easy_perform(e.get()), FETCHE_OPERATION_TIMEDOUT);
  EXPECT_LT(fetchtest::ms_since(start), 3000);
  EXPECT_NE(errbuf_[0], '\0');
}

// ---- options carrying CR or LF: 43, nothing sent ------------------------------------------------

// True when the server got no request bytes (a connection may have been opened).
bool no_request_arrived(const HttpServer &server) {
  return !server.wait_for_requests(1, fetchtest::milliseconds(200)) && server.requests().empty();
}

TEST_F(HttpBadReplyTest, CrLfInHttpHeaderIsRefusedBeforeSending) {
  server_.on("/x", Script().send(fetchtest::http_response(200, {}, "no")));
  EasyPtr e = easy("/x");
  fetchtest::SlistPtr list = fetchtest::make_slist({"X-Ok: 1", "X-Evil: a\r\nInjected: yes"});
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, list.get()), FETCHE_OK);
  EXPECT_EQ(fetch_easy_perform(e.get()), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_NE(errbuf_[0], '\0');
  EXPECT_TRUE(no_request_arrived(server_));
  EXPECT_EQ(body_, "");
}

// USERAGENT, CUSTOMREQUEST and REFERER are checked at setopt (BAD-INPUT.md); should one be
// accepted there, the transfer itself must fail with 43 before sending a byte.
void expect_refused_string(FETCH *e, FETCHoption option, const char *value,
                           const HttpServer &server) {
  FETCHcode set = fetch_easy_setopt(e, option, value);
  if (set == FETCHE_OK) {
    EXPECT_EQ(fetch_easy_perform(e), FETCHE_BAD_FUNCTION_ARGUMENT);
  } else {
    EXPECT_EQ(set, FETCHE_BAD_FUNCTION_ARGUMENT);
  }
  EXPECT_TRUE(no_request_arrived(server));
}

TEST_F(HttpBadReplyTest, CrLfInUserAgentIsRefused) {
  EasyPtr e = easy("/x");
  expect_refused_string(e.get(), FETCHOPT_USERAGENT, "agent\r\nX-Injected: 1", server_);
}

TEST_F(HttpBadReplyTest, LfInCustomRequestIsRefused) {
  EasyPtr e = easy("/x");
  expect_refused_string(e.get(), FETCHOPT_CUSTOMREQUEST, "GET /evil HTTP/1.1\nX:", server_);
}

TEST_F(HttpBadReplyTest, CrInRefererIsRefused) {
  EasyPtr e = easy("/x");
  expect_refused_string(e.get(), FETCHOPT_REFERER, "http://a/\rX: y", server_);
}

// ---- content decoding ---------------------------------------------------------------------------

TEST_F(HttpBadReplyTest, BrokenGzipIsABadContentEncoding) {
  server_.on("/x", Script().send(fetchtest::http_response(200, {{"Content-Encoding", "gzip"}},
                                                          "this is not gzip at all")));
  EasyPtr e = easy("/x");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_ACCEPT_ENCODING, ""), FETCHE_OK);
  EXPECT_EQ(fetch_easy_perform(e.get()), FETCHE_BAD_CONTENT_ENCODING);
  EXPECT_NE(errbuf_[0], '\0');
  EXPECT_EQ(body_, "");
}

TEST_F(HttpBadReplyTest, GzipIsDecodedWithAcceptEncodingEmpty) {
  const std::string plain = fetchtest::pattern_bytes(200000, 9) + std::string(100000, 'z');
  const std::string packed = gzip(plain);
  ASSERT_FALSE(packed.empty());
  server_.on("/x",
             Script().send(fetchtest::http_response(200, {{"Content-Encoding", "gzip"}}, packed)));
  EasyPtr e = easy("/x");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_ACCEPT_ENCODING, ""), FETCHE_OK);
  ASSERT_EQ(fetch_easy_perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(body_ == plain) << "decoded " << body_.size() << " of " << plain.size();
  // Accept-Encoding lists what libfetch decodes; the sizes are those of the wire.
  EXPECT_FALSE(server_.requests().at(0).header("Accept-Encoding").empty());
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T),
            static_cast<fetch_off_t>(packed.size()));
  // libcurl 8.x: SIZE_DOWNLOAD counts the encoded body received, SIZE_DELIVERED what the write
  // callback got.
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T),
            static_cast<fetch_off_t>(packed.size()));
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DELIVERED),
            static_cast<fetch_off_t>(plain.size()));
}

TEST_F(HttpBadReplyTest, GzipIsPassedThroughWithoutAcceptEncoding) {
  const std::string packed = gzip("raw bytes stay raw");
  server_.on("/x",
             Script().send(fetchtest::http_response(200, {{"Content-Encoding", "gzip"}}, packed)));
  EasyPtr e = easy("/x");
  ASSERT_EQ(fetch_easy_perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_TRUE(body_ == packed);
  EXPECT_FALSE(server_.requests().at(0).has_header("Accept-Encoding"));
}

// ---- one bad reply in a multi leaves the others alone -------------------------------------------

class HttpBadReplyMultiTest : public ::testing::TestWithParam<fetchtest::Driver> {};

TEST_P(HttpBadReplyMultiTest, OtherTransfersInTheMultiAreUnaffected) {
  fetchtest::Harness harness(GetParam());
  ASSERT_TRUE(harness.ok());
  HttpServer server;
  ASSERT_EQ(server.start(), 0);
  const std::string big = fetchtest::pattern_bytes(300000, 5);
  server.on("/good", Script().send(fetchtest::http_response(200, {}, big)));
  server.on("/bad", Script().send(fetchtest::bogus_chunk_response("zz")));
  server.on("/short", Script().send(fetchtest::wrong_content_length_response("abc", 9)).close());
  std::string bodies[4];
  char errors[4][FETCH_ERROR_SIZE] = {};
  const char *paths[4] = {"/good", "/bad", "/good", "/short"};
  std::vector<EasyPtr> owned;
  std::vector<FETCH *> handles;
  for (int i = 0; i < 4; ++i) {
    owned.emplace_back(fetchtest::make_easy(server.origin() + paths[i],
                                            {.connect_only = false, .errbuf = errors[i]}));
    fetch_easy_setopt(owned.back().get(), FETCHOPT_WRITEFUNCTION, &append_body);
    fetch_easy_setopt(owned.back().get(), FETCHOPT_WRITEDATA, &bodies[i]);
    handles.push_back(owned.back().get());
  }
  std::vector<FETCHcode> results = harness.run(handles);
  EXPECT_EQ(results[0], FETCHE_OK) << errors[0];
  EXPECT_EQ(results[1], FETCHE_RECV_ERROR) << errors[1];
  EXPECT_EQ(results[2], FETCHE_OK) << errors[2];
  EXPECT_EQ(results[3], FETCHE_PARTIAL_FILE) << errors[3];
  EXPECT_TRUE(bodies[0] == big);
  EXPECT_TRUE(bodies[2] == big);
  EXPECT_EQ(bodies[1], "");
  EXPECT_EQ(bodies[3], "abc");
  for (FETCH *h : handles) harness.remove(h);
}

INSTANTIATE_TEST_SUITE_P(Drivers, HttpBadReplyMultiTest,
                         ::testing::ValuesIn(fetchtest::multi_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
