// ContentDecoder: every coding round-trips (compressed here with zlib/brotli/zstd), at every
// split; stacked codings; broken data; the decompression-bomb stop.
#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <string>
#include <vector>

#include "protocols/http1/content_decoder.h"
#include "protocols/http1/limits.h"

namespace fetch::http1 {
namespace {

std::string sample() {
  std::string s;
  for (int i = 0; s.size() < 40000; ++i)
    s += "line " + std::to_string(i) + ": the quick brown fox jumps over the lazy dog\n";
  return s;
}

// window_bits: 15 zlib, -15 raw deflate, 31 gzip.
std::string deflate_with(const std::string &in, int window_bits, size_t zeros = 0) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out;
  std::vector<char> buf(1 << 16);
  std::string zero_block(zeros ? 1 << 20 : 0, '\0');
  auto pump = [&](const char *data, size_t len, int flush) {
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
    z.avail_in = static_cast<uInt>(len);
    do {
      z.next_out = reinterpret_cast<Bytef *>(buf.data());
      z.avail_out = static_cast<uInt>(buf.size());
      deflate(&z, flush);
      out.append(buf.data(), buf.size() - z.avail_out);
    } while (z.avail_out == 0);
  };
  for (size_t done = 0; done < zeros; done += zero_block.size())
    pump(zero_block.data(), zero_block.size(), Z_NO_FLUSH);
  pump(in.data(), in.size(), Z_FINISH);
  deflateEnd(&z);
  return out;
}

std::string brotli(const std::string &in) {
  std::string out(BrotliEncoderMaxCompressedSize(in.size()), '\0');
  size_t n = out.size();
  EXPECT_TRUE(BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, in.size(),
                                    reinterpret_cast<const uint8_t *>(in.data()), &n,
                                    reinterpret_cast<uint8_t *>(out.data())));
  out.resize(n);
  return out;
}

std::string zstd(const std::string &in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

struct Collect : DecodeSink {
  FETCHcode on_decoded(std::span<const char> d) override {
    max_piece = std::max(max_piece, d.size());
    out.append(d.data(), d.size());
    return FETCHE_OK;
  }
  std::string out;
  size_t max_piece = 0;
};

struct Result {
  FETCHcode code = FETCHE_OK;
  std::string out;
  size_t max_piece = 0;
  bool complete = false;
};

// Decodes `data` under `codings`, written in pieces of `step` bytes (0: one write).
Result decode(const std::vector<std::string> &codings, const std::string &data, size_t step = 0,
              size_t cut = 0) {
  ContentDecoder d;
  Result r;
  for (const auto &c : codings) {
    r.code = d.add_codings(c);
    if (r.code != FETCHE_OK) return r;
  }
  Collect sink;
  std::vector<std::pair<size_t, size_t>> pieces;
  if (cut) {
    pieces = {{0, cut}, {cut, data.size() - cut}};
  } else if (step) {
    for (size_t i = 0; i < data.size(); i += step)
      pieces.emplace_back(i, std::min(step, data.size() - i));
  } else {
    pieces = {{0, data.size()}};
  }
  for (auto [off, n] : pieces) {
    r.code = d.write(data.data() + off, n, sink);
    if (r.code != FETCHE_OK) {
      EXPECT_NE(d.reason(), nullptr);
      break;
    }
  }
  r.out = sink.out;
  r.max_piece = sink.max_piece;
  r.complete = d.complete();
  return r;
}

void expect_round_trip(const std::vector<std::string> &codings, const std::string &encoded,
                       const std::string &plain) {
  Result whole = decode(codings, encoded);
  ASSERT_EQ(whole.code, FETCHE_OK);
  EXPECT_EQ(whole.out, plain);
  EXPECT_TRUE(whole.complete);
  EXPECT_LE(whole.max_piece, kDecodeChunk);
  Result bytewise = decode(codings, encoded, 1);
  ASSERT_EQ(bytewise.code, FETCHE_OK);
  EXPECT_EQ(bytewise.out, plain);
  for (size_t cut = 1; cut<encoded.size(); cut += encoded.size()> 3000 ? 7 : 1) {
    Result split = decode(codings, encoded, 0, cut);
    ASSERT_EQ(split.code, FETCHE_OK) << "cut at " << cut;
    ASSERT_EQ(split.out, plain) << "cut at " << cut;
  }
}

TEST(ContentDecoder, EachCodingRoundTrips) {
  const std::string plain = sample();
  expect_round_trip({"gzip"}, deflate_with(plain, 31), plain);
  expect_round_trip({"x-gzip"}, deflate_with(plain, 31), plain);
  expect_round_trip({"GZIP"}, deflate_with(plain, 15), plain);  // zlib-wrapped also accepted
  expect_round_trip({"deflate"}, deflate_with(plain, 15), plain);
  expect_round_trip({"deflate"}, deflate_with(plain, -15), plain);  // raw fallback
  expect_round_trip({"br"}, brotli(plain), plain);
  expect_round_trip({"zstd"}, zstd(plain), plain);
}

TEST(ContentDecoder, IdentityPassesThrough) {
  ContentDecoder d;
  EXPECT_EQ(d.add_codings("identity, none"), FETCHE_OK);
  EXPECT_FALSE(d.active());
  const std::string plain = sample();
  Result r = decode({"identity"}, plain);
  EXPECT_EQ(r.out, plain);
  EXPECT_LE(r.max_piece, kDecodeChunk);
}

TEST(ContentDecoder, StackedCodings) {
  const std::string plain = sample();
  // "gzip, br": gzip applied first, br last; br is undone first.
  std::string enc = brotli(deflate_with(plain, 31));
  expect_round_trip({"gzip, br"}, enc, plain);
  expect_round_trip({"gzip", "br"}, enc, plain);  // two headers
  std::string three = zstd(brotli(deflate_with(plain, 15)));
  expect_round_trip({"deflate", " br ,zstd"}, three, plain);
  std::string five = plain;
  for (int i = 0; i < 5; ++i) five = deflate_with(five, 31);
  expect_round_trip({"gzip, gzip, gzip, gzip, gzip"}, five, plain);
}

TEST(ContentDecoder, SixCodingsAreRefused) {
  ContentDecoder d;
  EXPECT_EQ(d.add_codings("gzip, gzip, gzip"), FETCHE_OK);
  EXPECT_EQ(d.add_codings("identity, gzip, br"), FETCHE_BAD_CONTENT_ENCODING);
  EXPECT_NE(d.reason(), nullptr);
}

TEST(ContentDecoder, UnknownCodingFailsAtTheFirstByte) {
  ContentDecoder d;
  EXPECT_EQ(d.add_codings("compress"), FETCHE_OK);
  Collect sink;
  EXPECT_EQ(d.write("", 0, sink), FETCHE_OK);  // an empty body is fine
  EXPECT_EQ(d.write("x", 1, sink), FETCHE_BAD_CONTENT_ENCODING);
  EXPECT_NE(d.reason(), nullptr);
  EXPECT_EQ(sink.out, "");
}

TEST(ContentDecoder, BrokenDataIsBadContentEncoding) {
  const std::string plain = sample();
  EXPECT_EQ(decode({"gzip"}, "this is not gzip at all").code, FETCHE_BAD_CONTENT_ENCODING);
  EXPECT_EQ(decode({"deflate"}, "\xff\xff\xff\xff garbage").code, FETCHE_BAD_CONTENT_ENCODING);
  std::string gz = deflate_with(plain, 31);
  gz[gz.size() / 2] = static_cast<char>(gz[gz.size() / 2] ^ 0x55);
  EXPECT_EQ(decode({"gzip"}, gz).code, FETCHE_BAD_CONTENT_ENCODING);
  std::string gz_crc = deflate_with(plain, 31);
  gz_crc[gz_crc.size() - 6] = static_cast<char>(gz_crc[gz_crc.size() - 6] ^ 1);  // CRC32
  EXPECT_EQ(decode({"gzip"}, gz_crc).code, FETCHE_BAD_CONTENT_ENCODING);
  // (brotli has no checksum: a flipped byte mid-stream may decode to other bytes.)
  EXPECT_EQ(decode({"br"}, std::string(64, '\xff')).code, FETCHE_BAD_CONTENT_ENCODING);
  EXPECT_EQ(decode({"zstd"}, "not a zstd frame").code, FETCHE_BAD_CONTENT_ENCODING);
  // Broken one byte at a time too.
  EXPECT_EQ(decode({"gzip"}, "this is not gzip at all", 1).code, FETCHE_BAD_CONTENT_ENCODING);
}

TEST(ContentDecoder, BytesBeforeAFaultDoNotDependOnTheSplit) {
  const std::string plain = sample();
  for (int bits : {31, 15, -15}) {
    std::string enc = deflate_with(plain, bits);
    enc[enc.size() / 3] = static_cast<char>(enc[enc.size() / 3] ^ 0x5a);
    const char *coding = bits == 31 ? "gzip" : "deflate";
    Result whole = decode({coding}, enc);
    EXPECT_EQ(whole.code, FETCHE_BAD_CONTENT_ENCODING);
    for (size_t cut = 1; cut < enc.size(); cut += 3) {
      Result split = decode({coding}, enc, 0, cut);
      ASSERT_EQ(split.code, whole.code) << coding << " cut at " << cut;
      ASSERT_EQ(split.out, whole.out) << coding << " cut at " << cut;
    }
  }
}

TEST(ContentDecoder, TruncatedStreamIsNotAnErrorButIncomplete) {
  const std::string plain = sample();
  std::string gz = deflate_with(plain, 31);
  Result r = decode({"gzip"}, gz.substr(0, gz.size() / 2));
  EXPECT_EQ(r.code, FETCHE_OK);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(plain.compare(0, r.out.size(), r.out), 0);
}

// libcurl: bytes after the end of a gzip stream (junk, or a second gzip member) are an error,
// 23; what decoded before them is delivered.
TEST(ContentDecoder, DataAfterTheGzipEndIsAWriteError) {
  const std::string plain = sample();
  const std::string gz = deflate_with(plain, 31);
  for (const std::string &after : {std::string("trailing junk"), gz}) {
    Result r = decode({"gzip"}, gz + after);
    EXPECT_EQ(r.code, FETCHE_WRITE_ERROR);
    EXPECT_EQ(r.out, plain);
  }
}

// A sink enforcing a MAXFILESIZE-like limit stops a bomb within limit + 16 KiB.
struct Capped : DecodeSink {
  explicit Capped(size_t limit) : limit(limit) {}
  FETCHcode on_decoded(std::span<const char> d) override {
    ++calls;
    total += d.size();
    return total > limit ? FETCHE_FILESIZE_EXCEEDED : FETCHE_OK;
  }
  size_t limit;
  size_t total = 0;
  size_t calls = 0;
};

void expect_bomb_stopped(const char *coding, const std::string &bomb) {
  SCOPED_TRACE(coding);
  const size_t limit = 10 << 20;
  ContentDecoder d;
  ASSERT_EQ(d.add_codings(coding), FETCHE_OK);
  Capped sink(limit);
  EXPECT_EQ(d.write(bomb.data(), bomb.size(), sink), FETCHE_FILESIZE_EXCEEDED);
  EXPECT_GT(sink.total, limit);
  EXPECT_LE(sink.total, limit + kDecodeChunk);
  // And fed in 1 KiB pieces, the first failing write is where it stops.
  ContentDecoder d2;
  ASSERT_EQ(d2.add_codings(coding), FETCHE_OK);
  Capped sink2(limit);
  FETCHcode rc = FETCHE_OK;
  for (size_t i = 0; i < bomb.size() && rc == FETCHE_OK; i += 1024)
    rc = d2.write(bomb.data() + i, std::min<size_t>(1024, bomb.size() - i), sink2);
  EXPECT_EQ(rc, FETCHE_FILESIZE_EXCEEDED);
  EXPECT_LE(sink2.total, limit + kDecodeChunk);
}

TEST(ContentDecoder, DecompressionBombIsStoppedByTheSink) {
  std::string gz = deflate_with("", 31, size_t{256} << 20);  // 256 MiB of zeros
  EXPECT_LT(gz.size(), 300u * 1024);
  expect_bomb_stopped("gzip", gz);
  std::string zeros(size_t{64} << 20, '\0');
  expect_bomb_stopped("zstd", zstd(zeros));
  expect_bomb_stopped("br", brotli(zeros));
  // Stacked: gzip inside zstd.
  expect_bomb_stopped("gzip, zstd", zstd(gz));
}

TEST(ContentDecoder, ResetAllowsReuse) {
  ContentDecoder d;
  ASSERT_EQ(d.add_codings("compress"), FETCHE_OK);
  d.reset();
  EXPECT_FALSE(d.active());
  ASSERT_EQ(d.add_codings("br"), FETCHE_OK);
  const std::string plain = "reuse me";
  std::string br = brotli(plain);
  Collect sink;
  EXPECT_EQ(d.write(br.data(), br.size(), sink), FETCHE_OK);
  EXPECT_EQ(sink.out, plain);
}

}  // namespace
}  // namespace fetch::http1
