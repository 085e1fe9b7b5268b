// Idle keep-alive connections of one scheduler, keyed by origin ("scheme://host:port"; TLS,
// proxy and credentials join the key when they exist). The most recently used connection of an
// origin is taken first (it is the least likely to have been closed by the server); the oldest
// overall is evicted first when the pool is over its size.
//
// The scheduler watches every pooled fd for readability: an idle connection that turns
// readable was closed by the peer or sent unexpected bytes, and is dropped without an extra
// syscall (DESIGN "Performance habits").
//
// Every operation is O(1): each idle connection sits in two doubly linked lists at once (all
// idle connections by age, and its origin's), linked by slot index, so taking the newest of an
// origin, the oldest overall or the one of an fd unlinks from both without a search. Thousands
// of idle connections to one origin are the normal case for a load test, where a search of the
// origin's list made cleanup and eviction quadratic.
#pragma once

#include <cstdint>
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
    for (uint32_t i = by_age_.oldest; i != kNone; i = slots_[i].age.newer)
      visit(slots_[i].conn->fd());
  }
  size_t size() const { return by_fd_.size(); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Links {
    uint32_t older = kNone;
    uint32_t newer = kNone;
  };
  // The two ends of one list.
  struct List {
    uint32_t oldest = kNone;
    uint32_t newest = kNone;
    bool empty() const { return newest == kNone; }
  };
  struct Slot {
    std::unique_ptr<Connection> conn;  // null while the slot is free
    Links age;                         // in by_age_; a free slot chains the free list in age.newer
    Links same_origin;                 // in *origin
    List *origin = nullptr;            // a node of by_origin_: its address is stable
  };

  // Slots are reused through the free list: the steady state of keep-alive reuse allocates
  // nothing, and the vector is at most as long as the most connections ever idle at once.
  std::vector<Slot> slots_;
  uint32_t free_ = kNone;
  List by_age_;
  std::unordered_map<std::string, List> by_origin_;
  using FdIndex = std::unordered_map<int, uint32_t>;
  FdIndex by_fd_;
  NodeCache<FdIndex> fd_nodes_{1024};

  void link_newest(List &list, Links Slot::*links, uint32_t i);
  void unlink_from(List &list, Links Slot::*links, uint32_t i);
  std::unique_ptr<Connection> unlink(uint32_t i);
};

}  // namespace fetch
