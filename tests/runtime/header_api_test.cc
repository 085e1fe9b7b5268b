// The header API over real transfers (runtime/header_store.*, hooks in runtime/http_exchange.cc),
// under each of the four drivers: the headers of every hop of a redirect chain, 1xx headers,
// trailers of a chunked response, duplicates, nextheader order and origin filtering, lookups from
// inside the header callback, and what a new transfer and fetch_easy_reset leave.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::Script;
using List = std::vector<std::pair<std::string, std::string>>;

size_t discard(char *, size_t size, size_t nmemb, void *) { return size * nmemb; }

class HeaderApiTransfer : public ::testing::TestWithParam<Driver> {
 protected:
  HeaderApiTransfer() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
  }

  EasyPtr easy(const std::string &path) {
    EasyPtr e(
        fetchtest::make_easy(server_.origin() + path, {.connect_only = false, .errbuf = errbuf_}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &discard), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 10000L), FETCHE_OK);
    return e;
  }

  FETCHcode perform(FETCH *e) {
    FETCHcode rc = harness_.run_one(e);
    harness_.remove(e);
    return rc;
  }

  static List walk(FETCH *e, unsigned origin, int request) {
    List out;
    fetch_header *prev = nullptr;
    for (int i = 0; i < 1000; ++i) {
      fetch_header *h = fetch_easy_nextheader(e, origin, request, prev);
      if (h == nullptr) break;
      out.emplace_back(h->name, h->value);
      prev = h;
    }
    return out;
  }

  static std::string value(FETCH *e, const char *name, unsigned origin, int request,
                           size_t index = 0) {
    fetch_header *h = nullptr;
    FETCHHcode rc = fetch_easy_header(e, name, index, origin, request, &h);
    if (rc != FETCHHE_OK) return "<" + std::to_string(rc) + ">";
    return h->value;
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(HeaderApiTransfer, EveryHopOfARedirectChainIsItsOwnRequest) {
  server_.on("/a", Script().send(fetchtest::http_response(
                       302, {{"Location", "/b"}, {"X-Hop", "a"}, {"Set-Cookie", "s=a"}})));
  server_.on("/b",
             Script().send(fetchtest::http_response(301, {{"Location", "/c"}, {"X-Hop", "b"}})));
  server_.on("/c",
             Script().send(fetchtest::http_response(
                 200, {{"X-Hop", "c"}, {"Set-Cookie", "s=1"}, {"set-cookie", "s=2"}}, "end")));
  EasyPtr e = easy("/a");
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  FETCH *h = e.get();
  EXPECT_EQ(value(h, "X-Hop", FETCHH_HEADER, 0), "a");
  EXPECT_EQ(value(h, "x-hop", FETCHH_HEADER, 1), "b");
  EXPECT_EQ(value(h, "X-HOP", FETCHH_HEADER, 2), "c");
  EXPECT_EQ(value(h, "X-Hop", FETCHH_HEADER, -1), "c");
  EXPECT_EQ(value(h, "Location", FETCHH_HEADER, 0), "/b");
  EXPECT_EQ(value(h, "Location", FETCHH_HEADER, 1), "/c");
  fetch_header *hh = nullptr;
  EXPECT_EQ(fetch_easy_header(h, "Location", 0, FETCHH_HEADER, -1, &hh), FETCHHE_MISSING);
  EXPECT_EQ(fetch_easy_header(h, "X-Hop", 0, FETCHH_HEADER, 3, &hh), FETCHHE_NOREQUEST);
  // Duplicates are counted within their own request only.
  ASSERT_EQ(fetch_easy_header(h, "Set-Cookie", 1, FETCHH_HEADER, -1, &hh), FETCHHE_OK);
  EXPECT_STREQ(hh->name, "set-cookie");
  EXPECT_STREQ(hh->value, "s=2");
  EXPECT_EQ(hh->amount, 2u);
  EXPECT_EQ(hh->index, 1u);
  EXPECT_EQ(fetch_easy_header(h, "Set-Cookie", 2, FETCHH_HEADER, -1, &hh), FETCHHE_BADINDEX);
  ASSERT_EQ(fetch_easy_header(h, "Set-Cookie", 0, FETCHH_HEADER, 0, &hh), FETCHHE_OK);
  EXPECT_EQ(hh->amount, 1u);
  EXPECT_EQ(walk(h, FETCHH_HEADER, 1),
            (List{{"Location", "/c"}, {"X-Hop", "b"}, {"Content-Length", "0"}}));
}

TEST_P(HeaderApiTransfer, InterimHeadersAre1xxOfTheSameRequest) {
  server_.on("/i", Script()
                       .send(fetchtest::informational_response(103, {{"Link", "</a.css>"}}))
                       .send(fetchtest::informational_response(103, {{"Link", "</b.js>"}}))
                       .send(fetchtest::http_response(200, {{"Link", "</final>"}}, "body")));
  EasyPtr e = easy("/i");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  FETCH *h = e.get();
  EXPECT_EQ(walk(h, FETCHH_1XX, -1), (List{{"Link", "</a.css>"}, {"Link", "</b.js>"}}));
  EXPECT_EQ(walk(h, FETCHH_HEADER, -1), (List{{"Link", "</final>"}, {"Content-Length", "4"}}));
  EXPECT_EQ(value(h, "Link", FETCHH_HEADER, -1), "</final>");
  fetch_header *hh = nullptr;
  ASSERT_EQ(fetch_easy_header(h, "link", 2, FETCHH_1XX | FETCHH_HEADER, 0, &hh), FETCHHE_OK);
  EXPECT_EQ(hh->amount, 3u);
  EXPECT_STREQ(hh->value, "</final>");
  EXPECT_TRUE(hh->origin & FETCHH_HEADER);
  ASSERT_EQ(fetch_easy_header(h, "link", 1, FETCHH_1XX, 0, &hh), FETCHHE_OK);
  EXPECT_TRUE(hh->origin & FETCHH_1XX);
  EXPECT_STREQ(hh->value, "</b.js>");
  // A 1xx does not start a new request (libcurl counts redirects, not interim responses).
  EXPECT_EQ(fetch_easy_header(h, "Link", 0, FETCHH_1XX, 1, &hh), FETCHHE_NOREQUEST);
}

TEST_P(HeaderApiTransfer, TrailersOfAChunkedResponse) {
  server_.on("/t", Script().send(fetchtest::chunked_response(
                       200, {{"X-Head", "h"}, {"Trailer", "X-Sum"}}, "chunked body", {3},
                       {{"X-Sum", "abc"}, {"X-Sum", "def"}})));
  EasyPtr e = easy("/t");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  FETCH *h = e.get();
  EXPECT_EQ(walk(h, FETCHH_TRAILER, -1), (List{{"X-Sum", "abc"}, {"X-Sum", "def"}}));
  EXPECT_EQ(walk(h, FETCHH_HEADER | FETCHH_TRAILER, 0), (List{{"X-Head", "h"},
                                                              {"Trailer", "X-Sum"},
                                                              {"Transfer-Encoding", "chunked"},
                                                              {"X-Sum", "abc"},
                                                              {"X-Sum", "def"}}));
  fetch_header *hh = nullptr;
  EXPECT_EQ(fetch_easy_header(h, "X-Sum", 0, FETCHH_HEADER, -1, &hh), FETCHHE_MISSING);
  ASSERT_EQ(fetch_easy_header(h, "x-sum", 1, FETCHH_TRAILER, -1, &hh), FETCHHE_OK);
  EXPECT_STREQ(hh->value, "def");
  EXPECT_EQ(hh->amount, 2u);
  EXPECT_TRUE(hh->origin & FETCHH_TRAILER);
  EXPECT_EQ(fetch_easy_header(h, "X-Head", 0, FETCHH_TRAILER, -1, &hh), FETCHHE_MISSING);
}

TEST_P(HeaderApiTransfer, ValuesAreTrimmedAndNamesKeepTheirCase) {
  server_.on("/w", Script().send("HTTP/1.1 200 OK\r\nX-Spaced:   a b  \r\nx-EMPTY:\r\n"
                                 "Content-Length: 2\r\n\r\nok"));
  EasyPtr e = easy("/w");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(walk(e.get(), FETCHH_HEADER, -1),
            (List{{"X-Spaced", "a b"}, {"x-EMPTY", ""}, {"Content-Length", "2"}}));
}

// curl_easy_header(3): usable from inside callbacks, with the headers received so far.
struct CallbackSeen {
  FETCH *easy = nullptr;
  std::vector<std::string> types;  // Content-Type as seen at each header line
};

size_t header_cb(char *, size_t size, size_t nmemb, void *userdata) {
  auto *seen = static_cast<CallbackSeen *>(userdata);
  fetch_header *h = nullptr;
  FETCHHcode rc = fetch_easy_header(seen->easy, "Content-Type", 0, FETCHH_HEADER, -1, &h);
  seen->types.push_back(rc == FETCHHE_OK ? std::string(h->value) : "<" + std::to_string(rc) + ">");
  return size * nmemb;
}

TEST_P(HeaderApiTransfer, UsableFromTheHeaderCallback) {
  server_.on("/cb",
             Script().send(fetchtest::http_response(200, {{"Content-Type", "text/x"}}, "z")));
  EasyPtr e = easy("/cb");
  CallbackSeen seen{e.get(), {}};
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERFUNCTION, &header_cb), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HEADERDATA, &seen), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  // Status line (nothing stored yet), Content-Type (stored before its callback), Content-Length,
  // the empty line.
  const std::string none = "<" + std::to_string(FETCHHE_NOHEADERS) + ">";
  EXPECT_EQ(seen.types, (std::vector<std::string>{none, "text/x", "text/x", "text/x"}));
}

TEST_P(HeaderApiTransfer, ANewTransferAndResetForgetTheOldHeaders) {
  server_.on("/one", Script().send(fetchtest::http_response(200, {{"X-One", "1"}}, "1")));
  server_.on("/two", Script().send(fetchtest::http_response(200, {{"X-Two", "2"}}, "2")));
  EasyPtr e = easy("/one");
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  FETCH *h = e.get();
  EXPECT_EQ(value(h, "X-One", FETCHH_HEADER, -1), "1");
  fetch_header *kept = nullptr;
  ASSERT_EQ(fetch_easy_header(h, "X-One", 0, FETCHH_HEADER, -1, &kept), FETCHHE_OK);
  ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_URL, (server_.origin() + "/two").c_str()), FETCHE_OK);
  ASSERT_EQ(perform(h), FETCHE_OK) << errbuf_;
  fetch_header *hh = nullptr;
  EXPECT_EQ(fetch_easy_header(h, "X-One", 0, FETCHH_HEADER, -1, &hh), FETCHHE_MISSING);
  EXPECT_EQ(value(h, "X-Two", FETCHH_HEADER, -1), "2");
  EXPECT_EQ(walk(h, FETCHH_HEADER, 0), (List{{"X-Two", "2"}, {"Content-Length", "1"}}));
  fetch_easy_reset(h);
  EXPECT_EQ(fetch_easy_header(h, "X-Two", 0, FETCHH_HEADER, -1, &hh), FETCHHE_NOHEADERS);
  EXPECT_EQ(fetch_easy_nextheader(h, FETCHH_HEADER, -1, nullptr), nullptr);
  // A header struct from before the reset leads nowhere.
  EXPECT_EQ(fetch_easy_nextheader(h, FETCHH_HEADER, -1, kept), nullptr);
}

TEST_P(HeaderApiTransfer, AFailedTransferKeepsWhatArrived) {
  server_.on("/cut", Script().send_then_close(
                         "HTTP/1.1 200 OK\r\nX-Before: yes\r\nContent-Length: 100\r\n\r\nshort"));
  EasyPtr e = easy("/cut");
  EXPECT_EQ(perform(e.get()), FETCHE_PARTIAL_FILE);
  EXPECT_EQ(value(e.get(), "X-Before", FETCHH_HEADER, -1), "yes");
}

struct Source {
  std::string data;
  size_t at = 0;
};

size_t read_source(char *buf, size_t size, size_t nmemb, void *userdata) {
  auto *src = static_cast<Source *>(userdata);
  size_t n = std::min(size * nmemb, src->data.size() - src->at);
  src->data.copy(buf, n, src->at);
  src->at += n;
  return n;
}

// libcurl counts every request it sends, retries included: the 417 to "Expect: 100-continue"
// is request 0 and the retry without it request 1.
TEST_P(HeaderApiTransfer, ARetriedRequestIsANewRequestAsInLibcurl) {
  server_.on("/put", Script()
                         .expect(fetchtest::ExpectMode::kReject)
                         .send(fetchtest::http_response(200, {{"X-Final", "yes"}}, "ok")));
  EasyPtr e = easy("/put");
  Source src{"a body of unknown size", 0};
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_UPLOAD, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READFUNCTION, &read_source), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_READDATA, &src), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  FETCH *h = e.get();
  EXPECT_EQ(fetchtest::info_long(h, FETCHINFO_RESPONSE_CODE), 200);
  EXPECT_EQ(value(h, "Connection", FETCHH_HEADER, 0), "close");  // the 417's
  EXPECT_EQ(value(h, "X-Final", FETCHH_HEADER, 1), "yes");
  EXPECT_EQ(value(h, "X-Final", FETCHH_HEADER, -1), "yes");
  fetch_header *hh = nullptr;
  EXPECT_EQ(fetch_easy_header(h, "Connection", 0, FETCHH_HEADER, -1, &hh), FETCHHE_MISSING);
  EXPECT_EQ(fetch_easy_header(h, "X-Final", 0, FETCHH_HEADER, 0, &hh), FETCHHE_MISSING);
}

INSTANTIATE_TEST_SUITE_P(Drivers, HeaderApiTransfer, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
