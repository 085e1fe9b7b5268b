// Name resolution: uv_getaddrinfo on libuv's thread pool, a cache with a TTL, and the
// FETCHOPT_RESOLVE overrides.
//
// IP literals, RESOLVE entries and cached names answer synchronously and never touch the
// thread pool. Concurrent lookups of one name share one request. A cancelled transfer never
// waits: its request is orphaned and the result only fills the cache.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/address.h"

namespace fetch {

struct ResolveQuery {
  std::string host;  // as in the URL, IPv6 literals with or without brackets
  int port = 0;
  long ipresolve = 0;                                   // FETCH_IPRESOLVE_*
  long cache_timeout_s = 60;                            // DNS_CACHE_TIMEOUT: -1 forever, 0 no cache
  const std::vector<std::string> *overrides = nullptr;  // FETCHOPT_RESOLVE entries
};

struct ResolveResult {
  bool ok = false;
  std::vector<Address> addresses;
  std::string error;  // why it failed
};

class Resolver {
 public:
  // Called when an asynchronous lookup for `waiter` finished (never for a cancelled waiter).
  using Done = std::function<void(uint64_t waiter, ResolveResult result)>;

  Resolver(uv_loop_t *loop, Done done);
  ~Resolver();
  Resolver(const Resolver &) = delete;
  Resolver &operator=(const Resolver &) = delete;

  // Answers at once (returns true, fills `out`) or starts/joins a lookup (returns false) whose
  // result is passed to the Done callback for `waiter`.
  bool resolve(const ResolveQuery &q, uint64_t waiter, ResolveResult &out);
  void cancel(uint64_t waiter);
  size_t pending() const { return pending_.size(); }

 private:
  struct Lookup;
  struct CacheEntry {
    std::vector<Address> addresses;
    int64_t expires_us;  // INT64_MAX = forever
  };

  static std::string key_of(const std::string &host, long ipresolve);
  static void on_resolved(uv_getaddrinfo_t *req, int status, addrinfo *res);
  void finish(Lookup &lookup, int status, addrinfo *res);

  uv_loop_t *loop_;
  Done done_;
  std::unordered_map<std::string, CacheEntry> cache_;
  std::unordered_map<std::string, Lookup *> pending_;  // owned by libuv until on_resolved
  std::unordered_map<uint64_t, std::string> waiting_;  // waiter -> key
};

}  // namespace fetch
