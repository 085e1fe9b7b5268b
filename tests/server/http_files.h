// A handler serving the regular files under a directory: GET and HEAD, Content-Length, a single
// "Range: bytes=..." (206, or 416 when unsatisfiable), 404, 405. Connections stay open.
// Two more routes for examples: "POST /echo" answers the request body, "/redirect/PATH" a 302
// to "/PATH".
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>

#include "http_routes.h"

namespace fetchtest {

// Files are read whole on the loop thread when the request head arrives: meant for test data and
// demo downloads, not for huge files. Targets containing ".." or a NUL are answered 404.
HttpHandler files_handler(std::filesystem::path root);

// Parses a single-range "bytes=a-b", "bytes=a-" or "bytes=-n" against a representation of
// `size` bytes: the inclusive [first, last] pair, or nullopt when unsatisfiable. Multiple ranges
// and syntax errors give {0, size - 1} with `ignored` set (the whole file is then sent as 200).
struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  bool ignored = false;
};
std::optional<ByteRange> parse_byte_range(std::string_view header, std::uint64_t size);

}  // namespace fetchtest
