// libfetch against a real nginx (tests/interop/nginx_fixture.h): plain HTTP/1.1 on loopback.
// Every test starts its own nginx with the same config and document root; a test whose nginx
// cannot start fails with nginx's error log (never skips).
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "interop/nginx_fixture.h"
#include "support/wait_until.h"

namespace {

using fetchtest::NginxServer;

constexpr size_t kBigSize = 5 * 1024 * 1024;
constexpr int kMultiFiles = 20;

// Directives of the server block (see NginxServer::start for the surrounding config).
constexpr const char *kServerBody = R"(
    client_max_body_size 16m;
    location = /redirect { return 302 /small.txt; }
    # nginx cannot echo a body: /post reads it (proxy), reports it in a header and lets /sink
    # tell the method and length it received.
    location = /post {
      proxy_pass http://127.0.0.1:@PORT@/sink;
      proxy_http_version 1.1;
      add_header X-Request-Body $request_body;
    }
    location = /sink { return 200 "method=$request_method length=$content_length\n"; }
    location /gz/ { gzip on; gzip_types text/plain; gzip_min_length 0; }
    # sub_filter drops Content-Length, so the response is chunked.
    location /sub/ { sub_filter 'foo' 'bar'; sub_filter_once off; sub_filter_types text/plain; }
    location /dav/ { dav_methods PUT DELETE; create_full_put_path on; }
)";

std::string small_body() { return "Hello from nginx, fetched by libfetch.\n"; }

// 5 MiB of incompressible, reproducible bytes.
const std::string &big_body() {
  static const std::string data = [] {
    std::string out(kBigSize, '\0');
    std::mt19937_64 rng(20261130);
    for (size_t i = 0; i < out.size(); i += 8) {
      const uint64_t word = rng();
      for (size_t b = 0; b < 8 && i + b < out.size(); ++b)
        out[i + b] = static_cast<char>(word >> (8 * b));
    }
    return out;
  }();
  return data;
}

// ~300 KB of compressible text.
const std::string &text_body() {
  static const std::string data = [] {
    std::string out;
    for (int i = 0; i < 6000; ++i)
      out += "line " + std::to_string(i) + ": the quick brown foo jumps over the lazy dog\n";
    return out;
  }();
  return data;
}

std::string replace_all(std::string text, const std::string &from, const std::string &to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
  return text;
}

// m/<i>.bin: sizes from 0 to ~60 KB, content depends on i.
std::string multi_body(int i) {
  std::string out(static_cast<size_t>(i) * 3011, '\0');
  for (size_t k = 0; k < out.size(); ++k) out[k] = static_cast<char>('a' + (k * 7 + i) % 26);
  return out;
}

size_t append_to_string(char *data, size_t size, size_t count, void *user) {
  static_cast<std::string *>(user)->append(data, size * count);
  return size * count;
}

struct Source {
  const std::string *data = nullptr;
  size_t offset = 0;
};

size_t read_from_source(char *buffer, size_t size, size_t count, void *user) {
  auto *source = static_cast<Source *>(user);
  const size_t n = std::min(size * count, source->data->size() - source->offset);
  std::memcpy(buffer, source->data->data() + source->offset, n);
  source->offset += n;
  return n;
}

struct EasyDeleter {
  void operator()(FETCH *easy) const { fetch_easy_cleanup(easy); }
};
using Easy = std::unique_ptr<FETCH, EasyDeleter>;

struct Response {
  FETCHcode rc = FETCHE_OK;
  long code = 0;
  std::string body;
  std::string headers;
};

// Sets URL and capture callbacks on `easy` (other options stay) and performs.
Response perform(FETCH *easy, const std::string &url) {
  Response out;
  fetch_easy_setopt(easy, FETCHOPT_URL, url.c_str());
  fetch_easy_setopt(easy, FETCHOPT_WRITEFUNCTION, append_to_string);
  fetch_easy_setopt(easy, FETCHOPT_WRITEDATA, &out.body);
  fetch_easy_setopt(easy, FETCHOPT_HEADERFUNCTION, append_to_string);
  fetch_easy_setopt(easy, FETCHOPT_HEADERDATA, &out.headers);
  out.rc = fetch_easy_perform(easy);
  fetch_easy_getinfo(easy, FETCHINFO_RESPONSE_CODE, &out.code);
  return out;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Values of header `name` (case-insensitive) in a raw header block, trimmed.
std::vector<std::string> header_values(const std::string &headers, const std::string &name) {
  std::vector<std::string> out;
  std::istringstream in(headers);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos || lower(line.substr(0, colon)) != lower(name)) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    out.push_back(value);
  }
  return out;
}

struct AccessEntry {
  long connection = 0;
  long requests = 0;
  std::string request;
  int status = 0;
};

// Parses lines of the "interop" log format: $connection $connection_requests "$request" ...
std::vector<AccessEntry> parse_access_log(const std::vector<std::string> &lines) {
  std::vector<AccessEntry> out;
  for (const std::string &line : lines) {
    AccessEntry entry;
    std::istringstream in(line);
    in >> entry.connection >> entry.requests;
    const size_t open = line.find('"');
    const size_t close = line.rfind('"');
    if (open != std::string::npos && close > open) {
      entry.request = line.substr(open + 1, close - open - 1);
      entry.status = std::atoi(line.c_str() + close + 1);
    }
    out.push_back(entry);
  }
  return out;
}

class NginxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string prepared = nginx_.prepare();
    ASSERT_EQ(prepared, "");
    ASSERT_TRUE(nginx_.add_file("small.txt", small_body()));
    ASSERT_TRUE(nginx_.add_file("big.bin", big_body()));
    ASSERT_TRUE(nginx_.add_file("gz/text.txt", text_body()));
    ASSERT_TRUE(nginx_.add_file("sub/text.txt", text_body()));
    for (int i = 0; i < kMultiFiles; ++i)
      ASSERT_TRUE(nginx_.add_file("m/" + std::to_string(i) + ".bin", multi_body(i)));
    const std::string error = nginx_.start(kServerBody);
    ASSERT_EQ(error, "") << "nginx failed to start; config:\n" << nginx_.config();
  }

  void TearDown() override {
    nginx_.stop();
    if (HasFailure()) {
      std::cerr << "nginx dir " << nginx_.dir() << " (port " << nginx_.port() << "), error log:\n"
                << nginx_.error_log() << "\n";
    }
    nginx_.cleanup(/*keep=*/false);
  }

  // Waits (bounded) until nginx has logged `count` requests; returns the parsed log.
  std::vector<AccessEntry> wait_for_log(size_t count) {
    fetchtest::wait_until([&] { return nginx_.access_log_lines().size() >= count; },
                          std::chrono::milliseconds(5000));
    return parse_access_log(nginx_.access_log_lines());
  }

  static Easy new_easy() {
    Easy easy(fetch_easy_init());
    EXPECT_NE(easy, nullptr);
    return easy;
  }

  NginxServer nginx_;
};

TEST_F(NginxTest, GetSmallFile) {
  Easy easy = new_easy();
  const Response r = perform(easy.get(), nginx_.url("/small.txt"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, small_body());
  EXPECT_EQ(header_values(r.headers, "Content-Length"),
            std::vector<std::string>{std::to_string(small_body().size())});
  EXPECT_EQ(header_values(r.headers, "Content-Type"), std::vector<std::string>{"text/plain"});
  EXPECT_EQ(r.headers.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r.headers;
  fetch_off_t length = -2;
  EXPECT_EQ(fetch_easy_getinfo(easy.get(), FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T, &length),
            FETCHE_OK);
  EXPECT_EQ(length, static_cast<fetch_off_t>(small_body().size()));
}

TEST_F(NginxTest, GetFiveMebibytesByteExact) {
  Easy easy = new_easy();
  const Response r = perform(easy.get(), nginx_.url("/big.bin"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 200);
  ASSERT_EQ(r.body.size(), kBigSize);
  EXPECT_TRUE(r.body == big_body()) << "5 MiB body differs";
  fetch_off_t downloaded = -1;
  EXPECT_EQ(fetch_easy_getinfo(easy.get(), FETCHINFO_SIZE_DOWNLOAD_T, &downloaded), FETCHE_OK);
  EXPECT_EQ(downloaded, static_cast<fetch_off_t>(kBigSize));
}

TEST_F(NginxTest, HeadReportsLengthWithoutBody) {
  Easy easy = new_easy();
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_NOBODY, 1L), FETCHE_OK);
  const Response r = perform(easy.get(), nginx_.url("/big.bin"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(header_values(r.headers, "Content-Length"),
            std::vector<std::string>{std::to_string(kBigSize)});
  fetch_off_t length = -1;
  EXPECT_EQ(fetch_easy_getinfo(easy.get(), FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T, &length),
            FETCHE_OK);
  EXPECT_EQ(length, static_cast<fetch_off_t>(kBigSize));
  const auto log = wait_for_log(1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].request, "HEAD /big.bin HTTP/1.1");

  // The handle goes on with a GET on the same connection after the body-less response.
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_NOBODY, 0L), FETCHE_OK);
  const Response get = perform(easy.get(), nginx_.url("/small.txt"));
  EXPECT_EQ(get.rc, FETCHE_OK);
  EXPECT_EQ(get.body, small_body());
  long connects = -1;
  EXPECT_EQ(fetch_easy_getinfo(easy.get(), FETCHINFO_NUM_CONNECTS, &connects), FETCHE_OK);
  EXPECT_EQ(connects, 0);
}

TEST_F(NginxTest, NotFoundAndFailOnError) {
  Easy easy = new_easy();
  const Response r = perform(easy.get(), nginx_.url("/missing.txt"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 404);
  EXPECT_NE(r.body.find("404 Not Found"), std::string::npos) << r.body;

  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_FAILONERROR, 1L), FETCHE_OK);
  const Response failed = perform(easy.get(), nginx_.url("/missing.txt"));
  EXPECT_EQ(failed.rc, FETCHE_HTTP_RETURNED_ERROR);
  EXPECT_EQ(failed.code, 404);
  EXPECT_EQ(failed.body, "");

  // FAILONERROR leaves a 200 alone.
  const Response ok = perform(easy.get(), nginx_.url("/small.txt"));
  EXPECT_EQ(ok.rc, FETCHE_OK);
  EXPECT_EQ(ok.body, small_body());
}

TEST_F(NginxTest, HundredSequentialGetsShareOneConnection) {
  Easy easy = new_easy();
  for (int i = 0; i < 100; ++i) {
    const Response r = perform(easy.get(), nginx_.url("/small.txt"));
    ASSERT_EQ(r.rc, FETCHE_OK) << "request " << i;
    ASSERT_EQ(r.code, 200) << "request " << i;
    ASSERT_EQ(r.body, small_body()) << "request " << i;
    long connects = -1;
    ASSERT_EQ(fetch_easy_getinfo(easy.get(), FETCHINFO_NUM_CONNECTS, &connects), FETCHE_OK);
    ASSERT_EQ(connects, i == 0 ? 1 : 0) << "request " << i;
  }
  // nginx's side: one connection serial number, its request counter going 1..100.
  const auto log = wait_for_log(100);
  ASSERT_EQ(log.size(), 100u);
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].connection, log[0].connection) << "line " << i;
    EXPECT_EQ(log[i].requests, static_cast<long>(i + 1)) << "line " << i;
    EXPECT_EQ(log[i].request, "GET /small.txt HTTP/1.1");
    EXPECT_EQ(log[i].status, 200);
  }
}

TEST_F(NginxTest, GzipDecodedByteExactAndChunked) {
  Easy easy = new_easy();
  // Without ACCEPT_ENCODING nothing is asked for and nginx sends identity.
  const Response plain = perform(easy.get(), nginx_.url("/gz/text.txt"));
  EXPECT_EQ(plain.rc, FETCHE_OK);
  EXPECT_TRUE(header_values(plain.headers, "Content-Encoding").empty()) << plain.headers;
  EXPECT_TRUE(plain.body == text_body());

  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_ACCEPT_ENCODING, ""), FETCHE_OK);
  const Response r = perform(easy.get(), nginx_.url("/gz/text.txt"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(header_values(r.headers, "Content-Encoding"), std::vector<std::string>{"gzip"});
  // nginx does not know the compressed length up front: the gzip body comes chunked.
  EXPECT_EQ(header_values(r.headers, "Transfer-Encoding"), std::vector<std::string>{"chunked"});
  EXPECT_TRUE(header_values(r.headers, "Content-Length").empty()) << r.headers;
  EXPECT_EQ(r.body.size(), text_body().size());
  EXPECT_TRUE(r.body == text_body()) << "decoded body differs";

  // HTTP_CONTENT_DECODING 0: the gzip stream itself, much smaller than the text.
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_HTTP_CONTENT_DECODING, 0L), FETCHE_OK);
  const Response raw = perform(easy.get(), nginx_.url("/gz/text.txt"));
  EXPECT_EQ(raw.rc, FETCHE_OK);
  ASSERT_GE(raw.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(raw.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(raw.body[1]), 0x8b);
  EXPECT_LT(raw.body.size(), text_body().size() / 4);
}

TEST_F(NginxTest, ChunkedWithoutCompression) {
  Easy easy = new_easy();
  const Response r = perform(easy.get(), nginx_.url("/sub/text.txt"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(header_values(r.headers, "Transfer-Encoding"), std::vector<std::string>{"chunked"});
  EXPECT_TRUE(header_values(r.headers, "Content-Encoding").empty());
  const std::string expected = replace_all(text_body(), "foo", "bar");
  EXPECT_EQ(r.body.size(), expected.size());
  EXPECT_TRUE(r.body == expected) << "chunked body differs";
  // The connection survives the chunked body.
  const Response again = perform(easy.get(), nginx_.url("/sub/text.txt"));
  EXPECT_TRUE(again.body == expected);
  long connects = -1;
  EXPECT_EQ(fetch_easy_getinfo(easy.get(), FETCHINFO_NUM_CONNECTS, &connects), FETCHE_OK);
  EXPECT_EQ(connects, 0);
}

TEST_F(NginxTest, PostFields) {
  Easy easy = new_easy();
  const std::string fields = "name=libfetch&value=42";
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_POSTFIELDS, fields.c_str()), FETCHE_OK);
  const Response r = perform(easy.get(), nginx_.url("/post"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, "method=POST length=" + std::to_string(fields.size()) + "\n");
  EXPECT_EQ(header_values(r.headers, "X-Request-Body"), std::vector<std::string>{fields});

  // A 1 MiB body (binary, explicit size): nginx buffers it to a file; the length arrives whole.
  std::string large(1024 * 1024, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 31 + 7);
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_POSTFIELDSIZE_LARGE,
                              static_cast<fetch_off_t>(large.size())),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_POSTFIELDS, large.data()), FETCHE_OK);
  const Response big = perform(easy.get(), nginx_.url("/post"));
  EXPECT_EQ(big.rc, FETCHE_OK);
  EXPECT_EQ(big.code, 200);
  EXPECT_EQ(big.body, "method=POST length=" + std::to_string(large.size()) + "\n");
  const auto log = wait_for_log(4);  // two /post and two proxied /sink requests
  int posts = 0;
  for (const auto &entry : log) posts += entry.request == "POST /post HTTP/1.1" ? 1 : 0;
  EXPECT_EQ(posts, 2);
}

TEST_F(NginxTest, PutToDav) {
  Easy easy = new_easy();
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_UPLOAD, 1L), FETCHE_OK);
  const std::string &data = big_body();
  Source source{&data, 0};
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_READFUNCTION, read_from_source), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_READDATA, &source), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_INFILESIZE_LARGE,
                              static_cast<fetch_off_t>(data.size())),
            FETCHE_OK);
  const Response r = perform(easy.get(), nginx_.url("/dav/sized.bin"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 201);
  EXPECT_TRUE(fetchtest::read_whole_file(nginx_.dir() + "/html/dav/sized.bin") == data)
      << "the file nginx stored differs from the 5 MiB upload";

  // Unknown size: the body goes chunked; nginx stores it whole.
  const std::string text = text_body();
  Source chunked{&text, 0};
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_READDATA, &chunked), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_INFILESIZE_LARGE, static_cast<fetch_off_t>(-1)),
            FETCHE_OK);
  const Response c = perform(easy.get(), nginx_.url("/dav/chunked.txt"));
  EXPECT_EQ(c.rc, FETCHE_OK);
  EXPECT_EQ(c.code, 201);
  EXPECT_TRUE(fetchtest::read_whole_file(nginx_.dir() + "/html/dav/chunked.txt") == text)
      << "the file nginx stored differs from the chunked upload";
  const auto log = wait_for_log(2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].request, "PUT /dav/sized.bin HTTP/1.1");
  EXPECT_EQ(log[1].request, "PUT /dav/chunked.txt HTTP/1.1");
}

TEST_F(NginxTest, RedirectNotFollowed) {
  Easy easy = new_easy();
  const std::string target = nginx_.url("/small.txt");
  const Response r = perform(easy.get(), nginx_.url("/redirect"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 302);
  // nginx makes the Location absolute (absolute_redirect on, port_in_redirect on).
  EXPECT_EQ(header_values(r.headers, "Location"), std::vector<std::string>{target});
  char *redirect = nullptr;
  ASSERT_EQ(fetch_easy_getinfo(easy.get(), FETCHINFO_REDIRECT_URL, &redirect), FETCHE_OK);
  ASSERT_NE(redirect, nullptr);
  EXPECT_EQ(std::string(redirect), target);
}

TEST_F(NginxTest, RedirectFollowed) {
  Easy easy = new_easy();
  const std::string target = nginx_.url("/small.txt");
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_FOLLOWLOCATION, 1L), FETCHE_OK);
  const Response r = perform(easy.get(), nginx_.url("/redirect"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, small_body());
  char *effective = nullptr;
  EXPECT_EQ(fetch_easy_getinfo(easy.get(), FETCHINFO_EFFECTIVE_URL, &effective), FETCHE_OK);
  ASSERT_NE(effective, nullptr);
  EXPECT_EQ(std::string(effective), target);
  long redirects = -1;
  EXPECT_EQ(fetch_easy_getinfo(easy.get(), FETCHINFO_REDIRECT_COUNT, &redirects), FETCHE_OK);
  EXPECT_EQ(redirects, 1);
  const auto log = wait_for_log(2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].request, "GET /redirect HTTP/1.1");
  EXPECT_EQ(log[0].status, 302);
  EXPECT_EQ(log[1].request, "GET /small.txt HTTP/1.1");
  // The followed request reuses the connection.
  EXPECT_EQ(log[1].connection, log[0].connection);
}

TEST_F(NginxTest, Range) {
  Easy easy = new_easy();
  ASSERT_EQ(fetch_easy_setopt(easy.get(), FETCHOPT_RANGE, "100-199"), FETCHE_OK);
  const Response r = perform(easy.get(), nginx_.url("/big.bin"));
  EXPECT_EQ(r.rc, FETCHE_OK);
  EXPECT_EQ(r.code, 206);
  EXPECT_EQ(header_values(r.headers, "Content-Range"),
            std::vector<std::string>{"bytes 100-199/" + std::to_string(kBigSize)});
  EXPECT_TRUE(r.body == big_body().substr(100, 100));
}

TEST_F(NginxTest, ThousandTransfersInOneMulti) {
  constexpr int kTransfers = 1000;
  constexpr long kMaxHostConnections = 4;
  struct Transfer {
    Easy easy;
    std::string body;
    int file = 0;
    bool done = false;
    FETCHcode result = FETCHE_OK;
  };
  std::vector<std::string> expected;
  for (int i = 0; i < kMultiFiles; ++i) expected.push_back(multi_body(i));

  FETCHM *multi = fetch_multi_init();
  ASSERT_NE(multi, nullptr);
  ASSERT_EQ(fetch_multi_setopt(multi, FETCHMOPT_MAX_HOST_CONNECTIONS, kMaxHostConnections),
            FETCHM_OK);
  std::vector<Transfer> transfers(kTransfers);
  std::map<FETCH *, Transfer *> by_handle;
  for (int i = 0; i < kTransfers; ++i) {
    Transfer &t = transfers[static_cast<size_t>(i)];
    t.file = i % kMultiFiles;
    t.easy = new_easy();
    const std::string url = nginx_.url("/m/" + std::to_string(t.file) + ".bin");
    ASSERT_EQ(fetch_easy_setopt(t.easy.get(), FETCHOPT_URL, url.c_str()), FETCHE_OK);
    fetch_easy_setopt(t.easy.get(), FETCHOPT_WRITEFUNCTION, append_to_string);
    fetch_easy_setopt(t.easy.get(), FETCHOPT_WRITEDATA, &t.body);
    ASSERT_EQ(fetch_multi_add_handle(multi, t.easy.get()), FETCHM_OK);
    by_handle[t.easy.get()] = &t;
  }

  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + std::chrono::seconds(60);
  int running = 1;
  int finished = 0;
  while (running > 0 && std::chrono::steady_clock::now() < deadline) {
    ASSERT_EQ(fetch_multi_perform(multi, &running), FETCHM_OK);
    int queued = 0;
    while (FETCHMsg *msg = fetch_multi_info_read(multi, &queued)) {
      if (msg->msg != FETCHMSG_DONE) continue;
      Transfer *t = by_handle.at(msg->easy_handle);
      EXPECT_FALSE(t->done);
      t->done = true;
      t->result = msg->data.result;
      ++finished;
    }
    if (running > 0) {
      int numfds = 0;
      ASSERT_EQ(fetch_multi_poll(multi, nullptr, 0, 1000, &numfds), FETCHM_OK);
    }
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  RecordProperty("elapsed_ms", static_cast<int>(elapsed.count()));
  std::cout << "[ info     ] " << kTransfers << " transfers in " << elapsed.count() << " ms\n";
  EXPECT_EQ(running, 0) << "not done within 60 s";
  EXPECT_EQ(finished, kTransfers);

  long connects = 0;
  int bad = 0;
  for (size_t i = 0; i < transfers.size(); ++i) {
    Transfer &t = transfers[i];
    long code = 0;
    long n = 0;
    fetch_easy_getinfo(t.easy.get(), FETCHINFO_RESPONSE_CODE, &code);
    fetch_easy_getinfo(t.easy.get(), FETCHINFO_NUM_CONNECTS, &n);
    connects += n;
    const bool ok = t.done && t.result == FETCHE_OK && code == 200 &&
                    t.body == expected[static_cast<size_t>(t.file)];
    if (!ok && ++bad <= 5) {
      ADD_FAILURE() << "transfer " << i << ": done=" << t.done << " result=" << t.result
                    << " code=" << code << " body " << t.body.size() << " of "
                    << expected[static_cast<size_t>(t.file)].size() << " bytes";
    }
    fetch_multi_remove_handle(multi, t.easy.get());
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GE(connects, 1);
  EXPECT_LE(connects, kMaxHostConnections);
  EXPECT_EQ(fetch_multi_cleanup(multi), FETCHM_OK);

  const auto log = wait_for_log(kTransfers);
  ASSERT_EQ(log.size(), static_cast<size_t>(kTransfers));
  std::set<long> connections;
  for (const auto &entry : log) {
    connections.insert(entry.connection);
    EXPECT_EQ(entry.status, 200);
  }
  EXPECT_GE(connections.size(), 1u);
  EXPECT_LE(connections.size(), static_cast<size_t>(kMaxHostConnections));
  EXPECT_LT(elapsed, std::chrono::seconds(60));
}

// The fixture itself: a config nginx rejects fails start() with nginx's own error message,
// and nothing is left running.
TEST(NginxFixture, StartFailureReportsErrorLog) {
  NginxServer nginx;
  ASSERT_EQ(nginx.prepare(), "");
  const std::string error = nginx.start("    no_such_directive on;\n");
  EXPECT_NE(error.find("unknown directive \"no_such_directive\""), std::string::npos) << error;
  EXPECT_EQ(nginx.pid(), -1);
  nginx.cleanup(/*keep=*/false);
}

// stop() ends nginx by its PID: the master is reaped and the port no longer accepts.
TEST(NginxFixture, StopEndsTheServer) {
  NginxServer nginx;
  ASSERT_EQ(nginx.prepare(), "");
  ASSERT_EQ(nginx.start(""), "") << nginx.error_log();
  const pid_t pid = nginx.pid();
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(fetchtest::loopback_accepts(nginx.port()));
  nginx.stop();
  EXPECT_EQ(nginx.pid(), -1);
  EXPECT_NE(kill(pid, 0), 0);  // reaped: the PID is gone
  EXPECT_FALSE(fetchtest::loopback_accepts(nginx.port()));
  nginx.cleanup(/*keep=*/false);
}

}  // namespace
