// Loopback ports for negative tests.
#pragma once

namespace fetchtest {

// A 127.0.0.1 port where nothing listens: binds a TCP socket to port 0, reads the port the kernel
// chose and closes the socket (never listened, so no TIME_WAIT). Connecting to it is refused
// unless another process grabs the port in between. 0 on failure.
int closed_port();

}  // namespace fetchtest
