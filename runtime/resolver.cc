#include "runtime/resolver.h"

#include <netdb.h>

#include <algorithm>
#include <cstring>

#include <fetch/fetch.h>

#include "runtime/clock.h"
#include "runtime/host_overrides.h"

namespace fetch {

struct Resolver::Lookup {
  uv_getaddrinfo_t req{};
  Resolver *owner = nullptr;  // nullptr once the resolver is gone: the result is dropped
  std::string key;
  std::string host;
  long ipresolve = 0;
  long cache_timeout_s = 60;
  std::vector<uint64_t> waiters;
};

Resolver::Resolver(uv_loop_t *loop, Done done) : loop_(loop), done_(std::move(done)) {}

Resolver::~Resolver() {
  for (auto &[key, lookup] : pending_) {
    lookup->owner = nullptr;
    uv_cancel(reinterpret_cast<uv_req_t *>(&lookup->req));
  }
}

std::string Resolver::key_of(const std::string &host, long ipresolve) {
  return host + '|' + std::to_string(ipresolve);
}

namespace {

bool family_allowed(int family, long ipresolve) {
  if (ipresolve == FETCH_IPRESOLVE_V4) return family == AF_INET;
  if (ipresolve == FETCH_IPRESOLVE_V6) return family == AF_INET6;
  return family == AF_INET || family == AF_INET6;
}

std::string lower(std::string s) {
  for (char &c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

// A FETCHOPT_RESOLVE entry for host and port (entries were checked when the transfer started;
// "-" entries only remove cache entries in libcurl and never answer).
bool match_override(const std::string &text, const std::string &host, int port, long ipresolve,
                    std::vector<Address> &out) {
  auto e = parse_resolve_entry(text);
  if (!e || e->remove || e->port != port) return false;
  if (e->host != "*" && lower(e->host) != lower(host)) return false;
  for (const Address &a : e->addresses) {
    if (family_allowed(a.family(), ipresolve)) out.push_back(a);
  }
  return !out.empty();
}

}  // namespace

bool Resolver::resolve(const ResolveQuery &q, uint64_t waiter, ResolveResult &out) {
  out = ResolveResult{};
  Address literal;
  if (parse_ip_literal(q.host, q.port, literal)) {
    // CURLOPT_IPRESOLVE(3): a numerical address in the URL is used whatever IPRESOLVE says.
    out.ok = true;
    out.addresses.push_back(literal);
    return true;
  }
  if (q.overrides != nullptr) {
    for (const std::string &entry : *q.overrides) {
      if (match_override(entry, q.host, q.port, q.ipresolve, out.addresses)) {
        out.ok = true;
        return true;
      }
    }
  }
  std::string key = key_of(lower(q.host), q.ipresolve);
  if (auto it = cache_.find(key); it != cache_.end()) {
    if (q.cache_timeout_s != 0 && it->second.expires_us > now_us()) {
      out.ok = true;
      out.addresses = it->second.addresses;
      for (Address &a : out.addresses) a.set_port(q.port);
      return true;
    }
    cache_.erase(it);
  }
  waiting_[waiter] = key;
  if (auto it = pending_.find(key); it != pending_.end()) {
    it->second->waiters.push_back(waiter);
    return false;
  }
  auto lookup = std::make_unique<Lookup>();
  lookup->owner = this;
  lookup->key = key;
  lookup->host = q.host;
  lookup->ipresolve = q.ipresolve;
  lookup->cache_timeout_s = q.cache_timeout_s;
  lookup->waiters.push_back(waiter);
  lookup->req.data = lookup.get();
  addrinfo hints{};
  hints.ai_family = q.ipresolve == FETCH_IPRESOLVE_V4   ? AF_INET
                    : q.ipresolve == FETCH_IPRESOLVE_V6 ? AF_INET6
                                                        : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  int rc = uv_getaddrinfo(loop_, &lookup->req, &Resolver::on_resolved, lookup->host.c_str(),
                          nullptr, &hints);
  if (rc != 0) {
    waiting_.erase(waiter);
    out.error = std::string("Could not resolve host: ") + q.host + " (" + uv_strerror(rc) + ")";
    return true;
  }
  pending_[key] = lookup.release();  // libuv holds it until on_resolved
  return false;
}

void Resolver::cancel(uint64_t waiter) {
  auto it = waiting_.find(waiter);
  if (it == waiting_.end()) return;
  if (auto p = pending_.find(it->second); p != pending_.end()) {
    auto &w = p->second->waiters;
    w.erase(std::remove(w.begin(), w.end(), waiter), w.end());
  }
  waiting_.erase(it);
}

void Resolver::on_resolved(uv_getaddrinfo_t *req, int status, addrinfo *res) {
  std::unique_ptr<Lookup> lookup(static_cast<Lookup *>(req->data));
  if (lookup->owner != nullptr) lookup->owner->finish(*lookup, status, res);
  uv_freeaddrinfo(res);
}

void Resolver::finish(Lookup &lookup, int status, addrinfo *res) {
  pending_.erase(lookup.key);
  ResolveResult result;
  if (status == 0) {
    for (addrinfo *ai = res; ai != nullptr; ai = ai->ai_next) {
      if (!family_allowed(ai->ai_family, lookup.ipresolve)) continue;
      Address a;
      a.length = static_cast<socklen_t>(std::min<size_t>(ai->ai_addrlen, sizeof a.storage));
      memcpy(&a.storage, ai->ai_addr, a.length);
      bool dup = false;
      for (const Address &b : result.addresses) {
        dup = dup || (b.length == a.length && memcmp(&b.storage, &a.storage, a.length) == 0);
      }
      if (!dup) result.addresses.push_back(a);
    }
  }
  result.ok = !result.addresses.empty();
  if (!result.ok) {
    result.error = "Could not resolve host: " + lookup.host;
  } else if (lookup.cache_timeout_s != 0) {
    int64_t expires =
        lookup.cache_timeout_s < 0 ? INT64_MAX : now_us() + lookup.cache_timeout_s * 1000000;
    cache_[lookup.key] = CacheEntry{result.addresses, expires};
  }
  for (uint64_t waiter : lookup.waiters) {
    if (waiting_.erase(waiter) == 0) continue;
    done_(waiter, result);
  }
}

}  // namespace fetch
