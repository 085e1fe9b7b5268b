// VERBOSE protocol bytes (runtime/trace.h, trace_data): CURLOPT_DEBUGFUNCTION(3) gets the request
// head as FETCHINFO_HEADER_OUT, every response head and trailer line as FETCHINFO_HEADER_IN and
// the body as received as FETCHINFO_DATA_IN; without a DEBUGFUNCTION the header lines go to
// FETCHOPT_STDERR as "> " and "< " lines, as libcurl's verbose output. Under the four drivers.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Driver;
using fetchtest::HttpServer;
using fetchtest::Script;

struct Events {
  std::string header_out;
  std::vector<std::string> header_in;
  std::string data_in;
  std::string data_out;
  int text = 0;
};

int collect(FETCH *, fetch_infotype type, char *data, size_t size, void *userp) {
  auto *e = static_cast<Events *>(userp);
  switch (type) {
    case FETCHINFO_HEADER_OUT:
      e->header_out.append(data, size);
      break;
    case FETCHINFO_HEADER_IN:
      e->header_in.emplace_back(data, size);
      break;
    case FETCHINFO_DATA_IN:
      e->data_in.append(data, size);
      break;
    case FETCHINFO_DATA_OUT:
      e->data_out.append(data, size);
      break;
    case FETCHINFO_TEXT:
      ++e->text;
      break;
    default:
      break;
  }
  return 0;
}

size_t discard(char *, size_t size, size_t nmemb, void *) { return size * nmemb; }

class HttpTraceTest : public ::testing::TestWithParam<Driver> {
 protected:
  HttpTraceTest() : harness_(GetParam()) {}
  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
  }
  fetchtest::EasyPtr easy(const std::string &path) {
    fetchtest::EasyPtr e(fetchtest::make_easy(server_.origin() + path, {.connect_only = false}));
    fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &discard);
    fetch_easy_setopt(e.get(), FETCHOPT_VERBOSE, 1L);
    return e;
  }
  FETCHcode perform(FETCH *e) {
    FETCHcode rc = harness_.run_one(e);
    harness_.remove(e);
    return rc;
  }
  fetchtest::Harness harness_;
  HttpServer server_;
};

TEST_P(HttpTraceTest, DebugFunctionGetsHeadersAndDataAsSentAndReceived) {
  server_.on("/c", Script().send(fetchtest::chunked_response(200, {{"X-A", "1"}}, "chunky", {3})));
  fetchtest::EasyPtr e = easy("/c");
  Events ev;
  fetch_easy_setopt(e.get(), FETCHOPT_DEBUGFUNCTION, &collect);
  fetch_easy_setopt(e.get(), FETCHOPT_DEBUGDATA, &ev);
  fetch_easy_setopt(e.get(), FETCHOPT_POSTFIELDS, "a=1");
  ASSERT_EQ(perform(e.get()), FETCHE_OK);
  ASSERT_TRUE(server_.wait_for_requests(1));
  const std::string raw = server_.requests()[0].raw;
  EXPECT_EQ(ev.header_out + ev.data_out, raw);
  EXPECT_EQ(ev.data_out, "a=1");
  ASSERT_GE(ev.header_in.size(), 4u);
  EXPECT_EQ(ev.header_in.front(), "HTTP/1.1 200 OK\r\n");
  EXPECT_EQ(ev.header_in[1], "X-A: 1\r\n");
  EXPECT_EQ(ev.header_in.back(), "\r\n");
  EXPECT_EQ(ev.data_in, "chunky");  // de-chunked, as the body arrived
  EXPECT_GT(ev.text, 0);
}

TEST_P(HttpTraceTest, WithoutDebugFunctionHeaderLinesGoToStderrWithPrefixes) {
  server_.on("/s", Script().send(fetchtest::http_response(200, {{"X-B", "2"}}, "body")));
  fetchtest::EasyPtr e = easy("/s");
  FILE *err = tmpfile();
  ASSERT_NE(err, nullptr);
  fetch_easy_setopt(e.get(), FETCHOPT_STDERR, err);
  ASSERT_EQ(perform(e.get()), FETCHE_OK);
  std::string text;
  rewind(err);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, err)) > 0) text.append(buf, n);
  fclose(err);
  EXPECT_NE(text.find("> GET /s HTTP/1.1\r\n> Host: "), std::string::npos) << text;
  EXPECT_NE(text.find("< HTTP/1.1 200 OK\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("< X-B: 2\r\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("body"), std::string::npos) << "data is not printed";
}

TEST_P(HttpTraceTest, NothingWithoutVerbose) {
  server_.on("/q", Script().send(fetchtest::http_response(200, {}, "quiet")));
  fetchtest::EasyPtr e = easy("/q");
  fetch_easy_setopt(e.get(), FETCHOPT_VERBOSE, 0L);
  Events ev;
  fetch_easy_setopt(e.get(), FETCHOPT_DEBUGFUNCTION, &collect);
  fetch_easy_setopt(e.get(), FETCHOPT_DEBUGDATA, &ev);
  ASSERT_EQ(perform(e.get()), FETCHE_OK);
  EXPECT_TRUE(ev.header_out.empty());
  EXPECT_TRUE(ev.header_in.empty());
  EXPECT_TRUE(ev.data_in.empty());
}

INSTANTIATE_TEST_SUITE_P(Drivers, HttpTraceTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
