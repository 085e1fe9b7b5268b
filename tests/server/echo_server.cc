#include "echo_server.h"

#include <memory>

namespace fetchtest {

EchoServer::EchoServer(EchoServerOptions options)
    : server_([echo = options.echo] { return std::make_unique<EchoHandler>(echo); },
              LoopbackServerOptions{options.port, options.backlog}) {}

int EchoServer::start() { return server_.start(); }

void EchoServer::stop() { server_.stop(); }

bool EchoServer::running() const { return server_.running(); }

int EchoServer::port() const { return server_.port(); }

std::size_t EchoServer::accepted() const { return server_.accepted(); }

std::size_t EchoServer::open_connections() const { return server_.open_connections(); }

int EchoServer::leaked_handles() const { return server_.leaked_handles(); }

}  // namespace fetchtest
