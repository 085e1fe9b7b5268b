// Polling a condition that another thread (e.g. a test server's loop) makes true.
#pragma once

#include <chrono>
#include <functional>

namespace fetchtest {

// Calls `done` every `step` until it returns true (then true) or `timeout` passes (then false).
bool wait_until(const std::function<bool()> &done,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(2000),
                std::chrono::milliseconds step = std::chrono::milliseconds(5));

}  // namespace fetchtest
