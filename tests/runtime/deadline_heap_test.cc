// runtime/deadline_heap.h: deadlines come out earliest first (equal times in the order they
// were armed) whichever of its two stores holds them: the sorted run for deadlines armed in
// time order, the heap for the others. Checked against a sorted reference through random
// pushes, pops, stale drops and compactions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "runtime/deadline_heap.h"

namespace {

using fetch::Deadline;
using fetch::DeadlineHeap;
using fetch::DeadlineKind;

// (when, arm order, id): the order deadlines must come out in.
using Key = std::tuple<int64_t, uint64_t, uint64_t>;

Deadline make(int64_t when, uint64_t id) {
  return Deadline{when, id, DeadlineKind::kTotalTimeout, 0};
}

TEST(DeadlineHeap, EqualTimesComeOutInArmOrderAcrossBothStores) {
  DeadlineHeap d;
  d.push(make(100, 1));  // run
  d.push(make(200, 2));  // run
  d.push(make(150, 3));  // heap: earlier than the run's last
  d.push(make(200, 4));  // run
  d.push(make(150, 5));  // heap
  d.push(make(100, 6));  // heap
  std::vector<uint64_t> order;
  while (auto x = d.pop_due(1000)) order.push_back(x->transfer_id);
  EXPECT_EQ(order, (std::vector<uint64_t>{1, 6, 3, 5, 2, 4}));
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(d.next_when(), std::nullopt);
}

TEST(DeadlineHeap, NothingBeforeItsTime) {
  DeadlineHeap d;
  d.push(make(500, 1));
  d.push(make(300, 2));
  EXPECT_EQ(d.next_when(), 300);
  EXPECT_EQ(d.pop_due(299), std::nullopt);
  EXPECT_EQ(d.pop_due(300)->transfer_id, 2u);
  EXPECT_EQ(d.pop_due(499), std::nullopt);
  EXPECT_EQ(d.pop_due(500)->transfer_id, 1u);
}

// Mostly in time order (as a busy client arms them), sometimes not; ids with a "stale" mark
// dropped from the top or compacted away, as the scheduler does.
TEST(DeadlineHeap, MatchesASortedReference) {
  std::mt19937 rng(99);
  DeadlineHeap d;
  std::set<Key> ref;
  std::set<uint64_t> stale;
  int64_t clock = 0;
  uint64_t arm = 0;
  uint64_t next_id = 1;
  auto is_stale = [&](const Deadline &x) { return stale.count(x.transfer_id) != 0; };
  auto drop_stale_from_ref = [&] {
    for (auto it = ref.begin(); it != ref.end();)
      it = stale.count(std::get<2>(*it)) ? ref.erase(it) : std::next(it);
  };
  for (int step = 0; step < 40000; ++step) {
    switch (rng() % 8) {
      case 0:
      case 1:
      case 2: {  // armed now + a common duration: in time order
        int64_t when = clock + 1000;
        d.push(make(when, next_id));
        ref.insert({when, arm++, next_id++});
        break;
      }
      case 3: {  // any time: usually goes to the heap
        int64_t when = clock + static_cast<int64_t>(rng() % 2000);
        d.push(make(when, next_id));
        ref.insert({when, arm++, next_id++});
        break;
      }
      case 4:  // time passes; everything due comes out in order
        clock += static_cast<int64_t>(rng() % 300);
        while (auto x = d.pop_due(clock)) {
          ASSERT_FALSE(ref.empty());
          ASSERT_EQ(std::get<2>(*ref.begin()), x->transfer_id) << "step " << step;
          ASSERT_LE(x->when_us, clock);
          ref.erase(ref.begin());
        }
        ASSERT_TRUE(ref.empty() || std::get<0>(*ref.begin()) > clock);
        break;
      case 5:  // a transfer ends: its deadline goes stale
        if (next_id > 1) stale.insert(1 + rng() % (next_id - 1));
        break;
      case 6: {  // the top's stale entries dropped
        d.drop_while(is_stale);
        while (!ref.empty() && stale.count(std::get<2>(*ref.begin()))) ref.erase(ref.begin());
        break;
      }
      case 7:
        if (rng() % 16 == 0) {
          d.compact(is_stale);
          drop_stale_from_ref();
        }
        break;
    }
    ASSERT_EQ(d.size(), ref.size()) << "step " << step;
    if (ref.empty()) {
      ASSERT_EQ(d.next_when(), std::nullopt);
    } else {
      ASSERT_EQ(d.next_when(), std::get<0>(*ref.begin())) << "step " << step;
    }
  }
}

}  // namespace
