// Sans-I/O HTTP/1 response reader on llhttp (response mode, strict framing).
//
// The caller owns the socket: it feeds whatever bytes arrived and calls on_eof() when the peer
// closed. One reader reads one response (plus the interim 1xx responses before it), then
// stops: `consumed` says where the next response on the connection begins, and the caller
// decides about those bytes (a pipelined response, or garbage that makes the connection
// unusable). begin() starts the next response and keeps every buffer's capacity.
//
// Errors are sticky until begin(): each is a FETCHcode (libcurl's, per BAD-INPUT.md) and a
// static reason() for the error buffer. A connection whose response failed, or for which
// keep_alive() is false, must not be reused.
#pragma once

#include <fetch/fetch.h>
#include <llhttp.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocols/http1/response_sink.h"

namespace fetch::http1 {

struct ResponseOptions {
  bool head_request = false;       // the request was HEAD: the response has no body
  bool reused_connection = false;  // garbage status line: WEIRD_SERVER_REPLY, not UNSUPPORTED
  bool upgrade_requested = false;  // a 101 ends the response (rest is the new protocol);
                                   // otherwise a 101 is FETCHE_WEIRD_SERVER_REPLY
};

class ResponseReader {
 public:
  ResponseReader();
  ResponseReader(const ResponseReader &) = delete;
  ResponseReader &operator=(const ResponseReader &) = delete;
  // Moves the buffers (with their capacity) into a new reader, which needs begin() before use;
  // a recycled exchange hands its reader on this way (runtime/exchange_pool.h).
  ResponseReader(ResponseReader &&) noexcept = default;
  // Frees any buffer that grew past `max_bytes` (one huge head line), so a kept reader stays
  // small.
  void trim_buffers(size_t max_bytes);

  // Starts reading a new response, delivering events to `sink` (not owned; must outlive
  // the reading).
  void begin(ResponseSink &sink, const ResponseOptions &options = {});

  // Parses up to `len` bytes. `*consumed` is how many belong to this response (all of them
  // unless the response ended inside the buffer). After the response ended, further calls
  // consume nothing. Returns FETCHE_OK, or the error that ended the response.
  FETCHcode feed(const char *data, size_t len, size_t *consumed);

  // The peer closed its side. Ends a close-delimited body; otherwise an unfinished response
  // is FETCHE_PARTIAL_FILE, and no byte at all FETCHE_GOT_NOTHING.
  FETCHcode on_eof();

  bool done() const { return done_; }  // the final response is complete
  // The connection may carry another response (valid once done()).
  bool keep_alive() const { return done_ && keep_alive_ && error_ == FETCHE_OK; }
  FETCHcode error() const { return error_; }
  const char *reason() const { return reason_; }  // null when OK or when the sink failed
  int status() const { return head_.status; }
  // Body bytes still to come of a response framed by Content-Length, while its body is being
  // read; 0 when the length is unknown (chunked, close-delimited) or the body is not being read.
  uint64_t body_bytes_left() const;

 private:
  friend struct ReaderCallbacks;
  // Where the bytes being parsed belong; changes only at llhttp pauses.
  enum class Region : uint8_t { kHead, kBody, kChunkSize, kChunkData, kTrailers };
  enum class Pause : uint8_t { kNone, kField, kHeaders, kChunkHeader, kChunkComplete, kMessage };
  enum class Field : uint8_t { kNone, kName, kValue };

  void reset_message();
  FETCHcode fail(FETCHcode code, const char *reason);
  int fail_cb(FETCHcode code, const char *reason);  // for llhttp callbacks: returns HPE_USER
  FETCHcode map_llhttp_error(llhttp_errno_t e);
  size_t head_window(size_t avail) const;
  FETCHcode account(const char *seg, size_t used);
  FETCHcode after_pause();
  FETCHcode finish_message();
  // llhttp events
  int on_status(const char *at, size_t len);
  int on_status_complete();
  int on_header_field(const char *at, size_t len);
  int on_header_field_complete();
  int on_header_value(const char *at, size_t len);
  int on_header_value_complete();
  int on_headers_complete();
  int on_body(const char *at, size_t len);
  int on_chunk_header();
  int on_chunk_complete();
  int on_message_complete();
  uint64_t region_offset(const char *p) const;
  int check_line(const char *at, size_t len);
  int deliver_header();
  // Raw lines (see response_sink.h).
  uint64_t seg_offset() const;  // region offset of seg_[0]
  void keep_raw(const char *seg, size_t used);
  static size_t line_length(std::string_view s);
  std::string_view raw_line(uint64_t from, bool skip_blank);
  FETCHcode deliver_raw_line(uint64_t from, const char *malformed, bool skip_blank = false);

  llhttp_t parser_;
  ResponseSink *sink_ = nullptr;
  ResponseOptions options_;
  Region region_ = Region::kHead;
  Pause pause_ = Pause::kNone;
  Field field_ = Field::kNone;
  const char *seg_ = nullptr;      // start of the buffer llhttp is executing
  const char *seg_end_ = nullptr;  // and its end
  uint64_t head_bytes_ = 0;        // raw head bytes before seg_ (all responses, 1xx included)
  uint64_t trailer_bytes_ = 0;     // raw trailer bytes before seg_
  uint64_t line_start_ = 0;        // region offset where the current header line began
  uint64_t interim_end_ = 0;       // head_bytes_ at the end of the last interim response
  uint64_t line_at_ = 0;           // region offset of the first raw byte not yet delivered
  unsigned header_count_ = 0;
  unsigned location_count_ = 0;
  unsigned chunk_digits_ = 0;
  bool chunk_digits_done_ = false;
  bool status_seen_ = false;  // the current message's status line parsed
  bool interim_seen_ = false;
  bool received_ = false;
  bool saw_content_length_ = false;
  bool te_chunked_ = false;
  bool last_chunk_ = false;
  bool done_ = false;
  bool keep_alive_ = false;
  FETCHcode error_ = FETCHE_OK;
  const char *reason_ = nullptr;
  ResponseHead head_;
  std::string status_reason_;
  std::string name_;
  std::string value_;
  std::string content_encoding_;
  // Raw bytes [line_at_, seg_offset()) of the head or trailers: the part of a line that
  // earlier feed() calls left undelivered (at most one line and a bit, within head limits).
  std::string raw_;
};

}  // namespace fetch::http1
