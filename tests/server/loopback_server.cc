#include "loopback_server.h"

#include <memory>
#include <utility>

namespace fetchtest {

LoopbackServer::LoopbackServer(HandlerFactory factory, LoopbackServerOptions options)
    : options_(options),
      served_([factory = std::move(factory)](uv_loop_t &loop, ListenerStats &stats) {
        return std::make_unique<Listener>(loop, factory, stats);
      }) {}

LoopbackServer::~LoopbackServer() { stop(); }

int LoopbackServer::start() { return served_.start("127.0.0.1", options_.port, options_.backlog); }

void LoopbackServer::stop() { served_.stop(); }

bool LoopbackServer::running() const { return served_.running(); }

}  // namespace fetchtest
