#include "runtime/connection_pool.h"

#include <cassert>

namespace fetch {

namespace {
constexpr size_t kKeptOrigins = 16;
}  // namespace

void ConnectionPool::link_newest(List &list, Links Slot::*links, uint32_t i) {
  Links &l = slots_[i].*links;
  l.older = list.newest;
  l.newer = kNone;
  if (list.newest != kNone)
    (slots_[list.newest].*links).newer = i;
  else
    list.oldest = i;
  list.newest = i;
}

void ConnectionPool::unlink_from(List &list, Links Slot::*links, uint32_t i) {
  Links &l = slots_[i].*links;
  if (l.older != kNone)
    (slots_[l.older].*links).newer = l.newer;
  else
    list.oldest = l.newer;
  if (l.newer != kNone)
    (slots_[l.newer].*links).older = l.older;
  else
    list.newest = l.older;
  l = Links{};
}

std::unique_ptr<Connection> ConnectionPool::unlink(uint32_t i) {
  Slot &slot = slots_[i];
  std::unique_ptr<Connection> conn = std::move(slot.conn);
  if (auto at = by_fd_.find(conn->fd()); at != by_fd_.end()) fd_nodes_.take(by_fd_, at);
  unlink_from(by_age_, &Slot::age, i);
  // An empty origin list stays (with its key) for the origin's next connection; the map is let
  // go when the pool is empty and it has collected many origins.
  unlink_from(*slot.origin, &Slot::same_origin, i);
  slot.origin = nullptr;
  slot.age.newer = free_;
  free_ = i;
  if (by_age_.empty() && by_origin_.size() > kKeptOrigins) by_origin_.clear();
  return conn;
}

std::unique_ptr<Connection> ConnectionPool::take(const std::string &origin) {
  auto o = by_origin_.find(origin);
  if (o == by_origin_.end() || o->second.empty()) return nullptr;
  return unlink(o->second.newest);
}

void ConnectionPool::put(std::unique_ptr<Connection> conn, int64_t now_us) {
  conn->idle_since_us = now_us;  // MAXAGE_CONN counts from here
  // One connection per fd: a second would leave the fd index pointing at the first.
  assert(by_fd_.count(conn->fd()) == 0);
  List &origin = by_origin_[conn->origin_key];
  uint32_t i = free_;
  if (i != kNone) {
    free_ = slots_[i].age.newer;
    slots_[i].age = Links{};
  } else {
    i = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot &slot = slots_[i];
  fd_nodes_.insert(by_fd_, conn->fd(), i);
  slot.conn = std::move(conn);
  slot.origin = &origin;
  link_newest(by_age_, &Slot::age, i);
  link_newest(origin, &Slot::same_origin, i);
}

std::unique_ptr<Connection> ConnectionPool::take_fd(int fd) {
  auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return nullptr;
  return unlink(it->second);
}

std::unique_ptr<Connection> ConnectionPool::take_oldest() {
  if (by_age_.empty()) return nullptr;
  return unlink(by_age_.oldest);
}

}  // namespace fetch
