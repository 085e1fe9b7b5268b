// Lifecycle of sockets and handles (DESIGN invariant 1, STYLE 6 and 9):
//  - in socket_action mode every fd gets FETCH_POLL_REMOVE before it is closed, and the socket
//    callback never hears the same (fd, what) twice in a row;
//  - easy and multi handles may be cleaned up in any order, with transfers in flight, and
//    handles may be removed from inside every kind of callback, without leaks or dangling use
//    (the suite runs under ASan+UBSan).
#include <fetch/fetch.h>
#include <fetch/uv.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/epoll_loop.h"
#include "runtime/handles.h"
#include "runtime/isolation.h"
#include "server/echo_server.h"
#include "support/fd_leak_checker.h"
#include "support/full_backlog.h"
#include "support/ports.h"

namespace {

using fetchtest::active_socket;
using fetchtest::Clock;
using fetchtest::connect_only_easy;
using fetchtest::drain_done;
using fetchtest::EpollLoop;
using fetchtest::SocketEvent;
using std::chrono::milliseconds;

std::string describe(const std::vector<SocketEvent> &log) {
  std::string out;
  for (const SocketEvent &e : log) {
    if (e.kind == SocketEvent::kClose) {
      out += " close(" + std::to_string(e.fd) + ")";
    } else {
      out += " cb(" + std::to_string(e.fd) + "," + std::to_string(e.what) + ")";
    }
  }
  return out;
}

// Checks the log: REMOVE precedes every close of an announced fd, no (fd, what) is announced
// twice in a row, and nothing is announced for a closed fd before it is opened again (a new
// announcement). `must_announce` lists fds that must have been announced before their close.
::testing::AssertionResult well_ordered(const std::vector<SocketEvent> &log) {
  std::map<int, int> last;  // fd -> last announced `what` in its current life (0 = none)
  for (size_t i = 0; i < log.size(); ++i) {
    const SocketEvent &e = log[i];
    if (e.kind == SocketEvent::kAnnounce) {
      auto it = last.find(e.fd);
      if (it != last.end() && it->second == e.what) {
        return ::testing::AssertionFailure() << "duplicate announcement of (" << e.fd << ", "
                                             << e.what << ") at " << i << ":" << describe(log);
      }
      last[e.fd] = e.what;
      continue;
    }
    auto it = last.find(e.fd);
    if (it != last.end() && it->second != FETCH_POLL_REMOVE) {
      return ::testing::AssertionFailure() << "fd " << e.fd << " closed at " << i
                                           << " without FETCH_POLL_REMOVE first:" << describe(log);
    }
    last.erase(e.fd);
  }
  return ::testing::AssertionSuccess();
}

bool announced(const std::vector<SocketEvent> &log, int fd, int what) {
  return std::any_of(log.begin(), log.end(), [&](const SocketEvent &e) {
    return e.kind == SocketEvent::kAnnounce && e.fd == fd && e.what == what;
  });
}

size_t index_of(const std::vector<SocketEvent> &log, SocketEvent::Kind kind, int fd, int what) {
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].kind == kind && log[i].fd == fd &&
        (kind == SocketEvent::kClose || log[i].what == what))
      return i;
  }
  return log.size();
}

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(server_.start(), 0); }
  void TearDown() override {
    server_.stop();
    EXPECT_EQ(server_.leaked_handles(), 0);
    EXPECT_TRUE(fds_.no_new_fds(milliseconds(2000)));
  }

  fetchtest::FdLeakChecker fds_;
  fetchtest::EchoServer server_;
};

// ---- 1. socket callback order -----------------------------------------------------------------

TEST_F(LifecycleTest, ConnectOnlyTransferFdGetsRemoveWhenDoneAndCloseComesLater) {
  FETCHM *m = fetch_multi_init();
  {
    EpollLoop app(m);
    FETCH *e = connect_only_easy(server_.port());
    app.own_sockets_of(e);
    ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
    std::map<FETCH *, FETCHcode> done;
    ASSERT_TRUE(app.run_until([&] {
      drain_done(m, done);
      return done.count(e) != 0;
    }));
    EXPECT_EQ(done[e], FETCHE_OK);
    int fd = static_cast<int>(active_socket(e));
    ASSERT_GE(fd, 0);
    // The scheduler stopped watching the fd: REMOVE was its last announcement, no close yet.
    EXPECT_TRUE(announced(app.log(), fd, FETCH_POLL_OUT)) << describe(app.log());
    ASSERT_FALSE(app.log().empty());
    EXPECT_EQ(app.log().back().kind, SocketEvent::kAnnounce) << describe(app.log());
    EXPECT_EQ(app.log().back().fd, fd);
    EXPECT_EQ(app.log().back().what, FETCH_POLL_REMOVE);
    EXPECT_FALSE(app.is_watched(fd));
    EXPECT_EQ(index_of(app.log(), SocketEvent::kClose, fd, 0), app.log().size());
    // The application owns the waiting now; the fd stays open until the handle goes.
    EXPECT_EQ(fetch_multi_remove_handle(m, e), FETCHM_OK);
    fetch_easy_cleanup(e);
    size_t close_at = index_of(app.log(), SocketEvent::kClose, fd, 0);
    EXPECT_LT(close_at, app.log().size()) << describe(app.log());
    EXPECT_TRUE(well_ordered(app.log()));
    EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);  // before the app's loop goes
  }
}

TEST_F(LifecycleTest, ManyParallelTransfersKeepTheOrder) {
  FETCHM *m = fetch_multi_init();
  {
    EpollLoop app(m);
    std::vector<FETCH *> easies;
    for (int i = 0; i < 6; ++i) {
      FETCH *e = connect_only_easy(server_.port());
      app.own_sockets_of(e);
      ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
      easies.push_back(e);
    }
    std::map<FETCH *, FETCHcode> done;
    ASSERT_TRUE(app.run_until([&] {
      drain_done(m, done);
      return done.size() == easies.size();
    }));
    for (FETCH *e : easies) {
      EXPECT_EQ(done[e], FETCHE_OK);
      fetch_easy_cleanup(e);  // still added: cleanup removes it first
    }
    EXPECT_TRUE(well_ordered(app.log()));
    size_t closes = std::count_if(app.log().begin(), app.log().end(), [](const SocketEvent &x) {
      return x.kind == SocketEvent::kClose;
    });
    EXPECT_EQ(closes, easies.size());
    EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);  // before the app's loop goes
  }
}

TEST_F(LifecycleTest, ClosedPortRemoveBeforeClose) {
  int port = fetchtest::closed_port();
  ASSERT_NE(port, 0);
  FETCHM *m = fetch_multi_init();
  {
    EpollLoop app(m);
    FETCH *e = connect_only_easy(port);
    app.own_sockets_of(e);
    ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
    std::map<FETCH *, FETCHcode> done;
    ASSERT_TRUE(app.run_until([&] {
      drain_done(m, done);
      return done.count(e) != 0;
    }));
    EXPECT_EQ(done[e], FETCHE_COULDNT_CONNECT);
    EXPECT_TRUE(well_ordered(app.log()));
    // The failed attempt was announced (connect is in progress on loopback), then removed and
    // closed in that order.
    auto close_it = std::find_if(app.log().begin(), app.log().end(), [](const SocketEvent &x) {
      return x.kind == SocketEvent::kClose;
    });
    ASSERT_NE(close_it, app.log().end()) << describe(app.log());
    int fd = close_it->fd;
    size_t remove_at = index_of(app.log(), SocketEvent::kAnnounce, fd, FETCH_POLL_REMOVE);
    EXPECT_LT(remove_at, static_cast<size_t>(close_it - app.log().begin())) << describe(app.log());
    EXPECT_EQ(active_socket(e), FETCH_SOCKET_BAD);
    fetch_easy_cleanup(e);
    EXPECT_TRUE(well_ordered(app.log()));
    EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);  // before the app's loop goes
  }
}

TEST_F(LifecycleTest, RemovedMidConnectRemoveBeforeClose) {
  fetchtest::ListenerWithFullBacklog backlog;
  ASSERT_TRUE(backlog.fill());
  FETCHM *m = fetch_multi_init();
  {
    EpollLoop app(m);
    FETCH *e = connect_only_easy(backlog.port(), 10000);
    app.own_sockets_of(e);
    ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
    int fd = -1;
    ASSERT_TRUE(app.run_until([&] {
      for (const SocketEvent &x : app.log()) {
        if (x.kind == SocketEvent::kAnnounce && x.what == FETCH_POLL_OUT) fd = x.fd;
      }
      return fd >= 0;
    }));
    app.run_once(milliseconds(50));  // nothing completes: the SYN is dropped
    EXPECT_EQ(index_of(app.log(), SocketEvent::kClose, fd, 0), app.log().size());
    EXPECT_EQ(fetch_multi_remove_handle(m, e), FETCHM_OK);
    size_t remove_at = index_of(app.log(), SocketEvent::kAnnounce, fd, FETCH_POLL_REMOVE);
    size_t close_at = index_of(app.log(), SocketEvent::kClose, fd, 0);
    EXPECT_LT(remove_at, close_at) << describe(app.log());
    EXPECT_LT(close_at, app.log().size()) << describe(app.log());
    EXPECT_FALSE(app.is_watched(fd));
    EXPECT_TRUE(well_ordered(app.log()));
    fetch_easy_cleanup(e);
    EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);  // before the app's loop goes
  }
}

TEST_F(LifecycleTest, MultiCleanupMidConnectRemoveBeforeClose) {
  fetchtest::ListenerWithFullBacklog backlog;
  ASSERT_TRUE(backlog.fill());
  FETCHM *m = fetch_multi_init();
  EpollLoop app(m);
  FETCH *e = connect_only_easy(backlog.port(), 10000);
  app.own_sockets_of(e);
  ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
  ASSERT_TRUE(app.run_until([&] { return !app.log().empty(); }));
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
  EXPECT_TRUE(well_ordered(app.log()));
  EXPECT_EQ(std::count_if(app.log().begin(), app.log().end(),
                          [](const SocketEvent &x) { return x.kind == SocketEvent::kClose; }),
            1);
  fetch_easy_cleanup(e);
}

// ---- 2. cleanup orders ------------------------------------------------------------------------

TEST_F(LifecycleTest, EasyCleanupWhileAddedMidConnect) {
  fetchtest::ListenerWithFullBacklog backlog;
  ASSERT_TRUE(backlog.fill());
  FETCHM *m = fetch_multi_init();
  FETCH *a = connect_only_easy(backlog.port(), 10000);
  FETCH *b = connect_only_easy(backlog.port(), 10000);
  ASSERT_EQ(fetch_multi_add_handle(m, a), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, b), FETCHM_OK);
  int running = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(fetch_multi_perform(m, &running), FETCHM_OK);
    fetch_multi_poll(m, nullptr, 0, 20, nullptr);
  }
  EXPECT_EQ(running, 2);
  fetch_easy_cleanup(a);  // still added, mid-connect
  ASSERT_EQ(fetch_multi_perform(m, &running), FETCHM_OK);
  EXPECT_EQ(running, 1);
  std::optional<std::vector<FETCH *>> in_multi = fetchtest::handles_in(m);
  ASSERT_TRUE(in_multi.has_value());
  EXPECT_EQ(*in_multi, std::vector<FETCH *>{b});
  fetch_easy_cleanup(b);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
}

TEST_F(LifecycleTest, EasyCleanupWhileAddedAfterCompletion) {
  FETCHM *m = fetch_multi_init();
  FETCH *e = connect_only_easy(server_.port());
  ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
  int running = 0;
  ASSERT_NO_FATAL_FAILURE(fetchtest::perform_until_running_at_most(m, 0, &running));
  ASSERT_EQ(running, 0);
  EXPECT_GE(active_socket(e), 0);
  fetch_easy_cleanup(e);  // the message for it is still queued
  int left = -1;
  EXPECT_EQ(fetch_multi_info_read(m, &left), nullptr);
  EXPECT_EQ(left, 0);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
  EXPECT_TRUE(server_.running());
}

TEST_F(LifecycleTest, MultiCleanupWithHandlesAddedLeavesThemUsable) {
  fetchtest::ListenerWithFullBacklog backlog;
  ASSERT_TRUE(backlog.fill());
  FETCHM *m = fetch_multi_init();
  FETCH *done_one = connect_only_easy(server_.port());
  FETCH *connecting = connect_only_easy(backlog.port(), 10000);
  ASSERT_EQ(fetch_multi_add_handle(m, done_one), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, connecting), FETCHM_OK);
  int running = 0;
  ASSERT_NO_FATAL_FAILURE(fetchtest::perform_until_running_at_most(m, 1, &running));
  ASSERT_EQ(running, 1);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);

  // Both handles are free again: a new perform works, and so does another multi.
  fetch_easy_setopt(connecting, FETCHOPT_URL, fetchtest::loopback_url(server_.port()).c_str());
  EXPECT_EQ(fetch_easy_perform(connecting), FETCHE_OK);
  EXPECT_GE(active_socket(connecting), 0);
  EXPECT_EQ(fetch_easy_perform(done_one), FETCHE_OK);
  FETCHM *again = fetch_multi_init();
  EXPECT_EQ(fetch_multi_add_handle(again, done_one), FETCHM_OK);
  EXPECT_EQ(fetch_multi_cleanup(again), FETCHM_OK);
  fetch_easy_cleanup(done_one);
  fetch_easy_cleanup(connecting);
}

// Where a handle removes itself: each case runs one transfer in socket_action mode and calls
// fetch_multi_remove_handle from inside that callback, the first time it runs after add.
enum class RemoveFrom { kSocket, kTimer, kDebug, kOpenSocket, kNotify, kNotifyThenCleanup };

const char *name_of(RemoveFrom w) {
  switch (w) {
    case RemoveFrom::kSocket:
      return "Socket";
    case RemoveFrom::kTimer:
      return "Timer";
    case RemoveFrom::kDebug:
      return "Debug";
    case RemoveFrom::kOpenSocket:
      return "OpenSocket";
    case RemoveFrom::kNotify:
      return "Notify";
    case RemoveFrom::kNotifyThenCleanup:
      return "NotifyThenCleanup";
  }
  return "?";
}

struct RemoveCase {
  RemoveFrom where;
  int nth;  // remove on the nth call of the callback after add (1 = first)
};

struct RemoveState {
  FETCHM *multi = nullptr;
  FETCH *easy = nullptr;
  bool armed = false;
  int calls = 0;
  int nth = 1;
  bool removed = false;
  bool cleaned = false;
  bool cleanup_after = false;  // fetch_easy_cleanup right after the remove
  FETCHMcode rc = FETCHM_OK;

  void maybe_remove() {
    if (!armed || removed) return;
    if (++calls < nth) return;
    removed = true;
    rc = fetch_multi_remove_handle(multi, easy);
    if (cleanup_after) {
      fetch_easy_cleanup(easy);
      cleaned = true;
    }
  }
};

int debug_remove(FETCH *, fetch_infotype type, char *, size_t, void *userp) {
  if (type == FETCHINFO_TEXT) static_cast<RemoveState *>(userp)->maybe_remove();
  return 0;
}

fetch_socket_t opensocket_remove(void *clientp, fetchsocktype, fetch_sockaddr *addr) {
  static_cast<RemoveState *>(clientp)->maybe_remove();
  return socket(addr->family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
}

void notify_remove(FETCHM *, unsigned type, FETCH *easy, void *userp) {
  auto *s = static_cast<RemoveState *>(userp);
  if (type != FETCHMNOTIFY_EASY_DONE || easy != s->easy) return;
  s->maybe_remove();
}

class RemoveInCallback : public LifecycleTest, public ::testing::WithParamInterface<RemoveCase> {
 protected:
  void remove_and_go_on(RemoveCase c);
};

// Each case runs in a child process: a crash in the library fails that case alone.
TEST_P(RemoveInCallback, IsCleanAndTheMultiGoesOn) {
  fetchtest::run_isolated([this] { remove_and_go_on(GetParam()); });
}

void RemoveInCallback::remove_and_go_on(const RemoveCase c) {
  FETCHM *m = fetch_multi_init();
  {
    EpollLoop app(m);
    RemoveState st;
    st.multi = m;
    st.nth = c.nth;
    FETCH *e = connect_only_easy(server_.port());
    st.easy = e;
    app.own_sockets_of(e);
    switch (c.where) {
      case RemoveFrom::kSocket:
        app.on_socket = [&](FETCH *, int, int) { st.maybe_remove(); };
        break;
      case RemoveFrom::kTimer:
        app.on_timer = [&](long) { st.maybe_remove(); };
        break;
      case RemoveFrom::kDebug:
        fetch_easy_setopt(e, FETCHOPT_VERBOSE, 1L);
        fetch_easy_setopt(e, FETCHOPT_DEBUGFUNCTION, &debug_remove);
        fetch_easy_setopt(e, FETCHOPT_DEBUGDATA, &st);
        break;
      case RemoveFrom::kOpenSocket:
        fetch_easy_setopt(e, FETCHOPT_OPENSOCKETFUNCTION, &opensocket_remove);
        fetch_easy_setopt(e, FETCHOPT_OPENSOCKETDATA, &st);
        break;
      case RemoveFrom::kNotify:
      case RemoveFrom::kNotifyThenCleanup:
        st.cleanup_after = c.where == RemoveFrom::kNotifyThenCleanup;
        fetch_multi_setopt(m, FETCHMOPT_NOTIFYFUNCTION, &notify_remove);
        fetch_multi_setopt(m, FETCHMOPT_NOTIFYDATA, &st);
        fetch_multi_notify_enable(m, FETCHMNOTIFY_EASY_DONE);
        break;
    }
    // A second transfer runs next to it and must not be disturbed.
    FETCH *other = connect_only_easy(server_.port());
    app.own_sockets_of(other);
    ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
    ASSERT_EQ(fetch_multi_add_handle(m, other), FETCHM_OK);
    st.armed = true;
    std::map<FETCH *, FETCHcode> done;
    bool finished = app.run_until([&] {
      drain_done(m, done);
      return done.count(other) != 0 && (st.removed || done.count(e) != 0);
    });
    EXPECT_TRUE(finished);
    EXPECT_EQ(done[other], FETCHE_OK);
    EXPECT_EQ(st.rc, FETCHM_OK);
    if (st.removed) {
      // Nothing more is heard about the removed handle.
      app.run_once(milliseconds(20));
      drain_done(m, done);
      if (!st.cleaned) {
        std::optional<std::vector<FETCH *>> in_multi = fetchtest::handles_in(m);
        ASSERT_TRUE(in_multi.has_value());
        for (FETCH *h : *in_multi) EXPECT_NE(h, e);
      }
    }
    if (!st.cleaned) {
      fetch_easy_cleanup(e);
      st.cleaned = true;
    }
    fetch_easy_cleanup(other);
    EXPECT_TRUE(well_ordered(app.log()));
    // The multi still works for a new transfer.
    FETCH *next = connect_only_easy(server_.port());
    app.own_sockets_of(next);
    ASSERT_EQ(fetch_multi_add_handle(m, next), FETCHM_OK);
    done.clear();
    EXPECT_TRUE(app.run_until([&] {
      drain_done(m, done);
      return done.count(next) != 0;
    }));
    EXPECT_EQ(done[next], FETCHE_OK);
    fetch_easy_cleanup(next);
    EXPECT_TRUE(well_ordered(app.log()));
    EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);  // before the app's loop goes
  }
}

std::vector<RemoveCase> remove_cases() {
  std::vector<RemoveCase> out;
  // Every call of the callback in a CONNECT_ONLY transfer, by position: the socket callback runs
  // twice (OUT, REMOVE), the timer a few times, the debug callback about ten times.
  for (int n = 1; n <= 3; ++n) out.push_back({RemoveFrom::kSocket, n});
  for (int n = 1; n <= 3; ++n) out.push_back({RemoveFrom::kTimer, n});
  for (int n = 1; n <= 12; ++n) out.push_back({RemoveFrom::kDebug, n});
  out.push_back({RemoveFrom::kOpenSocket, 1});
  out.push_back({RemoveFrom::kNotify, 1});
  out.push_back({RemoveFrom::kNotifyThenCleanup, 1});
  return out;
}

INSTANTIATE_TEST_SUITE_P(Lifecycle, RemoveInCallback, ::testing::ValuesIn(remove_cases()),
                         [](const ::testing::TestParamInfo<RemoveCase> &info) {
                           return std::string(name_of(info.param.where)) + "_" +
                                  std::to_string(info.param.nth);
                         });

// ---- attached to the application's uv loop ----------------------------------------------------

TEST_F(LifecycleTest, UvAttachedCleanupWithTransfersInFlightLetsTheLoopClose) {
  fetchtest::ListenerWithFullBacklog backlog;
  ASSERT_TRUE(backlog.fill());
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  FETCHM *m = fetch_multi_init_uv(&loop);
  ASSERT_NE(m, nullptr);
  FETCH *hanging = connect_only_easy(backlog.port(), 10000);
  FETCH *quick = connect_only_easy(server_.port());
  FETCH *named = connect_only_easy(server_.port());
  // A name lookup on libuv's pool may still be in flight at cleanup.
  fetch_easy_setopt(named, FETCHOPT_URL,
                    ("http://localhost:" + std::to_string(server_.port()) + "/").c_str());
  ASSERT_EQ(fetch_multi_add_handle(m, hanging), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, quick), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, named), FETCHM_OK);
  for (int i = 0; i < 3; ++i) uv_run(&loop, UV_RUN_NOWAIT);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
  // Closing handles finish in one more turn; an orphaned lookup may need a few.
  auto end = Clock::now() + milliseconds(5000);
  while (uv_run(&loop, UV_RUN_NOWAIT) != 0 && Clock::now() < end) {
    usleep(1000);
  }
  EXPECT_EQ(uv_loop_close(&loop), 0);
  fetch_easy_cleanup(hanging);
  fetch_easy_cleanup(quick);
  fetch_easy_cleanup(named);
}

TEST_F(LifecycleTest, UvAttachedCleanupThenOneNowaitRunClosesTheLoop) {
  fetchtest::ListenerWithFullBacklog backlog;
  ASSERT_TRUE(backlog.fill());
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  FETCHM *m = fetch_multi_init_uv(&loop);
  ASSERT_NE(m, nullptr);
  FETCH *a = connect_only_easy(backlog.port(), 10000);
  FETCH *b = connect_only_easy(server_.port());
  ASSERT_EQ(fetch_multi_add_handle(m, a), FETCHM_OK);
  ASSERT_EQ(fetch_multi_add_handle(m, b), FETCHM_OK);
  for (int i = 0; i < 3; ++i) uv_run(&loop, UV_RUN_NOWAIT);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
  uv_run(&loop, UV_RUN_NOWAIT);  // as fetch/uv.h documents
  EXPECT_EQ(uv_loop_close(&loop), 0);
  fetch_easy_cleanup(a);
  fetch_easy_cleanup(b);
}

}  // namespace
