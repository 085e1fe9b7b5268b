#include "http_listener.h"

#include <memory>
#include <utility>

namespace fetchtest {

HttpListener::HttpListener(uv_loop_t &loop, HttpRoutes &routes, HttpRecorder &recorder,
                           ListenerStats &stats)
    : ConnectionListener(
          loop,
          [&loop, &routes, &recorder](std::size_t id, Closed closed) {
            return std::make_unique<HttpConnection>(loop, id, routes, recorder, std::move(closed));
          },
          stats) {}

}  // namespace fetchtest
