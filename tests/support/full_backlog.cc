#include "full_backlog.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "loopback_client.h"

namespace fetchtest {

ListenerWithFullBacklog::ListenerWithFullBacklog(int backlog) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd.get(), reinterpret_cast<const sockaddr *>(&addr), sizeof(addr)) != 0) return;
  if (listen(fd.get(), backlog) != 0) return;
  socklen_t len = sizeof(addr);
  if (getsockname(fd.get(), reinterpret_cast<sockaddr *>(&addr), &len) != 0) return;
  port_ = ntohs(addr.sin_port);
  listener_ = std::move(fd);
}

bool ListenerWithFullBacklog::ok() const { return static_cast<bool>(listener_); }

int ListenerWithFullBacklog::port() const { return port_; }

bool ListenerWithFullBacklog::full() const { return full_; }

std::size_t ListenerWithFullBacklog::filler_count() const { return fillers_.size(); }

bool ListenerWithFullBacklog::fill(int max_attempts, std::chrono::milliseconds probe_wait) {
  if (!ok()) return false;
  for (int attempt = 0; attempt < max_attempts && !full_; ++attempt) {
    UniqueFd probe = connect_nonblocking(port_);
    if (!probe) return false;
    int rc = finish_connect(probe.get(), probe_wait);
    if (rc == ETIMEDOUT) {
      full_ = true;  // SYN dropped: the queue is full; the probe is closed here
    } else if (rc == 0) {
      fillers_.push_back(std::move(probe));
    } else {
      return false;
    }
  }
  return full_;
}

UniqueFd ListenerWithFullBacklog::start_hanging_connect() const {
  return connect_nonblocking(port_);
}

}  // namespace fetchtest
