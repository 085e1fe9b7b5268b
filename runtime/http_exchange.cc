#include "runtime/http_exchange.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "easy/easy_handle.h"
#include "protocols/http1/tokens.h"
#include "runtime/callback_guard.h"
#include "runtime/clock.h"
#include "runtime/connection.h"
#include "runtime/http_request_options.h"
#include "runtime/receive_low_water.h"
#include "runtime/trace.h"

namespace fetch {

namespace {

// What "ACCEPT_ENCODING set to an empty string" asks for: every coding libfetch decodes.
constexpr const char *kAllCodings = "deflate, gzip, br, zstd";
// libcurl asks for 100-continue before a body of unknown size or larger than this (HTTP/1.1).
constexpr int64_t kExpectThresholdBytes = 1024 * 1024;

}  // namespace

HttpExchange::HttpExchange(EasyHandle &easy, Connection &conn, ReceiveBuffer &recv_buffer,
                           bool reused, int64_t start_us, std::function<bool()> alive,
                           Buffers buffers) noexcept
    : easy_(easy),
      conn_(conn),
      recv_buffer_(recv_buffer),
      reused_(reused),
      start_us_(start_us),
      alive_(std::move(alive)),
      request_(std::move(buffers.request)),
      reader_(std::move(buffers.reader)),
      line_(std::move(buffers.line)) {
  request_.clear();  // nothing of the last request is sent or shown again
  line_.clear();
}

void HttpExchange::shed(size_t max_bytes) {
  decoder_.reset();
  upload_ = UploadBody{};
  own_pause_ = TransferPause{};
  std::string().swap(location_);
  if (request_.capacity() > max_bytes) std::string().swap(request_);
  if (line_.capacity() > max_bytes) std::string().swap(line_);
  reader_.trim_buffers(max_bytes);
}

HttpExchange::Buffers HttpExchange::release_buffers() {
  return Buffers{std::move(request_), std::move(line_), std::move(reader_)};
}

FETCHcode HttpExchange::start(const HttpTarget &target, const FollowedRequest *followed) {
  const Settings &s = easy_.settings;
  const bool as_get = followed != nullptr && followed->as_get;  // a redirect switched to GET
  const bool post = s.post && !as_get;
  const bool upload = s.upload && !as_get;
  http1::RequestHead head;
  if (!s.customrequest.empty() && (followed == nullptr || !followed->drop_custom)) {
    head.method = s.customrequest;
  } else if (s.nobody) {
    head.method = "HEAD";
  } else if (upload) {
    head.method = "PUT";
  } else if (post) {
    head.method = "POST";
  }
  head_request_ = head.method == "HEAD";
  head.target = target.target;
  head.version =
      s.http_version == FETCH_HTTP_VERSION_1_0 ? http1::Version::kHttp10 : http1::Version::kHttp11;
  head.host = target.host_header;
  head.user_agent = s.useragent;
  head.referer = followed != nullptr && followed->set_referer ? std::string_view(followed->referer)
                                                              : std::string_view(s.referer);
  if (s.accept_encoding_set) {
    // Both arms as string_view: a std::string arm would make the result a dangling temporary.
    head.accept_encoding = s.accept_encoding.empty() ? std::string_view(kAllCodings)
                                                     : std::string_view(s.accept_encoding);
  }
  head.custom_headers =
      followed != nullptr && followed->filter_headers ? followed->headers : s.httpheader;
  // The body: POSTFIELDS from memory, or the read callback (UPLOAD, or POST without POSTFIELDS)
  // with the size INFILESIZE / POSTFIELDSIZE announced; an unknown size goes chunked.
  const bool has_body = (post || upload) && !s.nobody;
  int64_t body_size = 0;
  if (has_body) {
    if (upload) {
      callback_body_ = true;
      body_size = s.infilesize;
    } else if (s.postfields == nullptr) {
      callback_body_ = true;
      body_size = s.postfieldsize;
    } else {
      body_size =
          s.postfieldsize >= 0 ? s.postfieldsize : static_cast<int64_t>(strlen(s.postfields));
    }
    if (post) head.content_type = "application/x-www-form-urlencoded";
    head.body = body_size >= 0 ? http1::BodyKind::kLength : http1::BodyKind::kChunked;
    head.content_length = body_size >= 0 ? static_cast<uint64_t>(body_size) : 0;
    head.expect_continue = !target.no_expect && head.version == http1::Version::kHttp11 &&
                           (body_size < 0 || body_size > kExpectThresholdBytes);
  }
  // RANGE / RESUME_FROM, TIMECONDITION, REQUEST_TARGET (runtime/http_request_options.h).
  RequestOptions extras;
  if (FETCHcode rc = extras.apply(easy_, head, has_body, body_size); rc != FETCHE_OK) return rc;
  checks_.begin(easy_, !has_body, head_request_);
  no_expect_ = target.no_expect;
  http1::WriteResult written = http1::write_request_head(head, request_);
  if (written.code != FETCHE_OK) {
    return fail(easy_, written.code, "%s", written.reason != nullptr ? written.reason : "");
  }
  waits_continue_ = written.expects_continue && has_body && body_size != 0;
  if (callback_body_) {
    upload_skip_ = extras.skip();  // dropped at the first read (http_exchange_send.cc)
    upload_.begin(body_size, body_size < 0);
  } else if (has_body && body_size > 0) {
    // MAX_SEND_SPEED: a body sent along with the head would not be throttled.
    if (waits_continue_ || s.max_send_speed > 0) {
      // Sent from the application's memory after the 100 (from a resume's offset).
      memory_body_ = s.postfields + extras.skip();
      memory_body_len_ = static_cast<size_t>(body_size);
    } else {
      // One buffer, one send: a body not held back follows the head.
      request_.append(s.postfields + extras.skip(), static_cast<size_t>(body_size));
      body_bytes_ = static_cast<size_t>(body_size);
    }
  }
  easy_.info.effective_method = std::string(head.method);
  // Summed over the requests of a redirect chain (CURLINFO_REQUEST_SIZE(3)).
  easy_.info.request_size += static_cast<long>(request_.size());
  trace_data(&easy_, easy_.transfer_id, FETCHINFO_HEADER_OUT, request_.data(),
             request_.size() - body_bytes_);
  trace_data(&easy_, easy_.transfer_id, FETCHINFO_DATA_OUT,
             request_.data() + (request_.size() - body_bytes_), body_bytes_);
  easy_.info.content_length_upload = has_body ? body_size : -1;
  const int64_t now = now_us();
  easy_.info.pretransfer_us = now - start_us_;
  recv_limit_.begin(s.max_recv_speed, now);
  send_limit_.begin(s.max_send_speed, now);
  easy_.headers.begin_request();  // the header API counts requests as libcurl does
  http1::ResponseOptions options;
  options.head_request = head_request_;
  options.reused_connection = reused_;
  reader_.begin(*this, options);
  return FETCHE_OK;
}

HttpExchange::Progress HttpExchange::progress() {
  if (Progress out; resume_paused(&out)) return out;  // http_exchange_pause.cc
  switch (phase_) {
    case Phase::kHead:
    case Phase::kBody:
      return send_request();
    case Phase::kExpectWait:
    case Phase::kResponse:
      break;
  }
  return receive();
}

HttpExchange::Progress HttpExchange::failed(FETCHcode code) {
  Progress p;
  p.wait = Wait::kDone;
  p.code = code;
  return p;
}

HttpExchange::Progress HttpExchange::receive() {
  int64_t full_reads_since_us = 0;  // when the first read that filled the buffer ended
  for (;;) {
    // Receiving paused, or data held from a pause: the socket is not read (curl_easy_pause(3)).
    if (pause_->recv_paused() || pause_->holding()) return idle_wait();
    Progress throttled;
    // The shared buffer: valid until the next get(), so it is asked for afresh every turn (an
    // application callback may have started a transfer with a larger BUFFERSIZE meanwhile).
    const std::span<char> buffer = recv_buffer_.get(easy_.settings.buffer_size);
    const size_t want = recv_allowance(buffer.size(), &throttled);
    if (want == 0) return throttled;
    size_t n = 0;
    int os_errno = 0;
    FETCHcode rc = conn_.recv(buffer.data(), want, &n, &os_errno);
    if (rc == FETCHE_AGAIN) {
      if (phase_ == Phase::kExpectWait) {
        // No answer to "Expect: 100-continue" in time: send the body anyway (as libcurl).
        if (now_us() >= continue_deadline_us_) {
          phase_ = Phase::kBody;
          return send_body();
        }
        Progress p{Wait::kRead};
        p.deadline_us = continue_deadline_us_;
        return p;
      }
      // Called between body sends (nothing to read yet: go on sending when writable), or
      // at the check of a raised low-water mark with nothing arrived (the mark drops).
      return drained(0);
    }
    if (rc != FETCHE_OK || n == 0) return connection_ended(rc, os_errno);
    recv_limit_.used(n);
    if (!got_bytes_) {
      got_bytes_ = true;
      easy_.info.starttransfer_us = now_us() - start_us_;
    }
    size_t offset = 0;
    while (offset < n) {
      size_t used = 0;
      rc = reader_.feed(buffer.data() + offset, n - offset, &used);
      if (!alive_()) return Progress{Wait::kDone, FETCHE_OK, false, false, true};
      if (rc != FETCHE_OK && checks_.stopped()) {
        Progress p = finish_response();  // a simulated 304 or a complete resume: result 0
        p.keep_connection = false;       // the rest of the response is not read
        return p;
      }
      if (rc != FETCHE_OK) {
        if (reader_.reason() != nullptr) fail(easy_, rc, "%s", reader_.reason());
        return failed(rc);
      }
      offset += used;
      if (reader_.done()) {
        if (pause_->holding()) {
          // Complete, but some of it waits for an unpause: end it once that is delivered.
          finish_held_ = true;
          finish_held_extra_ = offset != n;
          return idle_wait();
        }
        Progress p = finish_response();
        // Bytes after the response on a connection we did not ask for more: never reuse it.
        if (offset != n) p.keep_connection = false;
        return p;
      }
      if (used == 0) break;
    }
    if (phase_ == Phase::kExpectWait && got_continue_) {
      phase_ = Phase::kBody;  // 100 Continue: the server wants the body
      return send_body();
    }
    // A short read drained the socket: the next recv() would only say EAGAIN. Every driver
    // watches level-triggered (as libcurl requires of a socket_action loop), so readiness
    // calls us again when more arrives. During the 100-continue wait the loop goes on, for the
    // EAGAIN that checks its deadline.
    if (n < want && phase_ != Phase::kExpectWait) return drained(n);
    // The buffer came back full: more is queued. A server faster than the application's
    // callbacks keeps it so, and this loop would run to the end of the body: after a turn's
    // worth the scheduler gets control back (level-triggered readiness calls us again at
    // once), so TIMEOUT, progress callbacks and the other transfers are served meanwhile.
    if (n == want) {
      const int64_t now = now_us();
      if (full_reads_since_us == 0) {
        full_reads_since_us = now;
      } else if (now - full_reads_since_us >= kReceiveTurnUs) {
        Progress p = idle_wait();
        arm_low_water_check(now, &p);  // what stays queued may be below a raised mark
        return p;
      }
    }
  }
}

// A read of `got` bytes (0: EAGAIN) emptied the socket: wait for more, with the receive
// low-water mark raised or dropped for what is still to come (runtime/receive_low_water.h).
HttpExchange::Progress HttpExchange::drained(size_t got) {
  Progress p = idle_wait();
  if (p.wait != Wait::kRead || recv_limit_.active()) return p;  // throttling reads by itself
  const int before = conn_.receive_low_water();
  const int mark = ReceiveLowWater::after_drained_read(got, reader_.body_bytes_left(), before);
  if (!conn_.set_receive_low_water(mark)) return p;
  if ((mark == ReceiveLowWater::kOff) != (before == ReceiveLowWater::kOff)) {
    trace(&easy_, easy_.transfer_id, static_cast<int64_t>(conn_.id()),
          "receive low-water mark %s: %d bytes",
          mark == ReceiveLowWater::kOff ? "dropped" : "raised", mark);
  }
  if (mark != ReceiveLowWater::kOff) arm_low_water_check(now_us(), &p);
  return p;
}

// With the mark raised, look again after the patience even if the kernel holds fewer bytes
// than the mark. One check is pending at a time; it comes back through receive() and arms
// the next.
void HttpExchange::arm_low_water_check(int64_t now, Progress *p) {
  if (p->wait != Wait::kRead || conn_.receive_low_water() == ReceiveLowWater::kOff) return;
  if (now < low_water_check_us_) return;
  low_water_check_us_ = now + ReceiveLowWater::kPatienceUs;
  p->deadline_us = low_water_check_us_;
}

// The peer closed the connection (rc FETCHE_OK) or it failed (rc, os_errno).
HttpExchange::Progress HttpExchange::connection_ended(FETCHcode rc, int os_errno) {
  if (can_retry()) {
    Progress p = failed(rc != FETCHE_OK ? rc : FETCHE_GOT_NOTHING);
    p.retry = true;
    return p;
  }
  FETCHcode eof = rc == FETCHE_OK ? reader_.on_eof() : FETCHE_OK;
  if (!alive_()) return Progress{Wait::kDone, FETCHE_OK, false, false, true};
  if (rc == FETCHE_OK && eof == FETCHE_OK && reader_.done()) {
    if (pause_->holding()) {
      // The end (say, a decoder's last bytes) waits for an unpause; the peer closed it.
      finish_held_ = finish_held_extra_ = true;
      return idle_wait();
    }
    Progress p = finish_response();
    p.keep_connection = false;  // the peer closed it
    return p;
  }
  if (phase_ == Phase::kBody) {
    // Cut while the body was still going out and no complete answer came (BAD-INPUT: 55).
    if (rc != FETCHE_OK) easy_.info.os_errno = os_errno;
    return failed(fail(easy_, FETCHE_SEND_ERROR,
                       "Connection died while sending the request body%s%s",
                       rc != FETCHE_OK ? ": " : "", rc != FETCHE_OK ? strerror(os_errno) : ""));
  }
  if (rc != FETCHE_OK) {
    easy_.info.os_errno = os_errno;
    return failed(fail(easy_, FETCHE_RECV_ERROR, "Recv failure: %s", strerror(os_errno)));
  }
  if (eof != FETCHE_OK) {
    if (reader_.reason() != nullptr) fail(easy_, eof, "%s", reader_.reason());
    return failed(eof);
  }
  return failed(fail(easy_, FETCHE_PARTIAL_FILE, "Connection closed before the response ended"));
}

HttpExchange::Progress HttpExchange::finish_response() {
  Progress p;
  p.wait = Wait::kDone;
  p.code = FETCHE_OK;
  // A body not sent in full leaves the server reading it: never reuse such a connection.
  p.keep_connection = reader_.keep_alive() && !easy_.settings.forbid_reuse && body_done_;
  // The next response on it starts with a head of any size: the kernel's default mark again.
  if (p.keep_connection && !conn_.set_receive_low_water(ReceiveLowWater::kOff)) {
    p.keep_connection = false;
  }
  if (retry_without_expect_) {
    p.retry = true;
    p.expect_rejected = true;
    p.keep_connection = false;
  }
  return p;
}

// ---- response events ----------------------------------------------------------------------

FETCHcode HttpExchange::on_status(const http1::StatusLine &status) {
  if (status.code >= 200) {
    if (phase_ == Phase::kExpectWait) {
      // A final answer instead of 100 Continue: the body is not sent. A 417 refused the
      // expectation itself: libcurl asks again without it, once.
      phase_ = Phase::kResponse;
      retry_without_expect_ = status.code == 417 && !no_expect_;
    }
    final_status_ = true;
    easy_.info.response_code = status.code;
    easy_.info.http_version =
        status.http_minor == 0 ? FETCH_HTTP_VERSION_1_0 : FETCH_HTTP_VERSION_1_1;
  }
  return FETCHE_OK;
}

FETCHcode HttpExchange::on_header(std::string_view name, std::string_view value) {
  // The header API (runtime/header_store.h) gets it before the header callback, as in libcurl.
  if (easy_.headers.add(name, value, final_status_ ? FETCHH_HEADER : FETCHH_1XX) != FETCHE_OK) {
    return fail(easy_, FETCHE_OUT_OF_MEMORY, "Out of memory storing a response header");
  }
  if (final_status_) checks_.on_header(easy_, name, value);
  if (final_status_ && http1::iequals(name, "content-type")) {
    easy_.info.content_type.assign(value);
    easy_.info.has_content_type = true;
  }
  if (final_status_ && is_redirect_status(static_cast<int>(easy_.info.response_code)) &&
      http1::iequals(name, "location")) {
    location_.assign(value);  // the reader refuses a second Location
  }
  return FETCHE_OK;
}

FETCHcode HttpExchange::on_trailer(std::string_view name, std::string_view value) {
  if (easy_.headers.add(name, value, FETCHH_TRAILER) != FETCHE_OK) {
    return fail(easy_, FETCHE_OUT_OF_MEMORY, "Out of memory storing a trailer");
  }
  return FETCHE_OK;
}

// The application gets every head line exactly as received, CRLF included (as libcurl).
FETCHcode HttpExchange::on_head_line(std::string_view raw_line) {
  trace_data(&easy_, easy_.transfer_id, FETCHINFO_HEADER_IN, raw_line.data(), raw_line.size());
  return deliver_header_line(raw_line);
}

// Trailers go to the header callback too (libcurl passes them the same way).
FETCHcode HttpExchange::on_trailer_line(std::string_view raw_line) {
  trace_data(&easy_, easy_.transfer_id, FETCHINFO_HEADER_IN, raw_line.data(), raw_line.size());
  return deliver_header_line(raw_line);
}

FETCHcode HttpExchange::on_headers_complete(const http1::ResponseHead &head) {
  FETCHcode rc = FETCHE_OK;
  if (head.interim) {
    if (head.status == 100) got_continue_ = true;
    return rc;
  }
  if (retry_without_expect_) return rc;  // the 417 is swallowed: the retry gives the answer
  // libcurl ignores the body of a redirect it follows.
  discard_body_ = easy_.settings.follow_location != 0 && !location_.empty();
  easy_.info.content_length_download =
      head.has_content_length ? static_cast<int64_t>(head.content_length) : -1;
  if (easy_.settings.failonerror && head.status >= 400 && !checks_.excuses(head.status)) {
    return fail(easy_, FETCHE_HTTP_RETURNED_ERROR, "The requested URL returned error: %d",
                head.status);
  }
  // RESUME_FROM and TIMECONDITION (runtime/http_response_checks.h).
  switch (checks_.on_final_head(easy_, head, discard_body_)) {
    case ResponseChecks::Verdict::kFail:
      return checks_.code();
    case ResponseChecks::Verdict::kStop:
      return FETCHE_ABORTED_BY_CALLBACK;  // stops the reader; receive() ends the exchange OK
    case ResponseChecks::Verdict::kDiscard:
      discard_body_ = true;
      break;
    case ResponseChecks::Verdict::kDeliver:
      break;
  }
  // MAXFILESIZE (runtime/body_limit.h): a body that is not delivered is not limited.
  body_limit_.begin(discard_body_ || head.no_body ? 0 : easy_.settings.max_filesize);
  if (head.has_content_length && !head.no_body && !discard_body_) {
    if (FETCHcode lrc = body_limit_.check_declared(easy_, head.content_length); lrc != FETCHE_OK)
      return lrc;
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
  if (discard_body_) return FETCHE_OK;
  if (FETCHcode lrc = body_limit_.add_wire(easy_, data.size()); lrc != FETCHE_OK) return lrc;
  // SIZE_DOWNLOAD counts the body as it came (de-chunked, still encoded), as libcurl 8.x does;
  // SIZE_DELIVERED counts what the write callback got (deliver_body).
  if (!head_request_ && !retry_without_expect_) {
    easy_.info.size_download += static_cast<int64_t>(data.size());
    trace_data(&easy_, easy_.transfer_id, FETCHINFO_DATA_IN, data.data(), data.size());
  }
  if (!decoder_.active()) return deliver_body(data.data(), data.size());
  FETCHcode rc = decoder_.write(data.data(), data.size(), *this);
  if (rc != FETCHE_OK && decoder_.reason() != nullptr) fail(easy_, rc, "%s", decoder_.reason());
  return rc;
}

FETCHcode HttpExchange::on_decoded(std::span<const char> data) {
  return deliver_body(data.data(), data.size());
}

// ---- application callbacks (call_write: http_exchange_pause.cc) ----------------------------

FETCHcode HttpExchange::deliver_header_line(std::string_view raw_line) {
  const Settings &s = easy_.settings;
  easy_.info.header_size += static_cast<long>(raw_line.size());
  if (s.header_function == nullptr && s.header_data == nullptr && !s.include_header) {
    return FETCHE_OK;  // nobody takes the line: no copy
  }
  // The callbacks get a mutable char *: a copy, not the reader's buffer.
  line_.assign(raw_line);
  FETCHcode rc = FETCHE_OK;
  if (s.header_function != nullptr) {
    rc = call_write(Target::kHeaderFunction, line_.data(), line_.size());
  } else if (s.header_data != nullptr) {
    // HEADERDATA without HEADERFUNCTION: the write function writes the headers there.
    rc = call_write(Target::kHeaderData, line_.data(), line_.size());
  }
  if (rc == FETCHE_OK && s.include_header) {
    rc = call_write(Target::kWriteFunction, line_.data(), line_.size());
  }
  return rc;
}

FETCHcode HttpExchange::deliver_body(const char *data, size_t len) {
  if (len == 0 || head_request_ || retry_without_expect_) return FETCHE_OK;
  if (FETCHcode lrc = body_limit_.add_delivered(easy_, len); lrc != FETCHE_OK) return lrc;
  easy_.info.size_delivered += static_cast<int64_t>(len);
  // The receive buffer is ours: handing the application a writable pointer into it is safe.
  // One recv() may bring more than BUFFERSIZE: the callback gets it in pieces of at most that
  // (CURLOPT_WRITEFUNCTION(3): CURL_MAX_WRITE_SIZE unless BUFFERSIZE says otherwise).
  const size_t piece = easy_.settings.buffer_size;
  char *bytes = const_cast<char *>(data);
  for (size_t at = 0; at < len; at += piece) {
    if (FETCHcode rc = call_write(Target::kWriteFunction, bytes + at, std::min(piece, len - at));
        rc != FETCHE_OK) {
      return rc;
    }
  }
  return FETCHE_OK;
}

}  // namespace fetch
