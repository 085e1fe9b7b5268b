// The re-entrancy table of docs/ARCHITECTURE.md, cell by cell: for each (callback, API call),
// a real CONNECT_ONLY transfer against an EchoServer runs in socket_action mode, the callback
// makes the call the first time it runs after the handle was added, and the result is compared
// with the table.
//
// Inside the socket callback, the timer callback, or an easy callback (DEBUGFUNCTION,
// OPENSOCKETFUNCTION, SOCKOPTFUNCTION):
//  - multi perform, socket_action, socket_all, cleanup, wait, poll, fdset, timeout, add_handle,
//    setopt -> FETCHM_RECURSIVE_API_CALL
//  - easy perform / send / recv on the handle whose callback runs -> FETCHE_RECURSIVE_API_CALL
//  - easy cleanup / reset of the handle whose callback runs -> ignored (no effect, no crash)
//  - allowed: multi remove_handle, info_read, assign, get_handles, get_offt, wakeup; easy
//    setopt, getinfo, and perform on another handle not in this multi.
// Inside the notify callback: multi perform, socket_action, socket_all, cleanup ->
// FETCHM_RECURSIVE_API_CALL; everything else is allowed.
//
// The timer callback runs for the multi, not for one handle, so the cells about "the handle
// whose callback runs" do not exist for it.
//
// Each cell runs in a child process (a death test that must exit 0): a cell the library gets
// wrong may crash, and that must fail the cell, not the whole run.
#define FETCH_DISABLE_DEPRECATION  // fetch_multi_socket_all is one of the cells
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/epoll_loop.h"
#include "runtime/handles.h"
#include "runtime/isolation.h"
#include "server/echo_server.h"

namespace {

enum class Where { kSocket, kTimer, kDebug, kOpenSocket, kSockopt, kNotify };

enum class Call {
  kMultiPerform,
  kMultiSocketAction,
  kMultiSocketAll,
  kMultiCleanup,
  kMultiWait,
  kMultiPoll,
  kMultiFdset,
  kMultiTimeout,
  kMultiAddHandle,
  kMultiSetopt,
  kEasyPerformSelf,
  kEasySendSelf,
  kEasyRecvSelf,
  kEasyCleanupSelf,
  kEasyResetSelf,
  kMultiRemoveHandle,
  kMultiInfoRead,
  kMultiAssign,
  kMultiGetHandles,
  kMultiGetOfft,
  kMultiWakeup,
  kEasySetopt,
  kEasyGetinfo,
  kEasyPerformOther,
};

const char *name_of(Where w) {
  switch (w) {
    case Where::kSocket:
      return "Socket";
    case Where::kTimer:
      return "Timer";
    case Where::kDebug:
      return "Debug";
    case Where::kOpenSocket:
      return "OpenSocket";
    case Where::kSockopt:
      return "Sockopt";
    case Where::kNotify:
      return "Notify";
  }
  return "?";
}

const char *name_of(Call c) {
  switch (c) {
    case Call::kMultiPerform:
      return "MultiPerform";
    case Call::kMultiSocketAction:
      return "MultiSocketAction";
    case Call::kMultiSocketAll:
      return "MultiSocketAll";
    case Call::kMultiCleanup:
      return "MultiCleanup";
    case Call::kMultiWait:
      return "MultiWait";
    case Call::kMultiPoll:
      return "MultiPoll";
    case Call::kMultiFdset:
      return "MultiFdset";
    case Call::kMultiTimeout:
      return "MultiTimeout";
    case Call::kMultiAddHandle:
      return "MultiAddHandle";
    case Call::kMultiSetopt:
      return "MultiSetopt";
    case Call::kEasyPerformSelf:
      return "EasyPerformSelf";
    case Call::kEasySendSelf:
      return "EasySendSelf";
    case Call::kEasyRecvSelf:
      return "EasyRecvSelf";
    case Call::kEasyCleanupSelf:
      return "EasyCleanupSelf";
    case Call::kEasyResetSelf:
      return "EasyResetSelf";
    case Call::kMultiRemoveHandle:
      return "MultiRemoveHandle";
    case Call::kMultiInfoRead:
      return "MultiInfoRead";
    case Call::kMultiAssign:
      return "MultiAssign";
    case Call::kMultiGetHandles:
      return "MultiGetHandles";
    case Call::kMultiGetOfft:
      return "MultiGetOfft";
    case Call::kMultiWakeup:
      return "MultiWakeup";
    case Call::kEasySetopt:
      return "EasySetopt";
    case Call::kEasyGetinfo:
      return "EasyGetinfo";
    case Call::kEasyPerformOther:
      return "EasyPerformOther";
  }
  return "?";
}

bool is_self_call(Call c) {
  return c == Call::kEasyPerformSelf || c == Call::kEasySendSelf || c == Call::kEasyRecvSelf ||
         c == Call::kEasyCleanupSelf || c == Call::kEasyResetSelf;
}

// What the table says a cell returns. kIgnored: the call returns nothing and must have no
// effect on the handle; kFreed: the call frees the handle (allowed in the notify callback).
struct Expected {
  enum Kind { kCode, kIgnored, kReset, kFreed } kind = kCode;
  int code = 0;  // FETCHMcode or FETCHcode, for kCode
};

Expected expected(Where w, Call c) {
  if (w == Where::kNotify) {
    switch (c) {
      case Call::kMultiPerform:
      case Call::kMultiSocketAction:
      case Call::kMultiSocketAll:
      case Call::kMultiCleanup:
        return {Expected::kCode, FETCHM_RECURSIVE_API_CALL};
      // Allowed, with their ordinary results for a finished CONNECT_ONLY handle still added.
      case Call::kEasyPerformSelf:
        return {Expected::kCode, FETCHE_FAILED_INIT};  // it is in a multi
      case Call::kEasySendSelf:
        return {Expected::kCode, FETCHE_OK};
      case Call::kEasyRecvSelf:
        return {Expected::kCode, FETCHE_AGAIN};  // nothing sent: nothing to read
      case Call::kEasyCleanupSelf:
        return {Expected::kFreed, 0};
      case Call::kEasyResetSelf:
        return {Expected::kReset, 0};
      case Call::kMultiAssign:
        return {Expected::kCode, FETCHM_BAD_SOCKET};  // no socket is watched any more
      default:
        return {Expected::kCode, 0};  // FETCHM_OK / FETCHE_OK
    }
  }
  switch (c) {
    case Call::kMultiPerform:
    case Call::kMultiSocketAction:
    case Call::kMultiSocketAll:
    case Call::kMultiCleanup:
    case Call::kMultiWait:
    case Call::kMultiPoll:
    case Call::kMultiFdset:
    case Call::kMultiTimeout:
    case Call::kMultiAddHandle:
    case Call::kMultiSetopt:
      return {Expected::kCode, FETCHM_RECURSIVE_API_CALL};
    case Call::kEasyPerformSelf:
    case Call::kEasySendSelf:
    case Call::kEasyRecvSelf:
      return {Expected::kCode, FETCHE_RECURSIVE_API_CALL};
    case Call::kEasyCleanupSelf:
    case Call::kEasyResetSelf:
      return {Expected::kIgnored, 0};
    case Call::kMultiAssign:
      // The socket callback assigns the fd it is told about; elsewhere there is none to name.
      return {Expected::kCode, w == Where::kSocket ? FETCHM_OK : FETCHM_BAD_SOCKET};
    default:
      return {Expected::kCode, 0};  // allowed: FETCHM_OK / FETCHE_OK
  }
}

struct Cell {
  Where where;
  Call call;
};

// Everything the callback needs to make its call once.
struct Context {
  FETCHM *multi = nullptr;
  FETCH *easy = nullptr;   // the transfer whose callbacks run
  FETCH *other = nullptr;  // never added to the multi
  FETCH *extra = nullptr;  // for add_handle
  Call call = Call::kMultiPerform;
  bool armed = false;
  bool called = false;
  int result = -1;
  bool freed = false;  // the call freed `easy`
};

int marker_value = 0;
void *const kMarker = &marker_value;

// Makes the cell's call. `self` is the handle whose callback runs (nullptr for the timer),
// `fd` the socket the callback is about (-1 if none).
int make_call(Context &ctx, FETCH *self, int fd) {
  FETCHM *m = ctx.multi;
  FETCH *mine = self != nullptr ? self : ctx.easy;
  int running = 0;
  switch (ctx.call) {
    case Call::kMultiPerform:
      return fetch_multi_perform(m, &running);
    case Call::kMultiSocketAction:
      return fetch_multi_socket_action(m, FETCH_SOCKET_TIMEOUT, 0, &running);
    case Call::kMultiSocketAll:
      return fetch_multi_socket_all(m, &running);
    case Call::kMultiCleanup:
      return fetch_multi_cleanup(m);
    case Call::kMultiWait:
      return fetch_multi_wait(m, nullptr, 0, 0, nullptr);
    case Call::kMultiPoll:
      return fetch_multi_poll(m, nullptr, 0, 0, nullptr);
    case Call::kMultiFdset: {
      fd_set r, w, e;
      FD_ZERO(&r);
      FD_ZERO(&w);
      FD_ZERO(&e);
      int max_fd = -1;
      return fetch_multi_fdset(m, &r, &w, &e, &max_fd);
    }
    case Call::kMultiTimeout: {
      long ms = 0;
      return fetch_multi_timeout(m, &ms);
    }
    case Call::kMultiAddHandle:
      return fetch_multi_add_handle(m, ctx.extra);
    case Call::kMultiSetopt:
      return fetch_multi_setopt(m, FETCHMOPT_MAXCONNECTS, 5L);
    case Call::kEasyPerformSelf:
      return fetch_easy_perform(mine);
    case Call::kEasySendSelf: {
      size_t n = 0;
      return fetch_easy_send(mine, "x", 1, &n);
    }
    case Call::kEasyRecvSelf: {
      char buf[16];
      size_t n = 0;
      return fetch_easy_recv(mine, buf, sizeof buf, &n);
    }
    case Call::kEasyCleanupSelf:
      fetch_easy_cleanup(mine);
      return 0;
    case Call::kEasyResetSelf:
      fetch_easy_reset(mine);
      return 0;
    case Call::kMultiRemoveHandle:
      return fetch_multi_remove_handle(m, mine);
    case Call::kMultiInfoRead: {
      int left = 0;
      fetch_multi_info_read(m, &left);
      return FETCHM_OK;
    }
    case Call::kMultiAssign:
      return fetch_multi_assign(m, fd >= 0 ? fd : FETCH_SOCKET_BAD, kMarker);
    case Call::kMultiGetHandles: {
      FETCH **all = fetch_multi_get_handles(m);
      if (all == nullptr) return FETCHM_OUT_OF_MEMORY;
      fetch_free(all);
      return FETCHM_OK;
    }
    case Call::kMultiGetOfft: {
      fetch_off_t v = -1;
      return fetch_multi_get_offt(m, FETCHMINFO_XFERS_CURRENT, &v);
    }
    case Call::kMultiWakeup:
      return fetch_multi_wakeup(m);
    case Call::kEasySetopt:
      return fetch_easy_setopt(mine, FETCHOPT_CONNECTTIMEOUT_MS, 5000L);
    case Call::kEasyGetinfo: {
      void *p = nullptr;
      return fetch_easy_getinfo(mine, FETCHINFO_PRIVATE, &p);
    }
    case Call::kEasyPerformOther:
      return fetch_easy_perform(ctx.other);
  }
  return -1;
}

void maybe_call(Context &ctx, FETCH *self, int fd) {
  if (!ctx.armed || ctx.called) return;
  ctx.called = true;
  ctx.result = make_call(ctx, self, fd);
}

int debug_cb(FETCH *handle, fetch_infotype type, char *, size_t, void *userp) {
  if (type == FETCHINFO_TEXT) maybe_call(*static_cast<Context *>(userp), handle, -1);
  return 0;
}

fetch_socket_t opensocket_cb(void *clientp, fetchsocktype, fetch_sockaddr *addr) {
  auto *ctx = static_cast<Context *>(clientp);
  maybe_call(*ctx, ctx->easy, -1);
  return socket(addr->family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
}

int sockopt_cb(void *clientp, fetch_socket_t fd, fetchsocktype) {
  auto *ctx = static_cast<Context *>(clientp);
  maybe_call(*ctx, ctx->easy, static_cast<int>(fd));
  return FETCH_SOCKOPT_OK;
}

void notify_cb(FETCHM *, unsigned type, FETCH *easy, void *userp) {
  auto *ctx = static_cast<Context *>(userp);
  if (type == FETCHMNOTIFY_EASY_DONE && easy == ctx->easy) maybe_call(*ctx, easy, -1);
}

// A CONNECT_ONLY handle whose FETCHINFO_PRIVATE is kMarker: a reset or a free shows.
FETCH *marked_easy(int port) {
  FETCH *e = fetchtest::connect_only_easy(port);
  fetch_easy_setopt(e, FETCHOPT_PRIVATE, kMarker);
  return e;
}

bool contains(FETCHM *m, FETCH *e) {
  std::optional<std::vector<FETCH *>> in_multi = fetchtest::handles_in(m);
  return in_multi && std::find(in_multi->begin(), in_multi->end(), e) != in_multi->end();
}

void run_cell(const Cell cell, int port) {
  const Expected want = expected(cell.where, cell.call);
  FETCHM *m = fetch_multi_init();
  Context ctx;
  ctx.multi = m;
  ctx.call = cell.call;
  ctx.easy = marked_easy(port);
  ctx.other = marked_easy(port);
  ctx.extra = marked_easy(port);
  FETCH *e = ctx.easy;
  bool multi_alive = true;
  {
    fetchtest::EpollLoop app(m);
    switch (cell.where) {
      case Where::kSocket:
        app.on_socket = [&](FETCH *easy, int fd, int what) {
          if (what != FETCH_POLL_REMOVE && easy == e) maybe_call(ctx, easy, fd);
        };
        break;
      case Where::kTimer:
        app.on_timer = [&](long) { maybe_call(ctx, nullptr, -1); };
        break;
      case Where::kDebug:
        fetch_easy_setopt(e, FETCHOPT_VERBOSE, 1L);
        fetch_easy_setopt(e, FETCHOPT_DEBUGFUNCTION, &debug_cb);
        fetch_easy_setopt(e, FETCHOPT_DEBUGDATA, &ctx);
        break;
      case Where::kOpenSocket:
        fetch_easy_setopt(e, FETCHOPT_OPENSOCKETFUNCTION, &opensocket_cb);
        fetch_easy_setopt(e, FETCHOPT_OPENSOCKETDATA, &ctx);
        break;
      case Where::kSockopt:
        fetch_easy_setopt(e, FETCHOPT_SOCKOPTFUNCTION, &sockopt_cb);
        fetch_easy_setopt(e, FETCHOPT_SOCKOPTDATA, &ctx);
        break;
      case Where::kNotify:
        fetch_multi_setopt(m, FETCHMOPT_NOTIFYFUNCTION, &notify_cb);
        fetch_multi_setopt(m, FETCHMOPT_NOTIFYDATA, &ctx);
        fetch_multi_notify_enable(m, FETCHMNOTIFY_EASY_DONE);
        break;
    }
    ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
    ctx.armed = true;
    std::map<FETCH *, FETCHcode> done;
    app.run_until([&] {
      if (ctx.called && (ctx.result == 0 && cell.call == Call::kMultiCleanup)) return true;
      fetchtest::drain_done(m, done);
      return ctx.called && (done.count(e) != 0 || !contains(m, e));
    });
    ASSERT_TRUE(ctx.called) << "the callback never ran";
    if (cell.call == Call::kMultiCleanup && ctx.result == FETCHM_OK) multi_alive = false;

    // Shown by the parent when the cell fails (a death test prints the child's stderr).
    fprintf(stderr, "cell %s/%s: the call returned %d\n", name_of(cell.where), name_of(cell.call),
            ctx.result);
    switch (want.kind) {
      case Expected::kCode:
        EXPECT_EQ(ctx.result, want.code);
        break;
      case Expected::kIgnored: {
        // The handle is untouched (not freed, options kept) and its transfer completes.
        void *p = nullptr;
        EXPECT_EQ(fetch_easy_getinfo(e, FETCHINFO_PRIVATE, &p), FETCHE_OK);
        EXPECT_EQ(p, kMarker) << "the handle was reset or freed";
        EXPECT_EQ(done.count(e), 1u) << "the transfer did not complete";
        if (done.count(e) != 0) {
          EXPECT_EQ(done[e], FETCHE_OK);
        }
        break;
      }
      case Expected::kReset: {
        void *p = kMarker;
        EXPECT_EQ(fetch_easy_getinfo(e, FETCHINFO_PRIVATE, &p), FETCHE_OK);
        EXPECT_EQ(p, nullptr) << "reset had no effect";
        break;
      }
      case Expected::kFreed:
        ctx.freed = true;
        if (multi_alive) {
          EXPECT_FALSE(contains(m, e));
        }
        break;
    }
    // While the app's loop still exists: the last socket and timer calls reach it.
    if (!ctx.freed) fetch_easy_cleanup(e);
    fetch_easy_cleanup(ctx.other);
    fetch_easy_cleanup(ctx.extra);
    if (multi_alive) {
      EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
    }
  }
}

class ReentrancyTable : public ::testing::TestWithParam<Cell> {
 protected:
  void SetUp() override { ASSERT_EQ(server_.start(), 0); }
  fetchtest::EchoServer server_;
};

TEST_P(ReentrancyTable, CellMatchesTheTable) {
  const Cell cell = GetParam();
  const int port = server_.port();
  fetchtest::run_isolated([&] { run_cell(cell, port); });
}

std::vector<Cell> all_cells() {
  std::vector<Cell> out;
  for (Where w : {Where::kSocket, Where::kTimer, Where::kDebug, Where::kOpenSocket, Where::kSockopt,
                  Where::kNotify}) {
    for (int c = 0; c <= static_cast<int>(Call::kEasyPerformOther); ++c) {
      Call call = static_cast<Call>(c);
      if (w == Where::kTimer && is_self_call(call)) continue;  // no handle of its own
      out.push_back({w, call});
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Reentrancy, ReentrancyTable, ::testing::ValuesIn(all_cells()),
                         [](const ::testing::TestParamInfo<Cell> &info) {
                           return std::string(name_of(info.param.where)) + "_" +
                                  name_of(info.param.call);
                         });

}  // namespace
