// HttpExchange, the sending half: the request head, the wait for 100 Continue, and the body
// (POSTFIELDS from memory, or the read callback's data through UploadBody). Sending stops only
// when the socket would block; then, before waiting for writability, the exchange looks once
// for an early answer (a server may reply and close before taking the whole body).
#include <cstdio>
#include <cstring>
#include <utility>

#include "easy/easy_handle.h"
#include "runtime/callback_guard.h"
#include "runtime/clock.h"
#include "runtime/connection.h"
#include "runtime/http_exchange.h"
#include "runtime/http_request_options.h"

namespace fetch {

HttpExchange::Progress HttpExchange::send_request() {
  while (request_sent_ < request_.size()) {
    size_t n = 0;
    int os_errno = 0;
    FETCHcode rc =
        conn_.send(request_.data() + request_sent_, request_.size() - request_sent_, &n, &os_errno);
    if (rc == FETCHE_AGAIN) return Progress{Wait::kWrite};
    if (rc != FETCHE_OK) return send_failed(os_errno);
    request_sent_ += n;
  }
  if (phase_ == Phase::kHead) {
    if (waits_continue_) {
      phase_ = Phase::kExpectWait;
      continue_deadline_us_ =
          now_us() + static_cast<int64_t>(easy_.settings.expect_100_timeout_ms) * 1000;
      return receive();
    }
    phase_ = Phase::kBody;
  }
  return send_body();
}

HttpExchange::Progress HttpExchange::send_body() {
  for (;;) {
    const char *data = nullptr;
    size_t len = 0;
    if (memory_body_ != nullptr && memory_body_sent_ < memory_body_len_) {
      data = memory_body_ + memory_body_sent_;
      len = memory_body_len_ - memory_body_sent_;
    } else if (callback_body_ && !upload_.done()) {
      if (upload_.needs_data()) {
        // Sending paused (curl_easy_pause(3)): the read callback is not asked meanwhile; an
        // early answer is still read.
        if (pause_->send_paused()) return receive();
        FETCHcode rc = read_upload();
        if (!alive_()) return Progress{Wait::kDone, FETCHE_OK, false, false, true};
        if (rc != FETCHE_OK) return failed(rc);
        continue;
      }
      data = upload_.pending().data();
      len = upload_.pending().size();
    } else {
      break;
    }
    if (pause_->send_paused()) return receive();
    Progress throttled;  // MAX_SEND_SPEED (http_exchange_pause.cc)
    len = send_allowance(len, &throttled);
    if (len == 0) return throttled;
    size_t n = 0;
    int os_errno = 0;
    FETCHcode rc = conn_.send(data, len, &n, &os_errno);
    if (rc == FETCHE_AGAIN) return body_would_block();
    if (rc != FETCHE_OK) return send_failed(os_errno);
    send_limit_.used(n);
    if (memory_body_ != nullptr) {
      memory_body_sent_ += n;
    } else {
      upload_.sent(n);
    }
    // ulnow for the progress callback (runtime/transfer_progress.h): body bytes sent so far
    // (read-callback bytes still in the buffer, and chunk framing, not counted).
    const int64_t unsent = static_cast<int64_t>(upload_.pending().size());
    easy_.info.size_upload =
        static_cast<int64_t>(body_bytes_ + memory_body_sent_) +
        (callback_body_ && upload_.data_bytes() > unsent ? upload_.data_bytes() - unsent : 0);
  }
  body_done_ = true;
  phase_ = Phase::kResponse;
  easy_.info.size_upload = static_cast<int64_t>(body_bytes_ + memory_body_sent_) +
                           (callback_body_ ? upload_.data_bytes() : 0);
  // The answer cannot be there yet (or only just): wait for readability rather than spend a
  // recv() that would say EAGAIN. The socket is already watched for reading when it was reused.
  return idle_wait();
}

// The socket takes no more body for now. Look once for an answer that came early: a complete
// one ends the exchange (the rest of the body is not sent); otherwise wait for either.
HttpExchange::Progress HttpExchange::body_would_block() {
  Progress p = receive();
  // The answer may come while the socket stays full (a server that stopped reading the body
  // and keeps the connection open): watch for it as well, or the transfer would sit until its
  // timeout. Not while receiving is paused, holds data or is throttled: the readable socket
  // would wake us for nothing, again and again.
  if (p.wait == Wait::kWrite && !pause_->recv_paused() && !pause_->holding() &&
      !recv_limit_.active()) {
    p.wait = Wait::kReadWrite;
  }
  return p;
}

HttpExchange::Progress HttpExchange::send_failed(int os_errno) {
  if (can_retry()) {
    Progress p = failed(FETCHE_SEND_ERROR);
    p.retry = true;  // the server closed the idle connection as we reused it
    return p;
  }
  if (phase_ == Phase::kBody) {
    // The server may have answered in full before it stopped reading (BAD-INPUT: 0 then).
    Progress p = receive();
    if (p.gone || (p.wait == Wait::kDone && p.code == FETCHE_OK)) return p;
  }
  easy_.info.os_errno = os_errno;
  return failed(
      fail(easy_, FETCHE_SEND_ERROR, "Failed sending data to the peer: %s", strerror(os_errno)));
}

// Asks the read callback (or fread on READDATA, stdin by default) for the next piece of body.
FETCHcode HttpExchange::read_upload() {
  const Settings &s = easy_.settings;
  const size_t want = upload_.want();
  body_consumed_ = true;
  if (upload_skip_ > 0) {  // a resumed upload (runtime/http_request_options.h)
    FETCHcode rc = skip_upload_prefix(easy_, std::exchange(upload_skip_, 0), alive_);
    if (rc != FETCHE_OK) return rc;
  }
  size_t got;
  {
    CallbackGuard guard(&easy_);
    if (s.read_function != nullptr) {
      got = s.read_function(upload_.space(), 1, want, s.read_data);
    } else {
      FILE *in = s.read_data != nullptr ? static_cast<FILE *>(s.read_data) : stdin;
      got = fread(upload_.space(), 1, want, in);
    }
  }
  if (!alive_()) return FETCHE_ABORTED_BY_CALLBACK;
  if (got == static_cast<size_t>(FETCH_READFUNC_ABORT)) {
    return fail(easy_, FETCHE_ABORTED_BY_CALLBACK, "operation aborted by the read callback");
  }
  if (got == static_cast<size_t>(FETCH_READFUNC_PAUSE)) {
    // Nothing was stored: the callback is asked again for the same room once unpaused.
    pause_->pause_send();
    return FETCHE_OK;
  }
  if (got > want) {
    return fail(easy_, FETCHE_READ_ERROR,
                "read callback returned %zu bytes, more than the %zu asked", got, want);
  }
  FETCHcode rc = upload_.commit(got);
  if (rc != FETCHE_OK) {
    return fail(easy_, rc, "read callback ended the body after %lld of the %lld bytes announced",
                static_cast<long long>(upload_.data_bytes()),
                static_cast<long long>(upload_.announced()));
  }
  return FETCHE_OK;
}

}  // namespace fetch
