// HttpListener: the HTTP server's accept loop on a loopback address (127.0.0.1 or 127.0.0.2),
// giving every connection its own HttpConnection (numbered 1, 2, ... in accept order).
#pragma once

#include <uv.h>

#include "connection_listener.h"
#include "http_connection.h"
#include "http_recorder.h"
#include "http_routes.h"

namespace fetchtest {

class HttpListener : public ConnectionListener<HttpConnection> {
 public:
  HttpListener(uv_loop_t &loop, HttpRoutes &routes, HttpRecorder &recorder, ListenerStats &stats);
};

}  // namespace fetchtest
