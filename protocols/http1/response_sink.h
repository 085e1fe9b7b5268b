// What the HTTP/1 response reader tells its consumer, in order:
//   on_status, on_head_line(status line),
//   (on_header, on_head_line(header line))*,
//   on_head_line(empty line), on_headers_complete  -- once per interim 1xx response (interim =
//   true)
//   ... the same for the final response
//   on_body*,
//   (on_trailer, on_trailer_line(trailer line))*,
//   on_trailer_line(empty line) -- only when at least one trailer line came
//   on_message_complete
// Raw lines (on_head_line, on_trailer_line) are exactly the bytes received, line ending
// included ("X-Spaced:   a b\r\n", "\r\n"), each line once, whatever the split across feed()
// calls. Together the head lines are the head's bytes, less any empty lines skipped before a
// status line, so their sizes add up to the raw head size (CURLINFO_HEADER_SIZE). Each raw
// line comes right after the parsed event for the same line.
// Views and spans are valid during the call only; body spans point into the buffer given to
// ResponseReader::feed (no copy); raw lines point into that buffer or into a reused buffer of
// the reader (for a line that began in an earlier feed()). Every callback returns FETCHE_OK
// to go on, or any other code to stop: feed()/on_eof() then return that code (and the
// reader's reason() is null, as the consumer wrote its own message).
#pragma once

#include <fetch/fetch.h>

#include <cstdint>
#include <span>
#include <string_view>

namespace fetch::http1 {

struct StatusLine {
  int code = 0;
  uint8_t http_major = 1;
  uint8_t http_minor = 1;
  std::string_view reason;
};

struct ResponseHead {
  int status = 0;
  uint8_t http_major = 1;
  uint8_t http_minor = 1;
  bool interim = false;  // a 1xx before the final response (100 Continue: send the body now)
  bool no_body = false;  // HEAD, 1xx, 204, 304, an accepted 101
  bool chunked = false;
  bool has_content_length = false;  // false when chunked (chunked wins)
  uint64_t content_length = 0;
  bool keep_alive = false;            // as the head tells; the final word is keep_alive()
  std::string_view content_encoding;  // all Content-Encoding values joined with ", "
};

class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  virtual FETCHcode on_status(const StatusLine &) { return FETCHE_OK; }
  virtual FETCHcode on_header(std::string_view /*name*/, std::string_view /*value*/) {
    return FETCHE_OK;
  }
  // One line of a head as received, CRLF included: the status line, each header line, the
  // empty line. Lines that fail validation (and so get no on_status/on_header) are not given.
  virtual FETCHcode on_head_line(std::string_view /*raw_line*/) { return FETCHE_OK; }
  virtual FETCHcode on_headers_complete(const ResponseHead &) { return FETCHE_OK; }
  virtual FETCHcode on_body(std::span<const char>) { return FETCHE_OK; }
  virtual FETCHcode on_trailer(std::string_view /*name*/, std::string_view /*value*/) {
    return FETCHE_OK;
  }
  // One trailer line as received, CRLF included, then the final empty line (only when there
  // was at least one trailer line; "0\r\n\r\n" gives none).
  virtual FETCHcode on_trailer_line(std::string_view /*raw_line*/) { return FETCHE_OK; }
  virtual FETCHcode on_message_complete() { return FETCHE_OK; }
};

}  // namespace fetch::http1
