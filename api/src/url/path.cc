#include "path.h"

namespace fetch::url {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Drops the last "/segment" written to 'out'.
void pop_segment(std::string &out) {
  const std::size_t slash = out.rfind('/');
  out.erase(slash == std::string::npos ? 0 : slash);
}

}  // namespace

std::string remove_dot_segments(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  std::string_view in = path;
  while (!in.empty()) {
    if (starts_with(in, "../")) {
      in.remove_prefix(3);
    } else if (starts_with(in, "./")) {
      in.remove_prefix(2);
    } else if (starts_with(in, "/./")) {
      in.remove_prefix(2);  // leaves "/..."
    } else if (in == "/.") {
      in = "/";
    } else if (starts_with(in, "/../")) {
      in.remove_prefix(3);  // leaves "/..."
      pop_segment(out);
    } else if (in == "/..") {
      in = "/";
      pop_segment(out);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const std::size_t next = in.find('/', 1);
      const std::size_t len = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, len));
      in.remove_prefix(len);
    }
  }
  return out;
}

std::string merge_paths(std::string_view base_path, std::string_view relative) {
  if (base_path.empty()) return "/" + std::string(relative);
  const std::size_t slash = base_path.rfind('/');
  std::string out(slash == std::string_view::npos ? std::string_view{}
                                                  : base_path.substr(0, slash + 1));
  if (out.empty()) out = "/";
  out.append(relative);
  return out;
}

}  // namespace fetch::url
