// ListenerThread<L>: a listener (a ConnectionListener) served by its own LoopThread — the start,
// stop and counters that the echo server (LoopbackServer) and the HTTP server (HttpServer)
// share. start(), stop() and the accessors are safe from any thread except the loop thread
// (stop() from a handler would deadlock). The destructor stops. Counters are reset by start().
#pragma once

#include <uv.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "connection_listener.h"
#include "loop_thread.h"

namespace fetchtest {

template <class L>
class ListenerThread {
 public:
  // Makes the listener on the loop, before the loop thread runs.
  using Make = std::function<std::unique_ptr<L>(uv_loop_t &loop, ListenerStats &stats)>;

  explicit ListenerThread(Make make) : make_(std::move(make)) {}
  ~ListenerThread() { stop(); }
  ListenerThread(const ListenerThread &) = delete;
  ListenerThread &operator=(const ListenerThread &) = delete;

  // Binds host:port (0 = a free port) and starts serving; port() is valid when this returns 0.
  // Otherwise a negative libuv error (UV_EBUSY when already running, UV_EADDRINUSE, ...).
  // `on_start` runs first, under the lock, only when the server was not running.
  int start(const std::string &host, int port, int backlog,
            const std::function<void()> &on_start = {}) {
    std::lock_guard lock(mutex_);
    if (thread_.running()) return UV_EBUSY;
    stats_.accepted = 0;
    stats_.open_connections = 0;
    if (on_start) on_start();
    auto setup = [this, &host, port, backlog](uv_loop_t &loop) {
      listener_ = make_(loop, stats_);
      int rc = listener_->listen(host, port, backlog);
      if (rc == 0) port_ = listener_->port();
      return rc;
    };
    auto teardown = [this] { listener_->close(); };
    int rc = thread_.start(setup, teardown);
    if (rc != 0) listener_.reset();  // start() already drained the loop
    return rc;
  }

  // Closes the listener and every connection, stops the loop and joins its thread.
  void stop() {
    std::lock_guard lock(mutex_);
    if (!thread_.running()) return;
    thread_.stop();  // runs teardown on the loop thread, drains every close callback, joins
    listener_.reset();
    port_ = 0;
  }

  bool running() const {
    std::lock_guard lock(mutex_);
    return thread_.running();
  }
  int port() const { return port_; }
  std::size_t accepted() const { return stats_.accepted; }
  std::size_t open_connections() const { return stats_.open_connections; }
  // Handles a stop() had to close because teardown forgot them (should stay 0).
  int leaked_handles() const {
    std::lock_guard lock(mutex_);
    return thread_.leaked_handles();
  }

 private:
  Make make_;
  mutable std::mutex mutex_;  // serialises start/stop and guards listener_/thread_
  ListenerStats stats_;
  std::atomic<int> port_{0};
  LoopThread thread_;
  std::unique_ptr<L> listener_;
};

}  // namespace fetchtest
