// A plain model of the idle connection pool (runtime/connection_pool.h) for tests to compare
// the real one with: a list, oldest first, searched every time. And idle connections with
// made-up fds (their closer leaves the fd alone).
#pragma once

#include <list>
#include <memory>
#include <string>
#include <vector>

#include "runtime/connection.h"

namespace fetchtest {

inline std::unique_ptr<fetch::Connection> idle_connection(int fd, const std::string &origin) {
  fetch::SocketCloser closer;
  closer.callback = [](void *, fetch_socket_t) -> int { return 0; };
  auto c = std::make_unique<fetch::Connection>(static_cast<uint64_t>(fd), fd, closer);
  c->origin_key = origin;
  return c;
}

// The fd of a taken connection, or -1 for none (the model's "nothing").
inline int fd_of(const std::unique_ptr<fetch::Connection> &c) { return c ? c->fd() : -1; }

struct PoolModel {
  struct Entry {
    int fd;
    std::string origin;
  };
  std::list<Entry> all;  // oldest first

  // The newest of `origin`, or -1.
  int take(const std::string &origin) {
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (it->origin != origin) continue;
      int fd = it->fd;
      all.erase(std::next(it).base());
      return fd;
    }
    return -1;
  }
  int take_oldest() {
    if (all.empty()) return -1;
    int fd = all.front().fd;
    all.pop_front();
    return fd;
  }
  int take_fd(int fd) {
    for (auto it = all.begin(); it != all.end(); ++it) {
      if (it->fd != fd) continue;
      all.erase(it);
      return fd;
    }
    return -1;
  }
  std::vector<int> fds() const {
    std::vector<int> out;
    for (const Entry &e : all) out.push_back(e.fd);
    return out;
  }
};

}  // namespace fetchtest
