#include "script_faults.h"

#include <algorithm>
#include <cstdio>

namespace fetchtest {
namespace {

std::string with_length(std::string head_lines, std::string_view body) {
  head_lines += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  head_lines += body;
  return head_lines;
}

constexpr std::string_view kStatus200 = "HTTP/1.1 200 OK\r\n";

}  // namespace

std::string huge_header_response(std::size_t value_bytes, std::string_view body) {
  std::string head(kStatus200);
  head += "X-Huge: " + std::string(value_bytes, 'h') + "\r\n";
  return with_length(std::move(head), body);
}

std::string many_headers_response(std::size_t count, std::string_view body) {
  std::string head(kStatus200);
  for (std::size_t i = 0; i < count; ++i) head += "X-H" + std::to_string(i) + ": v\r\n";
  return with_length(std::move(head), body);
}

std::string nul_in_header_response(std::string_view body) {
  std::string head(kStatus200);
  head += "X-Bad: a";
  head += '\0';
  head += "b\r\n";
  return with_length(std::move(head), body);
}

std::string bare_cr_in_header_response(std::string_view body) {
  std::string head(kStatus200);
  head += "X-Bad: a\rb\r\n";
  return with_length(std::move(head), body);
}

std::string obs_fold_response(std::string_view body) {
  std::string head(kStatus200);
  head += "X-Folded: a\r\n  b\r\n";
  return with_length(std::move(head), body);
}

std::string versioned_response(std::string_view version, int status, std::string_view body) {
  std::string head(version);
  head += " " + std::to_string(status) + " ";
  head += reason_phrase(status);
  head += "\r\n";
  return with_length(std::move(head), body);
}

std::string http09_response(std::string_view body) { return std::string(body); }

std::string informational_flood(std::size_t count, std::string_view final_response) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += informational_response(102);
  out += final_response;
  return out;
}

std::string wrong_content_length_response(std::string_view body, std::size_t declared) {
  std::string out(kStatus200);
  out += "Content-Length: " + std::to_string(declared) + "\r\n\r\n";
  out += body;
  return out;
}

std::string duplicate_content_length_response(std::string_view body, std::size_t first,
                                              std::size_t second) {
  std::string out(kStatus200);
  out += "Content-Length: " + std::to_string(first) + "\r\n";
  out += "Content-Length: " + std::to_string(second) + "\r\n\r\n";
  out += body;
  return out;
}

std::string content_length_and_chunked_response(std::string_view body) {
  std::string out(kStatus200);
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Transfer-Encoding: chunked\r\n\r\n";
  return out + chunked_body(body);
}

std::string coding_after_chunked_response(std::string_view body) {
  std::string out(kStatus200);
  out += "Transfer-Encoding: chunked, gzip\r\n\r\n";
  return out + chunked_body(body);
}

std::string bogus_chunk_response(std::string_view size_line, std::string_view data) {
  std::string out(kStatus200);
  out += "Transfer-Encoding: chunked\r\n\r\n";
  out += size_line;
  out += "\r\n";
  out += data;
  out += "\r\n0\r\n\r\n";
  return out;
}

std::string overflowing_chunk_response() { return bogus_chunk_response("1FFFFFFFFFFFFFFFF", "a"); }

std::string truncated_chunk_response(std::size_t declared, std::size_t sent) {
  char size[32];
  std::snprintf(size, sizeof(size), "%zx", declared);
  std::string out(kStatus200);
  out += "Transfer-Encoding: chunked\r\n\r\n";
  out += std::string(size) + "\r\n" + std::string(sent, 'c');
  return out;
}

std::string huge_trailers_response(std::size_t trailer_bytes, std::string_view body) {
  HeaderList trailers;
  std::size_t total = 0;
  for (std::size_t i = 0; total < trailer_bytes; ++i) {
    std::string name = "X-Trailer-" + std::to_string(i);
    std::string value(std::min<std::size_t>(1000, trailer_bytes - total), 't');
    total += name.size() + value.size() + 4;
    trailers.emplace_back(std::move(name), std::move(value));
  }
  return chunked_response(200, {}, body, {}, trailers);
}

}  // namespace fetchtest
