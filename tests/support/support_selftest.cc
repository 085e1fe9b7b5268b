// Self-test of the test infrastructure: tests/server (EchoServer) and tests/support helpers.
#include <gtest/gtest.h>
#include <poll.h>
#include <uv.h>

#include <cerrno>
#include <string>
#include <thread>
#include <vector>

#include "echo_server.h"
#include "fd_leak_checker.h"
#include "full_backlog.h"
#include "loopback_client.h"
#include "ports.h"
#include "unique_fd.h"
#include "wait_until.h"

namespace fetchtest {
namespace {

using std::chrono::milliseconds;

TEST(EchoServer, EchoesBytesBackAndStopsCleanly) {
  FdLeakChecker fds;
  {
    EchoServer server;
    ASSERT_EQ(server.start(), 0);
    ASSERT_GT(server.port(), 0);

    UniqueFd client = connect_loopback(server.port());
    ASSERT_TRUE(client);
    ASSERT_TRUE(send_all(client.get(), "hello"));
    EXPECT_EQ(recv_exactly(client.get(), 5), "hello");

    std::string chunk(64 * 1024, 'x');
    for (int i = 0; i < 16; ++i) {
      chunk[0] = static_cast<char>('a' + i);
      ASSERT_TRUE(send_all(client.get(), chunk));
      ASSERT_EQ(recv_exactly(client.get(), chunk.size()), chunk);
    }
    EXPECT_EQ(server.accepted(), 1u);
    EXPECT_TRUE(wait_until([&] { return server.open_connections() == 1; }));

    client.reset();
    EXPECT_TRUE(wait_until([&] { return server.open_connections() == 0; }));
    server.stop();
    EXPECT_EQ(server.leaked_handles(), 0);
    EXPECT_FALSE(server.running());
  }
  EXPECT_TRUE(fds.no_new_fds());
}

TEST(EchoServer, CloseAfterAcceptIsSeenAsPeerClose) {
  EchoServerOptions options;
  options.echo.close_after_accept = true;
  EchoServer server(options);
  ASSERT_EQ(server.start(), 0);

  UniqueFd client = connect_loopback(server.port());
  ASSERT_TRUE(client);
  EXPECT_TRUE(wait_for_peer_close(client.get()));
  EXPECT_EQ(server.accepted(), 1u);
  EXPECT_TRUE(wait_until([&] { return server.open_connections() == 0; }));
}

TEST(EchoServer, CloseAfterBytesEchoesThenSendsFin) {
  EchoServerOptions options;
  options.echo.close_after_bytes = 4;
  EchoServer server(options);
  ASSERT_EQ(server.start(), 0);

  UniqueFd client = connect_loopback(server.port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(send_all(client.get(), "abcdefgh"));
  EXPECT_EQ(recv_exactly(client.get(), 8), "abcd");  // stops at EOF
  EXPECT_TRUE(wait_for_peer_close(client.get()));
  client.reset();
  EXPECT_TRUE(wait_until([&] { return server.open_connections() == 0; }));
}

TEST(EchoServer, StopClosesOpenConnections) {
  FdLeakChecker fds;
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  std::vector<UniqueFd> clients;
  for (int i = 0; i < 20; ++i) {
    clients.push_back(connect_loopback(server.port()));
    ASSERT_TRUE(clients.back());
    ASSERT_TRUE(send_all(clients.back().get(), "ping"));
    ASSERT_EQ(recv_exactly(clients.back().get(), 4), "ping");
  }
  EXPECT_EQ(server.accepted(), 20u);
  EXPECT_EQ(server.open_connections(), 20u);

  std::thread stopper([&] { server.stop(); });  // stop from another thread
  stopper.join();
  EXPECT_EQ(server.open_connections(), 0u);
  EXPECT_EQ(server.leaked_handles(), 0);
  for (auto &client : clients) EXPECT_TRUE(wait_for_peer_close(client.get()));
  clients.clear();
  EXPECT_TRUE(fds.no_new_fds());
}

TEST(EchoServer, StartStopAreIdempotentAndRestartable) {
  EchoServer server;
  server.stop();  // not running: no-op
  ASSERT_EQ(server.start(), 0);
  EXPECT_EQ(server.start(), UV_EBUSY);
  server.stop();
  server.stop();
  ASSERT_EQ(server.start(), 0);
  UniqueFd client = connect_loopback(server.port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(send_all(client.get(), "again"));
  EXPECT_EQ(recv_exactly(client.get(), 5), "again");
}

TEST(EchoServer, BusyPortFailsToStartWithoutLeaks) {
  EchoServer first;
  ASSERT_EQ(first.start(), 0);
  FdLeakChecker fds;
  EchoServerOptions options;
  options.port = first.port();
  EchoServer second(options);
  EXPECT_EQ(second.start(), UV_EADDRINUSE);
  EXPECT_FALSE(second.running());
  EXPECT_TRUE(fds.no_new_fds());
}

TEST(ListenerWithFullBacklog, FurtherConnectNeverCompletes) {
  FdLeakChecker fds;
  {
    ListenerWithFullBacklog listener;
    ASSERT_TRUE(listener.ok());
    ASSERT_TRUE(listener.fill());
    EXPECT_GE(listener.filler_count(), 1u);

    UniqueFd hanging = listener.start_hanging_connect();
    ASSERT_TRUE(hanging);
    pollfd p{hanging.get(), POLLOUT, 0};
    EXPECT_EQ(poll(&p, 1, 500), 0) << "connect completed, revents=" << p.revents;
    EXPECT_EQ(finish_connect(hanging.get(), milliseconds(100)), ETIMEDOUT);
  }
  EXPECT_TRUE(fds.no_new_fds());
}

TEST(ClosedPort, ConnectIsRefused) {
  int port = closed_port();
  ASSERT_GT(port, 0);
  int error = 0;
  UniqueFd client = connect_nonblocking(port, &error);
  if (client) error = finish_connect(client.get(), milliseconds(1000));
  EXPECT_EQ(error, ECONNREFUSED);
}

TEST(FdLeakChecker, CountsNewDescriptors) {
  FdLeakChecker fds;
  EXPECT_EQ(fds.baseline(), count_open_fds());
  UniqueFd extra = connect_nonblocking(closed_port());
  ASSERT_TRUE(extra);
  EXPECT_EQ(count_open_fds(), fds.baseline() + 1);
  EXPECT_FALSE(fds.no_new_fds());
  extra.reset();
  EXPECT_TRUE(fds.no_new_fds());
}

}  // namespace
}  // namespace fetchtest
