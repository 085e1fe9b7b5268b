#include "runtime/connection.h"

#include <sys/socket.h>

namespace fetch {

Connection::Connection(uint64_t id, int fd, SocketCloser closer)
    : id_(id), fd_(fd), closer_(closer) {
  filters_.push_back(std::make_unique<SocketFilter>(fd));
}

Connection::~Connection() { closer_.close(fd_); }

FETCHcode Connection::send(const void *buf, size_t len, size_t *n, int *os_errno) {
  return filters_.back()->send(buf, len, n, os_errno);
}

FETCHcode Connection::recv(void *buf, size_t len, size_t *n, int *os_errno) {
  FETCHcode rc = filters_.back()->recv(buf, len, n, os_errno);
  if ((rc == FETCHE_OK && *n == 0 && len > 0) || rc == FETCHE_RECV_ERROR) closed_ = true;
  return rc;
}

bool Connection::set_receive_low_water(int bytes) {
  if (bytes == recv_low_water_) return true;
  if (setsockopt(fd_, SOL_SOCKET, SO_RCVLOWAT, &bytes, sizeof bytes) != 0) return false;
  recv_low_water_ = bytes;
  return true;
}

}  // namespace fetch
