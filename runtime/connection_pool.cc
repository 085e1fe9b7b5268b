#include "runtime/connection_pool.h"

#include <algorithm>

namespace fetch {

std::unique_ptr<Connection> ConnectionPool::unlink(Age::iterator it) {
  std::unique_ptr<Connection> conn = std::move(it->conn);
  by_fd_.erase(conn->fd());
  auto o = by_origin_.find(conn->origin_key);
  if (o != by_origin_.end()) {
    auto &list = o->second;
    list.erase(std::remove(list.begin(), list.end(), it), list.end());
    if (list.empty()) by_origin_.erase(o);
  }
  age_.erase(it);
  return conn;
}

std::unique_ptr<Connection> ConnectionPool::take(const std::string &origin) {
  auto o = by_origin_.find(origin);
  if (o == by_origin_.end() || o->second.empty()) return nullptr;
  return unlink(o->second.back());
}

void ConnectionPool::put(std::unique_ptr<Connection> conn, int64_t now_us) {
  int fd = conn->fd();
  std::string origin = conn->origin_key;
  conn->idle_since_us = now_us;  // MAXAGE_CONN counts from here
  age_.push_back(Idle{std::move(conn), now_us});
  auto it = std::prev(age_.end());
  by_fd_[fd] = it;
  by_origin_[origin].push_back(it);
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
