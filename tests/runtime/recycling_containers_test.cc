// runtime/fifo.h, runtime/node_cache.h and runtime/id_table.h: the containers that let the
// scheduler's queues and tables come and go without allocating. Order and contents first; then
// that a warm container reuses its memory (same buffer, same nodes).
#include <gtest/gtest.h>

#include <map>
#include <random>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/fifo.h"
#include "runtime/id_table.h"
#include "runtime/node_cache.h"

namespace {

using fetch::Fifo;
using fetch::IdTable;
using fetch::NodeCache;

std::vector<int> drain(Fifo<int> &q) {
  std::vector<int> out;
  while (!q.empty()) {
    out.push_back(q.front());
    q.pop_front();
  }
  return out;
}

// erase_if drops matching items, popped or not, and keeps the others in order (the deadline
// run's compaction).
TEST(Fifo, EraseIfKeepsTheRestInOrder) {
  Fifo<int> q;
  for (int i = 0; i < 10; ++i) q.push_back(i);
  q.pop_front();
  q.pop_front();
  q.erase_if([](int v) { return v % 3 == 0; });
  EXPECT_EQ(drain(q), (std::vector<int>{2, 4, 5, 7, 8}));
  q.push_back(11);
  EXPECT_EQ(q.back(), 11);
}

TEST(Fifo, FirstInFirstOutAcrossCompaction) {
  Fifo<int> q;
  EXPECT_TRUE(q.empty());
  for (int i = 0; i < 1000; ++i) q.push_back(i);
  for (int i = 0; i < 700; ++i) {  // past the compaction point, with items left behind
    ASSERT_EQ(q.front(), i);
    q.pop_front();
  }
  EXPECT_EQ(q.size(), 300u);
  for (int i = 1000; i < 1100; ++i) q.push_back(i);
  std::vector<int> seen(q.begin(), q.end());
  ASSERT_EQ(seen.size(), 400u);
  EXPECT_EQ(seen.front(), 700);
  EXPECT_EQ(seen.back(), 1099);
  std::vector<int> out = drain(q);
  ASSERT_EQ(out.size(), 400u);
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], static_cast<int>(700 + i));
}

TEST(Fifo, RefillingAfterEmptyReusesTheBuffer) {
  Fifo<int> q;
  q.push_back(1);
  const int *first = &q.front();
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < 10; ++i) q.push_back(i);
    drain(q);
    q.push_back(round);
    EXPECT_EQ(&q.front(), first) << "round " << round;  // the same storage, not a new block
    q.pop_front();
  }
}

TEST(Fifo, MoveOnlyItems) {
  Fifo<std::unique_ptr<int>> q;
  q.push_back(std::make_unique<int>(7));
  q.push_back(std::make_unique<int>(8));
  EXPECT_EQ(*q.front(), 7);
  q.pop_front();
  EXPECT_EQ(*q.front(), 8);
  q.clear();
  EXPECT_TRUE(q.empty());
}

using Table = std::unordered_map<int, std::string>;

TEST(NodeCache, AtInsertsValueInitializedAndFindsExisting) {
  Table t;
  NodeCache<Table> cache(8);
  EXPECT_EQ(cache.at(t, 3), "");
  cache.at(t, 3) = "three";
  EXPECT_EQ(cache.at(t, 3), "three");
  cache.insert(t, 4, std::string("four"));
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.at(4), "four");
}

TEST(NodeCache, TakenNodesServeTheNextKeysWithFreshValues) {
  Table t;
  NodeCache<Table> cache(8);
  cache.insert(t, 1, std::string("one"));
  const std::string *slot = &t.at(1);
  EXPECT_EQ(cache.take(t, t.find(1)), "one");
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(cache.spare(), 1u);
  std::string &again = cache.at(t, 2);  // a new key in the kept node
  EXPECT_EQ(&again, slot);
  EXPECT_EQ(again, "");  // not the old value
  EXPECT_EQ(cache.spare(), 0u);
  EXPECT_EQ(t.count(1), 0u);
  EXPECT_EQ(t.count(2), 1u);
}

TEST(NodeCache, KeepsAtMostItsLimit) {
  Table t;
  NodeCache<Table> cache(2);
  for (int i = 0; i < 5; ++i) cache.insert(t, i, std::to_string(i));
  for (int i = 0; i < 5; ++i) cache.take(t, t.find(i));
  EXPECT_EQ(cache.spare(), 2u);
  EXPECT_TRUE(t.empty());
}

TEST(NodeCache, StringKeysAreReassigned) {
  std::unordered_map<std::string, size_t> counts;
  NodeCache<std::unordered_map<std::string, size_t>> cache(4);
  ++cache.at(counts, std::string("http://a:80"));
  cache.take(counts, counts.find("http://a:80"));
  ++cache.at(counts, std::string("http://b:80"));
  EXPECT_EQ(counts.count("http://a:80"), 0u);
  EXPECT_EQ(counts.at("http://b:80"), 1u);
}

// Ids in sequence with some kept for long (a transfer that runs while thousands come and go),
// so probe runs wrap around the table and removals shift entries back: checked against a
// std::map after every step.
TEST(IdTable, MatchesAMapThroughSequentialIdsAndRemovals) {
  IdTable<int> table;
  std::map<uint64_t, int> ref;
  std::mt19937 rng(7);
  uint64_t next = 1;
  for (int step = 0; step < 50000; ++step) {
    if (ref.size() < 200 && (rng() % 3 != 0 || ref.empty())) {
      table.insert(next, std::make_unique<int>(static_cast<int>(next)));
      ref[next] = static_cast<int>(next);
      ++next;
    } else {
      // Mostly the oldest few (transfers finish roughly in order), sometimes any, sometimes
      // an id that is not there.
      auto it = ref.begin();
      if (rng() % 4 == 0) std::advance(it, static_cast<long>(rng() % ref.size()));
      uint64_t id = rng() % 10 == 0 ? next + 1000 : it->first;
      std::unique_ptr<int> got = table.take(id);
      if (ref.count(id) == 0) {
        ASSERT_EQ(got, nullptr);
      } else {
        ASSERT_NE(got, nullptr);
        ASSERT_EQ(*got, ref[id]);
        ref.erase(id);
      }
    }
    ASSERT_EQ(table.size(), ref.size());
    if (step % 97 == 0) {
      for (const auto &[id, v] : ref) {
        ASSERT_NE(table.find(id), nullptr) << "id " << id << " step " << step;
        ASSERT_EQ(*table.find(id), v);
      }
      ASSERT_EQ(table.find(next), nullptr);
      size_t seen = 0;
      table.for_each([&](uint64_t id, const int &v) {
        ++seen;
        EXPECT_EQ(ref.at(id), v);
      });
      ASSERT_EQ(seen, ref.size());
    }
  }
}

TEST(IdTable, EmptyTableFindsNothing) {
  IdTable<int> table;
  EXPECT_EQ(table.find(1), nullptr);
  EXPECT_EQ(table.take(1), nullptr);
  EXPECT_EQ(table.any(), nullptr);
  table.insert(5, std::make_unique<int>(5));
  EXPECT_EQ(*table.any(), 5);
  EXPECT_EQ(*table.take(5), 5);
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.any(), nullptr);
}

// Ids that share a home slot, and a probe run that wraps past the table's end: removing the
// first must leave the others reachable (the backward shift moves them up, never past their
// home). Colliding ids are found with the table's own hash.
TEST(IdTable, CollidingIdsStayReachableAfterRemoval) {
  constexpr int kShift = 60;  // the first table: 16 slots
  static_assert(IdTable<int>::kInitialCapacity == 16);
  const size_t last = IdTable<int>::kInitialCapacity - 1;
  std::vector<uint64_t> at_last;  // ids whose home is the last slot: their run wraps
  uint64_t before_last = 0;       // an id whose home is the slot before
  for (uint64_t id = 1; at_last.size() < 3 || before_last == 0; ++id) {
    size_t h = IdTable<int>::home_slot(id, kShift);
    if (h == last && at_last.size() < 3) at_last.push_back(id);
    if (h == last - 1 && before_last == 0) before_last = id;
  }
  IdTable<int> table;
  table.insert(before_last, std::make_unique<int>(0));                           // slot 14
  for (uint64_t id : at_last) table.insert(id, std::make_unique<int>(int(id)));  // 15, 0, 1
  ASSERT_EQ(*table.take(at_last[0]), int(at_last[0]));
  for (size_t k = 1; k < at_last.size(); ++k) ASSERT_NE(table.find(at_last[k]), nullptr);
  ASSERT_NE(table.find(before_last), nullptr);
  ASSERT_EQ(*table.take(before_last), 0);
  ASSERT_EQ(*table.take(at_last[1]), int(at_last[1]));
  ASSERT_NE(table.find(at_last[2]), nullptr);
  EXPECT_EQ(table.size(), 1u);
}

// Thousands of sequential ids live at once, removed oldest first while new ones come: the
// load test's pattern (each removal used to walk the whole run of live ids).
TEST(IdTable, ThousandsOfSequentialIds) {
  IdTable<int> table;
  uint64_t next = 1;
  for (; next <= 5000; ++next) table.insert(next, std::make_unique<int>(int(next)));
  for (uint64_t oldest = 1; oldest <= 20000; ++oldest, ++next) {
    std::unique_ptr<int> v = table.take(oldest);
    ASSERT_NE(v, nullptr) << oldest;
    ASSERT_EQ(*v, int(oldest));
    table.insert(next, std::make_unique<int>(int(next)));
  }
  EXPECT_EQ(table.size(), 5000u);
  for (uint64_t id = 20001; id < next; ++id) ASSERT_NE(table.find(id), nullptr) << id;
}

}  // namespace
