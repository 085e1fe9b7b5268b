// HTTP/1 request head serialization (sans-I/O: bytes out, no socket).
//
// write_request_head() renders the request line and header block of one request into one
// caller-owned string. The string is cleared first, so a connection that reuses it for every
// request keeps its capacity and steady state allocates nothing.
//
// Header order follows libcurl: Host, Range (or Content-Range), User-Agent, Accept: */*,
// Accept-Encoding, Referer, Transfer-Encoding, the time condition (If-Modified-Since,
// If-Unmodified-Since or Last-Modified), then the application's FETCHOPT_HTTPHEADER lines, then
// Content-Length, Content-Type and Expect. FETCHOPT_HTTPHEADER entries follow
// CURLOPT_HTTPHEADER(3):
//   "Name: value"  replaces a built-in header of that name (or adds a new one);
//   "Name:"        removes the built-in header and sends nothing;
//   "Name;"        sends "Name:" with an empty value (and replaces the built-in);
//   anything else (no colon, "Name; x", ": x") is ignored, as libcurl does.
// A custom Host header keeps the Host position (first), as libcurl does.
//
// Unlike libcurl, a CR, LF or NUL in the method, target or any header text is refused with
// FETCHE_BAD_FUNCTION_ARGUMENT (no request smuggling); `out` is then left empty.
#pragma once

#include <fetch/fetch.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace fetch::http1 {

enum class Version : uint8_t { kHttp10, kHttp11 };

enum class BodyKind : uint8_t {
  kNone,     // no request body, no framing header
  kLength,   // Content-Length: content_length
  kChunked,  // Transfer-Encoding: chunked (HTTP/1.1 only)
};

struct RequestHead {
  std::string_view method = "GET";
  std::string_view target = "/";  // origin-form, or absolute-form towards a proxy
  Version version = Version::kHttp11;
  std::string_view host;           // Host: value ("example.com:8080"); empty: no Host header
  std::string_view user_agent;     // empty: none
  std::string_view referer;        // empty: none
  std::string_view range;          // "0-99" sends "Range: bytes=0-99"; empty: none
  std::string_view content_range;  // "bytes 5-9/10" sends "Content-Range: ..."; empty: none
  // A time condition: "If-Modified-Since", "If-Unmodified-Since" or "Last-Modified" and its
  // date ("Sun, 06 Nov 1994 08:49:37 GMT"); empty name: none. A custom header of the same
  // name (even one that only removes it) replaces it, as libcurl.
  std::string_view time_condition_name;
  std::string_view time_condition_value;
  std::string_view accept_encoding;  // empty: none
  std::string_view content_type;     // empty: none
  BodyKind body = BodyKind::kNone;
  uint64_t content_length = 0;                  // with BodyKind::kLength
  bool expect_continue = false;                 // add "Expect: 100-continue" (only with a body)
  const fetch_slist *custom_headers = nullptr;  // FETCHOPT_HTTPHEADER, not owned
};

struct WriteResult {
  FETCHcode code = FETCHE_OK;
  const char *reason = nullptr;   // static text for the error buffer when code != FETCHE_OK
  bool expects_continue = false;  // the head asks for 100-continue (built-in or custom Expect)
};

// Renders `req` into `out` (cleared first). Errors: FETCHE_BAD_FUNCTION_ARGUMENT (CR/LF/NUL,
// empty method or target), FETCHE_UPLOAD_FAILED (chunked upload over HTTP/1.0, as libcurl).
WriteResult write_request_head(const RequestHead &req, std::string &out);

}  // namespace fetch::http1
