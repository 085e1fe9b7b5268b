// Small non-blocking TCP client helpers for tests talking to 127.0.0.1. Every wait is bounded by
// the timeout given; nothing here raises SIGPIPE.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "unique_fd.h"

namespace fetchtest {

using std::chrono::milliseconds;

// A new non-blocking socket whose connect() to 127.0.0.1:`port` succeeded or is in progress.
// Invalid when socket() or connect() failed; `error` (if given) then receives errno, else 0.
UniqueFd connect_nonblocking(int port, int *error = nullptr);

// Waits up to `timeout` for the connect started on `fd` to complete. Returns 0 once connected,
// ETIMEDOUT if it is still in progress, or the socket's error (ECONNREFUSED, ...).
int finish_connect(int fd, milliseconds timeout);

// connect_nonblocking + finish_connect; an invalid fd unless connected within `timeout`.
UniqueFd connect_loopback(int port, milliseconds timeout = milliseconds(2000));

// Sends all of `bytes`; false on error or timeout.
bool send_all(int fd, std::string_view bytes, milliseconds timeout = milliseconds(2000));

// Receives until `count` bytes, EOF, an error or the timeout; returns what arrived.
std::string recv_exactly(int fd, std::size_t count, milliseconds timeout = milliseconds(2000));

// Reads and discards until the peer closes (EOF or ECONNRESET): true, or the timeout: false.
bool wait_for_peer_close(int fd, milliseconds timeout = milliseconds(2000));

}  // namespace fetchtest
