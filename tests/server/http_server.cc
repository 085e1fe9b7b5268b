#include "http_server.h"

#include <memory>
#include <utility>

namespace fetchtest {

HttpServer::HttpServer(HttpServerOptions options)
    : options_(std::move(options)), served_([this](uv_loop_t &loop, ListenerStats &stats) {
        return std::make_unique<HttpListener>(loop, routes_, recorder_, stats);
      }) {}

HttpServer::~HttpServer() { stop(); }

int HttpServer::start() {
  return served_.start(options_.host, options_.port, options_.backlog,
                       [this] { recorder_.clear(); });
}

void HttpServer::stop() { served_.stop(); }

bool HttpServer::running() const { return served_.running(); }

std::string HttpServer::origin() const {
  return "http://" + options_.host + ":" + std::to_string(served_.port());
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
