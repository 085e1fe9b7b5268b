#include "http_files.h"

#include <charconv>
#include <fstream>
#include <string>

#include "script_responses.h"

namespace fetchtest {
namespace {

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The file for `target`, or nullopt when it must be answered 404.
std::optional<std::filesystem::path> file_for(const std::filesystem::path &root,
                                              std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path.empty() || path[0] != '/' || path.find("..") != std::string_view::npos ||
      path.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::filesystem::path file = root / std::filesystem::path(path.substr(1));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

std::optional<std::string> read_file(const std::filesystem::path &file) {
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  std::ifstream in(file, std::ios::binary);
  if (ec || !in) return std::nullopt;
  std::string content(size, '\0');
  if (!in.read(content.data(), static_cast<std::streamsize>(size))) return std::nullopt;
  return content;
}

// Two routes beside the files, so that a libcurl-style example can POST and follow a
// redirect against the bundled server: "POST /echo" answers the request body back, and
// "/redirect/PATH" answers 302 with "Location: /PATH".
constexpr std::string_view kEcho = "/echo";
constexpr std::string_view kRedirect = "/redirect/";

Script serve(const std::filesystem::path &root, const RecordedRequest &request) {
  if (request.method == "POST" && request.target == kEcho) {
    return Script().echo_body("application/octet-stream");
  }
  if (std::string_view(request.target).substr(0, kRedirect.size()) == kRedirect) {
    std::string location = "/" + request.target.substr(kRedirect.size());
    return Script().send(http_response(302, {{"Location", location}}));
  }
  bool head = request.method == "HEAD";
  if (!head && request.method != "GET") {
    return Script().send(http_response(405, {{"Allow", "GET, HEAD"}}));
  }
  auto file = file_for(root, request.target);
  std::optional<std::string> content;
  if (file) content = read_file(*file);
  if (!content) return Script().send(http_response(404));

  const std::uint64_t size = content->size();
  HeaderList headers = {{"Content-Type", "application/octet-stream"}, {"Accept-Ranges", "bytes"}};
  int status = 200;
  std::string_view body = *content;
  if (request.has_header("Range")) {
    auto range = parse_byte_range(request.header("Range"), size);
    if (!range) {
      headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
      return Script().send(http_response(416, headers));
    }
    if (!range->ignored) {
      status = 206;
      headers.emplace_back("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                                std::to_string(range->last) + "/" +
                                                std::to_string(size));
      body = body.substr(range->first, range->last - range->first + 1);
    }
  }
  if (head) {
    headers.emplace_back("Content-Length", std::to_string(body.size()));
    return Script().send(http_head(status, headers));
  }
  return Script().send(http_response(status, headers, body));
}

}  // namespace

std::optional<ByteRange> parse_byte_range(std::string_view header, std::uint64_t size) {
  const ByteRange whole{0, size == 0 ? 0 : size - 1, true};
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return whole;
  std::string_view spec = header.substr(kPrefix.size());
  auto dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) return whole;
  std::string_view first_text = spec.substr(0, dash);
  std::string_view last_text = spec.substr(dash + 1);
  if (first_text.empty()) {  // suffix: the last n bytes
    auto n = parse_u64(last_text);
    if (!n) return whole;
    if (*n == 0 || size == 0) return std::nullopt;
    return ByteRange{*n >= size ? 0 : size - *n, size - 1, false};
  }
  auto first = parse_u64(first_text);
  if (!first) return whole;
  std::uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    auto parsed = parse_u64(last_text);
    if (!parsed || *parsed < *first) return whole;
    if (*parsed < last) last = *parsed;
  }
  if (*first >= size) return std::nullopt;
  return ByteRange{*first, last, false};
}

HttpHandler files_handler(std::filesystem::path root) {
  return [root = std::move(root)](const RecordedRequest &request) { return serve(root, request); };
}

}  // namespace fetchtest
