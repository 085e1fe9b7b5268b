#include "listener.h"

#include <memory>
#include <utility>

namespace fetchtest {

Listener::Listener(uv_loop_t &loop, HandlerFactory factory, ListenerStats &stats)
    : ConnectionListener(
          loop,
          [&loop, factory = std::move(factory)](std::size_t, Closed closed) {
            return std::make_unique<ServerConnection>(loop, factory(), std::move(closed));
          },
          stats) {}

}  // namespace fetchtest
