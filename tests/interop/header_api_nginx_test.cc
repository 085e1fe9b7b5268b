// The header API and MAXFILESIZE against a real nginx (tests/interop/nginx_fixture.h): what
// nginx really sends (Server, Date, ETag, a redirect with its body, gzip over chunked) must come
// back through fetch_easy_header / fetch_easy_nextheader exactly as the header callback saw it,
// and MAXFILESIZE must stop nginx's bodies as it stops the scripted server's.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "interop/nginx_fixture.h"

namespace {

using fetchtest::NginxServer;
using List = std::vector<std::pair<std::string, std::string>>;

constexpr const char *kServerBody = R"(
    location = /hop { return 302 /file.txt; }
    location /gz/ { gzip on; gzip_types text/plain; gzip_min_length 0; }
)";

const std::string &text_body() {
  static const std::string data = [] {
    std::string out;
    for (int i = 0; i < 20000; ++i) out += "line " + std::to_string(i) + ": headers and limits\n";
    return out;
  }();
  return data;
}

struct Capture {
  std::string headers;  // raw header lines, as the header callback got them
  size_t body = 0;
};

size_t on_header(char *data, size_t size, size_t n, void *user) {
  static_cast<Capture *>(user)->headers.append(data, size * n);
  return size * n;
}

size_t on_body(char *, size_t size, size_t n, void *user) {
  static_cast<Capture *>(user)->body += size * n;
  return size * n;
}

struct EasyDeleter {
  void operator()(FETCH *easy) const { fetch_easy_cleanup(easy); }
};
using Easy = std::unique_ptr<FETCH, EasyDeleter>;

// "Name: value" pairs of the last response head in a raw header block (status lines skipped).
List parse_last_head(const std::string &raw) {
  List out;
  size_t at = 0;
  while (at < raw.size()) {
    size_t end = raw.find("\r\n", at);
    if (end == std::string::npos) break;
    std::string line = raw.substr(at, end - at);
    at = end + 2;
    if (line.rfind("HTTP/", 0) == 0) {
      out.clear();  // a new response starts
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t v = line.find_first_not_of(" \t", colon + 1);
    out.emplace_back(line.substr(0, colon), v == std::string::npos ? "" : line.substr(v));
  }
  return out;
}

List walk(FETCH *e, unsigned origin, int request) {
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

class HeaderApiNginx : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(nginx_.prepare(), "");
    ASSERT_TRUE(nginx_.add_file("file.txt", text_body()));
    ASSERT_TRUE(nginx_.add_file("gz/file.txt", text_body()));
    const std::string error = nginx_.start(kServerBody);
    ASSERT_EQ(error, "") << "nginx failed to start; config:\n" << nginx_.config();
    easy_.reset(fetch_easy_init());
    ASSERT_NE(easy_, nullptr);
    FETCH *e = easy_.get();
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_ERRORBUFFER, errbuf_), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_TIMEOUT_MS, 20000L), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_HEADERFUNCTION, &on_header), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_HEADERDATA, &capture_), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_WRITEFUNCTION, &on_body), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_WRITEDATA, &capture_), FETCHE_OK);
  }

  void TearDown() override {
    easy_.reset();
    nginx_.stop();
    if (HasFailure()) std::cerr << "nginx error log:\n" << nginx_.error_log() << "\n";
    nginx_.cleanup(/*keep=*/false);
  }

  FETCHcode get(const std::string &path) {
    capture_ = Capture{};
    fetch_easy_setopt(easy_.get(), FETCHOPT_URL, nginx_.url(path).c_str());
    return fetch_easy_perform(easy_.get());
  }

  NginxServer nginx_;
  Easy easy_;
  Capture capture_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_F(HeaderApiNginx, HeadersMatchWhatTheCallbackSaw) {
  ASSERT_EQ(get("/file.txt"), FETCHE_OK) << errbuf_;
  FETCH *e = easy_.get();
  const List seen = parse_last_head(capture_.headers);
  ASSERT_GE(seen.size(), 4u) << capture_.headers;
  EXPECT_EQ(walk(e, FETCHH_HEADER, -1), seen);
  fetch_header *h = nullptr;
  ASSERT_EQ(fetch_easy_header(e, "server", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  EXPECT_EQ(std::string(h->value).rfind("nginx", 0), 0u) << h->value;
  ASSERT_EQ(fetch_easy_header(e, "CONTENT-LENGTH", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  EXPECT_EQ(std::string(h->value), std::to_string(text_body().size()));
  EXPECT_EQ(fetch_easy_header(e, "Date", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  EXPECT_EQ(fetch_easy_header(e, "ETag", 0, FETCHH_HEADER, 1, &h), FETCHHE_NOREQUEST);
}

TEST_F(HeaderApiNginx, RedirectHopsAreSeparateRequests) {
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_FOLLOWLOCATION, 1L), FETCHE_OK);
  ASSERT_EQ(get("/hop"), FETCHE_OK) << errbuf_;
  FETCH *e = easy_.get();
  fetch_header *h = nullptr;
  ASSERT_EQ(fetch_easy_header(e, "Location", 0, FETCHH_HEADER, 0, &h), FETCHHE_OK);
  EXPECT_NE(std::string(h->value).find("/file.txt"), std::string::npos) << h->value;
  EXPECT_EQ(fetch_easy_header(e, "Location", 0, FETCHH_HEADER, -1, &h), FETCHHE_MISSING);
  ASSERT_EQ(fetch_easy_header(e, "Content-Length", 0, FETCHH_HEADER, 1, &h), FETCHHE_OK);
  EXPECT_EQ(std::string(h->value), std::to_string(text_body().size()));
  EXPECT_EQ(walk(e, FETCHH_HEADER, -1), parse_last_head(capture_.headers));
  EXPECT_EQ(capture_.body, text_body().size());
}

TEST_F(HeaderApiNginx, MaxFileSizeStopsNginxBodies) {
  FETCH *e = easy_.get();
  // Content-Length above the limit: nothing delivered.
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_MAXFILESIZE, 1000L), FETCHE_OK);
  EXPECT_EQ(get("/file.txt"), FETCHE_FILESIZE_EXCEEDED);
  EXPECT_EQ(capture_.body, 0u);
  // gzip over chunked (no Content-Length): decoded bytes stop at the limit.
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_ACCEPT_ENCODING, "gzip"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_MAXFILESIZE, 100000L), FETCHE_OK);
  EXPECT_EQ(get("/gz/file.txt"), FETCHE_FILESIZE_EXCEEDED) << errbuf_;
  fetch_header *h = nullptr;
  ASSERT_EQ(fetch_easy_header(e, "Content-Encoding", 0, FETCHH_HEADER, -1, &h), FETCHHE_OK);
  EXPECT_STREQ(h->value, "gzip");
  EXPECT_LE(capture_.body, 100000u);
  EXPECT_GT(capture_.body, 100000u - 16 * 1024);
  // And a limit the file fits in delivers all of it.
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_MAXFILESIZE_LARGE, fetch_off_t{1} << 30), FETCHE_OK);
  ASSERT_EQ(get("/gz/file.txt"), FETCHE_OK) << errbuf_;
  EXPECT_EQ(capture_.body, text_body().size());
}

}  // namespace
