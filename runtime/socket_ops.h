// Opening, configuring and closing one TCP socket for a transfer, with the application's
// OPENSOCKETFUNCTION / SOCKOPTFUNCTION / CLOSESOCKETFUNCTION when set.
#pragma once

#include <fetch/fetch.h>

#include <string>

#include "runtime/address.h"
#include "runtime/settings.h"

namespace fetch {

struct EasyHandle;

// How to close a socket later: the CLOSESOCKETFUNCTION in force when it was opened.
struct SocketCloser {
  fetch_closesocket_callback callback = nullptr;
  void *data = nullptr;
  void close(int fd) const;
};

struct OpenedSocket {
  int fd = -1;
  bool already_connected = false;  // SOCKOPTFUNCTION said FETCH_SOCKOPT_ALREADY_CONNECTED
  SocketCloser closer;
};

// Opens a non-blocking socket for `addr` and applies the handle's socket options (TCP_NODELAY,
// keep-alive, INTERFACE, LOCALPORT range, SOCKOPTFUNCTION). On failure returns the FETCHcode
// and sets `why`/`os_errno`; the socket is closed again.
FETCHcode open_socket(EasyHandle &easy, const Address &addr, OpenedSocket &out, std::string &why,
                      int &os_errno);

}  // namespace fetch
