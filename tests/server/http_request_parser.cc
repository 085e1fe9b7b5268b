#include "http_request_parser.h"

namespace fetchtest {

HttpRequestParser::HttpRequestParser() {
  llhttp_settings_init(&settings_);
  settings_.on_message_begin = on_message_begin;
  settings_.on_url = on_url;
  settings_.on_header_field = on_header_field;
  settings_.on_header_value = on_header_value;
  settings_.on_headers_complete = on_headers_complete;
  settings_.on_body = on_body;
  settings_.on_message_complete = on_message_complete;
  llhttp_init(&parser_, HTTP_REQUEST, &settings_);
  parser_.data = this;
}

HttpRequestParser &HttpRequestParser::self(llhttp_t *p) {
  return *static_cast<HttpRequestParser *>(p->data);
}

int HttpRequestParser::on_message_begin(llhttp_t *p) {
  self(p).in_value_ = false;
  return 0;
}

int HttpRequestParser::on_url(llhttp_t *p, const char *at, std::size_t len) {
  self(p).message_.target.append(at, len);
  return 0;
}

int HttpRequestParser::on_header_field(llhttp_t *p, const char *at, std::size_t len) {
  HttpRequestParser &s = self(p);
  if (s.in_value_ || s.message_.headers.empty()) s.message_.headers.emplace_back();
  s.in_value_ = false;
  s.message_.headers.back().first.append(at, len);
  return 0;
}

int HttpRequestParser::on_header_value(llhttp_t *p, const char *at, std::size_t len) {
  HttpRequestParser &s = self(p);
  if (s.message_.headers.empty()) s.message_.headers.emplace_back();
  s.in_value_ = true;
  s.message_.headers.back().second.append(at, len);
  return 0;
}

int HttpRequestParser::on_headers_complete(llhttp_t *p) {
  HttpRequestParser &s = self(p);
  s.message_.method = llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(p)));
  s.message_.http_major = llhttp_get_http_major(p);
  s.message_.http_minor = llhttp_get_http_minor(p);
  for (auto &header : s.message_.headers) {  // llhttp strips leading OWS only
    auto &value = header.second;
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  }
  s.pending_ = Event::kHead;
  return HPE_PAUSED;
}

int HttpRequestParser::on_body(llhttp_t *p, const char *at, std::size_t len) {
  self(p).message_.body.append(at, len);
  return 0;
}

int HttpRequestParser::on_message_complete(llhttp_t *p) {
  HttpRequestParser &s = self(p);
  s.message_.complete = true;
  s.keep_alive_ = llhttp_should_keep_alive(p) != 0;
  s.pending_ = Event::kComplete;
  return HPE_PAUSED;
}

void HttpRequestParser::set_error() {
  dead_ = true;
  message_.parse_error = llhttp_errno_name(llhttp_get_errno(&parser_));
  if (const char *reason = llhttp_get_error_reason(&parser_)) {
    message_.parse_error += ": ";
    message_.parse_error += reason;
  }
}

HttpRequestParser::Step HttpRequestParser::feed(std::string_view input) {
  if (dead_) return {Event::kError, input.size()};
  // Two rounds at most: after an upgrade request (CONNECT, Upgrade:) llhttp first reports the
  // end of the message, then HPE_PAUSED_UPGRADE without consuming anything; this server treats
  // what follows as the next request.
  for (int round = 0; round < 2; ++round) {
    pending_ = Event::kNeedMore;
    llhttp_errno_t err = llhttp_execute(&parser_, input.data(), input.size());
    if (err == HPE_OK) {
      message_.raw.append(input);
      return {Event::kNeedMore, input.size()};
    }
    if (err != HPE_PAUSED && err != HPE_PAUSED_UPGRADE) break;
    std::size_t used = static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - input.data());
    message_.raw.append(input.substr(0, used));
    if (err == HPE_PAUSED_UPGRADE) {
      llhttp_resume_after_upgrade(&parser_);
    } else {
      llhttp_resume(&parser_);
    }
    if (pending_ != Event::kNeedMore || used != 0) return {pending_, used};
  }
  message_.raw.append(input);
  set_error();
  return {Event::kError, input.size()};
}

bool HttpRequestParser::keep_alive() const { return keep_alive_; }

bool HttpRequestParser::expects_body() const {
  return (parser_.flags & F_CHUNKED) != 0 || parser_.content_length > 0;
}

void HttpRequestParser::next_message() {
  message_ = RecordedRequest{};
  pending_ = Event::kNeedMore;
}

}  // namespace fetchtest
