#include "runtime/http_exchange.h"

#include <cstdio>
#include <cstring>

#include "easy/easy_handle.h"
#include "protocols/http1/tokens.h"
#include "runtime/callback_guard.h"
#include "runtime/clock.h"
#include "runtime/connection.h"

namespace fetch {

namespace {

constexpr size_t kReceiveBufferBytes = 64 * 1024;
// What "ACCEPT_ENCODING set to an empty string" asks for: every coding libfetch decodes.
constexpr const char *kAllCodings = "deflate, gzip, br, zstd";

}  // namespace

HttpExchange::HttpExchange(EasyHandle &easy, Connection &conn, bool reused, int64_t start_us,
                           std::function<bool()> alive)
    : easy_(easy), conn_(conn), reused_(reused), start_us_(start_us), alive_(std::move(alive)) {}

FETCHcode HttpExchange::start(const HttpTarget &target) {
  const Settings &s = easy_.settings;
  http1::RequestHead head;
  if (!s.customrequest.empty()) {
    head.method = s.customrequest;
  } else if (s.nobody) {
    head.method = "HEAD";
  } else if (s.post) {
    head.method = "POST";
  }
  head_request_ = head.method == "HEAD";
  head.target = target.target;
  head.version =
      s.http_version == FETCH_HTTP_VERSION_1_0 ? http1::Version::kHttp10 : http1::Version::kHttp11;
  head.host = target.host_header;
  head.user_agent = s.useragent;
  head.referer = s.referer;
  if (s.accept_encoding_set) {
    // Both arms as string_view: a std::string arm would make the result a dangling temporary.
    head.accept_encoding = s.accept_encoding.empty() ? std::string_view(kAllCodings)
                                                     : std::string_view(s.accept_encoding);
  }
  head.custom_headers = s.httpheader;
  size_t body_len = 0;
  if (s.post && !s.nobody) {
    if (s.postfields == nullptr) {
      return fail(easy_, FETCHE_NOT_BUILT_IN,
                  "POST without POSTFIELDS (a read callback upload) is not built in yet");
    }
    body_len = s.postfieldsize >= 0 ? static_cast<size_t>(s.postfieldsize) : strlen(s.postfields);
    head.body = http1::BodyKind::kLength;
    head.content_length = body_len;
    head.content_type = "application/x-www-form-urlencoded";
  }
  http1::WriteResult written = http1::write_request_head(head, request_);
  if (written.code != FETCHE_OK) {
    return fail(easy_, written.code, "%s", written.reason != nullptr ? written.reason : "");
  }
  // One buffer, one send: the body follows the head (large uploads will stream instead).
  if (body_len > 0) request_.append(s.postfields, body_len);  // copied_postfields when copied
  body_bytes_ = body_len;
  easy_.info.effective_method = std::string(head.method);
  easy_.info.request_size = static_cast<long>(request_.size());
  easy_.info.content_length_upload = s.post ? static_cast<int64_t>(body_len) : -1;
  easy_.info.pretransfer_us = now_us() - start_us_;
  http1::ResponseOptions options;
  options.head_request = head_request_;
  options.reused_connection = reused_;
  reader_.begin(*this, options);
  return FETCHE_OK;
}

HttpExchange::Progress HttpExchange::progress() {
  if (request_sent_ < request_.size()) return send_request();
  return receive();
}

HttpExchange::Progress HttpExchange::failed(FETCHcode code) {
  Progress p;
  p.wait = Wait::kDone;
  p.code = code;
  return p;
}

HttpExchange::Progress HttpExchange::send_request() {
  while (request_sent_ < request_.size()) {
    size_t n = 0;
    int os_errno = 0;
    FETCHcode rc =
        conn_.send(request_.data() + request_sent_, request_.size() - request_sent_, &n, &os_errno);
    if (rc == FETCHE_AGAIN) return Progress{Wait::kWrite};
    if (rc != FETCHE_OK) {
      if (reused_ && !got_bytes_) {
        Progress p = failed(FETCHE_SEND_ERROR);
        p.retry = true;  // the server closed the idle connection as we reused it
        return p;
      }
      easy_.info.os_errno = os_errno;
      return failed(fail(easy_, FETCHE_SEND_ERROR, "Failed sending data to the peer: %s",
                         strerror(os_errno)));
    }
    request_sent_ += n;
  }
  easy_.info.size_upload = static_cast<int64_t>(body_bytes_);
  return receive();
}

HttpExchange::Progress HttpExchange::receive() {
  if (recv_buffer_.empty()) recv_buffer_.resize(kReceiveBufferBytes);
  for (;;) {
    size_t n = 0;
    int os_errno = 0;
    FETCHcode rc = conn_.recv(recv_buffer_.data(), recv_buffer_.size(), &n, &os_errno);
    if (rc == FETCHE_AGAIN) return Progress{Wait::kRead};
    if (rc != FETCHE_OK || n == 0) {
      if (reused_ && !got_bytes_) {
        Progress p = failed(rc != FETCHE_OK ? rc : FETCHE_GOT_NOTHING);
        p.retry = true;
        return p;
      }
      if (rc != FETCHE_OK) {
        easy_.info.os_errno = os_errno;
        return failed(fail(easy_, FETCHE_RECV_ERROR, "Recv failure: %s", strerror(os_errno)));
      }
      FETCHcode eof = reader_.on_eof();
      if (!alive_()) return Progress{Wait::kDone, FETCHE_OK, false, false, true};
      if (eof != FETCHE_OK) {
        if (reader_.reason() != nullptr) fail(easy_, eof, "%s", reader_.reason());
        return failed(eof);
      }
      if (reader_.done()) {
        Progress p = finish_response();
        p.keep_connection = false;  // the peer closed it
        return p;
      }
      return failed(fail(easy_, FETCHE_PARTIAL_FILE,
                         "Connection closed before the response "
                         "ended"));
    }
    if (!got_bytes_) {
      got_bytes_ = true;
      easy_.info.starttransfer_us = now_us() - start_us_;
    }
    size_t offset = 0;
    while (offset < n) {
      size_t used = 0;
      rc = reader_.feed(recv_buffer_.data() + offset, n - offset, &used);
      if (!alive_()) return Progress{Wait::kDone, FETCHE_OK, false, false, true};
      if (rc != FETCHE_OK) {
        if (reader_.reason() != nullptr) fail(easy_, rc, "%s", reader_.reason());
        return failed(rc);
      }
      offset += used;
      if (reader_.done()) {
        Progress p = finish_response();
        // Bytes after the response on a connection we did not ask for more: never reuse it.
        if (offset != n) p.keep_connection = false;
        return p;
      }
      if (used == 0) break;
    }
  }
}

HttpExchange::Progress HttpExchange::finish_response() {
  Progress p;
  p.wait = Wait::kDone;
  p.code = FETCHE_OK;
  p.keep_connection = reader_.keep_alive() && !easy_.settings.forbid_reuse;
  return p;
}

// ---- response events ----------------------------------------------------------------------

FETCHcode HttpExchange::on_status(const http1::StatusLine &status) {
  if (status.code >= 200) {
    final_status_ = true;
    easy_.info.response_code = status.code;
    easy_.info.http_version =
        status.http_minor == 0 ? FETCH_HTTP_VERSION_1_0 : FETCH_HTTP_VERSION_1_1;
  }
  return FETCHE_OK;
}

FETCHcode HttpExchange::on_header(std::string_view name, std::string_view value) {
  if (final_status_ && http1::iequals(name, "content-type")) {
    easy_.info.content_type.assign(value);
    easy_.info.has_content_type = true;
  }
  return FETCHE_OK;
}

// The application gets every head line exactly as received, CRLF included (as libcurl).
FETCHcode HttpExchange::on_head_line(std::string_view raw_line) {
  line_.assign(raw_line);
  return deliver_header_line(line_);
}

// Trailers go to the header callback too (libcurl passes them the same way).
FETCHcode HttpExchange::on_trailer_line(std::string_view raw_line) {
  line_.assign(raw_line);
  return deliver_header_line(line_);
}

FETCHcode HttpExchange::on_headers_complete(const http1::ResponseHead &head) {
  FETCHcode rc = FETCHE_OK;
  if (head.interim) return rc;
  easy_.info.content_length_download =
      head.has_content_length ? static_cast<int64_t>(head.content_length) : -1;
  if (easy_.settings.failonerror && head.status >= 400) {
    return fail(easy_, FETCHE_HTTP_RETURNED_ERROR, "The requested URL returned error: %d",
                head.status);
  }
  // libcurl decodes only what it asked for: ACCEPT_ENCODING set and decoding not switched off.
  if (easy_.settings.accept_encoding_set && easy_.settings.http_content_decoding &&
      !head.content_encoding.empty()) {
    decoder_.reset();
    rc = decoder_.add_codings(head.content_encoding);
    if (rc != FETCHE_OK) {
      return fail(easy_, rc, "%s",
                  decoder_.reason() != nullptr ? decoder_.reason() : "Unsupported encoding");
    }
  }
  return FETCHE_OK;
}

FETCHcode HttpExchange::on_body(std::span<const char> data) {
  if (!decoder_.active()) return deliver_body(data.data(), data.size());
  FETCHcode rc = decoder_.write(data.data(), data.size(), *this);
  if (rc != FETCHE_OK && decoder_.reason() != nullptr) fail(easy_, rc, "%s", decoder_.reason());
  return rc;
}

FETCHcode HttpExchange::on_decoded(std::span<const char> data) {
  return deliver_body(data.data(), data.size());
}

// ---- application callbacks ----------------------------------------------------------------

FETCHcode HttpExchange::call_write(fetch_write_callback fn, void *userdata, char *data, size_t len,
                                   const char *what) {
  size_t taken;
  {
    CallbackGuard guard(&easy_);
    if (fn != nullptr) {
      taken = fn(data, 1, len, userdata);
    } else {
      FILE *out = userdata != nullptr ? static_cast<FILE *>(userdata) : stdout;
      taken = fwrite(data, 1, len, out);
    }
  }
  // Removed from inside the callback: stop without touching the transfer again.
  if (!alive_()) return FETCHE_ABORTED_BY_CALLBACK;
  if (taken == FETCH_WRITEFUNC_PAUSE) {
    return fail(easy_, FETCHE_WRITE_ERROR, "pausing from the %s callback is not built in yet",
                what);
  }
  if (taken != len) {
    return fail(easy_, FETCHE_WRITE_ERROR,
                "Failure writing output to destination, passed %zu returned %zu", len, taken);
  }
  return FETCHE_OK;
}

FETCHcode HttpExchange::deliver_header_line(std::string &line) {
  const Settings &s = easy_.settings;
  easy_.info.header_size += static_cast<long>(line.size());
  FETCHcode rc = FETCHE_OK;
  if (s.header_function != nullptr) {
    rc = call_write(s.header_function, s.header_data, line.data(), line.size(), "header");
  } else if (s.header_data != nullptr) {
    // HEADERDATA without HEADERFUNCTION: the write function writes the headers there.
    rc = call_write(s.write_function, s.header_data, line.data(), line.size(), "header");
  }
  if (rc == FETCHE_OK && s.include_header) {
    rc = call_write(s.write_function, s.write_data, line.data(), line.size(), "write");
  }
  return rc;
}

FETCHcode HttpExchange::deliver_body(const char *data, size_t len) {
  if (len == 0 || head_request_) return FETCHE_OK;
  easy_.info.size_download += static_cast<int64_t>(len);
  const Settings &s = easy_.settings;
  // The receive buffer is ours: handing the application a writable pointer into it is safe.
  return call_write(s.write_function, s.write_data, const_cast<char *>(data), len, "write");
}

}  // namespace fetch
