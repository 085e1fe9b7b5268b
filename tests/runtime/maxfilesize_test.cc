// FETCHOPT_MAXFILESIZE(_LARGE) over real transfers (runtime/body_limit.*), under each of the four
// drivers: a Content-Length above the limit fails with 63 before any body byte; chunked and
// close-delimited bodies and a decompression bomb stop at the limit (never more than the limit
// delivered); the faulted connection is never reused.
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "server/http_server.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::HttpServer;
using fetchtest::Script;

constexpr size_t kDecodeChunk = 16 * 1024;  // the decoder's largest piece (protocols/http1)

struct Sink {
  size_t bytes = 0;
  size_t calls = 0;
};

size_t count_body(char *, size_t size, size_t nmemb, void *userdata) {
  auto *s = static_cast<Sink *>(userdata);
  s->bytes += size * nmemb;
  ++s->calls;
  return size * nmemb;
}

// gzip (RFC 1952) of `data`, or of `zeros` zero bytes when `data` is null, streamed through
// zlib so the plain bytes never sit in memory.
std::string gzip_stream(const std::string *data, size_t zeros) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    ADD_FAILURE() << "deflateInit2";
    return {};
  }
  std::string out;
  std::vector<char> buf(1 << 20);
  const std::vector<char> zero_block(1 << 20, '\0');
  auto pump = [&](const char *p, size_t n, int flush) {
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(p));
    z.avail_in = static_cast<uInt>(n);
    int rc = Z_OK;
    do {
      z.next_out = reinterpret_cast<Bytef *>(buf.data());
      z.avail_out = static_cast<uInt>(buf.size());
      rc = deflate(&z, flush);
      out.append(buf.data(), buf.size() - z.avail_out);
    } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END && rc != Z_STREAM_ERROR));
  };
  if (data != nullptr) {
    pump(data->data(), data->size(), Z_FINISH);
  } else {
    for (size_t left = zeros; left > 0;) {
      size_t n = std::min(left, zero_block.size());
      pump(zero_block.data(), n, Z_NO_FLUSH);
      left -= n;
    }
    pump(nullptr, 0, Z_FINISH);
  }
  deflateEnd(&z);
  return out;
}

// 1 GiB of zeros in three gzip layers: about 650 bytes on the wire. Built once per process.
const std::string &bomb() {
  static const std::string packed = [] {
    std::string one = gzip_stream(nullptr, size_t{1} << 30);
    std::string two = gzip_stream(&one, 0);
    return gzip_stream(&two, 0);
  }();
  return packed;
}

class MaxFileSizeTest : public ::testing::TestWithParam<Driver> {
 protected:
  MaxFileSizeTest() : harness_(GetParam()) {}

  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(server_.start(), 0);
    server_.on("/small", Script().send(fetchtest::http_response(200, {}, "small")));
  }

  EasyPtr easy(const std::string &path, long limit) {
    EasyPtr e(
        fetchtest::make_easy(server_.origin() + path, {.connect_only = false, .errbuf = errbuf_}));
    if (!e) return e;
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &count_body), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &sink_), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 20000L), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXFILESIZE, limit), FETCHE_OK);
    return e;
  }

  FETCHcode perform(FETCH *e) {
    FETCHcode rc = harness_.run_one(e, fetchtest::milliseconds(30000));
    harness_.remove(e);
    return rc;
  }

  // After a transfer that failed with 63: the same handle, limit off, fetches /small on a new
  // connection (the faulted one was closed, not pooled).
  void expect_next_transfer_connects_anew(FETCH *e) {
    const size_t before = server_.accepted();
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_MAXFILESIZE, 0L), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_URL, (server_.origin() + "/small").c_str()), FETCHE_OK);
    sink_ = Sink{};
    ASSERT_EQ(perform(e), FETCHE_OK) << errbuf_;
    EXPECT_EQ(sink_.bytes, 5u);
    EXPECT_EQ(server_.accepted(), before + 1);
    EXPECT_EQ(fetchtest::info_long(e, FETCHINFO_NUM_CONNECTS), 1);
  }

  fetchtest::Harness harness_;
  HttpServer server_;
  Sink sink_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_P(MaxFileSizeTest, ContentLengthAboveTheLimitFailsBeforeAnyBodyByte) {
  server_.on("/cl", Script().send(fetchtest::http_response(200, {}, std::string(1000, 'x'))));
  EasyPtr e = easy("/cl", 999);
  EXPECT_EQ(perform(e.get()), FETCHE_FILESIZE_EXCEEDED);
  EXPECT_NE(std::string(errbuf_).find("Maximum file size exceeded"), std::string::npos) << errbuf_;
  EXPECT_EQ(sink_.calls, 0u);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T), 0);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 200);
  expect_next_transfer_connects_anew(e.get());
}

TEST_P(MaxFileSizeTest, ContentLengthAtTheLimitPasses) {
  server_.on("/cl", Script().send(fetchtest::http_response(200, {}, std::string(1000, 'x'))));
  EasyPtr e = easy("/cl", 1000);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.bytes, 1000u);
  // MAXFILESIZE_LARGE sets the same limit.
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXFILESIZE_LARGE, fetch_off_t{999}), FETCHE_OK);
  sink_ = Sink{};
  EXPECT_EQ(perform(e.get()), FETCHE_FILESIZE_EXCEEDED);
  EXPECT_EQ(sink_.bytes, 0u);
}

TEST_P(MaxFileSizeTest, ChunkedBodyStopsAtTheLimit) {
  const size_t limit = 50000;
  server_.on("/chunked",
             Script().send(fetchtest::chunked_response(200, {}, std::string(200000, 'c'), {4096})));
  EasyPtr e = easy("/chunked", static_cast<long>(limit));
  EXPECT_EQ(perform(e.get()), FETCHE_FILESIZE_EXCEEDED);
  EXPECT_NE(std::string(errbuf_).find("Exceeded the maximum allowed file size"), std::string::npos)
      << errbuf_;
  EXPECT_LE(sink_.bytes, limit);
  EXPECT_GT(sink_.bytes, limit - 4096);
  EXPECT_EQ(fetchtest::info_off(e.get(), FETCHINFO_SIZE_DOWNLOAD_T),
            static_cast<fetch_off_t>(sink_.bytes));
  expect_next_transfer_connects_anew(e.get());
}

TEST_P(MaxFileSizeTest, CloseDelimitedBodyStopsAtTheLimit) {
  const size_t limit = 30000;
  server_.on("/close", Script()
                           .send(fetchtest::http_head(200, {{"Connection", "close"}}))
                           .send(std::string(100000, 'z'))
                           .close());
  EasyPtr e = easy("/close", static_cast<long>(limit));
  EXPECT_EQ(perform(e.get()), FETCHE_FILESIZE_EXCEEDED);
  EXPECT_LE(sink_.bytes, limit);
  // The same body with a limit it fits in arrives whole.
  sink_ = Sink{};
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXFILESIZE, 100000L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.bytes, 100000u);
}

TEST_P(MaxFileSizeTest, DecompressionBombStopsAtTheLimit) {
  const std::string &packed = bomb();
  ASSERT_LT(packed.size(), 1024u);
  const size_t limit = 10u << 20;
  server_.on("/bomb", Script().send(fetchtest::http_response(
                          200, {{"Content-Encoding", "gzip, gzip, gzip"}}, packed)));
  EasyPtr e = easy("/bomb", static_cast<long>(limit));
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_ACCEPT_ENCODING, ""), FETCHE_OK);
  auto start = fetchtest::Clock::now();
  EXPECT_EQ(perform(e.get()), FETCHE_FILESIZE_EXCEEDED);
  EXPECT_LT(fetchtest::ms_since(start), 20000);
  // Never more than the limit (a piece that would cross it is not delivered), and no less than
  // one decoder piece short of it.
  EXPECT_LE(sink_.bytes, limit);
  EXPECT_GT(sink_.bytes, limit - kDecodeChunk);
  EXPECT_NE(std::string(errbuf_).find("decoded"), std::string::npos) << errbuf_;
  expect_next_transfer_connects_anew(e.get());
}

// libcurl counts the bytes before content decoding: an encoded body larger than the limit fails
// even though it decodes to less. (Random bytes do not compress: gzip makes them longer.)
TEST_P(MaxFileSizeTest, EncodedBytesCountAsInLibcurl) {
  const std::string plain = fetchtest::pattern_bytes(5000);
  const std::string packed = gzip_stream(&plain, 0);
  ASSERT_GT(packed.size(), plain.size());
  server_.on("/enc", Script().send(fetchtest::chunked_response(200, {{"Content-Encoding", "gzip"}},
                                                               packed, {1000})));
  EasyPtr e = easy("/enc", static_cast<long>(plain.size()));
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_ACCEPT_ENCODING, "gzip"), FETCHE_OK);
  EXPECT_EQ(perform(e.get()), FETCHE_FILESIZE_EXCEEDED);
  EXPECT_NE(std::string(errbuf_).find("received"), std::string::npos) << errbuf_;
  EXPECT_LE(sink_.bytes, plain.size());
  // With room for the encoded size it decodes in full.
  sink_ = Sink{};
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_MAXFILESIZE, static_cast<long>(packed.size())),
            FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.bytes, plain.size());
}

TEST_P(MaxFileSizeTest, TheBodyOfAFollowedRedirectIsNotCounted) {
  server_.on("/r", Script().send(fetchtest::http_response(302, {{"Location", "/small"}},
                                                          std::string(5000, 'r'))));
  EasyPtr e = easy("/r", 100);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, 1L), FETCHE_OK);
  ASSERT_EQ(perform(e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(sink_.bytes, 5u);
}

INSTANTIATE_TEST_SUITE_P(Drivers, MaxFileSizeTest, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
