// Self-test of the scripted HTTP/1 test server (tests/server/http_*, script_*), driven by plain
// sockets so that nothing of libfetch is involved.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "fd_leak_checker.h"
#include "http_files.h"
#include "http_server.h"
#include "loopback_client.h"
#include "unique_fd.h"
#include "wait_until.h"

namespace fetchtest {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kGetHello =
    "GET /hello HTTP/1.1\r\nHost: a.test\r\nX-First: 1\r\nx-second:  two \r\n\r\n";

struct ReadResult {
  std::string data;
  bool eof = false;    // orderly FIN
  bool reset = false;  // ECONNRESET
};

// Reads until EOF, reset or the timeout.
ReadResult read_to_end(int fd, milliseconds timeout = milliseconds(2000)) {
  ReadResult result;
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (poll(&p, 1, static_cast<int>(left) + 1) <= 0) continue;
    char buf[65536];
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      result.data.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0) {
      result.eof = true;
      break;
    } else if (errno == ECONNRESET) {
      result.reset = true;
      break;
    } else if (errno != EAGAIN && errno != EINTR) {
      break;
    }
  }
  return result;
}

// True if nothing (no byte, no EOF) arrives within `quiet`.
bool stays_silent(int fd, milliseconds quiet) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, static_cast<int>(quiet.count())) == 0;
}

UniqueFd connect_to(const std::string &host, int port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (connect(fd.get(), reinterpret_cast<const sockaddr *>(&addr), sizeof(addr)) != 0) fd.reset();
  return fd;
}

std::string get(std::string_view path, std::string_view extra = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(server.start(), 0); }
  void TearDown() override {
    server.stop();
    EXPECT_EQ(server.leaked_handles(), 0);
  }
  UniqueFd connect() { return connect_loopback(server.port()); }

  HttpServer server;
};

TEST_F(HttpServerTest, RecordsExactBytesAndSendsTheScriptedResponse) {
  const std::string response = http_response(200, {{"X-Reply", "1"}}, "hi");
  EXPECT_EQ(response, "HTTP/1.1 200 OK\r\nX-Reply: 1\r\nContent-Length: 2\r\n\r\nhi");
  server.on("/hello", Script().send(response));
  UniqueFd client = connect();
  ASSERT_TRUE(send_all(client.get(), kGetHello));
  EXPECT_EQ(recv_exactly(client.get(), response.size()), response);

  ASSERT_TRUE(server.wait_for_requests(1));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const RecordedRequest &r = requests[0];
  EXPECT_EQ(r.raw, kGetHello);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/hello");
  EXPECT_EQ(r.http_major, 1);
  EXPECT_EQ(r.http_minor, 1);
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>("Host", "a.test")));
  EXPECT_EQ(r.headers[2].first, "x-second");
  EXPECT_EQ(r.header("X-SECOND"), "two");
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(r.parse_error.empty());
  EXPECT_EQ(r.connection_id, 1u);
  EXPECT_EQ(r.index, 0u);
  EXPECT_EQ(server.accepted(), 1u);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrderOnOneConnection) {
  server.on("/a", Script().send(http_response(200, {}, "A")));
  server.on("/b", Script().delay(milliseconds(30)).send(http_response(200, {}, "BB")));
  const std::string sent = get("/a") + get("/b?x=1") + get("/a", "X-N: 3\r\n");
  UniqueFd client = connect();
  ASSERT_TRUE(send_all(client.get(), sent));
  const std::string expected =
      http_response(200, {}, "A") + http_response(200, {}, "BB") + http_response(200, {}, "A");
  EXPECT_EQ(recv_exactly(client.get(), expected.size()), expected);

  ASSERT_TRUE(server.wait_for_requests(3));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].raw, get("/a"));
  EXPECT_EQ(requests[1].raw, get("/b?x=1"));
  EXPECT_EQ(requests[1].target, "/b?x=1");
  EXPECT_EQ(requests[2].raw, get("/a", "X-N: 3\r\n"));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(requests[i].connection_id, 1u);
    EXPECT_EQ(requests[i].index, i);
  }
  EXPECT_EQ(server.accepted(), 1u);
}

TEST_F(HttpServerTest, ChunkedRequestBodyIsDechunkedAndRawKept) {
  server.on("/up", Script().send(http_response(201)));
  const std::string sent = "POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" +
                           chunked_body("hello world", {4, 2}, {{"X-Trailer", "t"}});
  EXPECT_EQ(sent.substr(sent.find("\r\n\r\n") + 4),
            "4\r\nhell\r\n2\r\no \r\n2\r\nwo\r\n2\r\nrl\r\n1\r\nd\r\n0\r\nX-Trailer: t\r\n\r\n");
  UniqueFd client = connect();
  // Sent in two parts so that the body arrives separately.
  ASSERT_TRUE(send_all(client.get(), sent.substr(0, 70)));
  std::this_thread::sleep_for(milliseconds(20));
  ASSERT_TRUE(send_all(client.get(), sent.substr(70)));
  EXPECT_EQ(recv_exactly(client.get(), http_response(201).size()), http_response(201));
  ASSERT_TRUE(server.wait_for_requests(1));
  auto r = server.requests().at(0);
  EXPECT_EQ(r.raw, sent);
  EXPECT_EQ(r.body, "hello world");
  EXPECT_EQ(r.method, "POST");
}

TEST_F(HttpServerTest, KeepAliveByDefaultAndCloseOnRequest) {
  server.on("/keep", Script().send(http_response(200, {}, "k")));
  server.on("/close", Script().send_then_close(http_response(200, {{"Connection", "close"}})));
  UniqueFd client = connect();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(send_all(client.get(), get("/keep")));
    EXPECT_EQ(recv_exactly(client.get(), http_response(200, {}, "k").size()),
              http_response(200, {}, "k"));
  }
  EXPECT_TRUE(stays_silent(client.get(), milliseconds(50)));  // still open, nothing extra
  ASSERT_TRUE(send_all(client.get(), get("/close")));
  ReadResult end = read_to_end(client.get());
  EXPECT_EQ(end.data, http_response(200, {{"Connection", "close"}}));
  EXPECT_TRUE(end.eof);

  // The client's "Connection: close" also ends the connection after the response.
  UniqueFd second = connect();
  ASSERT_TRUE(send_all(second.get(), get("/keep", "Connection: close\r\n")));
  end = read_to_end(second.get());
  EXPECT_EQ(end.data, http_response(200, {}, "k"));
  EXPECT_TRUE(end.eof);
  EXPECT_EQ(server.accepted(), 2u);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[3].connection_id, 1u);
  EXPECT_EQ(requests[3].index, 3u);
  EXPECT_EQ(requests[4].connection_id, 2u);
  EXPECT_EQ(requests[4].index, 0u);
}

TEST_F(HttpServerTest, DefaultRouteAnswers404AndHandlersSeeTheRequest) {
  UniqueFd client = connect();
  ASSERT_TRUE(send_all(client.get(), get("/missing")));
  EXPECT_EQ(recv_exactly(client.get(), http_response(404).size()), http_response(404));
  server.on_default([](const RecordedRequest &r) {
    return Script().send(http_response(200, {}, r.method + " " + r.target));
  });
  ASSERT_TRUE(send_all(client.get(), get("/x?y")));
  EXPECT_EQ(recv_exactly(client.get(), http_response(200, {}, "GET /x?y").size()),
            http_response(200, {}, "GET /x?y"));
}

TEST_F(HttpServerTest, DelayAndTrickle) {
  server.on("/slow", Script().delay(milliseconds(150)).send(http_response(204)));
  server.on("/trickle", Script().trickle("abcdef", milliseconds(25)).close());
  UniqueFd client = connect();
  auto t0 = Clock::now();
  ASSERT_TRUE(send_all(client.get(), get("/slow")));
  EXPECT_EQ(recv_exactly(client.get(), http_response(204).size()), http_response(204));
  EXPECT_GE(Clock::now() - t0, milliseconds(140));

  t0 = Clock::now();
  ASSERT_TRUE(send_all(client.get(), get("/trickle")));
  EXPECT_EQ(recv_exactly(client.get(), 1), "a");
  EXPECT_TRUE(stays_silent(client.get(), milliseconds(10)));
  ReadResult rest = read_to_end(client.get());
  EXPECT_EQ(rest.data, "bcdef");
  EXPECT_TRUE(rest.eof);
  EXPECT_GE(Clock::now() - t0, milliseconds(5 * 25 - 10));
}

TEST_F(HttpServerTest, ResetSendsRstAfterTheBytes) {
  server.on("/rst", Script().send("HTTP/1.1 200 OK\r\nContent-Len").reset());
  UniqueFd client = connect();
  ASSERT_TRUE(send_all(client.get(), get("/rst")));
  ReadResult end = read_to_end(client.get());
  EXPECT_TRUE(end.reset);
  EXPECT_FALSE(end.eof);
  // Loopback delivers the bytes before the RST; Linux lets the reader see them first.
  EXPECT_EQ(end.data, "HTTP/1.1 200 OK\r\nContent-Len");
}

TEST_F(HttpServerTest, CloseMidBodySendsFin) {
  server.on("/cut", Script().send(wrong_content_length_response("short", 100)).close());
  UniqueFd client = connect();
  ASSERT_TRUE(send_all(client.get(), get("/cut")));
  ReadResult end = read_to_end(client.get());
  EXPECT_TRUE(end.eof);
  EXPECT_EQ(end.data, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
}

TEST_F(HttpServerTest, StallKeepsTheConnectionOpenUntilStop) {
  server.on("/stall", Script().send("HTTP/1.1 200 OK\r\n").stall());
  server.on("/none", Script().stall());
  UniqueFd client = connect();
  UniqueFd silent = connect();
  ASSERT_TRUE(send_all(client.get(), get("/stall")));
  ASSERT_TRUE(send_all(silent.get(), get("/none")));
  EXPECT_EQ(recv_exactly(client.get(), 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_TRUE(stays_silent(client.get(), milliseconds(150)));
  EXPECT_TRUE(stays_silent(silent.get(), milliseconds(10)));
  ASSERT_TRUE(send_all(client.get(), get("/stall")));  // input is dropped while stalled
  EXPECT_TRUE(stays_silent(client.get(), milliseconds(50)));
  EXPECT_EQ(server.open_connections(), 2u);
  server.stop();
  EXPECT_TRUE(wait_for_peer_close(client.get()));
  EXPECT_TRUE(wait_for_peer_close(silent.get()));
}

TEST_F(HttpServerTest, ExpectContinueIsAnsweredByDefault) {
  server.on("/up", Script().send(http_response(200, {}, "got")));
  UniqueFd client = connect();
  ASSERT_TRUE(send_all(client.get(),
                       "PUT /up HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue"
                       "\r\n\r\n"));
  EXPECT_EQ(recv_exactly(client.get(), 25), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(send_all(client.get(), "body"));
  EXPECT_EQ(recv_exactly(client.get(), http_response(200, {}, "got").size()),
            http_response(200, {}, "got"));
  ASSERT_TRUE(server.wait_for_requests(1));
  EXPECT_EQ(server.requests()[0].body, "body");
}

TEST_F(HttpServerTest, ExpectContinueIgnoredOrRejected) {
  server.on("/ignore", Script().expect(ExpectMode::kIgnore).send(http_response(200)));
  server.on("/reject", Script().expect(ExpectMode::kReject).send(http_response(200)));
  const std::string head = "Host: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n";
  UniqueFd client = connect();
  ASSERT_TRUE(send_all(client.get(), "PUT /ignore HTTP/1.1\r\n" + head));
  EXPECT_TRUE(stays_silent(client.get(), milliseconds(100)));
  ASSERT_TRUE(send_all(client.get(), "body"));
  EXPECT_EQ(recv_exactly(client.get(), http_response(200).size()), http_response(200));

  UniqueFd rejected = connect();
  ASSERT_TRUE(send_all(rejected.get(), "PUT /reject HTTP/1.1\r\n" + head));
  ReadResult end = read_to_end(rejected.get());
  EXPECT_EQ(end.data, http_response(417, {{"Connection", "close"}}));
  EXPECT_TRUE(end.eof);
}

TEST_F(HttpServerTest, EarlyResponseBeforeTheBodyIsRead) {
  server.on("/early", Script()
                          .start(ScriptStart::kAfterHeaders)
                          .send_then_close(http_response(413, {{"Connection", "close"}})));
  UniqueFd client = connect();
  ASSERT_TRUE(send_all(client.get(),
                       "POST /early HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n"
                       "\r\npartial"));
  ReadResult end = read_to_end(client.get());
  EXPECT_EQ(end.data, http_response(413, {{"Connection", "close"}}));
  ASSERT_TRUE(server.wait_for_requests(1));
  EXPECT_FALSE(server.requests()[0].complete);
  EXPECT_TRUE(server.requests()[0].cut_short);
  EXPECT_EQ(server.requests()[0].raw,
            "POST /early HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");

  // Without close, the body is read after the early answer and the connection is reused.
  server.on("/early-keep",
            Script().start(ScriptStart::kAfterHeaders).send(http_response(200, {}, "early")));
  UniqueFd keep = connect();
  ASSERT_TRUE(
      send_all(keep.get(), "POST /early-keep HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n"));
  EXPECT_EQ(recv_exactly(keep.get(), http_response(200, {}, "early").size()),
            http_response(200, {}, "early"));
  ASSERT_TRUE(send_all(keep.get(), "abc" + get("/missing")));
  EXPECT_EQ(recv_exactly(keep.get(), http_response(404).size()), http_response(404));
  ASSERT_TRUE(server.wait_for_requests(3));
  auto requests = server.requests();
  EXPECT_EQ(requests[1].body, "abc");
  EXPECT_EQ(requests[2].index, 1u);
}

TEST_F(HttpServerTest, SlowReaderPausesBeforeTheBody) {
  server.on("/slow-read", Script().read_body_after(milliseconds(150)).send(http_response(200)));
  UniqueFd client = connect();
  auto t0 = Clock::now();
  ASSERT_TRUE(send_all(client.get(),
                       "POST /slow-read HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
                       "\r\nok"));
  EXPECT_EQ(recv_exactly(client.get(), http_response(200).size()), http_response(200));
  EXPECT_GE(Clock::now() - t0, milliseconds(140));
  ASSERT_TRUE(server.wait_for_requests(1));
  EXPECT_EQ(server.requests()[0].body, "ok");
}

TEST_F(HttpServerTest, GarbageIsRecordedAsParseError) {
  UniqueFd client = connect();
  ASSERT_TRUE(send_all(client.get(), "HELLO\x01 there\r\n\r\n"));
  ReadResult end = read_to_end(client.get());
  EXPECT_EQ(end.data, http_response(400, {{"Connection", "close"}}));
  ASSERT_TRUE(server.wait_for_requests(1));
  auto r = server.requests()[0];
  EXPECT_FALSE(r.parse_error.empty());
  EXPECT_EQ(r.raw, "HELLO\x01 there\r\n\r\n");
  EXPECT_FALSE(r.complete);
}

TEST_F(HttpServerTest, RequestCutShortByTheClientIsRecorded) {
  UniqueFd client = connect();
  ASSERT_TRUE(
      send_all(client.get(), "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab"));
  ASSERT_TRUE(wait_until([&] { return server.requests().size() == 1; }));
  client.reset();
  ASSERT_TRUE(wait_until([&] { return server.open_connections() == 0; }));
  auto r = server.requests().at(0);
  EXPECT_FALSE(r.complete);
  EXPECT_TRUE(r.cut_short);
  EXPECT_EQ(r.body, "ab");
  EXPECT_EQ(r.raw, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab");
}

TEST_F(HttpServerTest, AcceptCountsEveryConnection) {
  server.on("/", Script().send(http_response(200)));
  for (int i = 0; i < 3; ++i) {
    UniqueFd client = connect();
    ASSERT_TRUE(send_all(client.get(), get("/")));
    EXPECT_EQ(recv_exactly(client.get(), http_response(200).size()), http_response(200));
  }
  EXPECT_EQ(server.accepted(), 3u);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].connection_id, 3u);
}

TEST_F(HttpServerTest, StopWithTimersAndWritesInFlightLeaksNothing) {
  server.on("/t", Script().trickle(std::string(1000, 'x'), milliseconds(5)));
  server.on("/d", Script().delay(milliseconds(10000)).send(http_response(200)));
  server.on("/big", Script().send(http_response(200, {}, std::string(8 << 20, 'b'))));
  UniqueFd a = connect(), b = connect(), c = connect();
  ASSERT_TRUE(send_all(a.get(), get("/t")));
  ASSERT_TRUE(send_all(b.get(), get("/d")));
  ASSERT_TRUE(send_all(c.get(), get("/big")));  // never read: the write stays queued
  ASSERT_TRUE(server.wait_for_requests(3));
  std::this_thread::sleep_for(milliseconds(30));
  server.stop();
  EXPECT_EQ(server.leaked_handles(), 0);
  EXPECT_EQ(server.open_connections(), 0u);
}

TEST(HttpServer, SecondOriginOn127002) {
  HttpServer first;
  HttpServer second(HttpServerOptions{"127.0.0.2"});
  first.on("/", Script().send(http_response(200, {}, "one")));
  second.on("/", Script().send(http_response(200, {}, "two")));
  ASSERT_EQ(first.start(), 0);
  ASSERT_EQ(second.start(), 0);
  EXPECT_NE(first.origin(), second.origin());
  EXPECT_EQ(second.origin(), "http://127.0.0.2:" + std::to_string(second.port()));
  UniqueFd client = connect_to("127.0.0.2", second.port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(send_all(client.get(), get("/")));
  EXPECT_EQ(recv_exactly(client.get(), http_response(200, {}, "two").size()),
            http_response(200, {}, "two"));
  EXPECT_EQ(second.accepted(), 1u);
  EXPECT_EQ(first.accepted(), 0u);
  // The 127.0.0.2 listener is not reachable on 127.0.0.1.
  EXPECT_FALSE(connect_to("127.0.0.1", second.port()));
}

TEST(HttpServer, RestartsWithFreshRecordsAndNoLeakedFds) {
  FdLeakChecker fds;
  {
    HttpServer server;
    for (int round = 0; round < 2; ++round) {
      ASSERT_EQ(server.start(), 0);
      EXPECT_EQ(server.start(), UV_EBUSY);
      UniqueFd client = connect_loopback(server.port());
      ASSERT_TRUE(send_all(client.get(), get("/")));
      EXPECT_EQ(recv_exactly(client.get(), http_response(404).size()), http_response(404));
      ASSERT_TRUE(server.wait_for_requests(1));
      EXPECT_EQ(server.requests().size(), 1u);
      EXPECT_EQ(server.requests()[0].connection_id, 1u);
      server.stop();
    }
  }
  EXPECT_TRUE(fds.no_new_fds());
}

class HttpFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("fetch-http-files-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir / "sub");
    std::ofstream(dir / "sub" / "data.bin", std::ios::binary) << "0123456789";
    server.on_default(files_handler(dir));
    ASSERT_EQ(server.start(), 0);
  }
  void TearDown() override {
    server.stop();
    std::filesystem::remove_all(dir);
  }
  std::string exchange(int fd, const std::string &request, std::size_t expect) {
    EXPECT_TRUE(send_all(fd, request));
    return recv_exactly(fd, expect);
  }

  std::filesystem::path dir;
  HttpServer server;
};

TEST_F(HttpFilesTest, ServesFilesRangesAndErrorsOnOneConnection) {
  UniqueFd c = connect_loopback(server.port());
  const HeaderList base = {{"Content-Type", "application/octet-stream"},
                           {"Accept-Ranges", "bytes"}};
  std::string full = http_response(200, base, "0123456789");
  EXPECT_EQ(exchange(c.get(), get("/sub/data.bin"), full.size()), full);

  HeaderList ranged = base;
  ranged.emplace_back("Content-Range", "bytes 2-4/10");
  std::string part = http_response(206, ranged, "234");
  EXPECT_EQ(exchange(c.get(), get("/sub/data.bin", "Range: bytes=2-4\r\n"), part.size()), part);

  ranged.back().second = "bytes 7-9/10";
  std::string tail = http_response(206, ranged, "789");
  EXPECT_EQ(exchange(c.get(), get("/sub/data.bin", "Range: bytes=-3\r\n"), tail.size()), tail);
  EXPECT_EQ(exchange(c.get(), get("/sub/data.bin", "Range: bytes=7-\r\n"), tail.size()), tail);

  std::string unsatisfiable = http_response(416, {{"Content-Type", "application/octet-stream"},
                                                  {"Accept-Ranges", "bytes"},
                                                  {"Content-Range", "bytes */10"}});
  EXPECT_EQ(exchange(c.get(), get("/sub/data.bin", "Range: bytes=10-\r\n"), unsatisfiable.size()),
            unsatisfiable);

  HeaderList head_headers = base;
  head_headers.emplace_back("Content-Length", "10");
  std::string head = http_head(200, head_headers);
  EXPECT_EQ(exchange(c.get(), "HEAD /sub/data.bin HTTP/1.1\r\nHost: t\r\n\r\n", head.size()), head);
  EXPECT_EQ(exchange(c.get(), get("/nope"), http_response(404).size()), http_response(404));
  EXPECT_EQ(exchange(c.get(), get("/../etc/passwd"), http_response(404).size()),
            http_response(404));
  EXPECT_EQ(exchange(c.get(), get("/sub"), http_response(404).size()), http_response(404));
  EXPECT_EQ(server.accepted(), 1u);
}

TEST_F(HttpFilesTest, EchoesAPostAndRedirects) {
  UniqueFd c = connect_loopback(server.port());
  std::string echoed =
      http_response(200, {{"Content-Type", "application/octet-stream"}}, "name=value");
  EXPECT_EQ(
      exchange(c.get(), "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nname=value",
               echoed.size()),
      echoed);
  std::string moved = http_response(302, {{"Location", "/sub/data.bin"}});
  EXPECT_EQ(exchange(c.get(), get("/redirect/sub/data.bin"), moved.size()), moved);
  std::string refused = http_response(405, {{"Allow", "GET, HEAD"}});
  EXPECT_EQ(
      exchange(c.get(), "POST /sub/data.bin HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx",
               refused.size()),
      refused);
  EXPECT_EQ(server.accepted(), 1u);
}

TEST(HttpFiles, ByteRangeParsing) {
  auto r = parse_byte_range("bytes=0-0", 5);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 0u);
  EXPECT_EQ(r->last, 0u);
  EXPECT_FALSE(r->ignored);
  r = parse_byte_range("bytes=3-100", 5);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->last, 4u);
  r = parse_byte_range("bytes=-100", 5);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 0u);
  EXPECT_TRUE(parse_byte_range("bytes=0-1,3-4", 5)->ignored);
  EXPECT_TRUE(parse_byte_range("items=0-1", 5)->ignored);
  EXPECT_TRUE(parse_byte_range("bytes=4-2", 5)->ignored);
  EXPECT_FALSE(parse_byte_range("bytes=5-", 5));
  EXPECT_FALSE(parse_byte_range("bytes=-0", 5));
}

TEST(ScriptResponses, Builders) {
  EXPECT_EQ(http_response(404), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(http_response(200, {{"content-length", "9"}}, "x"),
            "HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nx");
  EXPECT_EQ(chunked_response(200, {}, "abc"),
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(chunked_body("abcdef", {1, 2}), "1\r\na\r\n2\r\nbc\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n");
  EXPECT_EQ(chunked_body(""), "0\r\n\r\n");
  EXPECT_EQ(redirect_response(302, "/next"),
            "HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n");
}

TEST(ScriptFaults, Generators) {
  std::string huge = huge_header_response(100000);
  EXPECT_NE(huge.find("X-Huge: " + std::string(100000, 'h') + "\r\n"), std::string::npos);
  std::string many = many_headers_response(5001);
  EXPECT_NE(many.find("X-H5000: v\r\n"), std::string::npos);
  EXPECT_EQ(many.find("X-H5001:"), std::string::npos);
  EXPECT_NE(nul_in_header_response().find(std::string("a\0b", 3)), std::string::npos);
  EXPECT_NE(bare_cr_in_header_response().find("a\rb\r\n"), std::string::npos);
  EXPECT_NE(obs_fold_response().find("X-Folded: a\r\n  b\r\n"), std::string::npos);
  EXPECT_EQ(versioned_response("HTTP/1.2", 200, "x"),
            "HTTP/1.2 200 OK\r\nContent-Length: 1\r\n\r\nx");
  std::string flood = informational_flood(3, http_response(200));
  EXPECT_EQ(flood,
            "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
            "HTTP/1.1 102 Processing\r\n\r\n" +
                http_response(200));
  EXPECT_NE(duplicate_content_length_response("ab", 2, 3)
                .find("Content-Length: 2\r\nContent-Length: 3\r\n\r\nab"),
            std::string::npos);
  EXPECT_NE(content_length_and_chunked_response("ab").find(
                "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"),
            std::string::npos);
  EXPECT_NE(coding_after_chunked_response("ab").find("Transfer-Encoding: chunked, gzip\r\n"),
            std::string::npos);
  EXPECT_NE(bogus_chunk_response("zz").find("\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"), std::string::npos);
  EXPECT_NE(overflowing_chunk_response().find("\r\n\r\n1FFFFFFFFFFFFFFFF\r\n"), std::string::npos);
  std::string truncated = truncated_chunk_response(0x100, 3);
  EXPECT_EQ(truncated.substr(truncated.size() - 8), "100\r\nccc");
  std::string trailers = huge_trailers_response(50000);
  EXPECT_GE(trailers.size(), 50000u);
  EXPECT_EQ(trailers.substr(trailers.size() - 4), "\r\n\r\n");
  EXPECT_EQ(http09_response("raw"), "raw");
}

}  // namespace
}  // namespace fetchtest
