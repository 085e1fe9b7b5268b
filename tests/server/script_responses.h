// Builders for well-formed HTTP/1.1 response bytes, to put in a Script.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fetchtest {

// Header fields in the order they are sent; names keep their case.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// "OK", "Not Found", ... ("Unknown" for codes not in the table).
std::string_view reason_phrase(int status);

// "HTTP/1.1 <status> <reason>\r\n" + headers + "\r\n". Nothing is added.
std::string http_head(int status, const HeaderList &headers);

// A complete response: the headers given, then "Content-Length: <body size>" unless the headers
// already carry Content-Length or Transfer-Encoding, then the body.
std::string http_response(int status, const HeaderList &headers = {}, std::string_view body = {});

// A chunked body: `body` cut into chunks of the sizes given (the last size repeats until the body
// is used up; no sizes = one chunk), then the last chunk, the trailer fields and the final CRLF.
std::string chunked_body(std::string_view body, const std::vector<std::size_t> &chunk_sizes = {},
                         const HeaderList &trailers = {});

// http_head with "Transfer-Encoding: chunked" appended, then chunked_body(...).
std::string chunked_response(int status, const HeaderList &headers, std::string_view body,
                             const std::vector<std::size_t> &chunk_sizes = {},
                             const HeaderList &trailers = {});

// "HTTP/1.1 100 Continue\r\n\r\n" and friends (no body).
std::string informational_response(int status = 100, const HeaderList &headers = {});

// A 3xx response with Location and an empty body.
std::string redirect_response(int status, std::string_view location);

}  // namespace fetchtest
