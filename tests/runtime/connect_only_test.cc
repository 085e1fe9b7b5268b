// CONNECT_ONLY round trips under each of the four drivers (tests/runtime/drivers.h): connect,
// take FETCHINFO_ACTIVESOCKET, echo bytes through fetch_easy_send / fetch_easy_recv, check the
// infos, then tear everything down without leaking a descriptor. Also 1,000 concurrent
// CONNECT_ONLY transfers in one multi handle.
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "server/echo_server.h"
#include "support/fd_leak_checker.h"
#include "support/unique_fd.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::EchoServer;
using fetchtest::FdLeakChecker;
using fetchtest::Harness;
using fetchtest::SlistPtr;
using std::chrono::milliseconds;

class ConnectOnly : public ::testing::TestWithParam<Driver> {
 protected:
  // Connects `url` (after `configure`) under the driver, checks the infos, echoes small and
  // large payloads, then checks what removal does, and tears down.
  void round_trip(const std::string &url, const std::function<void(FETCH *)> &configure,
                  const std::string &expected_url) {
    FdLeakChecker fds;
    {
      EchoServer server;
      ASSERT_EQ(server.start(), 0);
      port_ = server.port();
      {
        Harness harness(GetParam());
        ASSERT_TRUE(harness.ok());
        char errbuf[FETCH_ERROR_SIZE];
        EasyPtr h(fetchtest::make_easy(url_for(url), {.errbuf = errbuf}));
        ASSERT_TRUE(h);
        if (configure) configure(h.get());

        ASSERT_EQ(harness.run_one(h.get()), FETCHE_OK) << errbuf;
        check_infos(h.get(), url_for(expected_url));
        if (GetParam() == Driver::kUvLoop) {
          EXPECT_FALSE(harness.loop_alive())
              << "fetch/uv.h: the loop must not stay alive once every transfer is done";
        }
        if (GetParam() == Driver::kSocketAction) {
          EXPECT_EQ(harness.epoll()->watched(), 0u)
              << "a finished CONNECT_ONLY transfer's socket must no longer be watched:"
              << harness.epoll()->describe();
        }
        echo_everything(h.get());

        // The handle is still added to the multi (libcurl's rule for send/recv): detaching it
        // ends the connection. fetch_easy_perform's handle is detached already; there,
        // fetch_easy_reset ends it.
        if (harness.uses_multi()) {
          harness.remove(h.get());
        } else {
          fetch_easy_reset(h.get());
        }
        expect_connection_gone(h.get());
        h.reset();
        harness.shutdown();
      }
      EXPECT_EQ(server.accepted(), 1u);
      server.stop();
      EXPECT_EQ(server.leaked_handles(), 0);
    }
    EXPECT_TRUE(fds.no_new_fds(milliseconds(2000)));
  }

  // A `configure` for round_trip: sets `option` to the one-entry list `entry` (PORT replaced).
  std::function<void(FETCH *)> set_list(FETCHoption option, const std::string &entry) {
    return [this, option, entry](FETCH *h) {
      lists_.push_back(fetchtest::make_slist({url_for(entry)}));
      EXPECT_EQ(fetch_easy_setopt(h, option, lists_.back().get()), FETCHE_OK);
    };
  }

  std::string url_for(const std::string &pattern) const {
    std::string out = pattern;
    const std::string key = "PORT";
    for (size_t pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos)) {
      out.replace(pos, key.size(), std::to_string(port_));
    }
    return out;
  }

  void check_infos(FETCH *h, const std::string &effective_url) {
    fetch_socket_t fd = fetchtest::active_socket(h);
    ASSERT_NE(fd, FETCH_SOCKET_BAD);
    EXPECT_EQ(fetchtest::info_long(h, fetchtest::kInfoLastSocket), static_cast<long>(fd));
    EXPECT_EQ(fetchtest::info_string(h, FETCHINFO_PRIMARY_IP), "127.0.0.1");
    EXPECT_EQ(fetchtest::info_long(h, FETCHINFO_PRIMARY_PORT), port_);
    EXPECT_EQ(fetchtest::info_string(h, FETCHINFO_LOCAL_IP), "127.0.0.1");
    long local_port = fetchtest::info_long(h, FETCHINFO_LOCAL_PORT);
    EXPECT_GT(local_port, 0);
    EXPECT_LE(local_port, 65535);
    EXPECT_NE(local_port, port_);
    fetch_off_t lookup = fetchtest::info_off(h, FETCHINFO_NAMELOOKUP_TIME_T);
    fetch_off_t connect = fetchtest::info_off(h, FETCHINFO_CONNECT_TIME_T);
    fetch_off_t total = fetchtest::info_off(h, FETCHINFO_TOTAL_TIME_T);
    EXPECT_GE(lookup, 0);
    EXPECT_GE(connect, lookup);
    EXPECT_GT(total, 0);
    EXPECT_GE(total, connect);
    EXPECT_EQ(fetchtest::info_long(h, FETCHINFO_NUM_CONNECTS), 1);
    EXPECT_EQ(fetchtest::info_string(h, FETCHINFO_SCHEME), "HTTP");
    EXPECT_EQ(fetchtest::info_string(h, FETCHINFO_EFFECTIVE_URL), effective_url);
    EXPECT_GE(fetchtest::info_off(h, FETCHINFO_CONN_ID), 0);
    EXPECT_GE(fetchtest::info_off(h, FETCHINFO_XFER_ID), 0);
  }

  void echo_everything(FETCH *h) {
    // Nothing was sent yet, so nothing can be echoed: recv must not block.
    char byte = 0;
    size_t n = 99;
    EXPECT_EQ(fetch_easy_recv(h, &byte, 1, &n), FETCHE_AGAIN);
    EXPECT_EQ(n, 0u);

    EXPECT_EQ(fetchtest::echo_round_trip(h, "hello libfetch\n"), "hello libfetch\n");
    const std::string four_kb = fetchtest::pattern_bytes(4096, 7);
    EXPECT_TRUE(fetchtest::echo_round_trip(h, four_kb) == four_kb) << "4 KB echo differs";

    const std::string one_mb = fetchtest::pattern_bytes(1 << 20, 11);
    fetchtest::EchoStats stats;
    std::string back = fetchtest::echo_round_trip(h, one_mb, milliseconds(20000), &stats);
    ASSERT_EQ(back.size(), one_mb.size());
    EXPECT_TRUE(back == one_mb) << "1 MB echo differs at byte "
                                << (std::mismatch(back.begin(), back.end(), one_mb.begin()).first -
                                    back.begin());
    RecordProperty("echo_1mb_send_again", static_cast<int>(stats.send_again));
    RecordProperty("echo_1mb_recv_again", static_cast<int>(stats.recv_again));

    // Zero-length calls are harmless.
    n = 99;
    EXPECT_EQ(fetch_easy_send(h, "", 0, &n), FETCHE_OK);
    EXPECT_EQ(n, 0u);
    EXPECT_NE(fetchtest::active_socket(h), FETCH_SOCKET_BAD);
  }

  void expect_connection_gone(FETCH *h) {
    EXPECT_EQ(fetchtest::active_socket(h), FETCH_SOCKET_BAD);
    EXPECT_EQ(fetchtest::info_long(h, fetchtest::kInfoLastSocket), -1L);
    size_t n = 99;
    EXPECT_EQ(fetch_easy_send(h, "x", 1, &n), FETCHE_UNSUPPORTED_PROTOCOL);
    EXPECT_EQ(n, 0u);
    char buf[8];
    n = 99;
    EXPECT_EQ(fetch_easy_recv(h, buf, sizeof buf, &n), FETCHE_UNSUPPORTED_PROTOCOL);
    EXPECT_EQ(n, 0u);
  }

  int port_ = 0;
  std::vector<SlistPtr> lists_;  // RESOLVE / CONNECT_TO lists outlive the transfers
};

TEST_P(ConnectOnly, IpLiteral) {
  round_trip("http://127.0.0.1:PORT", nullptr, "http://127.0.0.1:PORT/");
}

// Through the resolver: uv_getaddrinfo on libuv's pool; under socket_action its completion
// must reach the application's epoll loop.
TEST_P(ConnectOnly, LocalhostThroughResolver) {
  round_trip("http://localhost:PORT/", nullptr, "http://localhost:PORT/");
}

// FETCHOPT_RESOLVE answers without DNS.
TEST_P(ConnectOnly, ResolveEntry) {
  round_trip("http://fetch.test:PORT/", set_list(FETCHOPT_RESOLVE, "fetch.test:PORT:127.0.0.1"),
             "http://fetch.test:PORT/");
}

// Happy eyeballs: ::1 comes first and is refused (the server is on 127.0.0.1 only), the
// IPv4 address must still win.
TEST_P(ConnectOnly, HappyEyeballsFallsBackToIpv4) {
  round_trip("http://fetch.test:PORT/",
             set_list(FETCHOPT_RESOLVE, "fetch.test:PORT:[::1],127.0.0.1"),
             "http://fetch.test:PORT/");
}

// CONNECT_TO "::127.0.0.1:PORT": any host and port of the URL goes to 127.0.0.1:PORT; the
// URL's host is never resolved.
TEST_P(ConnectOnly, ConnectTo) {
  round_trip("http://fetch.invalid/", set_list(FETCHOPT_CONNECT_TO, "::127.0.0.1:PORT"),
             "http://fetch.invalid/");
}

// A peer that does not read makes fetch_easy_send return FETCHE_AGAIN deterministically; the
// application waits on the socket itself and resumes where it stopped. Every byte arrives in
// order. Then recv returns AGAIN until the peer writes.
TEST_P(ConnectOnly, SendReturnsAgainWhileThePeerDoesNotRead) {
  FdLeakChecker fds;
  {
    fetchtest::UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(listener);
    int small = 4096;  // inherited by the accepted socket: fills up early
    setsockopt(listener.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listener.get(), 4), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(getsockname(listener.get(), reinterpret_cast<sockaddr *>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);

    Harness harness(GetParam());
    ASSERT_TRUE(harness.ok());
    char errbuf[FETCH_ERROR_SIZE];
    EasyPtr h(fetchtest::make_easy(url_for("http://127.0.0.1:PORT/"), {.errbuf = errbuf}));
    ASSERT_TRUE(h);
    auto shrink = [](void *, fetch_socket_t fd, fetchsocktype) -> int {
      int size = 4096;
      setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
      return FETCH_SOCKOPT_OK;
    };
    EXPECT_EQ(fetch_easy_setopt(h.get(), FETCHOPT_SOCKOPTFUNCTION,
                                static_cast<fetch_sockopt_callback>(shrink)),
              FETCHE_OK);
    ASSERT_EQ(harness.run_one(h.get()), FETCHE_OK) << errbuf;
    pollfd lp{listener.get(), POLLIN, 0};
    ASSERT_EQ(poll(&lp, 1, 5000), 1);
    fetchtest::UniqueFd peer(::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK));
    ASSERT_TRUE(peer);
    fetch_socket_t fd = fetchtest::active_socket(h.get());
    ASSERT_NE(fd, FETCH_SOCKET_BAD);

    // Nothing written by the peer yet.
    char byte = 0;
    size_t n = 99;
    EXPECT_EQ(fetch_easy_recv(h.get(), &byte, 1, &n), FETCHE_AGAIN);
    EXPECT_EQ(n, 0u);

    // Phase 1: send (the payload, cyclically) until the kernel buffers are full.
    const std::string payload = fetchtest::pattern_bytes(1 << 20, 5);
    auto chunk_at = [&](size_t offset, size_t max) {
      size_t pos = offset % payload.size();
      return std::string_view(payload).substr(pos, std::min(max, payload.size() - pos));
    };
    size_t sent = 0;
    bool again = false;
    for (int i = 0; i < 100000 && sent < (64u << 20); ++i) {
      std::string_view c = chunk_at(sent, 65536);
      n = 0;
      FETCHcode rc = fetch_easy_send(h.get(), c.data(), c.size(), &n);
      if (rc == FETCHE_AGAIN) {
        EXPECT_EQ(n, 0u);
        again = true;
        break;
      }
      ASSERT_EQ(rc, FETCHE_OK);
      sent += n;
    }
    ASSERT_TRUE(again) << "no FETCHE_AGAIN after " << sent << " bytes to a peer that never reads";
    pollfd wp{fd, POLLOUT, 0};
    EXPECT_EQ(poll(&wp, 1, 0), 0) << "AGAIN but the socket is writable";

    // Phase 2: the peer reads; the application resumes on POLLOUT. At least 1 MB in total.
    const size_t total = std::max(sent, payload.size());
    size_t received = 0;
    size_t mismatches = 0;
    std::vector<char> buf(65536);
    const auto deadline = fetchtest::Clock::now() + milliseconds(20000);
    for (int i = 0; i < 1000000 && received < total; ++i) {
      ASSERT_LT(fetchtest::Clock::now(), deadline) << "sent " << sent << " received " << received;
      ssize_t r = ::recv(peer.get(), buf.data(), buf.size(), 0);
      if (r > 0) {
        for (ssize_t k = 0; k < r; ++k) {
          if (buf[k] != payload[(received + k) % payload.size()]) ++mismatches;
        }
        received += static_cast<size_t>(r);
      } else {
        ASSERT_TRUE(r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) << "peer recv " << r;
      }
      if (sent < total) {
        std::string_view c = chunk_at(sent, total - sent);
        n = 0;
        FETCHcode rc = fetch_easy_send(h.get(), c.data(), c.size(), &n);
        ASSERT_TRUE(rc == FETCHE_OK || rc == FETCHE_AGAIN) << fetch_easy_strerror(rc);
        sent += n;
      }
      if (r <= 0) {
        pollfd ps[2] = {{peer.get(), POLLIN, 0}, {fd, POLLOUT, 0}};
        poll(ps, sent < total ? 2 : 1, 100);
      }
    }
    EXPECT_EQ(received, total);
    EXPECT_EQ(mismatches, 0u);

    // The peer answers: recv gets exactly that.
    ASSERT_EQ(::send(peer.get(), "pong", 4, MSG_NOSIGNAL), 4);
    bool closed = false;
    EXPECT_EQ(fetchtest::recv_some(h.get(), 4, &closed), "pong");
    EXPECT_FALSE(closed);

    harness.remove(h.get());
    h.reset();
    harness.shutdown();
  }
  EXPECT_TRUE(fds.no_new_fds(milliseconds(2000)));
}

INSTANTIATE_TEST_SUITE_P(Drivers, ConnectOnly, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

// ---- 1,000 concurrent CONNECT_ONLY transfers in one multi --------------------------------------

class ConnectOnlyConcurrency : public ::testing::TestWithParam<Driver> {};

TEST_P(ConnectOnlyConcurrency, ThousandTransfersEchoTheirOwnBytes) {
  constexpr size_t kCount = 1000;
  // Each connection costs two descriptors here (client and the in-process server's side).
  std::string limit = fetchtest::ensure_fd_limit(2200);
  ASSERT_TRUE(limit.empty()) << limit;

  const auto start = fetchtest::Clock::now();
  const auto budget = milliseconds(60000);
  FdLeakChecker fds;
  {
    fetchtest::EchoServerOptions options;
    options.backlog = 1024;
    EchoServer server(options);
    ASSERT_EQ(server.start(), 0);
    const std::string url = fetchtest::loopback_url(server.port());
    {
      Harness harness(GetParam());
      ASSERT_TRUE(harness.ok());
      std::vector<EasyPtr> owned;
      std::vector<FETCH *> handles;
      for (size_t i = 0; i < kCount; ++i) {
        owned.emplace_back(fetchtest::make_easy(url, {.connect_timeout_ms = 30000}));
        ASSERT_TRUE(owned.back());
        handles.push_back(owned.back().get());
      }
      std::vector<FETCHcode> results = harness.run(handles, milliseconds(40000));
      size_t ok = 0;
      for (size_t i = 0; i < kCount; ++i) {
        if (results[i] == FETCHE_OK) {
          ++ok;
        } else if (kCount - ok < 10) {
          ADD_FAILURE() << "transfer " << i << ": " << fetch_easy_strerror(results[i]);
        }
      }
      ASSERT_EQ(ok, kCount);

      // Distinct sockets, distinct connection ids.
      std::vector<fetch_socket_t> sockets;
      std::vector<fetch_off_t> conn_ids;
      for (FETCH *h : handles) {
        sockets.push_back(fetchtest::active_socket(h));
        conn_ids.push_back(fetchtest::info_off(h, FETCHINFO_CONN_ID));
      }
      std::sort(sockets.begin(), sockets.end());
      std::sort(conn_ids.begin(), conn_ids.end());
      EXPECT_EQ(std::adjacent_find(sockets.begin(), sockets.end()), sockets.end());
      EXPECT_EQ(std::adjacent_find(conn_ids.begin(), conn_ids.end()), conn_ids.end());
      EXPECT_NE(sockets.front(), FETCH_SOCKET_BAD);

      // Every handle sends its own text first, then each reads its echo back.
      auto message = [](size_t i) { return "transfer #" + std::to_string(i) + " says hi;"; };
      for (size_t i = 0; i < kCount; ++i) {
        const std::string m = message(i);
        size_t n = 0;
        ASSERT_EQ(fetch_easy_send(handles[i], m.data(), m.size(), &n), FETCHE_OK) << i;
        ASSERT_EQ(n, m.size()) << i;  // a few bytes on a fresh socket go out at once
      }
      size_t echoed = 0;
      for (size_t i = 0; i < kCount; ++i) {
        auto left = budget - (fetchtest::Clock::now() - start);
        if (left <= milliseconds(0)) break;
        bool closed = false;
        const std::string m = message(i);
        std::string got = fetchtest::recv_some(
            handles[i], m.size(), &closed,
            std::min(milliseconds(5000), std::chrono::duration_cast<milliseconds>(left)));
        EXPECT_EQ(got, m) << "transfer " << i;
        EXPECT_FALSE(closed) << "transfer " << i;
        if (got == m) ++echoed;
      }
      EXPECT_EQ(echoed, kCount);

      for (FETCH *h : handles) {
        harness.remove(h);
        EXPECT_EQ(fetchtest::active_socket(h), FETCH_SOCKET_BAD);
      }
      owned.clear();
      harness.shutdown();
    }
    EXPECT_EQ(server.accepted(), kCount);
    server.stop();
  }
  EXPECT_TRUE(fds.no_new_fds(milliseconds(3000)));
  EXPECT_LT(fetchtest::ms_since(start), 60000) << "1,000 CONNECT_ONLY round trips took too long";
}

INSTANTIATE_TEST_SUITE_P(Drivers, ConnectOnlyConcurrency,
                         ::testing::ValuesIn(fetchtest::multi_drivers()),
                         fetchtest::driver_param_name);

}  // namespace
