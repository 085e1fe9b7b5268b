#include "http_routes.h"

#include <utility>

#include "script_responses.h"

namespace fetchtest {
namespace {

Script not_found(const RecordedRequest &) { return Script().send(http_response(404)); }

}  // namespace

HttpRoutes::HttpRoutes() : fallback_(not_found) {}

void HttpRoutes::set(std::string path, HttpHandler handler) {
  std::lock_guard lock(mutex_);
  routes_[std::move(path)] = std::move(handler);
}

void HttpRoutes::set_default(HttpHandler handler) {
  std::lock_guard lock(mutex_);
  fallback_ = std::move(handler);
}

void HttpRoutes::clear() {
  std::lock_guard lock(mutex_);
  routes_.clear();
  fallback_ = not_found;
}

HttpHandler HttpRoutes::find(const std::string &target) const {
  std::lock_guard lock(mutex_);
  if (auto it = routes_.find(target); it != routes_.end()) return it->second;
  if (auto q = target.find('?'); q != std::string::npos) {
    if (auto it = routes_.find(target.substr(0, q)); it != routes_.end()) return it->second;
  }
  return fallback_;
}

}  // namespace fetchtest
