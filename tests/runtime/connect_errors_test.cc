// How a CONNECT_ONLY transfer fails, and the socket's life around failures, under each driver
// (tests/runtime/drivers.h): resolve and connect errors, timeouts, URL and protocol checks,
// socket callbacks, peer close, reset, LOCALPORT / INTERFACE / IPRESOLVE, DNS cache and the
// new connection every transfer makes. Each test ends with no new open descriptor.
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/drivers.h"
#include "server/echo_server.h"
#include "support/fd_leak_checker.h"
#include "support/full_backlog.h"
#include "support/ports.h"

namespace {

using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::EchoServer;
using fetchtest::FdLeakChecker;
using fetchtest::Harness;
using fetchtest::loopback_url;
using fetchtest::SlistPtr;
using std::chrono::milliseconds;

// OPENSOCKETFUNCTION / CLOSESOCKETFUNCTION that open and close real sockets and record them.
struct SocketRecord {
  std::vector<int> opened;
  std::vector<int> closed;

  static fetch_socket_t open_cb(void *clientp, fetchsocktype purpose, fetch_sockaddr *addr) {
    auto *self = static_cast<SocketRecord *>(clientp);
    EXPECT_EQ(purpose, FETCHSOCKTYPE_IPCXN);
    int fd = ::socket(addr->family, addr->socktype, addr->protocol);
    if (fd >= 0) self->opened.push_back(fd);
    return fd >= 0 ? fd : FETCH_SOCKET_BAD;
  }
  static int close_cb(void *clientp, fetch_socket_t fd) {
    auto *self = static_cast<SocketRecord *>(clientp);
    self->closed.push_back(fd);
    return ::close(fd);
  }
  size_t closes_of(int fd) const {
    return static_cast<size_t>(std::count(closed.begin(), closed.end(), fd));
  }
};

// No connection: no active socket, and send / recv say so.
void expect_no_connection(FETCH *h) {
  EXPECT_EQ(fetchtest::active_socket(h), FETCH_SOCKET_BAD);
  size_t n = 99;
  EXPECT_EQ(fetch_easy_send(h, "x", 1, &n), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_EQ(n, 0u);
  char buf[4];
  n = 99;
  EXPECT_EQ(fetch_easy_recv(h, buf, sizeof buf, &n), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_EQ(n, 0u);
}

class ConnectErrors : public ::testing::TestWithParam<Driver> {
 protected:
  void SetUp() override {
    fds_.emplace();
    harness_ = std::make_unique<Harness>(GetParam());
    ASSERT_TRUE(harness_->ok());
  }

  void TearDown() override {
    handles_.clear();
    if (harness_) harness_->shutdown();
    harness_.reset();
    lists_.clear();
    EXPECT_TRUE(fds_->no_new_fds(milliseconds(2000)));
  }

  // A handle for `url` that the fixture owns, its errors going to errbuf().
  FETCH *make(const std::string &url, bool connect_only = true) {
    EasyPtr h(fetchtest::make_easy(url, {.connect_only = connect_only, .errbuf = errbuf_}));
    if (!h) return nullptr;
    handles_.push_back(std::move(h));
    return handles_.back().get();
  }

  void record_sockets(FETCH *h, SocketRecord &rec, bool open_too) {
    if (open_too) {
      EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_OPENSOCKETFUNCTION, &SocketRecord::open_cb),
                FETCHE_OK);
      EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_OPENSOCKETDATA, &rec), FETCHE_OK);
    }
    EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_CLOSESOCKETFUNCTION, &SocketRecord::close_cb),
              FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_CLOSESOCKETDATA, &rec), FETCHE_OK);
  }

  // A list that lives until the end of the test.
  fetch_slist *slist(const std::vector<std::string> &items) {
    lists_.push_back(fetchtest::make_slist(items));
    return lists_.back().get();
  }

  FETCHcode run(FETCH *h, milliseconds timeout = milliseconds(10000)) {
    return harness_->run_one(h, timeout);
  }

  // Ends the handle's transfer: removed from the multi (nothing for fetch_easy_perform).
  void detach(FETCH *h) { harness_->remove(h); }

  // Destroys `h` now (fetch_easy_cleanup).
  void cleanup(FETCH *h) {
    for (auto it = handles_.begin(); it != handles_.end(); ++it) {
      if (it->get() == h) {
        handles_.erase(it);
        return;
      }
    }
    ADD_FAILURE() << "cleanup of an unknown handle";
  }

  std::string errbuf() const { return errbuf_; }

  // Connects to a listener whose accept queue is full, with the timeouts `set_timeouts` chose:
  // the connect never completes, so the transfer must time out, well within 3 s.
  void expect_timeout_during_connect(const std::function<void(FETCH *)> &set_timeouts) {
    fetchtest::ListenerWithFullBacklog listener;
    ASSERT_TRUE(listener.ok());
    ASSERT_TRUE(listener.fill()) << "could not fill the listener's accept queue";
    FETCH *h = make(loopback_url(listener.port()));
    set_timeouts(h);
    const auto start = fetchtest::Clock::now();
    EXPECT_EQ(run(h), FETCHE_OPERATION_TIMEDOUT) << errbuf();
    EXPECT_LT(fetchtest::ms_since(start), 3000);
    EXPECT_FALSE(errbuf().empty());
    expect_no_connection(h);
  }

  std::optional<FdLeakChecker> fds_;
  std::unique_ptr<Harness> harness_;
  std::vector<EasyPtr> handles_;
  std::vector<SlistPtr> lists_;
  char errbuf_[FETCH_ERROR_SIZE] = "";
};

// ---- resolve and connect failures -------------------------------------------------------------

TEST_P(ConnectErrors, UnresolvableHost) {
  FETCH *h = make("http://nonexistent.invalid/");
  EXPECT_EQ(run(h), FETCHE_COULDNT_RESOLVE_HOST);
  EXPECT_NE(errbuf().find("nonexistent.invalid"), std::string::npos) << errbuf();
  expect_no_connection(h);
}

TEST_P(ConnectErrors, ClosedPortIsRefused) {
  int port = fetchtest::closed_port();
  ASSERT_NE(port, 0);
  FETCH *h = make(loopback_url(port));
  EXPECT_EQ(run(h), FETCHE_COULDNT_CONNECT);
  EXPECT_EQ(fetchtest::info_long(h, FETCHINFO_OS_ERRNO), ECONNREFUSED);
  // libcurl 8.x's wording (lib/connect.c): "... port P after N ms: <strerror of the code>".
  const std::string prefix =
      "Failed to connect to 127.0.0.1 port " + std::to_string(port) + " after ";
  EXPECT_EQ(errbuf().rfind(prefix, 0), 0u) << errbuf();
  EXPECT_NE(errbuf().find(" ms: Could not connect to server"), std::string::npos) << errbuf();
  EXPECT_EQ(fetchtest::info_long(h, FETCHINFO_NUM_CONNECTS), 0);
  expect_no_connection(h);
}

TEST_P(ConnectErrors, ConnectTimeoutFires) {
  expect_timeout_during_connect([](FETCH *h) {
    EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_CONNECTTIMEOUT_MS, 500L), FETCHE_OK);
  });
}

TEST_P(ConnectErrors, TotalTimeoutFiresDuringConnect) {
  expect_timeout_during_connect([](FETCH *h) {
    EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_CONNECTTIMEOUT_MS, 0L), FETCHE_OK);  // default 300 s
    EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_TIMEOUT_MS, 300L), FETCHE_OK);
  });
}

// ---- URL and protocol checks (before any socket exists) --------------------------------------

TEST_P(ConnectErrors, MalformedUrls) {
  for (const char *url : {"http://exa mple.com", "http://[::1", "http://host:99999"}) {
    FETCH *h = make(url);
    EXPECT_EQ(run(h), FETCHE_URL_MALFORMAT) << url;
    EXPECT_FALSE(errbuf().empty()) << url;
    expect_no_connection(h);
  }
}

TEST_P(ConnectErrors, FtpIsUnsupported) {
  FETCH *h = make("ftp://127.0.0.1/");
  EXPECT_EQ(run(h), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_FALSE(errbuf().empty());
}

TEST_P(ConnectErrors, HttpsIsNotBuiltIn) {
  FETCH *h = make("https://127.0.0.1/");
  EXPECT_EQ(run(h), FETCHE_NOT_BUILT_IN);
  EXPECT_FALSE(errbuf().empty());
}

// CONNECT_ONLY 2 (send the request, then hand over) and WebSocket transfers are not built yet.
TEST_P(ConnectErrors, ConnectOnlyTwoAndWebSocketAreNotBuiltIn) {
  FETCH *h = make("http://127.0.0.1/", false);
  EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_CONNECT_ONLY, 2L), FETCHE_OK);
  EXPECT_EQ(run(h), FETCHE_NOT_BUILT_IN);
  EXPECT_FALSE(errbuf().empty());
  FETCH *ws = make("ws://127.0.0.1/", false);
  EXPECT_EQ(run(ws), FETCHE_NOT_BUILT_IN);
  EXPECT_FALSE(errbuf().empty());
}

TEST_P(ConnectErrors, ProtocolsStrExcludesHttp) {
  FETCH *h = make("http://127.0.0.1/");
  EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_PROTOCOLS_STR, "https"), FETCHE_OK);
  EXPECT_EQ(run(h), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_FALSE(errbuf().empty());
}

// ---- socket callbacks -------------------------------------------------------------------------

TEST_P(ConnectErrors, OpenSocketFunctionReturningBadFails) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  FETCH *h = make(loopback_url(server.port()));
  auto refuse = [](void *, fetchsocktype, fetch_sockaddr *) -> fetch_socket_t {
    return FETCH_SOCKET_BAD;
  };
  EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_OPENSOCKETFUNCTION,
                              static_cast<fetch_opensocket_callback>(refuse)),
            FETCHE_OK);
  EXPECT_EQ(run(h), FETCHE_COULDNT_CONNECT);
  EXPECT_FALSE(errbuf().empty());
  expect_no_connection(h);
  EXPECT_EQ(server.accepted(), 0u);
}

TEST_P(ConnectErrors, OwnSocketIsUsedAndClosedOnceThroughTheCallback) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  SocketRecord rec;
  FETCH *h = make(loopback_url(server.port()));
  record_sockets(h, rec, true);
  ASSERT_EQ(run(h), FETCHE_OK) << errbuf();
  ASSERT_EQ(rec.opened.size(), 1u);
  EXPECT_EQ(fetchtest::active_socket(h), rec.opened[0]);
  EXPECT_EQ(fetchtest::echo_round_trip(h, "own socket"), "own socket");
  EXPECT_TRUE(rec.closed.empty()) << "closed while the application still uses it";
  detach(h);
  if (GetParam() == Driver::kEasyPerform) {
    EXPECT_TRUE(rec.closed.empty()) << "fetch_easy_perform's handle keeps its connection";
  }
  cleanup(h);
  EXPECT_EQ(rec.closed, rec.opened) << "the close callback must fire exactly once";
}

TEST_P(ConnectErrors, SockoptFunctionErrorAborts) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  SocketRecord rec;
  FETCH *h = make(loopback_url(server.port()));
  record_sockets(h, rec, true);
  auto refuse = [](void *, fetch_socket_t, fetchsocktype) -> int { return FETCH_SOCKOPT_ERROR; };
  EXPECT_EQ(
      fetch_easy_setopt(h, FETCHOPT_SOCKOPTFUNCTION, static_cast<fetch_sockopt_callback>(refuse)),
      FETCHE_OK);
  EXPECT_EQ(run(h), FETCHE_ABORTED_BY_CALLBACK);
  EXPECT_FALSE(errbuf().empty());
  expect_no_connection(h);
  EXPECT_EQ(rec.closed, rec.opened) << "the refused socket must be closed, once";
}

// ---- the socket's life after the transfer -----------------------------------------------------

TEST_P(ConnectErrors, SendRecvWithoutConnectionAreUnsupported) {
  FETCH *never = make("http://127.0.0.1/");
  expect_no_connection(never);
  int port = fetchtest::closed_port();
  ASSERT_NE(port, 0);
  FETCH *failed = make(loopback_url(port));
  EXPECT_EQ(run(failed), FETCHE_COULDNT_CONNECT);
  expect_no_connection(failed);
}

TEST_P(ConnectErrors, PeerCloseEndsActiveSocket) {
  fetchtest::EchoServerOptions options;
  options.echo.close_after_bytes = 5;
  EchoServer server(options);
  ASSERT_EQ(server.start(), 0);
  SocketRecord rec;
  FETCH *h = make(loopback_url(server.port()));
  record_sockets(h, rec, false);
  ASSERT_EQ(run(h), FETCHE_OK) << errbuf();
  fetch_socket_t fd = fetchtest::active_socket(h);
  ASSERT_NE(fd, FETCH_SOCKET_BAD);
  size_t n = 0;
  ASSERT_EQ(fetch_easy_send(h, "0123456789", 10, &n), FETCHE_OK);
  EXPECT_EQ(n, 10u);
  bool closed = false;
  EXPECT_EQ(fetchtest::recv_some(h, 10, &closed), "01234");
  EXPECT_TRUE(closed) << "recv never returned 0 bytes";
  EXPECT_EQ(fetchtest::active_socket(h), FETCH_SOCKET_BAD) << "peer closed: no active socket";
  EXPECT_EQ(fetchtest::info_long(h, fetchtest::kInfoLastSocket), -1L);
  EXPECT_TRUE(rec.closed.empty()) << "the fd is the handle's until cleanup";
  detach(h);
  cleanup(h);
  EXPECT_EQ(rec.closes_of(fd), 1u);
  EXPECT_EQ(rec.closed.size(), 1u);
}

TEST_P(ConnectErrors, ResetClosesTheConnection) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  SocketRecord rec;
  FETCH *h = make(loopback_url(server.port()));
  record_sockets(h, rec, false);
  ASSERT_EQ(run(h), FETCHE_OK) << errbuf();
  fetch_socket_t fd = fetchtest::active_socket(h);
  ASSERT_NE(fd, FETCH_SOCKET_BAD);
  fetch_easy_reset(h);
  EXPECT_EQ(fetchtest::active_socket(h), FETCH_SOCKET_BAD);
  EXPECT_EQ(rec.closes_of(fd), 1u) << "fetch_easy_reset must close the CONNECT_ONLY socket";
  expect_no_connection(h);
  detach(h);
  cleanup(h);
  EXPECT_EQ(rec.closed.size(), 1u) << "closed more than once";
}

TEST_P(ConnectErrors, SecondTransferMakesANewConnection) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  SocketRecord rec;
  FETCH *h = make(loopback_url(server.port()));
  record_sockets(h, rec, false);
  ASSERT_EQ(run(h), FETCHE_OK) << errbuf();
  fetch_socket_t first_fd = fetchtest::active_socket(h);
  fetch_off_t first_conn = fetchtest::info_off(h, FETCHINFO_CONN_ID);
  fetch_off_t first_xfer = fetchtest::info_off(h, FETCHINFO_XFER_ID);
  long first_local_port = fetchtest::info_long(h, FETCHINFO_LOCAL_PORT);
  ASSERT_NE(first_fd, FETCH_SOCKET_BAD);
  EXPECT_EQ(fetchtest::echo_round_trip(h, "first"), "first");
  detach(h);  // a multi handle's transfer ends here; fetch_easy_perform's is detached already

  ASSERT_EQ(run(h), FETCHE_OK) << errbuf();
  EXPECT_EQ(rec.closes_of(first_fd), 1u) << "the first connection must be closed";
  EXPECT_EQ(fetchtest::info_long(h, FETCHINFO_NUM_CONNECTS), 1);
  EXPECT_NE(fetchtest::info_off(h, FETCHINFO_CONN_ID), first_conn);
  EXPECT_NE(fetchtest::info_off(h, FETCHINFO_XFER_ID), first_xfer);
  EXPECT_NE(fetchtest::info_long(h, FETCHINFO_LOCAL_PORT), first_local_port);
  EXPECT_NE(fetchtest::active_socket(h), FETCH_SOCKET_BAD);
  EXPECT_EQ(fetchtest::echo_round_trip(h, "second"), "second");
  EXPECT_EQ(server.accepted(), 2u);
  detach(h);
  cleanup(h);
  EXPECT_EQ(rec.closed.size(), 2u);
}

TEST_P(ConnectErrors, DnsCacheAnswersTheSecondLookup) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  const std::string url = "http://localhost:" + std::to_string(server.port()) + "/";
  FETCH *h = make(url);
  ASSERT_EQ(run(h), FETCHE_OK) << errbuf();
  EXPECT_GE(fetchtest::info_off(h, FETCHINFO_NAMELOOKUP_TIME_T), 0);
  detach(h);
  ASSERT_EQ(run(h), FETCHE_OK) << errbuf();
  // Cached: no assertion on time, only that it worked and the info is sane.
  EXPECT_GE(fetchtest::info_off(h, FETCHINFO_NAMELOOKUP_TIME_T), 0);
  EXPECT_EQ(fetchtest::info_string(h, FETCHINFO_PRIMARY_IP), "127.0.0.1");
  EXPECT_EQ(fetchtest::echo_round_trip(h, "cached"), "cached");
}

// ---- local binding and address families -------------------------------------------------------

TEST_P(ConnectErrors, LocalPortIsUsed) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  int local = fetchtest::closed_port();  // free right now
  ASSERT_NE(local, 0);
  FETCH *h = make(loopback_url(server.port()));
  EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_LOCALPORT, static_cast<long>(local)), FETCHE_OK);
  ASSERT_EQ(run(h), FETCHE_OK) << errbuf();
  EXPECT_EQ(fetchtest::info_long(h, FETCHINFO_LOCAL_PORT), local);
  EXPECT_EQ(fetchtest::echo_round_trip(h, "bound"), "bound");
}

TEST_P(ConnectErrors, InterfaceSpellings) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  for (const char *spec : {"host!127.0.0.1", "127.0.0.1", "if!lo"}) {
    FETCH *h = make(loopback_url(server.port()));
    EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_INTERFACE, spec), FETCHE_OK);
    ASSERT_EQ(run(h), FETCHE_OK) << spec << ": " << errbuf();
    EXPECT_EQ(fetchtest::info_string(h, FETCHINFO_LOCAL_IP), "127.0.0.1") << spec;
    EXPECT_EQ(fetchtest::echo_round_trip(h, spec), spec);
  }
  FETCH *bad = make(loopback_url(server.port()));
  EXPECT_EQ(fetch_easy_setopt(bad, FETCHOPT_INTERFACE, "if!nonexistent0"), FETCHE_OK);
  EXPECT_EQ(run(bad), FETCHE_INTERFACE_FAILED);
  EXPECT_FALSE(errbuf().empty());
  expect_no_connection(bad);
}

// CURLOPT_IPRESOLVE(3): "If the URL provided for a transfer contains a numerical IP version as
// a host name, this option does not override or prohibit libcurl from using that IP version."
TEST_P(ConnectErrors, IpResolveV6DoesNotProhibitAnIpv4Literal) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  FETCH *h = make(loopback_url(server.port()));
  EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_IPRESOLVE, static_cast<long>(FETCH_IPRESOLVE_V6)),
            FETCHE_OK);
  EXPECT_EQ(run(h), FETCHE_OK) << errbuf();
}

// A name with only IPv4 addresses (a RESOLVE entry here) has nothing for IPRESOLVE V6.
TEST_P(ConnectErrors, IpResolveV6WithOnlyIpv4AddressesFails) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  const std::string port = std::to_string(server.port());
  FETCH *h = make("http://fetch.test:" + port + "/");
  EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_RESOLVE, slist({"fetch.test:" + port + ":127.0.0.1"})),
            FETCHE_OK);
  EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_IPRESOLVE, static_cast<long>(FETCH_IPRESOLVE_V6)),
            FETCHE_OK);
  EXPECT_EQ(run(h), FETCHE_COULDNT_RESOLVE_HOST) << errbuf();
  expect_no_connection(h);
  EXPECT_EQ(server.accepted(), 0u);
}

TEST_P(ConnectErrors, IpResolveV4Localhost) {
  EchoServer server;
  ASSERT_EQ(server.start(), 0);
  FETCH *h = make("http://localhost:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_IPRESOLVE, static_cast<long>(FETCH_IPRESOLVE_V4)),
            FETCHE_OK);
  ASSERT_EQ(run(h), FETCHE_OK) << errbuf();
  EXPECT_EQ(fetchtest::info_string(h, FETCHINFO_PRIMARY_IP), "127.0.0.1");
}

INSTANTIATE_TEST_SUITE_P(Drivers, ConnectErrors, ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

// ---- readiness must come from the socket, not from being asked ---------------------------------

// With socket callbacks installed an application may still call fetch_multi_perform (or
// socket_action with ev_bitmask 0, curl_multi_socket_action(3)): libfetch must then find out
// itself whether a connect finished. A connect that never completes must still time out.
TEST(ConnectErrorsAppDriven, PerformDoesNotCompleteAPendingConnect) {
  FdLeakChecker fds;
  {
    fetchtest::ListenerWithFullBacklog listener;
    ASSERT_TRUE(listener.ok());
    ASSERT_TRUE(listener.fill());
    Harness harness(Driver::kSocketAction);
    ASSERT_TRUE(harness.ok());
    EasyPtr h(fetchtest::connect_only_easy(listener.port(), 500));
    ASSERT_TRUE(h);
    ASSERT_EQ(fetch_multi_add_handle(harness.multi(), h.get()), FETCHM_OK);
    std::map<FETCH *, FETCHcode> done;
    const auto start = fetchtest::Clock::now();
    for (int i = 0; i < 1000 && done.empty() && fetchtest::ms_since(start) < 3000; ++i) {
      int running = 0;
      EXPECT_EQ(fetch_multi_perform(harness.multi(), &running), FETCHM_OK);
      for (const auto &[fd, what] : harness.epoll()->watches()) {
        (void)what;
        fetch_multi_socket_action(harness.multi(), fd, 0, &running);
        break;  // the map may change under the call
      }
      fetchtest::drain_done(harness.multi(), done);
      if (done.empty()) harness.epoll()->run_once(milliseconds(20));
    }
    ASSERT_EQ(done.count(h.get()), 1u) << "never finished";
    EXPECT_EQ(done[h.get()], FETCHE_OPERATION_TIMEDOUT)
        << "a connect still in progress was reported as done";
    EXPECT_EQ(fetchtest::active_socket(h.get()), FETCH_SOCKET_BAD);
    harness.remove(h.get());
    h.reset();
    harness.shutdown();
  }
  EXPECT_TRUE(fds.no_new_fds(milliseconds(2000)));
}

}  // namespace
