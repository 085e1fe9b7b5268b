// fetch_multi_perform + fetch_multi_wait with the CONNECT_ONLY socket as an extra fd: the
// application waits for its own socket and the multi's at once (curl_multi_wait(3)).
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "echo_server.h"
#include "fd_leak_checker.h"
#include "runtime/handles.h"

namespace {

using fetchtest::Clock;

TEST(MultiWait, ExtraFdIsTheConnectOnlySocket) {
  fetchtest::FdLeakChecker fds;
  fetchtest::EchoServer server;
  ASSERT_EQ(server.start(), 0);
  FETCHM *m = fetch_multi_init();
  FETCH *h = fetch_easy_init();
  std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_URL, url.c_str()), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_CONNECT_ONLY, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, h), FETCHM_OK);

  // Connect: perform + wait (no extra fds) until the transfer is done.
  std::map<FETCH *, FETCHcode> done;
  auto deadline = Clock::now() + std::chrono::seconds(5);
  while (done.count(h) == 0 && Clock::now() < deadline) {
    int running = 0;
    ASSERT_EQ(fetch_multi_perform(m, &running), FETCHM_OK);
    fetchtest::drain_done(m, done);
    if (done.count(h) == 0) {
      ASSERT_EQ(fetch_multi_wait(m, nullptr, 0, 200, nullptr), FETCHM_OK);
    }
  }
  ASSERT_EQ(done.count(h), 1u) << "not connected in 5 s";
  ASSERT_EQ(done[h], FETCHE_OK);
  fetch_socket_t fd = fetchtest::active_socket(h);
  ASSERT_NE(fd, FETCH_SOCKET_BAD);

  const std::string message = "waited for with fetch_multi_wait";
  size_t sent = 0;
  ASSERT_EQ(fetch_easy_send(h, message.data(), message.size(), &sent), FETCHE_OK);
  ASSERT_EQ(sent, message.size());

  // Now wait for the echo on the extracted socket, given to fetch_multi_wait as an extra fd.
  std::string got;
  deadline = Clock::now() + std::chrono::seconds(5);
  while (got.size() < message.size() && Clock::now() < deadline) {
    fetch_waitfd extra{fd, FETCH_WAIT_POLLIN, 0};
    int numfds = -1;
    ASSERT_EQ(fetch_multi_wait(m, &extra, 1, 1000, &numfds), FETCHM_OK);
    if (numfds == 0) continue;
    EXPECT_TRUE(extra.revents & FETCH_WAIT_POLLIN);
    char buf[256];
    size_t n = 0;
    FETCHcode rc = fetch_easy_recv(h, buf, sizeof buf, &n);
    if (rc == FETCHE_AGAIN) continue;
    ASSERT_EQ(rc, FETCHE_OK);
    got.append(buf, n);
  }
  EXPECT_EQ(got, message);

  // With nothing of its own to wait for, fetch_multi_wait still waits for the extra fd's
  // timeout: no data arrives, so it reports 0 fds after about 100 ms.
  fetch_waitfd idle{fd, FETCH_WAIT_POLLIN, 0};
  int numfds = -1;
  ASSERT_EQ(fetch_multi_wait(m, &idle, 1, 100, &numfds), FETCHM_OK);
  EXPECT_EQ(numfds, 0);
  EXPECT_EQ(idle.revents, 0);

  // Bad arguments.
  EXPECT_EQ(fetch_multi_wait(m, nullptr, 1, 0, nullptr), FETCHM_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_multi_wait(m, nullptr, 0, -1, nullptr), FETCHM_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_multi_wait(nullptr, nullptr, 0, 0, nullptr), FETCHM_BAD_HANDLE);

  EXPECT_EQ(fetch_multi_remove_handle(m, h), FETCHM_OK);
  fetch_easy_cleanup(h);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
  server.stop();
  EXPECT_TRUE(fds.no_new_fds(std::chrono::milliseconds(500)));
}

TEST(MultiWait, FdsetAndTimeoutDescribeTheMulti) {
  FETCHM *m = fetch_multi_init();
  long ms = 0;
  ASSERT_EQ(fetch_multi_timeout(m, &ms), FETCHM_OK);
  EXPECT_EQ(ms, -1);  // nothing to do
  fd_set r, w, e;
  FD_ZERO(&r);
  FD_ZERO(&w);
  FD_ZERO(&e);
  int max_fd = 123;
  ASSERT_EQ(fetch_multi_fdset(m, &r, &w, &e, &max_fd), FETCHM_OK);
  EXPECT_EQ(max_fd, -1);  // no sockets yet
  FETCH *h = fetch_easy_init();
  ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_URL, "http://127.0.0.1:1/"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(h, FETCHOPT_CONNECT_ONLY, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, h), FETCHM_OK);
  ASSERT_EQ(fetch_multi_timeout(m, &ms), FETCHM_OK);
  EXPECT_EQ(ms, 0);  // a new transfer wants to start at once
  fetch_off_t added = 0;
  ASSERT_EQ(fetch_multi_get_offt(m, FETCHMINFO_XFERS_ADDED, &added), FETCHM_OK);
  EXPECT_EQ(added, 1);
  std::optional<std::vector<FETCH *>> in_multi = fetchtest::handles_in(m);
  ASSERT_TRUE(in_multi.has_value());
  EXPECT_EQ(*in_multi, std::vector<FETCH *>{h});
  fetch_multi_remove_handle(m, h);
  fetch_easy_cleanup(h);
  fetch_multi_cleanup(m);
}

}  // namespace
