// HttpRoutes: the thread-safe table from request path to the handler that scripts the answer.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "http_recorded_request.h"
#include "script.h"

namespace fetchtest {

// Called on the server's loop thread once the request head arrived (`request.body` is still
// empty then). Must not block and must not call HttpServer::stop().
using HttpHandler = std::function<Script(const RecordedRequest &request)>;

class HttpRoutes {
 public:
  HttpRoutes();

  // Exact match on the request-target ("/a?b=1"), else on its path ("/a").
  void set(std::string path, HttpHandler handler);
  // For targets no route matches. The initial default answers 404 with an empty body.
  void set_default(HttpHandler handler);
  void clear();  // removes every route and restores the initial default

  // A copy of the handler for `target`.
  HttpHandler find(const std::string &target) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, HttpHandler> routes_;
  HttpHandler fallback_;
};

}  // namespace fetchtest
