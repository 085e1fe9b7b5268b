// A connection is a chain of filters: socket -> [tls] -> [tunnel] -> protocol.
//
// Contract of every filter (the transfer is passed per call, never stored):
//  - send/recv never block: they return FETCHE_AGAIN when the layer below would block, and
//    report through want() which readiness (FETCH_POLL_IN/OUT) would let them progress. A lower
//    filter may turn an upper "want write" into "want read" (TLS renegotiation).
//  - recv returning FETCHE_OK with *n == 0 means the peer closed the stream.
//  - Errors are FETCHE_SEND_ERROR / FETCHE_RECV_ERROR with the OS errno in *os_errno.
#pragma once

#include <fetch/fetch.h>

#include <cstddef>

namespace fetch {

class Filter {
 public:
  virtual ~Filter() = default;
  virtual FETCHcode send(const void *buf, size_t len, size_t *n, int *os_errno) = 0;
  virtual FETCHcode recv(void *buf, size_t len, size_t *n, int *os_errno) = 0;
  // Readiness the last AGAIN waits for (FETCH_POLL_IN / FETCH_POLL_OUT bits).
  virtual int want() const = 0;
};

// The bottom filter: plain send(2)/recv(2) on a non-blocking socket.
class SocketFilter final : public Filter {
 public:
  explicit SocketFilter(int fd) : fd_(fd) {}
  FETCHcode send(const void *buf, size_t len, size_t *n, int *os_errno) override;
  FETCHcode recv(void *buf, size_t len, size_t *n, int *os_errno) override;
  int want() const override { return want_; }

 private:
  int fd_;
  int want_ = 0;
};

}  // namespace fetch
