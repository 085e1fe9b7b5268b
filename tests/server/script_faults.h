// Generators of malformed or hostile response bytes (docs: BAD-INPUT.md, "Fault-injection
// server"). Each returns exact bytes for Script::send; combine with close()/reset()/stall() or
// cut them with std::string::substr to end the connection at byte N.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "script_responses.h"

namespace fetchtest {

// 200 with one header "X-Huge: " whose value has `value_bytes` bytes, then `body`.
std::string huge_header_response(std::size_t value_bytes, std::string_view body = "ok");
// 200 with `count` distinct headers "X-H<i>: v".
std::string many_headers_response(std::size_t count, std::string_view body = "ok");
// 200 whose "X-Bad" header value contains a NUL byte.
std::string nul_in_header_response(std::string_view body = "ok");
// 200 whose "X-Bad" header value contains a bare CR (not followed by LF).
std::string bare_cr_in_header_response(std::string_view body = "ok");
// 200 with an obs-fold continuation line ("X-Folded: a\r\n  b").
std::string obs_fold_response(std::string_view body = "ok");
// A well-formed response whose status line names `version` ("HTTP/1.2", "HTTP/2.0", "HTTP/0.9").
std::string versioned_response(std::string_view version, int status = 200,
                               std::string_view body = "ok");
// HTTP/0.9: the body alone, no status line (end it with close()).
std::string http09_response(std::string_view body);
// `count` interim "102 Processing" responses followed by `final_response`.
std::string informational_flood(std::size_t count, std::string_view final_response);

// Content-Length says `declared` but `body` is sent (end with close() when declared > size).
std::string wrong_content_length_response(std::string_view body, std::size_t declared);
// Two Content-Length headers with values `first` and `second`.
std::string duplicate_content_length_response(std::string_view body, std::size_t first,
                                              std::size_t second);
// Both "Content-Length: <body size>" and "Transfer-Encoding: chunked"; the body is chunked.
std::string content_length_and_chunked_response(std::string_view body);
// "Transfer-Encoding: chunked, gzip" (a coding after chunked); the body is chunked, not gzipped.
std::string coding_after_chunked_response(std::string_view body);

// Chunked response whose first chunk-size line is `size_line` verbatim (e.g. "zz", "-1", "1 x"),
// followed by `data`, CRLF, and the last chunk.
std::string bogus_chunk_response(std::string_view size_line, std::string_view data = "abc");
// Chunk size with more hex digits than fit in 64 bits.
std::string overflowing_chunk_response();
// Chunked response announcing a chunk of `declared` bytes but sending only `sent` of them (end
// the connection after it with close() or reset()).
std::string truncated_chunk_response(std::size_t declared, std::size_t sent);
// Chunked response whose trailer section has `trailer_bytes` bytes of "X-Trailer-<i>" fields.
std::string huge_trailers_response(std::size_t trailer_bytes, std::string_view body = "ok");

}  // namespace fetchtest
