// runtime/connection_pool.*: which idle connection each take returns (the newest of an origin,
// the oldest overall, the one of an fd), checked against a plain reference list through a long
// random sequence; and that a pool of thousands of connections to one origin empties in linear
// time (the O(n) search per take_oldest it replaced made cleanup quadratic).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <list>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "runtime/connection_pool.h"
#include "runtime/pool_model.h"

namespace {

using fetch::Connection;
using fetch::ConnectionPool;

using fetchtest::fd_of;
using fetchtest::PoolModel;

std::unique_ptr<Connection> make_conn(int fd, const std::string &origin) {
  return fetchtest::idle_connection(fd, origin);
}

// Any fd in the model, or one that is not in it when it is empty.
int any_fd(const PoolModel &ref, std::mt19937 &rng) {
  if (ref.all.empty()) return 100000;
  std::uniform_int_distribution<size_t> pick(0, ref.all.size() - 1);
  return std::next(ref.all.begin(), static_cast<long>(pick(rng)))->fd;
}

TEST(ConnectionPool, EmptyPoolTakesNothing) {
  ConnectionPool pool;
  EXPECT_EQ(pool.take("http://a:80"), nullptr);
  EXPECT_EQ(pool.take_oldest(), nullptr);
  EXPECT_EQ(pool.take_fd(3), nullptr);
  EXPECT_EQ(pool.size(), 0u);
}

TEST(ConnectionPool, NewestOfOriginOldestOverall) {
  ConnectionPool pool;
  pool.put(make_conn(10, "a"), 1);
  pool.put(make_conn(11, "b"), 2);
  pool.put(make_conn(12, "a"), 3);
  pool.put(make_conn(13, "b"), 4);
  EXPECT_EQ(fd_of(pool.take("a")), 12);  // the newest of a
  EXPECT_EQ(fd_of(pool.take_oldest()), 10);
  EXPECT_EQ(fd_of(pool.take("a")), -1);
  EXPECT_TRUE(pool.holds_fd(11));
  EXPECT_EQ(fd_of(pool.take_fd(11)), 11);
  EXPECT_FALSE(pool.holds_fd(11));
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(fd_of(pool.take("b")), 13);
  EXPECT_EQ(pool.size(), 0u);
  // Slots freed above are used again, and the lists start over correctly.
  pool.put(make_conn(14, "b"), 5);
  pool.put(make_conn(15, "a"), 6);
  std::vector<int> order;
  pool.for_each_fd([&](int fd) { order.push_back(fd); });
  EXPECT_EQ(order, (std::vector<int>{14, 15}));
  EXPECT_EQ(fd_of(pool.take_oldest()), 14);
  EXPECT_EQ(fd_of(pool.take_oldest()), 15);
}

TEST(ConnectionPool, MatchesReferenceThroughRandomOperations) {
  std::mt19937 rng(12345);
  const std::vector<std::string> origins = {"http://a:80", "http://b:80", "https://a:443",
                                            "http://c:8080"};
  ConnectionPool pool;
  PoolModel ref;
  int next_fd = 3;
  for (int step = 0; step < 20000; ++step) {
    const std::string &origin = origins[rng() % origins.size()];
    switch (rng() % 5) {
      case 0:
      case 1:
        if (ref.all.size() < 300) {
          pool.put(make_conn(next_fd, origin), step);
          ref.all.push_back({next_fd, origin});
          ++next_fd;
        }
        break;
      case 2:
        ASSERT_EQ(fd_of(pool.take(origin)), ref.take(origin)) << "step " << step;
        break;
      case 3:
        ASSERT_EQ(fd_of(pool.take_oldest()), ref.take_oldest()) << "step " << step;
        break;
      case 4: {
        int fd = any_fd(ref, rng);
        ASSERT_EQ(fd_of(pool.take_fd(fd)), ref.take_fd(fd)) << "step " << step;
        break;
      }
    }
    ASSERT_EQ(pool.size(), ref.all.size());
    if (step % 1000 == 0) {
      std::vector<int> order;
      pool.for_each_fd([&](int fd) { order.push_back(fd); });
      ASSERT_EQ(order, ref.fds()) << "step " << step;
    }
  }
}

// Thousands idle to one origin (a load test's cleanup, or eviction past MAXCONNECTS), emptied
// from both ends. The order is checked here; that each take costs the same at any size is
// bench/micro's BM_PoolTakeOldest (a flat line from 10 to 100,000 idle connections).
TEST(ConnectionPool, ThousandsToOneOriginEmptyOldestFirst) {
  ConnectionPool pool;
  constexpr int kCount = 5000;
  for (int i = 0; i < kCount; ++i) pool.put(make_conn(3 + i, "http://127.0.0.1:80"), i);
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(fd_of(pool.take_oldest()), 3 + i);
  EXPECT_EQ(pool.size(), 0u);
  for (int i = 0; i < kCount; ++i) pool.put(make_conn(3 + i, "http://127.0.0.1:80"), i);
  for (int i = kCount - 1; i >= 0; --i) ASSERT_EQ(fd_of(pool.take("http://127.0.0.1:80")), 3 + i);
}

}  // namespace
