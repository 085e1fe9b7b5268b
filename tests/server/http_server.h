// HttpServer: the scriptable in-process HTTP/1 test server (libuv + llhttp) on its own loop
// thread. Tests register a Script per path, talk to it, then assert on the exact request bytes.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http_listener.h"
#include "http_recorded_request.h"
#include "http_recorder.h"
#include "http_routes.h"
#include "listener_thread.h"
#include "script.h"
#include "script_faults.h"
#include "script_responses.h"

namespace fetchtest {

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // or "127.0.0.2" for a second origin
  int port = 0;                    // 0 = pick a free port
  int backlog = 128;
};

// Usage:
//   HttpServer server;
//   server.on("/hello", Script().send(http_response(200, {}, "hi")));
//   ASSERT_EQ(server.start(), 0);
//   ... client talks to server.host():server.port() ...
//   ASSERT_TRUE(server.wait_for_requests(1));
//   EXPECT_EQ(server.requests()[0].raw, "GET /hello HTTP/1.1\r\n...");
// Routes may be changed at any time (they apply to the next request head). start()/stop() are
// thread-safe but not from the loop thread (so not from a handler). The destructor stops.
class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options = {});
  ~HttpServer();
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  // 0, or a negative libuv error. Clears the recorded requests and the counters.
  int start();
  // Closes the listener and every connection (stalled ones too), joins the loop thread.
  void stop();
  bool running() const;

  const std::string &host() const { return options_.host; }
  int port() const { return served_.port(); }
  std::string origin() const;  // "http://127.0.0.1:<port>"
  // Connections accepted since start().
  std::size_t accepted() const { return served_.accepted(); }
  // Accepted and not closed yet.
  std::size_t open_connections() const { return served_.open_connections(); }
  // Handles stop() had to force-close (expect 0).
  int leaked_handles() const { return served_.leaked_handles(); }

  // Every request to `path` (exact request-target, or its path without the query) gets `script`.
  void on(std::string path, Script script);
  // `handler` builds the script per request (on the loop thread, from the request head).
  void on(std::string path, HttpHandler handler);
  // For paths without a route; initially: 404 with an empty body.
  void on_default(HttpHandler handler);
  void clear_routes();

  // Copies of the records so far, in the order the request heads arrived. A request's body and
  // raw bytes are final once it is complete (or its connection closed).
  std::vector<RecordedRequest> requests() const;
  void clear_requests();
  // Waits until `count` requests are recorded and all settled: complete, cut short by a close, or
  // failed to parse.
  bool wait_for_requests(std::size_t count,
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) const;

 private:
  HttpServerOptions options_;
  HttpRoutes routes_;
  HttpRecorder recorder_;
  ListenerThread<HttpListener> served_;  // last: stopped before the routes and records go
};

}  // namespace fetchtest
