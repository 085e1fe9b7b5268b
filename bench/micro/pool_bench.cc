// The connection pool (runtime/connection_pool.h) with N idle connections to one origin, as a
// load test leaves them: put one back and evict the oldest (MAXCONNECTS reached), and take the
// newest for the next request. Each must cost the same at 10 and at 100,000 idle connections.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "runtime/connection_pool.h"

namespace {

const std::string kOrigin = "http://127.0.0.1:8080";

std::unique_ptr<fetch::Connection> make_conn(int fd) {
  fetch::SocketCloser closer;
  closer.callback = [](void *, fetch_socket_t) -> int { return 0; };  // made-up fds
  auto c = std::make_unique<fetch::Connection>(static_cast<uint64_t>(fd), fd, closer);
  c->origin_key = kOrigin;
  return c;
}

void fill(fetch::ConnectionPool &pool, int n) {
  for (int i = 0; i < n; ++i) pool.put(make_conn(1000 + i), i);
}

// Eviction past the pool's size: the oldest goes, a new one comes in.
void BM_PoolPutTakeOldest(benchmark::State &state) {
  fetch::ConnectionPool pool;
  fill(pool, static_cast<int>(state.range(0)));
  int64_t now = state.range(0);
  for (auto _ : state) {
    std::unique_ptr<fetch::Connection> oldest = pool.take_oldest();
    pool.put(std::move(oldest), ++now);
  }
}
BENCHMARK(BM_PoolPutTakeOldest)->Arg(10)->Arg(1000)->Arg(100000);

// Keep-alive reuse: the newest of the origin out, back in after its request.
void BM_PoolTakeNewest(benchmark::State &state) {
  fetch::ConnectionPool pool;
  fill(pool, static_cast<int>(state.range(0)));
  int64_t now = state.range(0);
  for (auto _ : state) {
    std::unique_ptr<fetch::Connection> conn = pool.take(kOrigin);
    pool.put(std::move(conn), ++now);
  }
}
BENCHMARK(BM_PoolTakeNewest)->Arg(10)->Arg(1000)->Arg(100000);

}  // namespace
