// Small helpers for easy and multi handles shared by the runtime suites: owning pointers, the
// CONNECT_ONLY handle every suite builds, getinfo shorthands, reading FETCHMSG_DONE messages
// and a fetch_multi_perform + fetch_multi_poll loop. Header-only (the CMake glob builds only
// tests/runtime/*_test.cc).
#pragma once

#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fetchtest {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

inline long ms_since(Clock::time_point start) {
  return static_cast<long>(std::chrono::duration_cast<milliseconds>(Clock::now() - start).count());
}

// ---- owning pointers ----------------------------------------------------------------------------

struct EasyDeleter {
  void operator()(FETCH *h) const { fetch_easy_cleanup(h); }
};
using EasyPtr = std::unique_ptr<FETCH, EasyDeleter>;

struct SlistDeleter {
  void operator()(fetch_slist *l) const { fetch_slist_free_all(l); }
};
using SlistPtr = std::unique_ptr<fetch_slist, SlistDeleter>;

inline SlistPtr make_slist(const std::vector<std::string> &items) {
  fetch_slist *list = nullptr;
  for (const std::string &s : items) list = fetch_slist_append(list, s.c_str());
  return SlistPtr(list);
}

// ---- making easy handles ------------------------------------------------------------------------

inline std::string loopback_url(int port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/";
}

// How make_easy sets a new handle up besides its URL.
struct EasySetup {
  bool connect_only = true;        // FETCHOPT_CONNECT_ONLY 1
  long connect_timeout_ms = 5000;  // FETCHOPT_CONNECTTIMEOUT_MS; 0 leaves libfetch's default
  char *errbuf = nullptr;          // FETCHOPT_ERRORBUFFER when given (emptied first)
};

// A new easy handle for `url` (nullptr, reported, when fetch_easy_init fails). The caller
// owns it.
inline FETCH *make_easy(const std::string &url, const EasySetup &setup = {}) {
  FETCH *h = fetch_easy_init();
  if (h == nullptr) {
    ADD_FAILURE() << "fetch_easy_init failed";
    return nullptr;
  }
  EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_URL, url.c_str()), FETCHE_OK);
  if (setup.connect_only) {
    EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_CONNECT_ONLY, 1L), FETCHE_OK);
  }
  if (setup.connect_timeout_ms != 0) {
    EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_CONNECTTIMEOUT_MS, setup.connect_timeout_ms),
              FETCHE_OK);
  }
  if (setup.errbuf != nullptr) {
    setup.errbuf[0] = '\0';
    EXPECT_EQ(fetch_easy_setopt(h, FETCHOPT_ERRORBUFFER, setup.errbuf), FETCHE_OK);
  }
  return h;
}

// The usual test transfer: CONNECT_ONLY to 127.0.0.1:`port`.
inline FETCH *connect_only_easy(int port, long connect_timeout_ms = 5000) {
  return make_easy(loopback_url(port), {.connect_timeout_ms = connect_timeout_ms});
}

// A WRITEFUNCTION / HEADERFUNCTION that appends everything to the std::string its userdata
// points to.
inline size_t append_to_string(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

// ---- getinfo shorthands -------------------------------------------------------------------------

// FETCHINFO_LASTSOCKET is deprecated in the header; use its number to avoid the warning.
constexpr auto kInfoLastSocket = static_cast<FETCHINFO>(FETCHINFO_LONG + 29);

inline fetch_socket_t active_socket(FETCH *h) {
  fetch_socket_t fd = FETCH_SOCKET_BAD;
  EXPECT_EQ(fetch_easy_getinfo(h, FETCHINFO_ACTIVESOCKET, &fd), FETCHE_OK);
  return fd;
}

inline long info_long(FETCH *h, FETCHINFO info) {
  long v = -12345;
  EXPECT_EQ(fetch_easy_getinfo(h, info, &v), FETCHE_OK);
  return v;
}

inline fetch_off_t info_off(FETCH *h, FETCHINFO info) {
  fetch_off_t v = -12345;
  EXPECT_EQ(fetch_easy_getinfo(h, info, &v), FETCHE_OK);
  return v;
}

inline std::string info_string(FETCH *h, FETCHINFO info) {
  char *v = nullptr;
  EXPECT_EQ(fetch_easy_getinfo(h, info, &v), FETCHE_OK);
  return v != nullptr ? std::string(v) : std::string("(null)");
}

// ---- multi handles ------------------------------------------------------------------------------

// The handles added to `multi`, in fetch_multi_get_handles order; nullopt when that fails.
inline std::optional<std::vector<FETCH *>> handles_in(FETCHM *multi) {
  FETCH **all = fetch_multi_get_handles(multi);
  if (all == nullptr) return std::nullopt;
  std::vector<FETCH *> out;
  for (FETCH **h = all; *h != nullptr; ++h) out.push_back(*h);
  fetch_free(all);
  return out;
}

// Reads every queued message of `multi` and records each FETCHMSG_DONE result in `done`
// (a later message for a handle replaces an earlier one). True when there was one.
inline bool drain_done(FETCHM *multi, std::map<FETCH *, FETCHcode> &done) {
  int left = 0;
  bool any = false;
  while (FETCHMsg *msg = fetch_multi_info_read(multi, &left)) {
    if (msg->msg == FETCHMSG_DONE) {
      done[msg->easy_handle] = msg->data.result;
      any = true;
    }
  }
  return any;
}

// Drives `multi` with fetch_multi_perform, polling up to 100 ms between calls, until at most
// `most` transfers run or `timeout` passes; `*running` is the last count. A failing perform is
// a fatal failure: call it inside ASSERT_NO_FATAL_FAILURE.
inline void perform_until_running_at_most(FETCHM *multi, int most, int *running,
                                          milliseconds timeout = milliseconds(5000)) {
  *running = most + 1;  // not known yet: perform at least once
  const Clock::time_point end = Clock::now() + timeout;
  while (*running > most && Clock::now() < end) {
    ASSERT_EQ(fetch_multi_perform(multi, running), FETCHM_OK);
    if (*running > most) fetch_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
}

}  // namespace fetchtest
