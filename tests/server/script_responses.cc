#include "script_responses.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace fetchtest {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%zx", n);
  return buf;
}

}  // namespace

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 102:
      return "Processing";
    case 103:
      return "Early Hints";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 407:
      return "Proxy Authentication Required";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

std::string http_head(int status, const HeaderList &headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
  out += reason_phrase(status);
  out += "\r\n";
  for (const auto &[name, value] : headers) out += name + ": " + value + "\r\n";
  out += "\r\n";
  return out;
}

std::string http_response(int status, const HeaderList &headers, std::string_view body) {
  bool framed = std::any_of(headers.begin(), headers.end(), [](const auto &h) {
    return iequals(h.first, "Content-Length") || iequals(h.first, "Transfer-Encoding");
  });
  HeaderList all = headers;
  if (!framed) all.emplace_back("Content-Length", std::to_string(body.size()));
  std::string out = http_head(status, all);
  out += body;
  return out;
}

std::string chunked_body(std::string_view body, const std::vector<std::size_t> &chunk_sizes,
                         const HeaderList &trailers) {
  std::string out;
  std::size_t next = 0;
  while (!body.empty()) {
    std::size_t size = body.size();
    if (!chunk_sizes.empty()) size = chunk_sizes[std::min(next++, chunk_sizes.size() - 1)];
    size = std::clamp<std::size_t>(size, 1, body.size());
    out += hex(size) + "\r\n";
    out += body.substr(0, size);
    out += "\r\n";
    body.remove_prefix(size);
  }
  out += "0\r\n";
  for (const auto &[name, value] : trailers) out += name + ": " + value + "\r\n";
  out += "\r\n";
  return out;
}

std::string chunked_response(int status, const HeaderList &headers, std::string_view body,
                             const std::vector<std::size_t> &chunk_sizes,
                             const HeaderList &trailers) {
  HeaderList all = headers;
  all.emplace_back("Transfer-Encoding", "chunked");
  return http_head(status, all) + chunked_body(body, chunk_sizes, trailers);
}

std::string informational_response(int status, const HeaderList &headers) {
  return http_head(status, headers);
}

std::string redirect_response(int status, std::string_view location) {
  return http_response(status, {{"Location", std::string(location)}});
}

}  // namespace fetchtest
