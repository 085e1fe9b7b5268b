// HttpListener: a TCP accept loop on a loopback address (127.0.0.1 or 127.0.0.2) that gives every
// connection its own HttpConnection.
#pragma once

#include <uv.h>

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "http_connection.h"
#include "http_recorder.h"
#include "http_routes.h"
#include "listener.h"

namespace fetchtest {

// Lifetime rules as Listener's: construct, listen() and close() on the loop thread (or before it
// runs); after close() the object must stay alive until closed() is true.
class HttpListener {
 public:
  HttpListener(uv_loop_t &loop, HttpRoutes &routes, HttpRecorder &recorder, ListenerStats &stats);
  ~HttpListener();
  HttpListener(const HttpListener &) = delete;
  HttpListener &operator=(const HttpListener &) = delete;

  // Binds `host` (an IPv4 literal) : `port` (0 = a free port). 0 or a negative libuv error.
  int listen(const std::string &host, int port, int backlog);
  int port() const { return port_; }
  void close();
  bool closed() const { return !server_open_ && connections_.empty(); }

 private:
  void on_connection(int status);

  uv_loop_t &loop_;
  HttpRoutes &routes_;
  HttpRecorder &recorder_;
  ListenerStats &stats_;
  uv_tcp_t server_{};
  bool server_open_ = false;
  int port_ = 0;
  std::size_t next_id_ = 1;
  std::unordered_map<HttpConnection *, std::unique_ptr<HttpConnection>> connections_;
};

}  // namespace fetchtest
