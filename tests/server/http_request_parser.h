// HttpRequestParser: llhttp in request mode, stopping at each request head and each request end
// so the server can answer requests one at a time, and recording the exact bytes of each request.
#pragma once

#include <llhttp.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "http_recorded_request.h"

namespace fetchtest {

class HttpRequestParser {
 public:
  enum class Event {
    kNeedMore,  // every byte given was consumed
    kHead,      // the head of message() is complete (body not read yet)
    kComplete,  // message() is complete; the next feed starts the next request
    kError,     // not HTTP/1: message().parse_error says why; the parser is dead
  };
  struct Step {
    Event event;
    std::size_t consumed;  // bytes of the input that belong to message() (all of them on kError)
  };

  HttpRequestParser();
  HttpRequestParser(const HttpRequestParser &) = delete;
  HttpRequestParser &operator=(const HttpRequestParser &) = delete;

  // Parses `input` until the next event. Consumed bytes are appended to message().raw.
  Step feed(std::string_view input);

  // The request being parsed, or the one the last kComplete finished.
  RecordedRequest &message() { return message_; }
  // After kComplete: true unless the request asked to close (or is HTTP/1.0 without keep-alive).
  bool keep_alive() const;
  // After kHead: the request announced a body (Content-Length > 0 or chunked).
  bool expects_body() const;
  // Forgets message() (call after kComplete, before the next feed).
  void next_message();
  bool started() const { return !message_.raw.empty(); }

 private:
  static int on_message_begin(llhttp_t *p);
  static int on_url(llhttp_t *p, const char *at, std::size_t len);
  static int on_header_field(llhttp_t *p, const char *at, std::size_t len);
  static int on_header_value(llhttp_t *p, const char *at, std::size_t len);
  static int on_headers_complete(llhttp_t *p);
  static int on_body(llhttp_t *p, const char *at, std::size_t len);
  static int on_message_complete(llhttp_t *p);
  static HttpRequestParser &self(llhttp_t *p);
  void set_error();

  llhttp_settings_t settings_{};
  llhttp_t parser_{};
  RecordedRequest message_;
  Event pending_ = Event::kNeedMore;
  bool in_value_ = false;
  bool keep_alive_ = false;
  bool dead_ = false;
};

}  // namespace fetchtest
