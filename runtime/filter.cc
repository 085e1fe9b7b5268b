#include "runtime/filter.h"

#include <sys/socket.h>

#include <cerrno>

namespace fetch {

FETCHcode SocketFilter::send(const void *buf, size_t len, size_t *n, int *os_errno) {
  *n = 0;
  ssize_t rc = ::send(fd_, buf, len, MSG_NOSIGNAL);
  if (rc >= 0) {
    *n = static_cast<size_t>(rc);
    want_ = 0;
    return FETCHE_OK;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    want_ = FETCH_POLL_OUT;
    return FETCHE_AGAIN;
  }
  *os_errno = errno;
  return FETCHE_SEND_ERROR;
}

FETCHcode SocketFilter::recv(void *buf, size_t len, size_t *n, int *os_errno) {
  *n = 0;
  ssize_t rc = ::recv(fd_, buf, len, 0);
  if (rc >= 0) {
    *n = static_cast<size_t>(rc);
    want_ = 0;
    return FETCHE_OK;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    want_ = FETCH_POLL_IN;
    return FETCHE_AGAIN;
  }
  *os_errno = errno;
  return FETCHE_RECV_ERROR;
}

}  // namespace fetch
