// ListenerWithFullBacklog: a 127.0.0.1 listener that never accepts and whose accept queue is
// full, so a further connect() to it never completes. Used to test connect timeouts.
//
// Linux drops an incoming SYN when the listener's accept queue is full (it holds backlog + 1
// established connections), whatever tcp_syncookies says; the client stays in SYN_SENT and
// retransmits for about two minutes (tcp_syn_retries). No sysctl is needed and root is not
// required.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "unique_fd.h"

namespace fetchtest {

class ListenerWithFullBacklog {
 public:
  // Binds 127.0.0.1 on a free port and listens with `backlog` (0 or 1 keeps fill() short).
  explicit ListenerWithFullBacklog(int backlog = 0);

  bool ok() const;  // the listener is bound and listening
  int port() const;

  // Opens client connections until a non-blocking probe connect is still in progress after
  // `probe_wait`; the fillers are kept open, the last probe is closed. At most `max_attempts`
  // connections are tried. Returns true when the backlog is full.
  bool fill(int max_attempts = 64,
            std::chrono::milliseconds probe_wait = std::chrono::milliseconds(200));
  bool full() const;
  std::size_t filler_count() const;

  // A new non-blocking socket whose connect() to port() is in progress; after fill() it stays
  // so. Invalid if socket() or connect() failed outright.
  UniqueFd start_hanging_connect() const;

 private:
  UniqueFd listener_;
  int port_ = 0;
  bool full_ = false;
  std::vector<UniqueFd> fillers_;
};

}  // namespace fetchtest
