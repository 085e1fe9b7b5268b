// Idle keep-alive connections of one scheduler, keyed by origin ("scheme://host:port"; TLS,
// proxy and credentials join the key when they exist). The most recently used connection of an
// origin is taken first (it is the least likely to have been closed by the server); the oldest
// overall is evicted first when the pool is over its size.
//
// The scheduler watches every pooled fd for readability: an idle connection that turns
// readable was closed by the peer or sent unexpected bytes, and is dropped without an extra
// syscall (DESIGN "Performance habits").
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/connection.h"
#include "runtime/node_cache.h"

namespace fetch {

class ConnectionPool {
 public:
  // Takes the newest idle connection for `origin`, or nullptr.
  std::unique_ptr<Connection> take(const std::string &origin);
  void put(std::unique_ptr<Connection> conn, int64_t now_us);
  // Removes the idle connection with this fd (it turned readable), or nullptr.
  std::unique_ptr<Connection> take_fd(int fd);
  // Removes the connection idle the longest, or nullptr when empty.
  std::unique_ptr<Connection> take_oldest();
  bool holds_fd(int fd) const { return by_fd_.count(fd) != 0; }
  // Calls visit(fd) for every idle connection, oldest first; `visit` must not change the pool.
  template <class Visit>
  void for_each_fd(Visit &&visit) const {
    for (const Idle &idle : age_) visit(idle.conn->fd());
  }
  size_t size() const { return by_fd_.size(); }

 private:
  struct Idle {
    std::unique_ptr<Connection> conn;
    int64_t since_us;
  };
  using Age = std::list<Idle>;  // oldest first
  Age age_;
  // Nodes of connections taken out, kept so that the next put() allocates nothing (the
  // steady state of keep-alive reuse); at most as many as were ever idle at once.
  Age spare_;
  std::unordered_map<std::string, std::vector<Age::iterator>> by_origin_;  // newest last
  using FdIndex = std::unordered_map<int, Age::iterator>;
  FdIndex by_fd_;
  NodeCache<FdIndex> fd_nodes_{1024};

  std::unique_ptr<Connection> unlink(Age::iterator it);
};

}  // namespace fetch
