// Scheduler membership cost: fetch_multi_add_handle + fetch_multi_remove_handle of one more
// handle while the multi already holds N = 10, 1,000 and 100,000 handles. The per-operation
// time must not grow with N (DESIGN "Performance habits": no O(n) scans per event).
//
// Adding does not connect: Scheduler::add (runtime/scheduler.cc) creates the transfer and arms
// a "run now" deadline; the transfer leaves INIT only when the multi is driven (perform,
// socket_action or the timer), which the timed loop never does. So each iteration is exactly
// one add and one remove, whatever state the N resident transfers are in:
//   BM_MultiAddRemove         residents just added (INIT, never driven);
//   BM_MultiAddRemovePending  MAX_TOTAL_CONNECTIONS 1: one resident holds the only connection
//                             (to a loopback listener that never answers), the N-1 others wait
//                             in PENDING;
//   BM_MultiAddRemoveDone     residents finished (a refused URL scheme) with their DONE messages
//                             not yet read by fetch_multi_info_read.
#include <benchmark/benchmark.h>
#include <fetch/fetch.h>
#include <fetch/multi.h>

#include <memory>
#include <string>
#include <vector>

#include "bench/micro/bench_loop.h"
#include "bench/micro/rig_cache.h"

namespace {

using fetch_bench::AppLoop;
using fetch_bench::Listener;
using fetch_bench::Rig;

enum class Resident { kInit, kPending, kDone };

class MembershipRig final : public Rig {
 public:
  MembershipRig(Resident kind, int64_t n) {
    multi = fetch_multi_init();
    std::string url = "http://127.0.0.1:9/";  // discard port; never connected in kInit
    if (kind != Resident::kInit) loop = std::make_unique<AppLoop>(multi);
    if (kind == Resident::kPending) {
      listener = std::make_unique<Listener>();
      if (!listener->ok()) {
        error = "no loopback listener";
        return;
      }
      url = listener->url();
      fetch_multi_setopt(multi, FETCHMOPT_MAX_TOTAL_CONNECTIONS, 1L);
    } else if (kind == Resident::kDone) {
      url = "gopher://127.0.0.1/";  // refused in INIT: the transfer ends at once
    }
    handles.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      FETCH *e = fetch_easy_init();
      fetch_easy_setopt(e, FETCHOPT_URL, url.c_str());
      fetch_easy_setopt(e, FETCHOPT_WRITEFUNCTION, &fetch_bench::discard_body);
      handles.push_back(e);
      if (fetch_multi_add_handle(multi, e) != FETCHM_OK) {
        error = "fetch_multi_add_handle failed while filling the multi";
        return;
      }
    }
    if (kind == Resident::kPending) {
      // One connected transfer waiting for an answer, every other one queued for a slot.
      bool ok = loop->run_until(
          [&] {
            fetch_off_t pending = 0;
            fetch_multi_get_offt(multi, FETCHMINFO_XFERS_PENDING, &pending);
            return pending == n - 1 && loop->read_only_watches() == 1;
          },
          120000);
      if (!ok) error = "the residents did not settle into PENDING";
    } else if (kind == Resident::kDone) {
      bool ok = loop->run_until(
          [&] {
            fetch_off_t done = 0;
            fetch_multi_get_offt(multi, FETCHMINFO_XFERS_DONE, &done);
            return done == n;
          },
          120000);
      if (!ok) {
        error = "the residents did not finish";
      }
    }
    extra = fetch_easy_init();
    fetch_easy_setopt(extra, FETCHOPT_URL, url.c_str());
    fetch_easy_setopt(extra, FETCHOPT_WRITEFUNCTION, &fetch_bench::discard_body);
  }
  ~MembershipRig() override {
    // Teardown avoids two quadratic paths of the scheduler (see README.md): unread DONE
    // messages are read first (each removal scans the message queue), and PENDING handles are
    // removed newest first while the connected one still holds the only slot (removing the
    // slot holder first would arm a "run now" deadline for every pending transfer at each
    // following removal).
    int left = 0;
    while (fetch_multi_info_read(multi, &left) != nullptr) {
    }
    for (auto it = handles.rbegin(); it != handles.rend(); ++it) {
      fetch_multi_remove_handle(multi, *it);
    }
    fetch_multi_cleanup(multi);
    for (FETCH *e : handles) fetch_easy_cleanup(e);
    if (extra != nullptr) fetch_easy_cleanup(extra);
  }

  FETCHM *multi = nullptr;
  std::unique_ptr<AppLoop> loop;
  std::unique_ptr<Listener> listener;
  std::vector<FETCH *> handles;
  FETCH *extra = nullptr;
};

void add_remove_loop(benchmark::State &state, Resident kind, const char *name) {
  const int64_t n = state.range(0);
  MembershipRig &rig = fetch_bench::cached_rig<MembershipRig>(
      std::string(name) + "/" + std::to_string(n),
      [&] { return std::make_unique<MembershipRig>(kind, n); });
  if (!rig.error.empty()) {
    state.SkipWithError(rig.error.c_str());
    return;
  }
  for (auto _ : state) {
    if (fetch_multi_add_handle(rig.multi, rig.extra) != FETCHM_OK ||
        fetch_multi_remove_handle(rig.multi, rig.extra) != FETCHM_OK) {
      state.SkipWithError("add/remove failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());  // items = add+remove pairs
}

void BM_MultiAddRemove(benchmark::State &state) { add_remove_loop(state, Resident::kInit, "init"); }
BENCHMARK(BM_MultiAddRemove)->Arg(10)->Arg(1000)->Arg(100000);

void BM_MultiAddRemovePending(benchmark::State &state) {
  add_remove_loop(state, Resident::kPending, "pending");
}
// Not at 100,000: with the per-operation cost growing with N (README.md), that size would take
// minutes to fill and to empty.
BENCHMARK(BM_MultiAddRemovePending)->Arg(10)->Arg(1000)->Arg(10000);

void BM_MultiAddRemoveDone(benchmark::State &state) {
  add_remove_loop(state, Resident::kDone, "done");
}
BENCHMARK(BM_MultiAddRemoveDone)->Arg(10)->Arg(1000)->Arg(100000);

}  // namespace
