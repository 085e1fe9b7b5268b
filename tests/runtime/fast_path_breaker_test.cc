// Adversarial tests of the hot path's data structures and shortcuts: the O(1) idle connection pool
// (runtime/connection_pool.*), the transfers-by-id open-addressing table (runtime/id_table.h),
// the in-flight URL kept across recycled transfers (runtime/redirect.h, Scheduler::recycle),
// the tracing gate (runtime/trace.h), update_timer reading the clock only for a changed
// deadline, the deadline run beside the heap (runtime/deadline_heap.h) and iequals' inline
// length test (protocols/http1/tokens.h). Internal classes are driven directly against plain
// references; the rest goes through the public API against the scripted test server on
// 127.0.0.1. Every loop is bounded in count and in time; timing checks are generous.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <poll.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <list>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "protocols/http1/tokens.h"
#include "runtime/connection_pool.h"
#include "runtime/deadline_heap.h"
#include "runtime/drivers.h"
#include "runtime/handles.h"
#include "runtime/id_table.h"
#include "runtime/pool_model.h"
#include "server/http_server.h"
#include "support/full_backlog.h"

namespace {

using fetch::Connection;
using fetch::ConnectionPool;
using fetch::IdTable;
using fetchtest::Clock;
using fetchtest::Driver;
using fetchtest::EasyPtr;
using fetchtest::Harness;
using fetchtest::http_response;
using fetchtest::HttpServer;
using fetchtest::RecordedRequest;
using fetchtest::redirect_response;
using fetchtest::Script;
using std::chrono::milliseconds;

// =============================================================================================
// ConnectionPool, directly
// =============================================================================================

using fetchtest::fd_of;
using PoolRef = fetchtest::PoolModel;

std::unique_ptr<Connection> make_conn(int fd, const std::string &origin) {
  return fetchtest::idle_connection(fd, origin);
}

void expect_same_order(const ConnectionPool &pool, const PoolRef &ref, long step) {
  std::vector<int> got;
  pool.for_each_fd([&got](int fd) { got.push_back(fd); });
  std::vector<int> want;
  for (const auto &e : ref.all) want.push_back(e.fd);
  ASSERT_EQ(got, want) << "step " << step;
  ASSERT_EQ(pool.size(), ref.all.size()) << "step " << step;
}

// Many origins (more than the 16 whose empty lists the pool keeps), the pool emptied again and
// again (so the origin map is dropped while slots are on the free list), fds reused at once
// after they leave the pool (as the kernel hands out the lowest free fd), every kind of take.
TEST(FastPathBreakerPool, ManyOriginsEmptiedOftenFdsReusedMatchesReference) {
  std::mt19937 rng(12345);
  ConnectionPool pool;
  PoolRef ref;
  std::vector<std::string> origins;
  for (int i = 0; i < 40; ++i) origins.push_back("http://o" + std::to_string(i) + ":80");
  std::set<int> free_fds;
  for (int fd = 3; fd < 400; ++fd) free_fds.insert(fd);
  for (long step = 0; step < 60000; ++step) {
    int op = static_cast<int>(rng() % 100);
    if (step % 5000 == 4999) {  // empty it completely, mixing the ways
      while (!ref.all.empty()) {
        int fd;
        switch (rng() % 3) {
          case 0:
            fd = fd_of(pool.take_oldest());
            ASSERT_EQ(fd, ref.take_oldest()) << step;
            break;
          case 1: {
            int want = std::next(ref.all.begin(), static_cast<long>(rng() % ref.all.size()))->fd;
            fd = fd_of(pool.take_fd(want));
            ASSERT_EQ(fd, ref.take_fd(want)) << step;
            break;
          }
          default: {
            const std::string &o =
                std::next(ref.all.begin(), static_cast<long>(rng() % ref.all.size()))->origin;
            fd = fd_of(pool.take(o));
            ASSERT_EQ(fd, ref.take(o)) << step;
            break;
          }
        }
        free_fds.insert(fd);
      }
      ASSERT_EQ(pool.size(), 0u);
      ASSERT_EQ(fd_of(pool.take_oldest()), -1);
      for (const std::string &o : origins) ASSERT_EQ(fd_of(pool.take(o)), -1) << o;
      continue;
    }
    if (op < 45 && !free_fds.empty()) {  // put, lowest free fd first (like the kernel)
      int fd = *free_fds.begin();
      free_fds.erase(free_fds.begin());
      // Skewed: a few origins hold most connections.
      size_t oi = (rng() % 4 == 0) ? rng() % origins.size() : rng() % 3;
      pool.put(make_conn(fd, origins[oi]), step);
      ref.all.push_back({fd, origins[oi]});
    } else if (op < 70) {
      const std::string &o = origins[(rng() % 4 == 0) ? rng() % origins.size() : rng() % 3];
      int fd = fd_of(pool.take(o));
      ASSERT_EQ(fd, ref.take(o)) << "take " << o << " step " << step;
      if (fd >= 0) free_fds.insert(fd);
    } else if (op < 85) {
      int want = ref.all.empty() || rng() % 5 == 0
                     ? 100000 + static_cast<int>(rng() % 10)
                     : std::next(ref.all.begin(), static_cast<long>(rng() % ref.all.size()))->fd;
      int fd = fd_of(pool.take_fd(want));
      ASSERT_EQ(fd, ref.take_fd(want)) << "take_fd " << want << " step " << step;
      if (fd >= 0) free_fds.insert(fd);
    } else {
      int fd = fd_of(pool.take_oldest());
      ASSERT_EQ(fd, ref.take_oldest()) << "take_oldest step " << step;
      if (fd >= 0) free_fds.insert(fd);
    }
    if (step % 97 == 0) {
      ASSERT_NO_FATAL_FAILURE(expect_same_order(pool, ref, step));
    }
  }
  ASSERT_NO_FATAL_FAILURE(expect_same_order(pool, ref, -1));
}

// The MAXCONNECTS pattern at scale: put one, evict the oldest, over 200 origins, while a take of
// a middle origin keeps punching holes in both lists.
TEST(FastPathBreakerPool, EvictOldestWhilePuttingAcrossTwoHundredOrigins) {
  ConnectionPool pool;
  PoolRef ref;
  const size_t limit = 37;
  int next_fd = 3;
  for (int i = 0; i < 20000; ++i) {
    std::string origin = "http://h" + std::to_string((i * 7919) % 200) + ":1";
    pool.put(make_conn(next_fd, origin), i);
    ref.all.push_back({next_fd, origin});
    ++next_fd;
    if (next_fd > 5000) next_fd = 3;  // fds are reused; none of these are pooled any more
    while (pool.size() > limit) ASSERT_EQ(fd_of(pool.take_oldest()), ref.take_oldest()) << i;
    if (i % 3 == 0) {
      std::string o = "http://h" + std::to_string((i * 31) % 200) + ":1";
      ASSERT_EQ(fd_of(pool.take(o)), ref.take(o)) << i;
    }
  }
  ASSERT_NO_FATAL_FAILURE(expect_same_order(pool, ref, -1));
}

// =============================================================================================
// IdTable, directly
// =============================================================================================

// Ids whose home is the last slot of a table of `cap` slots (their runs wrap to slot 0), and
// ones whose home is slot 0 and the slot before last.
std::vector<uint64_t> ids_with_home(size_t cap, size_t slot, size_t n, uint64_t start = 1) {
  int shift = 64 - std::countr_zero(cap);
  std::vector<uint64_t> out;
  for (uint64_t id = start; out.size() < n && id < start + 200000000ULL; ++id) {
    if ((IdTable<int>::home_slot(id, shift) & (cap - 1)) == slot) out.push_back(id);
  }
  return out;
}

void check_table(const IdTable<uint64_t> &table, const std::map<uint64_t, uint64_t> &ref,
                 long step) {
  ASSERT_EQ(table.size(), ref.size()) << step;
  ASSERT_EQ(table.empty(), ref.empty()) << step;
  for (const auto &[id, v] : ref) {
    const uint64_t *got = table.find(id);
    ASSERT_NE(got, nullptr) << "id " << id << " lost at step " << step;
    ASSERT_EQ(*got, v) << step;
  }
  std::map<uint64_t, uint64_t> seen;
  table.for_each([&seen](uint64_t id, const uint64_t &v) { seen[id] = v; });
  ASSERT_EQ(seen, ref) << step;
  ASSERT_EQ(table.any() != nullptr, !ref.empty()) << step;
}

// Random inserts and removals of ids chosen to collide at several capacities (home slot 0, the
// last slot and the one before: runs that wrap around the end), mixed with sequential ids and
// huge ids, across growth; checked against std::map after every step in a window.
TEST(FastPathBreakerIdTable, CollidingWrappingIdsAcrossGrowthMatchAMap) {
  std::vector<uint64_t> pool_ids;
  for (size_t cap : {16u, 32u, 64u, 128u, 256u}) {
    for (size_t slot : {size_t{0}, cap - 1, cap - 2}) {
      for (uint64_t id : ids_with_home(cap, slot, 12)) pool_ids.push_back(id);
    }
  }
  for (uint64_t id = 1; id <= 300; ++id) pool_ids.push_back(id);
  for (uint64_t k = 0; k < 20; ++k) pool_ids.push_back(UINT64_MAX - k);
  for (uint64_t k = 0; k < 20; ++k) pool_ids.push_back((uint64_t{1} << 63) + k);
  std::sort(pool_ids.begin(), pool_ids.end());
  pool_ids.erase(std::unique(pool_ids.begin(), pool_ids.end()), pool_ids.end());

  std::mt19937_64 rng(777);
  IdTable<uint64_t> table;
  std::map<uint64_t, uint64_t> ref;
  for (long step = 0; step < 40000; ++step) {
    uint64_t id = pool_ids[rng() % pool_ids.size()];
    // Phases: grow to most of the pool, then shrink to nearly nothing, and again.
    const bool growing = (step / 4000) % 2 == 0;
    const bool do_insert = (rng() % 10) < (growing ? 7u : 3u);
    if (do_insert) {
      if (ref.count(id) == 0) {
        table.insert(id, std::make_unique<uint64_t>(id ^ 0x5a5a));
        ref[id] = id ^ 0x5a5a;
      }
    } else {
      std::unique_ptr<uint64_t> got = table.take(id);
      auto it = ref.find(id);
      if (it == ref.end()) {
        ASSERT_EQ(got, nullptr) << "took absent id " << id << " step " << step;
      } else {
        ASSERT_NE(got, nullptr) << "lost id " << id << " step " << step;
        ASSERT_EQ(*got, it->second);
        ref.erase(it);
      }
    }
    if (step % 53 == 0 || (step > 20000 && step < 20400)) {
      ASSERT_NO_FATAL_FAILURE(check_table(table, ref, step));
    }
  }
  ASSERT_NO_FATAL_FAILURE(check_table(table, ref, -1));
  // Empty it completely, in an odd order, and use it again.
  std::vector<uint64_t> left;
  for (const auto &[id, v] : ref) left.push_back(id);
  std::shuffle(left.begin(), left.end(), rng);
  for (uint64_t id : left) ASSERT_NE(table.take(id), nullptr) << id;
  ref.clear();
  ASSERT_NO_FATAL_FAILURE(check_table(table, ref, -2));
  EXPECT_EQ(table.take(pool_ids[0]), nullptr);
  table.insert(42, std::make_unique<uint64_t>(1));
  ASSERT_NE(table.find(42), nullptr);
}

// A run that wraps: every id homes at the last slot or the one before it of a 16-slot table;
// each possible removal order of five such ids keeps the others reachable.
TEST(FastPathBreakerIdTable, EveryRemovalOrderOfAWrappingRun) {
  std::vector<uint64_t> last = ids_with_home(16, 15, 3);
  std::vector<uint64_t> before = ids_with_home(16, 14, 1);
  std::vector<uint64_t> zero = ids_with_home(16, 0, 1);
  std::vector<uint64_t> ids = {before[0], last[0], last[1], zero[0], last[2]};
  std::vector<int> order = {0, 1, 2, 3, 4};
  int perms = 0;
  do {
    // Also every insertion order rotation, which changes where each lands.
    for (int rot = 0; rot < 5; ++rot) {
      IdTable<uint64_t> table;
      std::map<uint64_t, uint64_t> ref;
      for (int k = 0; k < 5; ++k) {
        uint64_t id = ids[(k + rot) % 5];
        table.insert(id, std::make_unique<uint64_t>(id));
        ref[id] = id;
      }
      for (int k : order) {
        std::unique_ptr<uint64_t> v = table.take(ids[k]);
        ASSERT_NE(v, nullptr) << "perm " << perms << " rot " << rot << " id " << ids[k];
        ref.erase(ids[k]);
        ASSERT_NO_FATAL_FAILURE(check_table(table, ref, perms * 10 + rot));
      }
    }
    ++perms;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(perms, 120);
}

// =============================================================================================
// DeadlineHeap, directly: the run compacts (kRunCompactAt) while the heap holds earlier ones
// =============================================================================================

TEST(FastPathBreakerDeadlines, RunCompactionInterleavedWithHeapAndCompact) {
  using fetch::Deadline;
  using fetch::DeadlineHeap;
  using fetch::DeadlineKind;
  std::mt19937 rng(99);
  DeadlineHeap d;
  // Reference: (when, arm order, id).
  std::set<std::tuple<int64_t, uint64_t, uint64_t>> ref;
  std::set<uint64_t> stale;
  uint64_t arm = 0, next_id = 1;
  int64_t now = 0, base = 1000;
  for (int step = 0; step < 30000; ++step) {
    int op = static_cast<int>(rng() % 10);
    if (op < 5) {
      // Mostly in order (the run), sometimes earlier (the heap), sometimes equal.
      int64_t when = rng() % 4 == 0 ? now + static_cast<int64_t>(rng() % 500) : base;
      if (rng() % 3 != 0) base += static_cast<int64_t>(rng() % 3);
      uint64_t id = next_id++;
      d.push(Deadline{when, id, DeadlineKind::kTotalTimeout, 0});
      ref.insert({when, arm++, id});
    } else if (op < 8) {
      now += static_cast<int64_t>(rng() % 5);
      while (auto x = d.pop_due(now)) {
        ASSERT_FALSE(ref.empty()) << step;
        auto first = *ref.begin();
        ref.erase(ref.begin());
        ASSERT_EQ(x->transfer_id, std::get<2>(first)) << "step " << step;
        ASSERT_EQ(x->when_us, std::get<0>(first));
        ASSERT_LE(x->when_us, now);
      }
      if (!ref.empty()) {
        ASSERT_GT(std::get<0>(*ref.begin()), now) << step;
      }
    } else if (op < 9) {
      // Mark some stale and compact or drop.
      for (const auto &e : ref)
        if (rng() % 4 == 0) stale.insert(std::get<2>(e));
      auto is_stale = [&stale](const Deadline &x) { return stale.count(x.transfer_id) != 0; };
      if (rng() % 2) {
        d.compact(is_stale);
        for (auto it = ref.begin(); it != ref.end();)
          it = stale.count(std::get<2>(*it)) ? ref.erase(it) : std::next(it);
      } else {
        d.drop_while(is_stale);
        while (!ref.empty() && stale.count(std::get<2>(*ref.begin()))) ref.erase(ref.begin());
      }
    } else {
      auto w = d.next_when();
      if (ref.empty()) {
        ASSERT_FALSE(w.has_value()) << step;
      } else {
        ASSERT_TRUE(w.has_value()) << step;
        ASSERT_EQ(*w, std::get<0>(*ref.begin())) << step;
      }
    }
    ASSERT_EQ(d.size(), ref.size()) << step;
  }
}

// =============================================================================================
// iequals: the inline length test
// =============================================================================================

TEST(FastPathBreakerTokens, IequalsLengthAndCase) {
  using fetch::http1::iequals;
  EXPECT_TRUE(iequals("", ""));
  EXPECT_TRUE(iequals("Content-Length", "content-length"));
  EXPECT_TRUE(iequals("CONTENT-LENGTH", "content-length"));
  EXPECT_FALSE(iequals("Content-Lengtx", "content-length"));
  EXPECT_FALSE(iequals("Content-Length ", "content-length"));
  EXPECT_FALSE(iequals("Content-Lengt", "content-length"));
  EXPECT_FALSE(iequals("", "a"));
  EXPECT_FALSE(iequals("a", ""));
  // Only ASCII letters fold: '@' vs '`' and '[' vs '{' differ by 0x20 but are not letters.
  EXPECT_FALSE(iequals("@", "`"));
  EXPECT_FALSE(iequals("[", "{"));
  std::string with_nul("a\0b", 3);
  EXPECT_FALSE(iequals(with_nul, std::string("a\0c", 3)));
  EXPECT_TRUE(iequals(with_nul, std::string("A\0B", 3)));
}

// =============================================================================================
// Public API: helpers
// =============================================================================================

size_t append_body(char *data, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(data, size * nmemb);
  return size * nmemb;
}

size_t discard(char *, size_t size, size_t nmemb, void *) { return size * nmemb; }

EasyPtr http_easy(const std::string &url, char *errbuf = nullptr) {
  EasyPtr e(fetchtest::make_easy(url, {.connect_only = false, .errbuf = errbuf}));
  if (e) {
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &discard), FETCHE_OK);
    EXPECT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_TIMEOUT_MS, 10000L), FETCHE_OK);
  }
  return e;
}

void set_url(FETCH *e, const std::string &url) {
  ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_URL, url.c_str()), FETCHE_OK);
}

// Runs `e` alone on the harness and detaches it again.
FETCHcode run_alone(Harness &h, FETCH *e, milliseconds limit = milliseconds(10000)) {
  FETCHcode rc = h.run_one(e, limit);
  h.remove(e);
  return rc;
}

void set_maxconnects(Harness &h, FETCH *e, long n) {
  if (h.uses_multi()) {
    ASSERT_EQ(fetch_multi_setopt(h.multi(), FETCHMOPT_MAXCONNECTS, n), FETCHM_OK);
  } else {
    ASSERT_EQ(fetch_easy_setopt(e, FETCHOPT_MAXCONNECTS, n), FETCHE_OK);
  }
}

class FastPathBreakerDrivers : public ::testing::TestWithParam<Driver> {
 protected:
  FastPathBreakerDrivers() : harness_(GetParam()) {}
  void SetUp() override { ASSERT_TRUE(harness_.ok()); }
  Harness harness_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

INSTANTIATE_TEST_SUITE_P(Drivers, FastPathBreakerDrivers,
                         ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

class FastPathBreakerMulti : public FastPathBreakerDrivers {};
INSTANTIATE_TEST_SUITE_P(Drivers, FastPathBreakerMulti,
                         ::testing::ValuesIn(fetchtest::multi_drivers()),
                         fetchtest::driver_param_name);

// =============================================================================================
// Pool through the public API
// =============================================================================================

// MAXCONNECTS 3 over four origins (four servers): the oldest idle connection is the one closed
// when a fourth is kept, and "oldest" is by when it went idle, not when it was opened.
TEST_P(FastPathBreakerDrivers, MaxConnectsEvictsTheOldestIdleFirst) {
  HttpServer s[4];
  for (HttpServer &srv : s) {
    srv.on("/", Script().send(http_response(200, {}, "x")));
    ASSERT_EQ(srv.start(), 0);
  }
  EasyPtr e = http_easy(s[0].origin() + "/", errbuf_);
  ASSERT_NO_FATAL_FAILURE(set_maxconnects(harness_, e.get(), 3));
  // pool after each (oldest first):  A | A B | A B C | B C A | C A D (B evicted) | C D A |
  //                                  D A C | A C B (D evicted; B new) | C B D (A evicted; D new)
  const int seq[] = {0, 1, 2, 0, 3, 0, 2, 1, 3};
  const size_t want_accepted[] = {1, 2, 1, 2};
  for (int i : seq) {
    ASSERT_NO_FATAL_FAILURE(set_url(e.get(), s[i].origin() + "/"));
    ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  }
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(s[i].accepted(), want_accepted[i]) << "server "
                                                 << "ABCD"[i];
  }
  // And A now: evicted last round, so a new connection.
  ASSERT_NO_FATAL_FAILURE(set_url(e.get(), s[0].origin() + "/"));
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(s[0].accepted(), 2u);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_NUM_CONNECTS), 1);
}

// Eight origins, six connections each made idle at once; then every origin in turn, one
// request at a time (the newest of that origin each time): not one new connection, and every
// response the right server's.
TEST_P(FastPathBreakerMulti, ManyOriginsManyIdleAllReused) {
  ASSERT_EQ(fetchtest::ensure_fd_limit(512), "");
  constexpr int kServers = 8, kPer = 6;
  std::vector<std::unique_ptr<HttpServer>> servers;
  for (int i = 0; i < kServers; ++i) {
    servers.push_back(std::make_unique<HttpServer>());
    std::string body = "server-" + std::to_string(i);
    servers.back()->on("/slow",
                       Script().delay(milliseconds(150)).send(http_response(200, {}, body)));
    servers.back()->on("/", Script().send(http_response(200, {}, body)));
    ASSERT_EQ(servers.back()->start(), 0);
  }
  ASSERT_EQ(fetch_multi_setopt(harness_.multi(), FETCHMOPT_MAXCONNECTS, 200L), FETCHM_OK);
  std::vector<EasyPtr> easies;
  std::vector<std::string> bodies(kServers * kPer);
  std::vector<FETCH *> raw;
  for (int i = 0; i < kServers * kPer; ++i) {
    easies.push_back(http_easy(servers[i % kServers]->origin() + "/slow"));
    fetch_easy_setopt(easies.back().get(), FETCHOPT_WRITEFUNCTION, &append_body);
    fetch_easy_setopt(easies.back().get(), FETCHOPT_WRITEDATA, &bodies[i]);
    raw.push_back(easies.back().get());
  }
  std::vector<FETCHcode> rc = harness_.run(raw, milliseconds(15000));
  for (size_t i = 0; i < raw.size(); ++i) {
    ASSERT_EQ(rc[i], FETCHE_OK) << i;
    EXPECT_EQ(bodies[i], "server-" + std::to_string(i % kServers)) << i;
    harness_.remove(raw[i]);
  }
  std::vector<size_t> accepted;
  for (auto &s : servers) accepted.push_back(s->accepted());
  // One at a time, interleaving the origins, three rounds.
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kServers * kPer; ++i) {
      FETCH *h = raw[(i * 5 + round) % raw.size()];
      int srv = static_cast<int>(((i * 5 + round) % raw.size()) % kServers);
      bodies[0].clear();
      fetch_easy_setopt(h, FETCHOPT_WRITEDATA, &bodies[0]);
      ASSERT_NO_FATAL_FAILURE(set_url(h, servers[srv]->origin() + "/"));
      ASSERT_EQ(run_alone(harness_, h), FETCHE_OK);
      EXPECT_EQ(bodies[0], "server-" + std::to_string(srv));
      EXPECT_EQ(fetchtest::info_long(h, FETCHINFO_NUM_CONNECTS), 0) << "round " << round;
    }
  }
  for (int i = 0; i < kServers; ++i) {
    EXPECT_EQ(servers[i]->accepted(), accepted[i]) << "server " << i;
  }
}

// Idle connections the servers close while pooled (half of them, at several origins): the next
// requests never fail and never use a dead one; the live ones are still reused.
TEST_P(FastPathBreakerDrivers, IdleConnectionsClosedByTheServerWhilePooled) {
  constexpr int kServers = 4, kPer = 4;
  std::vector<std::unique_ptr<HttpServer>> servers;
  for (int i = 0; i < kServers; ++i) {
    servers.push_back(std::make_unique<HttpServer>());
    servers.back()->on("/keep",
                       Script().delay(milliseconds(100)).send(http_response(200, {}, "k")));
    servers.back()->on("/close-later", Script()
                                           .delay(milliseconds(100))
                                           .send(http_response(200, {}, "c"))
                                           .delay(milliseconds(100))
                                           .close());
    servers.back()->on("/", Script().send(http_response(200, {}, "ok")));
    ASSERT_EQ(servers.back()->start(), 0);
  }
  std::vector<EasyPtr> easies;
  std::vector<FETCH *> raw;
  for (int i = 0; i < kServers * kPer; ++i) {
    const char *path = (i / kServers) % 2 == 0 ? "/close-later" : "/keep";
    easies.push_back(http_easy(servers[i % kServers]->origin() + path, errbuf_));
    raw.push_back(easies.back().get());
  }
  if (harness_.uses_multi()) {
    ASSERT_EQ(fetch_multi_setopt(harness_.multi(), FETCHMOPT_MAXCONNECTS, 100L), FETCHM_OK);
    std::vector<FETCHcode> rc = harness_.run(raw, milliseconds(15000));
    for (size_t i = 0; i < raw.size(); ++i) {
      ASSERT_EQ(rc[i], FETCHE_OK) << i;
      harness_.remove(raw[i]);
    }
    // Let the closes arrive while the multi is driven with nothing to do but the pool.
    const Clock::time_point end = Clock::now() + milliseconds(500);
    for (int k = 0; k < 100 && Clock::now() < end; ++k) harness_.turn();
  } else {
    // fetch_easy_perform: one handle, so one idle connection per origin at a time; close them.
    for (FETCH *h : raw) {
      ASSERT_NO_FATAL_FAILURE(set_maxconnects(harness_, h, 100));
      ASSERT_EQ(fetch_easy_perform(h), FETCHE_OK) << errbuf_;
    }
    std::this_thread::sleep_for(milliseconds(300));
  }
  std::vector<size_t> before;
  for (auto &s : servers) before.push_back(s->accepted());
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kServers * kPer; ++i) {
      FETCH *h = raw[i];
      ASSERT_NO_FATAL_FAILURE(set_url(h, servers[i % kServers]->origin() + "/"));
      ASSERT_EQ(run_alone(harness_, h), FETCHE_OK) << errbuf_ << " round " << round << " i " << i;
    }
  }
  for (int i = 0; i < kServers; ++i) {
    // Every origin still had a live idle connection: nothing new was needed. (With
    // fetch_easy_perform each handle has its own pool, and handles that ended on /close-later
    // need one new connection each.)
    if (harness_.uses_multi()) {
      EXPECT_EQ(servers[i]->accepted(), before[i]) << "server " << i;
    } else {
      EXPECT_LE(servers[i]->accepted(), before[i] + kPer) << "server " << i;
    }
  }
}

// The server closes every connection 50 ms after its answer, while it sits in the pool; the
// next request comes after the close was seen (the pooled fd turned readable: take_fd) and gets
// a new connection, which usually has the very fd number of the one just dropped. Twenty times:
// never a failure, never a reuse of a dead one, exactly one connection per request.
TEST_P(FastPathBreakerDrivers, ClosedWhilePooledThenFdNumberReused) {
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, "ok")).delay(milliseconds(50)).close());
  ASSERT_EQ(server.start(), 0);
  EasyPtr e = http_easy(server.origin() + "/", errbuf_);
  EasyPtr other = http_easy(server.origin() + "/", errbuf_);
  for (int i = 0; i < 20; ++i) {
    FETCH *h = i % 3 == 2 ? other.get() : e.get();
    ASSERT_EQ(run_alone(harness_, h), FETCHE_OK) << errbuf_ << " request " << i;
    EXPECT_EQ(fetchtest::info_long(h, FETCHINFO_NUM_CONNECTS), 1) << i;
    std::this_thread::sleep_for(milliseconds(150));  // the server's FIN is out (50 ms)
    if (harness_.uses_multi()) {
      for (int k = 0; k < 3; ++k) harness_.turn();  // the close is seen while pooled
    }
  }
  EXPECT_EQ(server.accepted(), 20u);
}

// =============================================================================================
// Transfers by id through the public API
// =============================================================================================

// Thousands of handles added (held PENDING by MAX_TOTAL_CONNECTIONS 1) and removed in odd
// orders; fetch_multi_get_handles keeps add order throughout; re-added in another order, the
// new order; the survivors all complete.
TEST(FastPathBreakerIds, ThousandsAddedAndRemovedInOddOrders) {
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, "ok")));
  ASSERT_EQ(server.start(), 0);
  FETCHM *m = fetch_multi_init();
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(fetch_multi_setopt(m, FETCHMOPT_MAX_TOTAL_CONNECTIONS, 1L), FETCHM_OK);
  constexpr int kN = 3000;
  std::vector<EasyPtr> easies;
  for (int i = 0; i < kN; ++i) easies.push_back(http_easy(server.origin() + "/"));
  std::vector<FETCH *> order;
  for (auto &e : easies) order.push_back(e.get());
  std::mt19937 rng(4242);
  std::vector<FETCH *> added;
  for (int round = 0; round < 4; ++round) {
    std::shuffle(order.begin(), order.end(), rng);
    for (FETCH *h : order) ASSERT_EQ(fetch_multi_add_handle(m, h), FETCHM_OK);
    added = order;
    auto got = fetchtest::handles_in(m);
    ASSERT_TRUE(got.has_value());
    ASSERT_EQ(*got, added) << "round " << round;
    // Remove: every third from the back, then odd indexes forward, then the rest from the middle
    // out.
    std::vector<FETCH *> removal;
    std::vector<bool> gone(added.size());
    for (size_t i = added.size(); i-- > 0;)
      if (i % 3 == 2) removal.push_back(added[i]), gone[i] = true;
    for (size_t i = 0; i < added.size(); ++i)
      if (!gone[i] && i % 2 == 1) removal.push_back(added[i]), gone[i] = true;
    size_t mid = added.size() / 2;
    for (size_t d = 0; d <= mid + 1; ++d) {
      if (mid + d < added.size() && !gone[mid + d])
        removal.push_back(added[mid + d]), gone[mid + d] = true;
      if (d <= mid && !gone[mid - d]) removal.push_back(added[mid - d]), gone[mid - d] = true;
    }
    ASSERT_EQ(removal.size(), added.size());
    std::set<FETCH *> still(added.begin(), added.end());
    for (size_t k = 0; k < removal.size(); ++k) {
      ASSERT_EQ(fetch_multi_remove_handle(m, removal[k]), FETCHM_OK);
      still.erase(removal[k]);
      if (k % 250 == 0 || k + 1 == removal.size()) {
        auto now = fetchtest::handles_in(m);
        ASSERT_TRUE(now.has_value());
        std::vector<FETCH *> want;
        for (FETCH *h : added)
          if (still.count(h)) want.push_back(h);
        ASSERT_EQ(*now, want) << "round " << round << " after " << k;
      }
      // Every so often drive it: the one transfer with the slot makes progress.
      if (k % 500 == 0) {
        int running = 0;
        ASSERT_EQ(fetch_multi_perform(m, &running), FETCHM_OK);
        ASSERT_LE(running, static_cast<int>(still.size())) << "round " << round;
      }
    }
    std::map<FETCH *, FETCHcode> done;
    fetchtest::drain_done(m, done);
  }
  // The last round: 300 of them run to completion through the single slot.
  std::map<FETCH *, FETCHcode> done;
  for (int i = 0; i < 300; ++i) ASSERT_EQ(fetch_multi_add_handle(m, order[i]), FETCHM_OK);
  const Clock::time_point end = Clock::now() + milliseconds(20000);
  while (done.size() < 300 && Clock::now() < end) {
    int running = 0;
    ASSERT_EQ(fetch_multi_perform(m, &running), FETCHM_OK);
    fetchtest::drain_done(m, done);
    if (done.size() < 300) fetch_multi_poll(m, nullptr, 0, 50, nullptr);
  }
  ASSERT_EQ(done.size(), 300u);
  for (auto &[h, rc] : done) EXPECT_EQ(rc, FETCHE_OK);
  for (int i = 0; i < 300; ++i) ASSERT_EQ(fetch_multi_remove_handle(m, order[i]), FETCHM_OK);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
}

// The same easy handle added, driven a little and removed 1,500 times, beside a few handles
// that stay added: a fresh transfer id each time, the others unharmed, then a full run.
TEST_P(FastPathBreakerMulti, SameHandleReaddedManyTimes) {
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, "ok")));
  server.on("/slow", Script().delay(milliseconds(50)).send(http_response(200, {}, "ok")));
  ASSERT_EQ(server.start(), 0);
  std::vector<EasyPtr> stay;
  for (int i = 0; i < 5; ++i) {
    stay.push_back(http_easy(server.origin() + "/slow"));
    ASSERT_EQ(fetch_multi_add_handle(harness_.multi(), stay.back().get()), FETCHM_OK);
  }
  EasyPtr e = http_easy(server.origin() + "/");
  fetch_off_t last_id = -1;
  for (int i = 0; i < 1500; ++i) {
    ASSERT_EQ(fetch_multi_add_handle(harness_.multi(), e.get()), FETCHM_OK);
    fetch_off_t id = fetchtest::info_off(e.get(), FETCHINFO_XFER_ID);
    ASSERT_GT(id, last_id) << i;
    last_id = id;
    if (i % 100 == 0) harness_.turn();
    ASSERT_EQ(fetch_multi_remove_handle(harness_.multi(), e.get()), FETCHM_OK);
    ASSERT_EQ(fetch_multi_remove_handle(harness_.multi(), e.get()), FETCHM_OK);  // twice: no-op
  }
  auto h = fetchtest::handles_in(harness_.multi());
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->size(), 5u);
  std::vector<FETCH *> all{e.get()};
  for (auto &s : stay) {
    ASSERT_EQ(fetch_multi_remove_handle(harness_.multi(), s.get()), FETCHM_OK);
    all.push_back(s.get());
  }
  std::vector<FETCHcode> rc = harness_.run(all, milliseconds(15000));
  for (size_t i = 0; i < rc.size(); ++i) EXPECT_EQ(rc[i], FETCHE_OK) << i;
}

// Removal inside write callbacks: each transfer's first write removes another handle (some
// running, some done, some already removed, some itself). Nothing crashes, no handle is
// reported done after it was removed, and the multi ends empty.
struct Remover {
  FETCHM *multi = nullptr;
  FETCH *self = nullptr;
  FETCH *victim = nullptr;
  std::set<FETCH *> *removed = nullptr;
  bool fired = false;
};

size_t remove_other(char *, size_t size, size_t nmemb, void *userdata) {
  auto *r = static_cast<Remover *>(userdata);
  if (!r->fired) {
    r->fired = true;
    if (r->removed->count(r->self) == 0) {
      EXPECT_EQ(fetch_multi_remove_handle(r->multi, r->victim), FETCHM_OK);
      r->removed->insert(r->victim);
    }
  }
  return size * nmemb;
}

TEST_P(FastPathBreakerMulti, RemovalOfOtherHandlesInsideWriteCallbacks) {
  ASSERT_EQ(fetchtest::ensure_fd_limit(1024), "");
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, std::string(2000, 'x'))));
  ASSERT_EQ(server.start(), 0);
  constexpr int kN = 200;
  std::vector<EasyPtr> easies;
  std::vector<Remover> rem(kN);
  std::set<FETCH *> removed;
  for (int i = 0; i < kN; ++i) easies.push_back(http_easy(server.origin() + "/"));
  std::mt19937 rng(5);
  for (int i = 0; i < kN; ++i) {
    rem[i].multi = harness_.multi();
    rem[i].self = easies[i].get();
    rem[i].victim = easies[rng() % kN].get();  // may be itself, may repeat
    rem[i].removed = &removed;
    fetch_easy_setopt(easies[i].get(), FETCHOPT_WRITEFUNCTION, &remove_other);
    fetch_easy_setopt(easies[i].get(), FETCHOPT_WRITEDATA, &rem[i]);
    ASSERT_EQ(fetch_multi_add_handle(harness_.multi(), easies[i].get()), FETCHM_OK);
  }
  std::map<FETCH *, FETCHcode> done;
  const Clock::time_point end = Clock::now() + milliseconds(15000);
  for (int k = 0; k < 10000 && Clock::now() < end; ++k) {
    harness_.turn();
    std::map<FETCH *, FETCHcode> now;
    fetchtest::drain_done(harness_.multi(), now);
    for (auto &[h, rc] : now) {
      EXPECT_EQ(removed.count(h), 0u) << "DONE reported for a removed handle";
      done[h] = rc;
    }
    auto left = fetchtest::handles_in(harness_.multi());
    ASSERT_TRUE(left.has_value());
    size_t still_running = 0;
    for (FETCH *h : *left)
      if (done.count(h) == 0) ++still_running;
    if (still_running == 0) break;
  }
  auto left = fetchtest::handles_in(harness_.multi());
  ASSERT_TRUE(left.has_value());
  for (FETCH *h : *left) {
    EXPECT_EQ(removed.count(h), 0u);
    ASSERT_EQ(done.count(h), 1u) << "a handle neither done nor removed";
    EXPECT_EQ(done[h], FETCHE_OK);
    ASSERT_EQ(fetch_multi_remove_handle(harness_.multi(), h), FETCHM_OK);
  }
  EXPECT_EQ(left->size() + removed.size(), static_cast<size_t>(kN));
  // Every handle works again afterwards.
  std::vector<FETCH *> all;
  for (int i = 0; i < kN; i += 7) {
    fetch_easy_setopt(easies[i].get(), FETCHOPT_WRITEFUNCTION, &discard);
    all.push_back(easies[i].get());
  }
  std::vector<FETCHcode> rc = harness_.run(all, milliseconds(15000));
  for (size_t i = 0; i < rc.size(); ++i) EXPECT_EQ(rc[i], FETCHE_OK) << i;
}

// fetch_multi_remove_handle of a handle in every state: INIT (just added), PENDING (no slot),
// CONNECT (a connect that hangs), PROTOCOL (a stalled answer), DONE (message unread). Each is
// re-added and completes; the other transfers are unharmed.
TEST_P(FastPathBreakerMulti, RemoveHandleInEveryStateThenReadd) {
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, "ok")));
  server.on("/stall", Script().stall());
  ASSERT_EQ(server.start(), 0);
  HttpServer other;  // the origin of the handle that finishes
  other.on("/", Script().send(http_response(200, {}, "ok")));
  ASSERT_EQ(other.start(), 0);
  fetchtest::ListenerWithFullBacklog backlog;
  ASSERT_TRUE(backlog.ok());
  ASSERT_TRUE(backlog.fill());
  FETCHM *m = harness_.multi();
  ASSERT_EQ(fetch_multi_setopt(m, FETCHMOPT_MAX_HOST_CONNECTIONS, 1L), FETCHM_OK);
  EasyPtr stalled = http_easy(server.origin() + "/stall");
  EasyPtr pending = http_easy(server.origin() + "/");  // behind `stalled`: PENDING
  EasyPtr hanging = http_easy("http://127.0.0.1:" + std::to_string(backlog.port()) + "/");
  EasyPtr done_one = http_easy(other.origin() + "/");
  EasyPtr fresh = http_easy(server.origin() + "/");
  std::string done_body;
  fetch_easy_setopt(done_one.get(), FETCHOPT_WRITEFUNCTION, &append_body);
  fetch_easy_setopt(done_one.get(), FETCHOPT_WRITEDATA, &done_body);
  auto stall_requests = [&server] {
    size_t n = 0;
    for (const RecordedRequest &r : server.requests()) n += r.target == "/stall";
    return n;
  };
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(fetch_multi_add_handle(m, stalled.get()), FETCHM_OK);
    ASSERT_EQ(fetch_multi_add_handle(m, hanging.get()), FETCHM_OK);
    ASSERT_EQ(fetch_multi_add_handle(m, done_one.get()), FETCHM_OK);
    // Drive until `done_one` is done (its message stays unread) and `stalled` has its request
    // out.
    const Clock::time_point end = Clock::now() + milliseconds(5000);
    while (Clock::now() < end && (stall_requests() < static_cast<size_t>(round + 1) ||
                                  done_body.size() < 2u * (round + 1))) {
      harness_.turn();
    }
    ASSERT_EQ(done_body.size(), 2u * (round + 1)) << round;
    ASSERT_EQ(stall_requests(), static_cast<size_t>(round + 1)) << round;
    ASSERT_EQ(fetch_multi_add_handle(m, pending.get()), FETCHM_OK);
    for (int k = 0; k < 3; ++k) harness_.turn();
    ASSERT_EQ(fetch_multi_add_handle(m, fresh.get()), FETCHM_OK);  // INIT
    // Remove in a different order each round.
    std::vector<FETCH *> victims = {fresh.get(), pending.get(), hanging.get(), stalled.get(),
                                    done_one.get()};
    std::rotate(victims.begin(), victims.begin() + round % 5, victims.end());
    if (round % 2) std::reverse(victims.begin(), victims.end());
    for (FETCH *v : victims) ASSERT_EQ(fetch_multi_remove_handle(m, v), FETCHM_OK);
    auto left = fetchtest::handles_in(m);
    ASSERT_TRUE(left.has_value());
    ASSERT_TRUE(left->empty());
    std::map<FETCH *, FETCHcode> msgs;
    fetchtest::drain_done(m, msgs);
    EXPECT_TRUE(msgs.empty()) << "messages of removed handles stayed readable";
    harness_.turn();
  }
  // Every handle works again.
  for (FETCH *h : {pending.get(), fresh.get(), done_one.get()}) {
    ASSERT_EQ(run_alone(harness_, h), FETCHE_OK);
  }
}

// A TIMERFUNCTION that fails fails every transfer (fail_all) "oldest first": the DONE messages
// come in the order the handles were added, whatever order their ids had in the table.
int failing_timer_cb(FETCHM *, long, void *userp) { return *static_cast<bool *>(userp) ? -1 : 0; }
int ignore_socket_cb(FETCH *, fetch_socket_t, int, void *, void *) { return 0; }

TEST(FastPathBreakerIds, FailAllFailsTransfersInAddOrder) {
  HttpServer server;
  server.on("/stall", Script().stall());
  ASSERT_EQ(server.start(), 0);
  FETCHM *m = fetch_multi_init();
  ASSERT_NE(m, nullptr);
  bool fail_timer = false;
  fetch_multi_setopt(m, FETCHMOPT_TIMERFUNCTION, &failing_timer_cb);
  fetch_multi_setopt(m, FETCHMOPT_TIMERDATA, &fail_timer);
  fetch_multi_setopt(m, FETCHMOPT_SOCKETFUNCTION, &ignore_socket_cb);
  fetch_multi_setopt(m, FETCHMOPT_MAX_TOTAL_CONNECTIONS, 1L);
  std::vector<EasyPtr> easies;
  for (int i = 0; i < 200; ++i) easies.push_back(http_easy(server.origin() + "/stall"));
  std::vector<FETCH *> order;
  for (auto &e : easies) order.push_back(e.get());
  std::mt19937 rng(8);
  // Churn first, so that ids and table slots are anything but sequential.
  for (int round = 0; round < 3; ++round) {
    std::shuffle(order.begin(), order.end(), rng);
    for (FETCH *h : order) ASSERT_EQ(fetch_multi_add_handle(m, h), FETCHM_OK);
    for (size_t i = 0; i < order.size(); i += 2) {
      ASSERT_EQ(fetch_multi_remove_handle(m, order[i]), FETCHM_OK);
    }
    for (size_t i = 0; i < order.size(); i += 2) {
      ASSERT_EQ(fetch_multi_add_handle(m, order[i]), FETCHM_OK);
    }
    std::vector<FETCH *> want;
    for (size_t i = 1; i < order.size(); i += 2) want.push_back(order[i]);
    for (size_t i = 0; i < order.size(); i += 2) want.push_back(order[i]);
    auto got = fetchtest::handles_in(m);
    ASSERT_TRUE(got.has_value());
    ASSERT_EQ(*got, want);
    if (round < 2) {
      for (FETCH *h : order) ASSERT_EQ(fetch_multi_remove_handle(m, h), FETCHM_OK);
    } else {
      order = want;
    }
  }
  fail_timer = true;
  int running = 0;
  // A changed deadline reaches the failing timer callback.
  EasyPtr last = http_easy(server.origin() + "/stall");
  fetch_easy_setopt(last.get(), FETCHOPT_TIMEOUT_MS, 1234L);
  ASSERT_EQ(fetch_multi_add_handle(m, last.get()), FETCHM_OK);
  order.push_back(last.get());
  fetch_multi_socket_action(m, FETCH_SOCKET_TIMEOUT, 0, &running);
  std::vector<FETCH *> done;
  int left = 0;
  while (FETCHMsg *msg = fetch_multi_info_read(m, &left)) {
    if (msg->msg != FETCHMSG_DONE) continue;
    EXPECT_EQ(msg->data.result, FETCHE_ABORTED_BY_CALLBACK);
    done.push_back(msg->easy_handle);
  }
  EXPECT_EQ(done, order);
  fail_timer = false;
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
}

// =============================================================================================
// Redirects on recycled transfers: nothing of a previous transfer leaks into the next
// =============================================================================================

class FastPathBreakerRedirect : public ::testing::TestWithParam<Driver> {
 protected:
  FastPathBreakerRedirect() : harness_(GetParam()) {}
  void SetUp() override {
    ASSERT_TRUE(harness_.ok());
    ASSERT_EQ(a_.start(), 0);
    ASSERT_EQ(b_.start(), 0);
  }
  std::string A(const std::string &p) const { return a_.origin() + p; }
  std::string B(const std::string &p) const { return b_.origin() + p; }
  std::vector<RecordedRequest> reqs(const HttpServer &s, size_t n) {
    EXPECT_TRUE(s.wait_for_requests(n));
    return s.requests();
  }
  Harness harness_;
  HttpServer a_, b_;  // two origins: two ports on 127.0.0.1
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

INSTANTIATE_TEST_SUITE_P(Drivers, FastPathBreakerRedirect,
                         ::testing::ValuesIn(fetchtest::all_drivers()),
                         fetchtest::driver_param_name);

// A handle that followed A -> B with AUTOREFERER, then plain requests on the same handle
// (no redirect): no Referer, and FETCHINFO_REFERER empty; then a redirect again: Referer is
// the new previous URL, never the old one.
TEST_P(FastPathBreakerRedirect, RefererNeverLeaksIntoTheNextTransfer) {
  a_.on("/first", Script().send(redirect_response(302, B("/land"))));
  b_.on("/land", Script().send(http_response(200, {}, "ok")));
  b_.on("/plain", Script().send(http_response(200, {}, "ok")));
  b_.on("/second", Script().send(redirect_response(302, A("/end"))));
  a_.on("/end", Script().send(http_response(200, {}, "ok")));
  EasyPtr e = http_easy(A("/first?secret=1"), errbuf_);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, 1L), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_AUTOREFERER, 1L), FETCHE_OK);
  for (int round = 0; round < 5; ++round) {
    ASSERT_NO_FATAL_FAILURE(set_url(e.get(), A("/first?secret=" + std::to_string(round))));
    ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
    ASSERT_NO_FATAL_FAILURE(set_url(e.get(), B("/plain")));
    ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
    std::string ref = fetchtest::info_string(e.get(), FETCHINFO_REFERER);
    EXPECT_TRUE(ref == "(null)" || ref.empty()) << "REFERER after a plain request: " << ref;
    ASSERT_NO_FATAL_FAILURE(set_url(e.get(), B("/second")));
    ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
    EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_REFERER), B("/second"));
  }
  std::vector<RecordedRequest> bs = reqs(b_, 15);
  for (const RecordedRequest &r : bs) {
    if (r.target == "/plain") {
      EXPECT_FALSE(r.has_header("Referer")) << r.raw;
    } else if (r.target == "/land") {
      EXPECT_NE(r.header("Referer").find(A("/first?secret=")), std::string::npos) << r.raw;
    } else if (r.target == "/second") {
      EXPECT_FALSE(r.has_header("Referer")) << r.raw;
    }
  }
  for (const RecordedRequest &r : reqs(a_, 10)) {
    if (r.target == "/end") {
      EXPECT_EQ(r.header("Referer"), B("/second")) << r.raw;
    } else {
      EXPECT_FALSE(r.has_header("Referer")) << r.raw;
    }
  }
}

// Authorization across origins with transfers recycled between different easy handles: handle
// i starts at its own origin (alternating A and B) with its own token, goes to the other origin,
// then back. The other origin never sees a token; the first origin sees exactly handle i's.
// Handles run in parallel on multi drivers, so recycled transfers pass between them.
TEST_P(FastPathBreakerRedirect, AuthorizationFollowsEachHandlesOwnFirstOrigin) {
  constexpr int kN = 24;
  auto hop = [this](HttpServer &here, HttpServer &there, const char *tag) {
    here.on(std::string("/start-") + tag, [&there, tag](const RecordedRequest &r) {
      std::string q = r.target.substr(r.target.find('?'));
      return Script().send(redirect_response(302, there.origin() + "/mid-" + tag + q));
    });
    there.on(std::string("/mid-") + tag, [&here, tag](const RecordedRequest &r) {
      std::string q = r.target.substr(r.target.find('?'));
      return Script().send(redirect_response(307, here.origin() + "/end-" + tag + q));
    });
    here.on(std::string("/end-") + tag, Script().send(http_response(200, {}, "ok")));
  };
  hop(a_, b_, "a");
  hop(b_, a_, "b");
  std::vector<EasyPtr> easies;
  std::vector<fetchtest::SlistPtr> headers;
  std::vector<FETCH *> raw;
  for (int i = 0; i < kN; ++i) {
    bool from_a = i % 2 == 0;
    std::string url = (from_a ? A("/start-a") : B("/start-b")) + "?i=" + std::to_string(i);
    easies.push_back(http_easy(url));
    headers.push_back(fetchtest::make_slist(
        {"Authorization: Bearer tok-" + std::to_string(i), "X-Who: " + std::to_string(i)}));
    fetch_easy_setopt(easies.back().get(), FETCHOPT_HTTPHEADER, headers.back().get());
    fetch_easy_setopt(easies.back().get(), FETCHOPT_FOLLOWLOCATION, 1L);
    raw.push_back(easies.back().get());
  }
  for (int round = 0; round < 3; ++round) {
    std::vector<FETCHcode> rc = harness_.run(raw, milliseconds(15000));
    for (int i = 0; i < kN; ++i) {
      EXPECT_EQ(rc[i], FETCHE_OK) << i;
      harness_.remove(raw[i]);
    }
  }
  std::vector<RecordedRequest> all = reqs(a_, 3 * kN * 3 / 2);
  std::vector<RecordedRequest> more = reqs(b_, 3 * kN * 3 / 2);
  all.insert(all.end(), more.begin(), more.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(3 * kN * 3));
  for (const RecordedRequest &r : all) {
    std::string who = r.header("X-Who");
    ASSERT_FALSE(who.empty()) << r.raw;
    EXPECT_NE(r.target.find("?i=" + who), std::string::npos) << "X-Who mismatch:\n" << r.raw;
    if (r.target.rfind("/mid-", 0) == 0) {
      EXPECT_FALSE(r.has_header("Authorization")) << "credentials leaked cross-origin:\n" << r.raw;
    } else {
      EXPECT_EQ(r.header("Authorization"), "Bearer tok-" + who) << r.raw;
    }
  }
}

// One handle whose previous transfer began at A (A -> B -> A): now it begins at B, hops to B
// again (same origin), then to A. A must not get the token (the first origin is B now), even
// though the previous transfer's first origin was A and the recycled transfer is the same.
TEST_P(FastPathBreakerRedirect, PreviousTransfersFirstOriginIsForgotten) {
  a_.on("/a1", Script().send(redirect_response(302, B("/b1"))));
  b_.on("/b1", Script().send(redirect_response(302, A("/a2"))));
  a_.on("/a2", Script().send(http_response(200, {}, "ok")));
  b_.on("/b2", Script().send(redirect_response(302, "/b3")));
  b_.on("/b3", Script().send(redirect_response(302, A("/a3"))));
  a_.on("/a3", Script().send(http_response(200, {}, "ok")));
  fetchtest::SlistPtr headers = fetchtest::make_slist({"Authorization: Bearer s3cret"});
  EasyPtr e = http_easy(A("/a1"), errbuf_);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_HTTPHEADER, headers.get()), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, 1L), FETCHE_OK);
  for (int round = 0; round < 4; ++round) {
    ASSERT_NO_FATAL_FAILURE(set_url(e.get(), A("/a1")));
    ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
    ASSERT_NO_FATAL_FAILURE(set_url(e.get(), B("/b2")));
    ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
    // And a transfer that fails before any request (bad URL) in between: its hop state must
    // not stick either.
    ASSERT_NO_FATAL_FAILURE(set_url(e.get(), "http://[::1"));
    EXPECT_EQ(run_alone(harness_, e.get()), FETCHE_URL_MALFORMAT);
  }
  for (const RecordedRequest &r : reqs(a_, 12)) {
    if (r.target == "/a3") {
      EXPECT_FALSE(r.has_header("Authorization")) << "leaked to A:\n" << r.raw;
    } else {
      EXPECT_EQ(r.header("Authorization"), "Bearer s3cret") << r.raw;
    }
  }
  for (const RecordedRequest &r : reqs(b_, 12)) {
    if (r.target == "/b1") {
      EXPECT_FALSE(r.has_header("Authorization")) << r.raw;
    } else {
      EXPECT_EQ(r.header("Authorization"), "Bearer s3cret") << r.raw;
    }
  }
}

// A redirect whose target is malformed, then the same handle: the recycled in-flight URL of the
// failed hop must not be the base of a relative Location of the next transfer.
TEST_P(FastPathBreakerRedirect, RelativeLocationResolvesAgainstThisTransfersUrl) {
  a_.on("/x/start", Script().send(redirect_response(302, B("/y/deep/page"))));
  b_.on("/y/deep/page", Script().send(redirect_response(302, "http://[bad")));
  a_.on("/z/rel", Script().send(redirect_response(302, "sibling")));
  a_.on("/z/sibling", Script().send(http_response(200, {}, "ok")));
  EasyPtr e = http_easy(A("/x/start"), errbuf_);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, 1L), FETCHE_OK);
  for (int round = 0; round < 3; ++round) {
    ASSERT_NO_FATAL_FAILURE(set_url(e.get(), A("/x/start")));
    EXPECT_EQ(run_alone(harness_, e.get()), FETCHE_URL_MALFORMAT);
    ASSERT_NO_FATAL_FAILURE(set_url(e.get(), A("/z/rel")));
    ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
    EXPECT_EQ(fetchtest::info_string(e.get(), FETCHINFO_EFFECTIVE_URL), A("/z/sibling"));
    EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REDIRECT_COUNT), 1);
  }
}

// =============================================================================================
// Tracing switched on and off between transfers of a reused handle
// =============================================================================================

struct Trace {
  std::string text;
  size_t header_out = 0, header_in = 0, data_in = 0, calls = 0;
};

int trace_cb(FETCH *, fetch_infotype type, char *data, size_t size, void *userdata) {
  auto *t = static_cast<Trace *>(userdata);
  ++t->calls;
  if (type == FETCHINFO_TEXT) t->text.append(data, size);
  if (type == FETCHINFO_HEADER_OUT) ++t->header_out;
  if (type == FETCHINFO_HEADER_IN) ++t->header_in;
  if (type == FETCHINFO_DATA_IN) ++t->data_in;
  return 0;
}

TEST_P(FastPathBreakerDrivers, VerboseSwitchedBetweenTransfersOfAReusedHandle) {
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, "hello")));
  ASSERT_EQ(server.start(), 0);
  EasyPtr e = http_easy(server.origin() + "/", errbuf_);
  Trace t;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_DEBUGFUNCTION, &trace_cb), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_DEBUGDATA, &t), FETCHE_OK);
  for (int round = 0; round < 6; ++round) {
    const bool on = round % 2 == 1;
    t = Trace{};
    ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_VERBOSE, on ? 1L : 0L), FETCHE_OK);
    ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
    if (!on) {
      EXPECT_EQ(t.calls, 0u) << "round " << round << ":\n" << t.text;
      continue;
    }
    EXPECT_NE(t.text.find("pool: reusing connection"), std::string::npos) << t.text;
    EXPECT_NE(t.text.find("request GET /"), std::string::npos) << t.text;
    EXPECT_NE(t.text.find("added to multi"), std::string::npos) << t.text;
    EXPECT_NE(t.text.find("state "), std::string::npos) << t.text;
    EXPECT_NE(t.text.find("HTTP/1.1 to 127.0.0.1 port"), std::string::npos) << t.text;
    EXPECT_NE(t.text.find("kept for reuse"), std::string::npos) << t.text;
    EXPECT_NE(t.text.find("done: 0"), std::string::npos) << t.text;
    EXPECT_GE(t.header_out, 1u);
    EXPECT_GE(t.header_in, 2u);
    EXPECT_EQ(t.data_in, 1u);
  }
  EXPECT_EQ(server.accepted(), 1u);
  // VERBOSE without a DEBUGFUNCTION after rounds with one: the lines go to FETCHOPT_STDERR.
  FILE *f = tmpfile();
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_DEBUGFUNCTION, nullptr), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_STDERR, f), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_VERBOSE, 1L), FETCHE_OK);
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_VERBOSE, 0L), FETCHE_OK);
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  fflush(f);
  rewind(f);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  fclose(f);
  ASSERT_EQ(fetch_easy_setopt(e.get(), FETCHOPT_STDERR, stderr), FETCHE_OK);
  EXPECT_NE(out.find("> GET / HTTP/1.1"), std::string::npos) << out;
  EXPECT_NE(out.find("< HTTP/1.1 200"), std::string::npos) << out;
  EXPECT_NE(out.find("pool: reusing connection"), std::string::npos) << out;
  EXPECT_EQ(out.find("done: 0"), out.rfind("done: 0")) << "the non-verbose run wrote:\n" << out;
}

// Two handles in one multi, one verbose and one not, on the same connection in turn (recycled
// transfers pass between them): each sees only its own trace.
TEST_P(FastPathBreakerMulti, VerboseAndQuietHandlesShareRecycledTransfers) {
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, "hello")));
  ASSERT_EQ(server.start(), 0);
  EasyPtr loud = http_easy(server.origin() + "/");
  EasyPtr quiet = http_easy(server.origin() + "/");
  Trace tl, tq;
  fetch_easy_setopt(loud.get(), FETCHOPT_DEBUGFUNCTION, &trace_cb);
  fetch_easy_setopt(loud.get(), FETCHOPT_DEBUGDATA, &tl);
  fetch_easy_setopt(loud.get(), FETCHOPT_VERBOSE, 1L);
  fetch_easy_setopt(quiet.get(), FETCHOPT_DEBUGFUNCTION, &trace_cb);
  fetch_easy_setopt(quiet.get(), FETCHOPT_DEBUGDATA, &tq);
  for (int i = 0; i < 20; ++i) {
    FETCH *h = i % 2 ? loud.get() : quiet.get();
    ASSERT_EQ(run_alone(harness_, h), FETCHE_OK);
  }
  EXPECT_EQ(tq.calls, 0u) << tq.text;
  EXPECT_EQ(tl.data_in, 10u);
  size_t done_lines = 0;
  for (size_t at = tl.text.find("done: 0"); at != std::string::npos;
       at = tl.text.find("done: 0", at + 1))
    ++done_lines;
  EXPECT_EQ(done_lines, 10u) << tl.text;
  // Each verbose transfer's tags name its own transfer id.
  fetch_off_t id = fetchtest::info_off(loud.get(), FETCHINFO_XFER_ID);
  EXPECT_NE(tl.text.find("[" + std::to_string(id) + "/"), std::string::npos) << tl.text;
}

// VERBOSE switched on from inside the write callback mid-transfer: the rest of that transfer's
// trace (its "done" line) appears; switched off mid-transfer: nothing more.
struct Toggler {
  FETCH *easy = nullptr;
  long to = 1;
  bool done = false;
};
size_t toggle_verbose(char *, size_t size, size_t nmemb, void *userdata) {
  auto *t = static_cast<Toggler *>(userdata);
  if (!t->done) {
    t->done = true;
    fetch_easy_setopt(t->easy, FETCHOPT_VERBOSE, t->to);
  }
  return size * nmemb;
}

TEST_P(FastPathBreakerDrivers, VerboseToggledInsideATransfer) {
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, "hello")));
  ASSERT_EQ(server.start(), 0);
  EasyPtr e = http_easy(server.origin() + "/", errbuf_);
  Trace t;
  Toggler tog{e.get(), 1, false};
  fetch_easy_setopt(e.get(), FETCHOPT_DEBUGFUNCTION, &trace_cb);
  fetch_easy_setopt(e.get(), FETCHOPT_DEBUGDATA, &t);
  fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &toggle_verbose);
  fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &tog);
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(t.text.find("added to multi"), std::string::npos) << t.text;
  EXPECT_NE(t.text.find("done: 0"), std::string::npos) << t.text;
  // Now off from inside.
  t = Trace{};
  tog = Toggler{e.get(), 0, false};
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  EXPECT_NE(t.text.find("request GET"), std::string::npos) << t.text;
  EXPECT_EQ(t.text.find("done: 0"), std::string::npos) << t.text;
}

// =============================================================================================
// Timers: TIMEOUT and CONNECTTIMEOUT fire on time, also after many requests, whatever order
// the deadlines were armed in
// =============================================================================================

// Many quick requests first (hundreds of deadlines armed in order, the run compacted many
// times), then TIMEOUTs armed out of order (2000, 300, 1000 ms: the 300 goes to the heap):
// the 300 ms one ends first, near 300 ms, and fetch_multi_timeout announced no more than 300.
TEST_P(FastPathBreakerMulti, TimeoutsArmedOutOfOrderAfterManyRequests) {
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, "ok")));
  server.on("/stall", Script().stall());
  ASSERT_EQ(server.start(), 0);
  FETCHM *m = harness_.multi();
  EasyPtr quick = http_easy(server.origin() + "/");
  fetch_easy_setopt(quick.get(), FETCHOPT_TIMEOUT_MS, 60000L);
  for (int i = 0; i < 300; ++i) ASSERT_EQ(run_alone(harness_, quick.get()), FETCHE_OK) << i;
  for (int round = 0; round < 2; ++round) {
    EasyPtr slow = http_easy(server.origin() + "/stall");
    EasyPtr fast = http_easy(server.origin() + "/stall");
    EasyPtr mid = http_easy(server.origin() + "/stall");
    fetch_easy_setopt(slow.get(), FETCHOPT_TIMEOUT_MS, 2500L);
    fetch_easy_setopt(fast.get(), FETCHOPT_TIMEOUT_MS, 300L);
    fetch_easy_setopt(mid.get(), FETCHOPT_TIMEOUT_MS, 1200L);
    const Clock::time_point start = Clock::now();
    ASSERT_EQ(fetch_multi_add_handle(m, slow.get()), FETCHM_OK);
    ASSERT_EQ(fetch_multi_add_handle(m, fast.get()), FETCHM_OK);
    ASSERT_EQ(fetch_multi_add_handle(m, mid.get()), FETCHM_OK);
    long t = -1;
    ASSERT_EQ(fetch_multi_timeout(m, &t), FETCHM_OK);
    EXPECT_GE(t, 0);
    EXPECT_LE(t, 300);
    std::map<FETCH *, FETCHcode> done;
    std::vector<FETCH *> order;
    std::map<FETCH *, long> at_ms;
    while (done.size() < 3 && fetchtest::ms_since(start) < 8000) {
      harness_.turn();
      std::map<FETCH *, FETCHcode> now;
      fetchtest::drain_done(m, now);
      for (auto &[h, rc] : now) {
        done[h] = rc;
        order.push_back(h);
        at_ms[h] = fetchtest::ms_since(start);
      }
    }
    ASSERT_EQ(done.size(), 3u);
    for (auto &[h, rc] : done) EXPECT_EQ(rc, FETCHE_OPERATION_TIMEDOUT);
    EXPECT_EQ(order, (std::vector<FETCH *>{fast.get(), mid.get(), slow.get()}));
    EXPECT_GE(at_ms[fast.get()], 290);
    EXPECT_LT(at_ms[fast.get()], 1100);
    EXPECT_GE(at_ms[mid.get()], 1190);
    EXPECT_GE(at_ms[slow.get()], 2490);
    EXPECT_LT(at_ms[slow.get()], 6000);
    for (FETCH *h : {slow.get(), fast.get(), mid.get()}) harness_.remove(h);
  }
}

// socket_action with a TIMERFUNCTION that is the only way time reaches libfetch: a loop that
// calls fetch_multi_socket_action(TIMEOUT) only when the last announced timer expires. If a
// changed deadline were not announced, the transfer would hang. Many quick transfers first,
// then a stalled one with TIMEOUT and a hanging connect with CONNECTTIMEOUT.
struct AppTimer {
  long ms = -1;
  Clock::time_point set_at;
  int calls = 0;
};
int app_timer_cb(FETCHM *, long ms, void *userp) {
  auto *t = static_cast<AppTimer *>(userp);
  t->ms = ms;
  t->set_at = Clock::now();
  ++t->calls;
  return 0;
}
struct AppSockets {
  std::map<fetch_socket_t, int> what;
};
int app_socket_cb(FETCH *, fetch_socket_t s, int what, void *userp, void *) {
  auto *a = static_cast<AppSockets *>(userp);
  if (what == FETCH_POLL_REMOVE)
    a->what.erase(s);
  else
    a->what[s] = what;
  return 0;
}

class FastPathBreakerAppTimer : public ::testing::Test {
 protected:
  void SetUp() override {
    m_ = fetch_multi_init();
    ASSERT_NE(m_, nullptr);
    fetch_multi_setopt(m_, FETCHMOPT_TIMERFUNCTION, &app_timer_cb);
    fetch_multi_setopt(m_, FETCHMOPT_TIMERDATA, &timer_);
    fetch_multi_setopt(m_, FETCHMOPT_SOCKETFUNCTION, &app_socket_cb);
    fetch_multi_setopt(m_, FETCHMOPT_SOCKETDATA, &socks_);
  }
  void TearDown() override {
    if (m_ != nullptr) {
      EXPECT_EQ(fetch_multi_cleanup(m_), FETCHM_OK);
    }
  }
  long timer_left_ms() const {
    return timer_.ms -
           static_cast<long>(
               std::chrono::duration_cast<milliseconds>(Clock::now() - timer_.set_at).count());
  }
  // One turn: poll the announced sockets (at most 50 ms, less when the announced timer expires
  // sooner) and hand readiness to libfetch; the timer only when the announced one expired.
  void turn() {
    std::vector<pollfd> p;
    for (auto &[fd, what] : socks_.what) {
      short ev = 0;
      if (what & FETCH_POLL_IN) ev |= POLLIN;
      if (what & FETCH_POLL_OUT) ev |= POLLOUT;
      p.push_back({fd, ev, 0});
    }
    int wait = 50;
    if (timer_.ms >= 0) wait = static_cast<int>(std::max(0L, std::min<long>(timer_left_ms(), 50)));
    poll(p.data(), p.size(), wait);
    int running = 0;
    for (const pollfd &x : p) {
      if (x.revents == 0) continue;
      int ev = 0;
      if (x.revents & (POLLIN | POLLHUP)) ev |= FETCH_CSELECT_IN;
      if (x.revents & POLLOUT) ev |= FETCH_CSELECT_OUT;
      if (x.revents & POLLERR) ev |= FETCH_CSELECT_ERR;
      EXPECT_EQ(fetch_multi_socket_action(m_, x.fd, ev, &running), FETCHM_OK);
    }
    if (timer_.ms >= 0 && timer_left_ms() <= 0) {
      timer_.ms = -1;  // one-shot
      EXPECT_EQ(fetch_multi_socket_action(m_, FETCH_SOCKET_TIMEOUT, 0, &running), FETCHM_OK);
    }
  }
  // Adds `h` and turns until it is done or `limit` passes; removes it again.
  FETCHcode run(FETCH *h, milliseconds limit, long *elapsed_ms) {
    const Clock::time_point start = Clock::now();
    EXPECT_EQ(fetch_multi_add_handle(m_, h), FETCHM_OK);
    FETCHcode result = fetchtest::kNotFinished;
    while (fetchtest::ms_since(start) < limit.count() && result == fetchtest::kNotFinished) {
      turn();
      int left = 0;
      while (FETCHMsg *msg = fetch_multi_info_read(m_, &left)) {
        if (msg->msg == FETCHMSG_DONE && msg->easy_handle == h) result = msg->data.result;
      }
    }
    *elapsed_ms = fetchtest::ms_since(start);
    EXPECT_EQ(fetch_multi_remove_handle(m_, h), FETCHM_OK);
    return result;
  }
  FETCHM *m_ = nullptr;
  AppTimer timer_;
  AppSockets socks_;
};

TEST_F(FastPathBreakerAppTimer, TimeoutAndConnectTimeoutFireAfterManyRequests) {
  HttpServer server;
  server.on("/", Script().send(http_response(200, {}, "ok")));
  server.on("/stall", Script().stall());
  ASSERT_EQ(server.start(), 0);
  fetchtest::ListenerWithFullBacklog backlog;
  ASSERT_TRUE(backlog.ok());
  ASSERT_TRUE(backlog.fill());
  EasyPtr quick = http_easy(server.origin() + "/");
  long ms = 0;
  for (int i = 0; i < 300; ++i) {
    // Alternate TIMEOUTs so that the total-timeout deadlines go to both the run and the heap.
    fetch_easy_setopt(quick.get(), FETCHOPT_TIMEOUT_MS, i % 2 ? 60000L : 30000L);
    ASSERT_EQ(run(quick.get(), milliseconds(5000), &ms), FETCHE_OK) << i;
  }
  for (int round = 0; round < 3; ++round) {
    EasyPtr stall = http_easy(server.origin() + "/stall");
    fetch_easy_setopt(stall.get(), FETCHOPT_TIMEOUT_MS, 400L);
    EXPECT_EQ(run(stall.get(), milliseconds(8000), &ms), FETCHE_OPERATION_TIMEDOUT);
    EXPECT_GE(ms, 390);
    EXPECT_LT(ms, 4000);
    EasyPtr hang = http_easy("http://127.0.0.1:" + std::to_string(backlog.port()) + "/");
    fetch_easy_setopt(hang.get(), FETCHOPT_CONNECTTIMEOUT_MS, 400L);
    EXPECT_EQ(run(hang.get(), milliseconds(8000), &ms), FETCHE_OPERATION_TIMEDOUT);
    EXPECT_GE(ms, 390);
    EXPECT_LT(ms, 4000);
    // And a quick one in between: the timers above are all stale now.
    ASSERT_EQ(run(quick.get(), milliseconds(5000), &ms), FETCHE_OK);
  }
}

// A shorter TIMEOUT added while a longer one is pending must be announced to the TIMERFUNCTION
// (a changed deadline) and fire on time; then the longer one still fires.
TEST_F(FastPathBreakerAppTimer, ShorterDeadlineAddedLaterIsAnnounced) {
  HttpServer server;
  server.on("/stall", Script().stall());
  ASSERT_EQ(server.start(), 0);
  EasyPtr longer = http_easy(server.origin() + "/stall");
  fetch_easy_setopt(longer.get(), FETCHOPT_TIMEOUT_MS, 2500L);
  const Clock::time_point start = Clock::now();
  ASSERT_EQ(fetch_multi_add_handle(m_, longer.get()), FETCHM_OK);
  for (int k = 0; k < 200 && server.requests().empty(); ++k) turn();
  ASSERT_TRUE(server.wait_for_requests(1));
  EasyPtr shorter = http_easy(server.origin() + "/stall");
  fetch_easy_setopt(shorter.get(), FETCHOPT_TIMEOUT_MS, 300L);
  long ms = 0;
  EXPECT_EQ(run(shorter.get(), milliseconds(6000), &ms), FETCHE_OPERATION_TIMEDOUT);
  EXPECT_GE(ms, 290);
  EXPECT_LT(ms, 2000);
  FETCHcode longer_rc = fetchtest::kNotFinished;
  while (fetchtest::ms_since(start) < 8000 && longer_rc == fetchtest::kNotFinished) {
    turn();
    int left = 0;
    while (FETCHMsg *msg = fetch_multi_info_read(m_, &left)) {
      if (msg->msg == FETCHMSG_DONE && msg->easy_handle == longer.get())
        longer_rc = msg->data.result;
    }
  }
  EXPECT_EQ(longer_rc, FETCHE_OPERATION_TIMEDOUT);
  EXPECT_GE(fetchtest::ms_since(start), 2490);
  EXPECT_EQ(fetch_multi_remove_handle(m_, longer.get()), FETCHM_OK);
}

// =============================================================================================
// iequals through the public API: names as long as the known ones, but different
// =============================================================================================

TEST_P(FastPathBreakerDrivers, HeaderNamesOfTheSameLengthAreNotTheKnownOnes) {
  HttpServer server;
  // "Content-Lengtx" (the length of Content-Length): not a length; the body ends at the close.
  server.on("/cl", Script().send_then_close("HTTP/1.1 200 OK\r\nContent-Lengtx: 2\r\n\r\nabcdef"));
  // Upper case is a length: 3 bytes.
  server.on("/CL", Script().send("HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 3\r\n\r\nabc"));
  // "Locatiom": no redirect to follow.
  server.on("/loc",
            Script().send("HTTP/1.1 302 Found\r\nLocatiom: /CL\r\nContent-Length: 0\r\n\r\n"));
  // "Connectiom: close": the connection is kept.
  server.on("/conn",
            Script().send("HTTP/1.1 200 OK\r\nConnectiom: close\r\nContent-Length: 1\r\n\r\nz"));
  // "Transfer-Encodinh: chunked" (same length): not chunked, Content-Length rules.
  server.on("/te", Script().send(
                       "HTTP/1.1 200 OK\r\nTransfer-Encodinh: chunked\r\nContent-Length: 4\r\n\r\n"
                       "3\r\na"));
  ASSERT_EQ(server.start(), 0);
  EasyPtr e = http_easy(server.origin() + "/cl", errbuf_);
  std::string body;
  fetch_easy_setopt(e.get(), FETCHOPT_WRITEFUNCTION, &append_body);
  fetch_easy_setopt(e.get(), FETCHOPT_WRITEDATA, &body);
  fetch_easy_setopt(e.get(), FETCHOPT_FOLLOWLOCATION, 1L);
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "abcdef");
  body.clear();
  set_url(e.get(), server.origin() + "/CL");
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "abc");
  body.clear();
  set_url(e.get(), server.origin() + "/loc");
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_RESPONSE_CODE), 302);
  EXPECT_EQ(fetchtest::info_long(e.get(), FETCHINFO_REDIRECT_COUNT), 0);
  body.clear();
  set_url(e.get(), server.origin() + "/te");
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(body, "3\r\na");
  const size_t before = server.accepted();
  set_url(e.get(), server.origin() + "/conn");
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  ASSERT_EQ(run_alone(harness_, e.get()), FETCHE_OK) << errbuf_;
  EXPECT_EQ(server.accepted(), before) << "the /te connection and then /conn's are reused";
}

}  // namespace
