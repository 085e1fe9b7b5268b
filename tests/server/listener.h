// Listener: the echo server's accept loop on 127.0.0.1, giving every connection its own
// ConnectionHandler.
#pragma once

#include <uv.h>

#include "connection_handler.h"
#include "connection_listener.h"
#include "server_connection.h"

namespace fetchtest {

class Listener : public ConnectionListener<ServerConnection> {
 public:
  Listener(uv_loop_t &loop, HandlerFactory factory, ListenerStats &stats);
};

}  // namespace fetchtest
