// See response_reader.h. How the llhttp parser is driven:
//  - Strict framing (no lenient flags) except two: "chunked with Content-Length" parses as
//    chunked (libcurl's answer, test365; we then refuse keep-alive), and keep-alive leniency so
//    llhttp never swallows bytes after a "Connection: close" response (we stop there anyway).
//  - Callbacks pause llhttp at every boundary (end of head, chunk header, chunk end, end of
//    message). Each execute() therefore covers bytes of one Region, which lets feed() count
//    raw head/trailer bytes exactly and scan chunk-size lines for their digit count, and lets
//    us stop at the end of one response with `consumed` pointing at the next.
//  - Limits are ours (limits.h), checked in the span callbacks while data arrives, so a huge
//    header fails before it is buffered.
//  - Raw lines: a line is complete once llhttp reports it (its end has been parsed), so it
//    runs from where it began (line_start_, or line_at_ for the status and empty lines) to
//    where llhttp ends lines: the first LF, or one byte past a CR (our llhttp is built in
//    loose mode); a CR without LF there is refused, so every raw line ends in LF. A line wholly
//    inside the buffer being parsed is given as a view into it; only the undelivered tail of a
//    buffer is copied into raw_, for the next feed() to finish.
#include "protocols/http1/response_reader.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>

#include "protocols/http1/limits.h"
#include "protocols/http1/tokens.h"

namespace fetch::http1 {
namespace {

constexpr const char *kEmptyReply = "Empty reply from server";
constexpr const char *kNotHttp = "Invalid status line: not an HTTP/1.x response";
constexpr const char *kBadVersion = "Unsupported HTTP version in response";
constexpr const char *kBadStatusLine = "Invalid HTTP status line";
constexpr const char *kBadStatusCode = "Unsupported response code in HTTP response";
constexpr const char *kUnexpected101 = "Unexpected 101 Switching Protocols response";
constexpr const char *kBadHeader = "Malformed header line in response";
constexpr const char *kHeaderTooLarge = "Response header line too large";
constexpr const char *kHeadersTooLarge = "Too large response headers";
constexpr const char *kTooManyHeaders = "Too many response headers";
constexpr const char *kTwoLocations = "Multiple Location headers";
constexpr const char *kBadLength = "Invalid or conflicting Content-Length";
constexpr const char *kChunkedNotLast = "Transfer-Encoding: chunked is not the last coding";
constexpr const char *kBadChunkSize = "Illegal or missing hexadecimal sequence in chunked-encoding";
constexpr const char *kChunkSizeTooLong = "Too long hexadecimal number in chunked-encoding";
constexpr const char *kBadChunkData = "Malformed chunk: no CRLF after the chunk data";
constexpr const char *kTrailerTooLarge = "Trailer line too large";
constexpr const char *kBadTrailer = "Malformed trailer line";
constexpr const char *kHeadersCut = "Connection closed before the end of the response headers";
constexpr const char *kBodyCut = "transfer closed with outstanding read data remaining";

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool has_ctl(std::string_view s) { return has_cr_lf_nul(s); }

}  // namespace

// llhttp's C callbacks, forwarding to the reader in parser->data.
struct ReaderCallbacks {
  static ResponseReader &r(llhttp_t *p) { return *static_cast<ResponseReader *>(p->data); }
  static int status(llhttp_t *p, const char *at, size_t n) { return r(p).on_status(at, n); }
  static int status_complete(llhttp_t *p) { return r(p).on_status_complete(); }
  static int field(llhttp_t *p, const char *at, size_t n) { return r(p).on_header_field(at, n); }
  static int field_complete(llhttp_t *p) { return r(p).on_header_field_complete(); }
  static int value(llhttp_t *p, const char *at, size_t n) { return r(p).on_header_value(at, n); }
  static int value_complete(llhttp_t *p) { return r(p).on_header_value_complete(); }
  static int headers_complete(llhttp_t *p) { return r(p).on_headers_complete(); }
  static int body(llhttp_t *p, const char *at, size_t n) { return r(p).on_body(at, n); }
  static int chunk_header(llhttp_t *p) { return r(p).on_chunk_header(); }
  static int chunk_complete(llhttp_t *p) { return r(p).on_chunk_complete(); }
  static int message_complete(llhttp_t *p) { return r(p).on_message_complete(); }

  static llhttp_settings_t make() {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_status = status;
    s.on_status_complete = status_complete;
    s.on_header_field = field;
    s.on_header_field_complete = field_complete;
    s.on_header_value = value;
    s.on_header_value_complete = value_complete;
    s.on_headers_complete = headers_complete;
    s.on_body = body;
    s.on_chunk_header = chunk_header;
    s.on_chunk_complete = chunk_complete;
    s.on_message_complete = message_complete;
    return s;
  }
  static const llhttp_settings_t *settings() {
    static const llhttp_settings_t s = make();  // llhttp keeps the pointer
    return &s;
  }
};

ResponseReader::ResponseReader() {
  llhttp_init(&parser_, HTTP_RESPONSE, ReaderCallbacks::settings());
}

uint64_t ResponseReader::body_bytes_left() const {
  if (region_ != Region::kBody || !head_.has_content_length || done_) return 0;
  return parser_.content_length;  // llhttp counts it down as body bytes pass
}

void ResponseReader::trim_buffers(size_t max_bytes) {
  for (std::string *b : {&status_reason_, &name_, &value_, &content_encoding_, &raw_}) {
    if (b->capacity() > max_bytes) std::string().swap(*b);
  }
}

void ResponseReader::begin(ResponseSink &sink, const ResponseOptions &options) {
  llhttp_init(&parser_, HTTP_RESPONSE, ReaderCallbacks::settings());
  parser_.data = this;
  llhttp_set_lenient_chunked_length(&parser_, 1);
  llhttp_set_lenient_keep_alive(&parser_, 1);
  sink_ = &sink;
  options_ = options;
  region_ = Region::kHead;
  pause_ = Pause::kNone;
  seg_ = nullptr;
  head_bytes_ = 0;
  trailer_bytes_ = 0;
  interim_end_ = 0;
  line_at_ = 0;
  raw_.clear();
  interim_seen_ = false;
  received_ = false;
  done_ = false;
  keep_alive_ = false;
  last_chunk_ = false;
  chunk_digits_ = 0;
  chunk_digits_done_ = false;
  error_ = FETCHE_OK;
  reason_ = nullptr;
  reset_message();
}

void ResponseReader::reset_message() {
  field_ = Field::kNone;
  line_start_ = 0;
  header_count_ = 0;
  location_count_ = 0;
  status_seen_ = false;
  saw_content_length_ = false;
  te_chunked_ = false;
  head_ = ResponseHead{};
  status_reason_.clear();
  name_.clear();
  value_.clear();
  content_encoding_.clear();
}

FETCHcode ResponseReader::fail(FETCHcode code, const char *reason) {
  error_ = code;
  reason_ = reason;
  keep_alive_ = false;
  return code;
}

int ResponseReader::fail_cb(FETCHcode code, const char *reason) {
  fail(code, reason);
  return HPE_USER;
}

FETCHcode ResponseReader::feed(const char *data, size_t len, size_t *consumed) {
  *consumed = 0;
  if (error_ != FETCHE_OK) return error_;
  if (done_ || sink_ == nullptr || len == 0) return FETCHE_OK;
  received_ = true;
  size_t off = 0;
  while (!done_) {
    seg_ = data + off;
    size_t window = head_window(len - off);
    seg_end_ = seg_ + window;
    pause_ = Pause::kNone;
    llhttp_errno_t e = llhttp_execute(&parser_, seg_, window);
    size_t used = window;
    if (e == HPE_PAUSED || e == HPE_PAUSED_UPGRADE) {
      used = static_cast<size_t>(llhttp_get_error_pos(&parser_) - seg_);
    } else if (e != HPE_OK) {
      *consumed = off;
      return map_llhttp_error(e);
    }
    FETCHcode rc = account(seg_, used);
    seg_ += used;  // parsed and counted: after_pause() finds any raw line in raw_
    seg_end_ = seg_;
    off += used;
    *consumed = off;
    if (rc != FETCHE_OK) return rc;
    if (e == HPE_OK) {
      if (off == len) break;  // everything parsed, response not over yet
      continue;               // a head window ended within the limits: go on
    }
    if (e == HPE_PAUSED) llhttp_resume(&parser_);
    rc = after_pause();
    if (rc != FETCHE_OK) return rc;
  }
  return FETCHE_OK;
}

// In the head and the trailers, llhttp never sees a byte past the first one that breaks a
// limit: the error then comes at the same byte, with the same events before it, however the
// input was split.
size_t ResponseReader::head_window(size_t avail) const {
  bool trailers = region_ == Region::kTrailers;
  if (region_ != Region::kHead && !trailers) return avail;
  uint64_t bytes = trailers ? trailer_bytes_ : head_bytes_;
  uint64_t window = kMaxHeaderBlock + 1 - bytes;
  if (field_ != Field::kNone) {
    uint64_t line_limit = trailers ? kMaxTrailerLine : kMaxHeaderLine;
    window = std::min(window, line_limit + 1 - (bytes - line_start_));
  }
  return static_cast<size_t>(std::min<uint64_t>(window, avail));
}

FETCHcode ResponseReader::on_eof() {
  if (error_ != FETCHE_OK) return error_;
  if (done_ || sink_ == nullptr) return FETCHE_OK;
  // Nothing, or only interim 1xx responses: "empty reply" (libcurl does not count a lone 100).
  if (!received_ || (interim_seen_ && region_ == Region::kHead && head_bytes_ == interim_end_))
    return fail(FETCHE_GOT_NOTHING, kEmptyReply);
  pause_ = Pause::kNone;
  seg_ = nullptr;
  seg_end_ = nullptr;
  llhttp_finish(&parser_);
  if (error_ != FETCHE_OK) return error_;
  if (pause_ == Pause::kMessage) {
    llhttp_resume(&parser_);
    return finish_message();
  }
  return fail(FETCHE_PARTIAL_FILE, region_ == Region::kHead ? kHeadersCut : kBodyCut);
}

FETCHcode ResponseReader::map_llhttp_error(llhttp_errno_t e) {
  // Our callbacks fail with HPE_USER; llhttp reports that as HPE_CB_* for non-span callbacks.
  if (error_ != FETCHE_OK) return error_;
  switch (region_) {
    case Region::kHead:
      if (!status_seen_) {
        if (e == HPE_INVALID_CONSTANT)  // not even "HTTP/": HTTP/0.9 or garbage
          return fail(
              options_.reused_connection ? FETCHE_WEIRD_SERVER_REPLY : FETCHE_UNSUPPORTED_PROTOCOL,
              kNotHttp);
        return fail(FETCHE_UNSUPPORTED_PROTOCOL,
                    e == HPE_INVALID_VERSION ? kBadVersion : kBadStatusLine);
      }
      if (e == HPE_INVALID_CONTENT_LENGTH || e == HPE_UNEXPECTED_CONTENT_LENGTH)
        return fail(FETCHE_WEIRD_SERVER_REPLY, kBadLength);
      return fail(FETCHE_WEIRD_SERVER_REPLY, kBadHeader);
    case Region::kChunkSize:
      return fail(FETCHE_RECV_ERROR, kBadChunkSize);
    case Region::kChunkData:
      return fail(FETCHE_RECV_ERROR, kBadChunkData);
    case Region::kTrailers:
      return fail(FETCHE_WEIRD_SERVER_REPLY, kBadTrailer);
    case Region::kBody:
      break;
  }
  return fail(FETCHE_WEIRD_SERVER_REPLY, kBadHeader);
}

// Counts the raw bytes llhttp just parsed, all of them in region_.
FETCHcode ResponseReader::account(const char *seg, size_t used) {
  switch (region_) {
    case Region::kHead:
      keep_raw(seg, used);
      head_bytes_ += used;
      if (field_ != Field::kNone && head_bytes_ - line_start_ > kMaxHeaderLine)
        return fail(FETCHE_TOO_LARGE, kHeaderTooLarge);
      if (head_bytes_ > kMaxHeaderBlock) return fail(FETCHE_RECV_ERROR, kHeadersTooLarge);
      break;
    case Region::kTrailers:
      keep_raw(seg, used);
      trailer_bytes_ += used;
      if (field_ != Field::kNone && trailer_bytes_ - line_start_ > kMaxTrailerLine)
        return fail(FETCHE_TOO_LARGE, kTrailerTooLarge);
      if (trailer_bytes_ > kMaxHeaderBlock) return fail(FETCHE_RECV_ERROR, kHeadersTooLarge);
      break;
    case Region::kChunkSize:
      // llhttp accepts any number of leading zeros; libcurl allows 16 hex digits at most.
      for (size_t i = 0; i < used && !chunk_digits_done_; ++i) {
        if (!is_hex(seg[i])) {
          chunk_digits_done_ = true;
        } else if (++chunk_digits_ > kMaxChunkSizeDigits) {
          return fail(FETCHE_RECV_ERROR, kChunkSizeTooLong);
        }
      }
      break;
    case Region::kBody:
    case Region::kChunkData:
      break;
  }
  return FETCHE_OK;
}

// Runs what a pause (set by a callback) stands for, and moves to the next region.
FETCHcode ResponseReader::after_pause() {
  switch (pause_) {
    case Pause::kNone:
    case Pause::kField:  // only to clamp the next window to the line limit
      break;
    case Pause::kHeaders: {
      head_.content_encoding = content_encoding_;
      FETCHcode rc = deliver_raw_line(line_at_, kBadHeader);  // the empty line
      if (rc != FETCHE_OK) return rc;
      rc = sink_->on_headers_complete(head_);
      if (rc != FETCHE_OK) return fail(rc, nullptr);
      if (head_.interim) {
        interim_seen_ = true;
        interim_end_ = head_bytes_;
      } else if (!head_.no_body) {
        region_ = head_.chunked ? Region::kChunkSize : Region::kBody;
        chunk_digits_ = 0;
        chunk_digits_done_ = false;
      }
      break;
    }
    case Pause::kChunkHeader:
      region_ = last_chunk_ ? Region::kTrailers : Region::kChunkData;
      field_ = Field::kNone;
      line_at_ = 0;  // trailer offsets start at 0
      raw_.clear();
      break;
    case Pause::kChunkComplete:
      // After the last chunk this comes at the end of the trailer section: its empty line,
      // given only if trailer lines came before it (line_at_ moved past them).
      if (region_ == Region::kTrailers && line_at_ > 0) {
        FETCHcode rc = deliver_raw_line(line_at_, kBadTrailer);
        if (rc != FETCHE_OK) return rc;
      }
      region_ = Region::kChunkSize;
      chunk_digits_ = 0;
      chunk_digits_done_ = false;
      break;
    case Pause::kMessage:
      return finish_message();
  }
  return FETCHE_OK;
}

FETCHcode ResponseReader::finish_message() {
  done_ = true;
  FETCHcode rc = sink_->on_message_complete();
  if (rc != FETCHE_OK) return fail(rc, nullptr);
  return FETCHE_OK;
}

// ---- llhttp events ----

int ResponseReader::on_status(const char *at, size_t len) {
  if (status_reason_.size() + len > kMaxHeaderLine)
    return fail_cb(FETCHE_TOO_LARGE, kHeaderTooLarge);
  status_reason_.append(at, len);
  return 0;
}

int ResponseReader::on_status_complete() {
  status_seen_ = true;
  int code = llhttp_get_status_code(&parser_);
  uint8_t major = llhttp_get_http_major(&parser_);
  uint8_t minor = llhttp_get_http_minor(&parser_);
  if (major != 1) return fail_cb(FETCHE_UNSUPPORTED_PROTOCOL, kBadVersion);
  if (code < 100) return fail_cb(FETCHE_UNSUPPORTED_PROTOCOL, kBadStatusCode);
  if (code == 101 && !options_.upgrade_requested)
    return fail_cb(FETCHE_WEIRD_SERVER_REPLY, kUnexpected101);
  head_.status = code;
  head_.http_major = major;
  head_.http_minor = minor;
  StatusLine line{code, major, minor, status_reason_};
  FETCHcode rc = sink_->on_status(line);
  if (rc != FETCHE_OK) return fail_cb(rc, nullptr);
  // llhttp skips empty lines before a status line; so do raw lines.
  if (deliver_raw_line(line_at_, kBadStatusLine, true) != FETCHE_OK) return HPE_USER;
  return 0;
}

uint64_t ResponseReader::region_offset(const char *p) const {
  uint64_t base = region_ == Region::kTrailers ? trailer_bytes_ : head_bytes_;
  return base + static_cast<uint64_t>(p - seg_);
}

int ResponseReader::check_line(const char *at, size_t len) {
  uint64_t end = region_offset(at + len);
  bool trailer = region_ == Region::kTrailers;
  if (end - line_start_ > (trailer ? kMaxTrailerLine : kMaxHeaderLine))
    return fail_cb(FETCHE_TOO_LARGE, trailer ? kTrailerTooLarge : kHeaderTooLarge);
  if (end > kMaxHeaderBlock) return fail_cb(FETCHE_RECV_ERROR, kHeadersTooLarge);
  return 0;
}

int ResponseReader::on_header_field(const char *at, size_t len) {
  if (field_ != Field::kName) {  // a new header line
    field_ = Field::kName;
    name_.clear();
    value_.clear();
    line_start_ = region_offset(at);
  }
  if (int rc = check_line(at, len)) return rc;
  name_.append(at, len);
  return 0;
}

int ResponseReader::on_header_field_complete() {
  // If the rest of this buffer could hold an over-long line, pause so that feed() clamps the
  // window to the line limit (blanks before a value produce no span to check).
  uint64_t line_limit = region_ == Region::kTrailers ? kMaxTrailerLine : kMaxHeaderLine;
  if (region_offset(seg_end_) - line_start_ > line_limit) {
    pause_ = Pause::kField;
    return HPE_PAUSED;
  }
  return 0;
}

int ResponseReader::on_header_value(const char *at, size_t len) {
  field_ = Field::kValue;
  if (int rc = check_line(at, len)) return rc;
  value_.append(at, len);
  return 0;
}

int ResponseReader::on_header_value_complete() {
  int rc = deliver_header();
  field_ = Field::kNone;
  return rc;
}

int ResponseReader::deliver_header() {
  bool trailer = region_ == Region::kTrailers;
  std::string_view name(name_);
  std::string_view value = trim_ows(value_);
  if (!is_token(name) || has_ctl(value))
    return fail_cb(FETCHE_WEIRD_SERVER_REPLY, trailer ? kBadTrailer : kBadHeader);
  if (++header_count_ > kMaxHeaderCount) return fail_cb(FETCHE_TOO_LARGE, kTooManyHeaders);
  FETCHcode rc;
  if (trailer) {
    rc = sink_->on_trailer(name, value);
  } else {
    if (iequals(name, "Location") && ++location_count_ > 1)
      return fail_cb(FETCHE_WEIRD_SERVER_REPLY, kTwoLocations);
    if (iequals(name, "Content-Length")) saw_content_length_ = true;
    if (iequals(name, "Transfer-Encoding")) {
      // Nothing may follow "chunked" (RFC 9112 6.1; libcurl test1722).
      bool ok = for_each_list_token(value, [this](std::string_view coding) {
        if (te_chunked_) return false;
        if (iequals(coding, "chunked")) te_chunked_ = true;
        return true;
      });
      if (!ok) return fail_cb(FETCHE_BAD_CONTENT_ENCODING, kChunkedNotLast);
    }
    if (iequals(name, "Content-Encoding") && !value.empty()) {
      if (!content_encoding_.empty()) content_encoding_.append(", ");
      content_encoding_.append(value);
    }
    rc = sink_->on_header(name, value);
  }
  if (rc != FETCHE_OK) return fail_cb(rc, nullptr);
  if (deliver_raw_line(line_start_, trailer ? kBadTrailer : kBadHeader) != FETCHE_OK)
    return HPE_USER;
  return 0;
}

// ---- raw lines ----

uint64_t ResponseReader::seg_offset() const {
  return region_ == Region::kTrailers ? trailer_bytes_ : head_bytes_;
}

// Keeps the undelivered part of the `used` bytes just parsed (head or trailers), so that
// raw_ holds [line_at_, seg_offset() + used).
void ResponseReader::keep_raw(const char *seg, size_t used) {
  uint64_t at = seg_offset();
  if (line_at_ >= at + used) return;
  size_t from = line_at_ > at ? static_cast<size_t>(line_at_ - at) : 0;
  raw_.append(seg + from, used - from);
}

// The length of the line at the start of `s` as llhttp reads it (loose mode): up to the
// first LF, or one byte past the first CR, whatever that byte is; 0 if it does not end in s.
size_t ResponseReader::line_length(std::string_view s) {
  size_t i = find_cr_or_lf(s);
  if (i == std::string_view::npos) return 0;
  if (s[i] == '\n') return i + 1;
  return i + 1 < s.size() ? i + 2 : 0;
}

// The line from region offset `from` (>= line_at_), looked for in raw_ and then in the bytes
// being parsed; empty if it has not ended yet. With skip_blank, CR and LF bytes at the start
// are skipped first (llhttp skips them before a status line).
std::string_view ResponseReader::raw_line(uint64_t from, bool skip_blank) {
  uint64_t at = seg_offset();
  if (from > line_at_) {  // bytes of no reported line
    raw_.erase(0, static_cast<size_t>(std::min<uint64_t>(from - line_at_, raw_.size())));
    line_at_ = from;
  }
  if (skip_blank) {
    size_t k = std::min(raw_.find_first_not_of("\r\n"), raw_.size());
    raw_.erase(0, k);
    line_at_ += k;
    if (raw_.empty() && seg_ != nullptr) {
      const char *p = seg_ + (line_at_ - at);
      while (p < seg_end_ && (*p == '\r' || *p == '\n')) ++p;
      line_at_ = at + static_cast<uint64_t>(p - seg_);
    }
  }
  std::string_view seg;
  if (seg_ != nullptr) seg = std::string_view(seg_, static_cast<size_t>(seg_end_ - seg_));
  if (raw_.empty()) {  // the line began in this buffer: no copy
    seg.remove_prefix(std::min<size_t>(seg.size(), static_cast<size_t>(line_at_ - at)));
    return seg.substr(0, line_length(seg));
  }
  // The line began in an earlier buffer: complete it in raw_.
  size_t n = line_length(raw_);
  if (n == 0) {
    size_t take = raw_.back() == '\r' ? std::min<size_t>(seg.size(), 1) : line_length(seg);
    if (take == 0) return {};
    raw_.append(seg.substr(0, take));
    n = raw_.size();
  }
  return std::string_view(raw_).substr(0, n);
}

// Gives the sink the next raw line; a line that llhttp ended at a CR without LF is refused
// (`malformed` is the reason). Records any failure, as fail() does.
FETCHcode ResponseReader::deliver_raw_line(uint64_t from, const char *malformed, bool skip_blank) {
  std::string_view line = raw_line(from, skip_blank);
  assert(!line.empty());  // llhttp reports a line only once it has parsed its end
  if (line.empty() || line.back() != '\n') return fail(FETCHE_WEIRD_SERVER_REPLY, malformed);
  FETCHcode rc =
      region_ == Region::kTrailers ? sink_->on_trailer_line(line) : sink_->on_head_line(line);
  raw_.erase(0, std::min(line.size(), raw_.size()));  // after the call: `line` may be in raw_
  line_at_ += line.size();
  if (rc != FETCHE_OK) return fail(rc, nullptr);
  return FETCHE_OK;
}

int ResponseReader::on_headers_complete() {
  int code = head_.status;
  bool upgrade = code == 101 && options_.upgrade_requested;
  head_.interim = code >= 100 && code < 200 && !upgrade;
  head_.chunked = (parser_.flags & F_CHUNKED) != 0;
  head_.has_content_length = !head_.chunked && (parser_.flags & F_CONTENT_LENGTH) != 0;
  head_.content_length = head_.has_content_length ? parser_.content_length : 0;
  // Sizes are signed 64-bit offsets (FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T): a larger length is
  // refused like one that does not fit 64 bits at all (which llhttp refuses).
  if (head_.content_length > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return fail_cb(FETCHE_WEIRD_SERVER_REPLY, kBadLength);
  head_.no_body = head_.interim || upgrade || options_.head_request || code == 204 || code == 304;
  head_.keep_alive = llhttp_should_keep_alive(&parser_) && !(head_.chunked && saw_content_length_);
  // llhttp reads a body for "204 + Content-Length"; HTTP says there is none (RFC 9110 6.4.1).
  // F_SKIPBODY is what returning 1 here would set; we also need the pause, so set it directly.
  if (head_.no_body) parser_.flags |= F_SKIPBODY;
  pause_ = Pause::kHeaders;
  return HPE_PAUSED;
}

int ResponseReader::on_body(const char *at, size_t len) {
  FETCHcode rc = sink_->on_body(std::span<const char>(at, len));
  if (rc != FETCHE_OK) return fail_cb(rc, nullptr);
  return 0;
}

int ResponseReader::on_chunk_header() {
  // libcurl keeps chunk sizes in a signed 64-bit offset.
  if (parser_.content_length > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return fail_cb(FETCHE_RECV_ERROR, kChunkSizeTooLong);
  last_chunk_ = parser_.content_length == 0;
  pause_ = Pause::kChunkHeader;
  return HPE_PAUSED;
}

int ResponseReader::on_chunk_complete() {
  pause_ = Pause::kChunkComplete;
  return HPE_PAUSED;
}

int ResponseReader::on_message_complete() {
  if (head_.interim) {  // the final response follows
    reset_message();
    return 0;
  }
  // Chunked with Content-Length is read as chunked, but the connection is not reused
  // (RFC 9112 6.3: the message may have been smuggled).
  keep_alive_ = llhttp_should_keep_alive(&parser_) && !(head_.chunked && saw_content_length_) &&
                head_.status != 101;
  pause_ = Pause::kMessage;
  return HPE_PAUSED;
}

}  // namespace fetch::http1
