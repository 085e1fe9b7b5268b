#include "loopback_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace fetchtest {
namespace {

using Clock = std::chrono::steady_clock;

int millis_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// poll() for `events` until the deadline; the revents seen, or 0 on timeout/error.
short wait_for(int fd, short events, Clock::time_point deadline) {
  for (int round = 0; round < 1000; ++round) {
    pollfd p{fd, events, 0};
    int rc = poll(&p, 1, millis_left(deadline));
    if (rc > 0) return p.revents;
    if (rc == 0 || errno != EINTR) return 0;
  }
  return 0;
}

}  // namespace

UniqueFd connect_nonblocking(int port, int *error) {
  if (error) *error = 0;
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    if (error) *error = errno;
    return fd;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd.get(), reinterpret_cast<const sockaddr *>(&addr), sizeof(addr)) != 0 &&
      errno != EINPROGRESS) {
    if (error) *error = errno;
    fd.reset();
  }
  return fd;
}

int finish_connect(int fd, milliseconds timeout) {
  short revents = wait_for(fd, POLLOUT, Clock::now() + timeout);
  if (revents == 0) return ETIMEDOUT;
  int so_error = 0;
  socklen_t len = sizeof(so_error);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) return errno;
  return so_error;
}

UniqueFd connect_loopback(int port, milliseconds timeout) {
  UniqueFd fd = connect_nonblocking(port);
  if (fd && finish_connect(fd.get(), timeout) != 0) fd.reset();
  return fd;
}

bool send_all(int fd, std::string_view bytes, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (wait_for(fd, POLLOUT, deadline) == 0) return false;
    } else {
      return false;
    }
  }
  return true;
}

std::string recv_exactly(int fd, std::size_t count, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string out;
  char buf[16384];
  while (out.size() < count) {
    std::size_t want = count - out.size();
    ssize_t n = recv(fd, buf, want < sizeof(buf) ? want : sizeof(buf), 0);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (wait_for(fd, POLLIN, deadline) == 0) break;
    } else {
      break;  // EOF or error
    }
  }
  return out;
}

bool wait_for_peer_close(int fd, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  char buf[16384];
  while (true) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n == 0) return true;
    if (n < 0 && errno == ECONNRESET) return true;
    if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
    if (n < 0 && wait_for(fd, POLLIN, deadline) == 0) return false;
    if (Clock::now() >= deadline) return false;
  }
}

}  // namespace fetchtest
