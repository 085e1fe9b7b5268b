#include "loopback_server.h"

#include <utility>

namespace fetchtest {

LoopbackServer::LoopbackServer(HandlerFactory factory, LoopbackServerOptions options)
    : factory_(std::move(factory)), options_(options) {}

LoopbackServer::~LoopbackServer() { stop(); }

int LoopbackServer::start() {
  std::lock_guard lock(mutex_);
  if (thread_.running()) return UV_EBUSY;
  stats_.accepted = 0;
  stats_.open_connections = 0;
  auto setup = [this](uv_loop_t &loop) {
    listener_ = std::make_unique<Listener>(loop, factory_, stats_);
    int rc = listener_->listen(options_.port, options_.backlog);
    if (rc == 0) port_ = listener_->port();
    return rc;
  };
  auto teardown = [this] { listener_->close(); };
  int rc = thread_.start(setup, teardown);
  if (rc != 0) listener_.reset();  // start() already drained the loop
  return rc;
}

void LoopbackServer::stop() {
  std::lock_guard lock(mutex_);
  if (!thread_.running()) return;
  thread_.stop();  // runs teardown on the loop thread, drains every close callback, joins
  listener_.reset();
  port_ = 0;
}

bool LoopbackServer::running() const {
  std::lock_guard lock(mutex_);
  return thread_.running();
}

int LoopbackServer::port() const { return port_; }

std::size_t LoopbackServer::accepted() const { return stats_.accepted; }

std::size_t LoopbackServer::open_connections() const { return stats_.open_connections; }

int LoopbackServer::leaked_handles() const {
  std::lock_guard lock(mutex_);
  return thread_.leaked_handles();
}

}  // namespace fetchtest
