#include "http_server.h"

#include <utility>

#include "http_listener.h"

namespace fetchtest {

HttpServer::HttpServer(HttpServerOptions options) : options_(std::move(options)) {}

HttpServer::~HttpServer() { stop(); }

int HttpServer::start() {
  std::lock_guard lock(mutex_);
  if (thread_.running()) return UV_EBUSY;
  stats_.accepted = 0;
  stats_.open_connections = 0;
  recorder_.clear();
  auto setup = [this](uv_loop_t &loop) {
    listener_ = std::make_unique<HttpListener>(loop, routes_, recorder_, stats_);
    int rc = listener_->listen(options_.host, options_.port, options_.backlog);
    if (rc == 0) port_ = listener_->port();
    return rc;
  };
  auto teardown = [this] { listener_->close(); };
  int rc = thread_.start(setup, teardown);
  if (rc != 0) listener_.reset();  // start() already drained the loop
  return rc;
}

void HttpServer::stop() {
  std::lock_guard lock(mutex_);
  if (!thread_.running()) return;
  thread_.stop();  // runs teardown on the loop thread, drains every close callback, joins
  listener_.reset();
  port_ = 0;
}

bool HttpServer::running() const {
  std::lock_guard lock(mutex_);
  return thread_.running();
}

std::string HttpServer::origin() const {
  return "http://" + options_.host + ":" + std::to_string(port_);
}

std::size_t HttpServer::accepted() const { return stats_.accepted; }

std::size_t HttpServer::open_connections() const { return stats_.open_connections; }

int HttpServer::leaked_handles() const {
  std::lock_guard lock(mutex_);
  return thread_.leaked_handles();
}

void HttpServer::on(std::string path, Script script) {
  routes_.set(std::move(path),
              [script = std::move(script)](const RecordedRequest &) { return script; });
}

void HttpServer::on(std::string path, HttpHandler handler) {
  routes_.set(std::move(path), std::move(handler));
}

void HttpServer::on_default(HttpHandler handler) { routes_.set_default(std::move(handler)); }

void HttpServer::clear_routes() { routes_.clear(); }

std::vector<RecordedRequest> HttpServer::requests() const { return recorder_.snapshot(); }

void HttpServer::clear_requests() { recorder_.clear(); }

bool HttpServer::wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const {
  return recorder_.wait_for(count, timeout);
}

}  // namespace fetchtest
