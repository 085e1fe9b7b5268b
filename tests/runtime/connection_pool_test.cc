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

namespace {

using fetch::Connection;
using fetch::ConnectionPool;
using fetch::SocketCloser;

// fds are made up: the closer leaves them alone.
std::unique_ptr<Connection> make_conn(int fd, const std::string &origin) {
  SocketCloser closer;
  closer.callback = [](void *, fetch_socket_t) -> int { return 0; };
  auto c = std::make_unique<Connection>(static_cast<uint64_t>(fd), fd, closer);
  c->origin_key = origin;
  return c;
}

struct Entry {
  int fd;
  std::string origin;
};

// The reference: a list oldest first.
class Reference {
 public:
  void put(int fd, const std::string &origin) { all_.push_back({fd, origin}); }
  int take(const std::string &origin) {
    for (auto it = all_.rbegin(); it != all_.rend(); ++it) {
      if (it->origin != origin) continue;
      int fd = it->fd;
      all_.erase(std::next(it).base());
      return fd;
    }
    return -1;
  }
  int take_oldest() {
    if (all_.empty()) return -1;
    int fd = all_.front().fd;
    all_.pop_front();
    return fd;
  }
  int take_fd(int fd) {
    auto it = std::find_if(all_.begin(), all_.end(), [fd](const Entry &e) { return e.fd == fd; });
    if (it == all_.end()) return -1;
    all_.erase(it);
    return fd;
  }
  std::vector<int> fds() const {
    std::vector<int> out;
    for (const Entry &e : all_) out.push_back(e.fd);
    return out;
  }
  size_t size() const { return all_.size(); }
  int any_fd(std::mt19937 &rng) const {
    if (all_.empty()) return 100000;  // not in the pool
    std::uniform_int_distribution<size_t> pick(0, all_.size() - 1);
    return std::next(all_.begin(), static_cast<long>(pick(rng)))->fd;
  }

 private:
  std::list<Entry> all_;
};

int fd_of(const std::unique_ptr<Connection> &c) { return c ? c->fd() : -1; }

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
  Reference ref;
  int next_fd = 3;
  for (int step = 0; step < 20000; ++step) {
    const std::string &origin = origins[rng() % origins.size()];
    switch (rng() % 5) {
      case 0:
      case 1:
        if (ref.size() < 300) {
          pool.put(make_conn(next_fd, origin), step);
          ref.put(next_fd, origin);
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
        int fd = ref.any_fd(rng);
        ASSERT_EQ(fd_of(pool.take_fd(fd)), ref.take_fd(fd)) << "step " << step;
        break;
      }
    }
    ASSERT_EQ(pool.size(), ref.size());
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
