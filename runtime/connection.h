// One connection: a socket (its single owner, DESIGN invariant 1) and its filter chain.
//
// The scheduler owns connections while transfers use them; a finished CONNECT_ONLY transfer
// moves its connection to the easy handle (EasyHandle::connect_only). Whoever owns it must have
// announced FETCH_POLL_REMOVE for the fd before destroying it: the destructor closes the fd.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/clock.h"
#include "runtime/filter.h"
#include "runtime/socket_ops.h"

namespace fetch {

class Connection {
 public:
  Connection(uint64_t id, int fd, SocketCloser closer);
  ~Connection();
  Connection(const Connection &) = delete;
  Connection &operator=(const Connection &) = delete;

  uint64_t id() const { return id_; }
  int fd() const { return fd_; }

  // Through the whole filter chain (top filter first).
  FETCHcode send(const void *buf, size_t len, size_t *n, int *os_errno);
  FETCHcode recv(void *buf, size_t len, size_t *n, int *os_errno);

  // The socket's receive low-water mark (runtime/receive_low_water.h); a setsockopt only when
  // it changes. False when the kernel refused it (the mark stays as it was).
  bool set_receive_low_water(int bytes);
  int receive_low_water() const { return recv_low_water_; }

  // True once a recv saw the peer's FIN or an error: the connection is gone for ACTIVESOCKET.
  bool closed() const { return closed_; }
  void mark_closed() { closed_ = true; }

  std::string primary_ip;
  int primary_port = 0;
  std::string local_ip;
  int local_port = 0;
  bool connect_only = false;         // never reused
  std::string origin_key;            // "scheme://host:port", for per-host connection limits
  const void *counted_by = nullptr;  // the scheduler whose connection counts include it
  // For reuse limits (runtime/conn_age.h): when it was made (MAXLIFETIME_CONN) and when it last
  // went idle in the pool (MAXAGE_CONN), now_us() clock.
  const int64_t created_us = now_us();
  int64_t idle_since_us = 0;

 private:
  uint64_t id_;
  int fd_;
  SocketCloser closer_;
  std::vector<std::unique_ptr<Filter>> filters_;  // [0] = socket
  bool closed_ = false;
  int recv_low_water_ = 1;  // SO_RCVLOWAT as last set (1: the kernel's default)
};

}  // namespace fetch
