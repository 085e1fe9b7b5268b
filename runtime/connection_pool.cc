#include "runtime/connection_pool.h"

#include <algorithm>

namespace fetch {

namespace {
constexpr size_t kKeptOrigins = 16;
}  // namespace

std::unique_ptr<Connection> ConnectionPool::unlink(Age::iterator it) {
  std::unique_ptr<Connection> conn = std::move(it->conn);
  if (auto at = by_fd_.find(conn->fd()); at != by_fd_.end()) fd_nodes_.take(by_fd_, at);
  auto o = by_origin_.find(conn->origin_key);
  if (o != by_origin_.end()) {
    // Searched from the newest end: take() unlinks the newest (the last element, O(1)); only
    // eviction and a dropped idle connection look further.
    auto &list = o->second;
    auto at = std::find(list.rbegin(), list.rend(), it);
    if (at != list.rend()) list.erase(std::next(at).base());
    // An empty list stays (with its key and buffer) for the origin's next connection; the
    // map is let go when the pool is empty and it has collected many origins.
  }
  spare_.splice(spare_.end(), age_, it);  // the list node is kept for the next put()
  if (age_.empty() && by_origin_.size() > kKeptOrigins) by_origin_.clear();
  return conn;
}

std::unique_ptr<Connection> ConnectionPool::take(const std::string &origin) {
  auto o = by_origin_.find(origin);
  if (o == by_origin_.end() || o->second.empty()) return nullptr;
  return unlink(o->second.back());
}

void ConnectionPool::put(std::unique_ptr<Connection> conn, int64_t now_us) {
  int fd = conn->fd();
  conn->idle_since_us = now_us;  // MAXAGE_CONN counts from here
  std::vector<Age::iterator> &same_origin = by_origin_[conn->origin_key];
  if (spare_.empty()) {
    age_.push_back(Idle{std::move(conn), now_us});
  } else {  // a node from an earlier unlink: no allocation
    spare_.front() = Idle{std::move(conn), now_us};
    age_.splice(age_.end(), spare_, spare_.begin());
  }
  auto it = std::prev(age_.end());
  fd_nodes_.insert(by_fd_, fd, it);
  same_origin.push_back(it);
}

std::unique_ptr<Connection> ConnectionPool::take_fd(int fd) {
  auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return nullptr;
  return unlink(it->second);
}

std::unique_ptr<Connection> ConnectionPool::take_oldest() {
  if (age_.empty()) return nullptr;
  return unlink(age_.begin());
}

}  // namespace fetch
