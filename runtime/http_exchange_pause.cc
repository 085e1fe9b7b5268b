// HttpExchange, pausing and throttling: the write and header callbacks with
// FETCH_WRITEFUNC_PAUSE, the deliveries held while receiving is paused (runtime/transfer_pause.h)
// and released in order when it is unpaused, and the MAX_RECV/SEND_SPEED allowances
// (runtime/rate_limiter.h).
//
// A pause never stops the parser in the middle of a receive buffer: the rest of the buffer is
// parsed (and decoded) and every delivery it makes is held behind the refused one, so the codec
// keeps no half-consumed state; then the socket is not read again until everything held was
// delivered. A response that completes while data is held ends only after that data went out.
#include <cstdio>

#include "easy/easy_handle.h"
#include "runtime/callback_guard.h"
#include "runtime/clock.h"
#include "runtime/http_exchange.h"

namespace fetch {

size_t HttpExchange::invoke(Target target, char *data, size_t len) {
  const Settings &s = easy_.settings;
  fetch_write_callback fn = s.write_function;
  void *userdata = s.write_data;
  if (target == Target::kHeaderFunction) {
    fn = s.header_function;
    userdata = s.header_data;
  } else if (target == Target::kHeaderData) {
    userdata = s.header_data;
  }
  CallbackGuard guard(&easy_);
  if (fn != nullptr) return fn(data, 1, len, userdata);
  FILE *out = userdata != nullptr ? static_cast<FILE *>(userdata) : stdout;
  return fwrite(data, 1, len, out);
}

FETCHcode HttpExchange::call_write(Target target, char *data, size_t len) {
  // While anything is held, later data queues behind it: order is kept across a pause.
  if (!pause_->recv_paused() && !pause_->holding()) {
    const size_t taken = invoke(target, data, len);
    // Removed from inside the callback: stop without touching the transfer again.
    if (!alive_()) return FETCHE_ABORTED_BY_CALLBACK;
    if (taken != FETCH_WRITEFUNC_PAUSE) {
      if (taken == len) return FETCHE_OK;
      return fail(easy_, FETCHE_WRITE_ERROR,
                  "Failure writing output to destination, passed %zu returned %zu", len, taken);
    }
    // The callback took none of it: these very bytes are delivered again on unpause.
    pause_->pause_recv();
  }
  if (pause_->hold(target, data, len) != FETCHE_OK) {
    return fail(easy_, FETCHE_TOO_LARGE, "More than %zu bytes held for a paused transfer",
                TransferPause::kMaxHeldBytes);
  }
  return FETCHE_OK;
}

FETCHcode HttpExchange::release_held() {
  while (pause_->holding() && !pause_->recv_paused()) {
    TransferPause::Held &held = pause_->front();
    const size_t len = held.bytes.size();
    const size_t taken = invoke(held.target, held.bytes.data(), len);
    if (!alive_()) return FETCHE_ABORTED_BY_CALLBACK;
    if (taken == FETCH_WRITEFUNC_PAUSE) {
      pause_->pause_recv();  // the same piece is offered again next time
      return FETCHE_OK;
    }
    if (taken != len) {
      return fail(easy_, FETCHE_WRITE_ERROR,
                  "Failure writing output to destination, passed %zu returned %zu", len, taken);
    }
    pause_->pop_front();
  }
  return FETCHE_OK;
}

bool HttpExchange::resume_paused(Progress *out) {
  if (!pause_->holding() && !finish_held_) return false;
  if (!pause_->recv_paused()) {
    FETCHcode rc = release_held();
    if (!alive_()) {
      *out = Progress{Wait::kDone, FETCHE_OK, false, false, true};
      return true;
    }
    if (rc != FETCHE_OK) {
      *out = failed(rc);
      return true;
    }
  }
  // Still holding with the response going on: sending may continue, receive() waits.
  if (!finish_held_) return false;
  if (pause_->holding()) {
    *out = idle_wait();
    return true;
  }
  finish_held_ = false;
  *out = finish_response();
  // Bytes after the response on a connection we did not ask for more: never reuse it.
  if (finish_held_extra_) out->keep_connection = false;
  return true;
}

HttpExchange::Progress HttpExchange::idle_wait() const {
  if (finish_held_) return Progress{Wait::kNone};
  // Still sending the body: go on when writable, unless sending is paused too.
  if (phase_ == Phase::kBody && !pause_->send_paused()) return Progress{Wait::kWrite};
  if (pause_->recv_paused() || pause_->holding()) return Progress{Wait::kNone};
  return Progress{Wait::kRead};
}

size_t HttpExchange::recv_allowance(size_t want, Progress *wait) {
  // Waiting for 100 Continue is not throttled: that wait has its own deadline, and an interim
  // response is a few bytes (they still count against the limit).
  if (!recv_limit_.active() || phase_ == Phase::kExpectWait) return want;
  const size_t n = recv_limit_.allowance(now_us(), want);
  if (n != 0) return n;
  if (phase_ == Phase::kBody && !pause_->send_paused()) {
    *wait = Progress{Wait::kWrite};  // go on sending; the response is read between sends
    return 0;
  }
  *wait = Progress{Wait::kNone};
  wait->deadline_us = recv_limit_.resume_at();
  return 0;
}

size_t HttpExchange::send_allowance(size_t want, Progress *wait) {
  if (!send_limit_.active()) return want;
  const size_t n = send_limit_.allowance(now_us(), want);
  if (n == 0) {
    *wait = Progress{Wait::kNone};
    wait->deadline_us = send_limit_.resume_at();
  }
  return n;
}

}  // namespace fetch
