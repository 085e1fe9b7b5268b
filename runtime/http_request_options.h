// The request side of FETCHOPT_RANGE, RESUME_FROM(_LARGE), TIMECONDITION/TIMEVALUE(_LARGE) and
// REQUEST_TARGET for one HTTP request (the response side is runtime/http_response_checks.h).
//
// RequestOptions::apply() fills the parts of an http1::RequestHead these options own, following
// libcurl (CURLOPT_RANGE(3), CURLOPT_RESUME_FROM_LARGE(3), CURLOPT_TIMECONDITION(3),
// CURLOPT_REQUEST_TARGET(3)):
//   - a request without a body (GET, HEAD) asks for "Range: bytes=<RANGE>", or "bytes=<N>-"
//     when RESUME_FROM is N > 0 (RESUME_FROM wins over RANGE, as libcurl's setup_range);
//   - a request with a body (PUT, POST) resumed at N announces "Content-Range: bytes
//     N-<size-1>/<size>" and sends only the body's bytes from N on (the first N bytes of the read
//     callback, or of POSTFIELDS, are skipped); RESUME_FROM -1 announces the whole body
//     ("bytes 0-<size-1>/<size>"); a RANGE without resume is passed on as
//     "Content-Range: bytes <RANGE>/<size>";
//   - TIMECONDITION adds If-Modified-Since, If-Unmodified-Since or Last-Modified with TIMEVALUE
//     as an RFC 7231 IMF-fixdate (also for TIMEVALUE 0, as libcurl);
//   - REQUEST_TARGET replaces the path and query taken from the URL (every request, redirects
//     included, as libcurl).
// A custom header of the same name (FETCHOPT_HTTPHEADER) replaces each of these headers; the
// request writer applies that rule.
//
// Where libfetch differs: RESUME_FROM -1 on a download sends no Range (libcurl would send a
// nonsense offset); resuming an upload needs its size (INFILESIZE or POSTFIELDS), otherwise the
// transfer fails with FETCHE_BAD_FUNCTION_ARGUMENT before anything is sent.
#pragma once

#include <fetch/fetch.h>

#include <cstdint>
#include <functional>
#include <string>

#include "protocols/http1/request_writer.h"

namespace fetch {

struct EasyHandle;

class RequestOptions {
 public:
  // `has_body`: the request sends a body (PUT, POST). `body_size`: in, its full size (-1 when
  // unknown); out, the bytes actually sent after a resume offset. Keeps head.content_length in
  // step. The strings `head` points at live in this object: keep it alive until the head is
  // written. Errors (with the message in the error buffer): FETCHE_BAD_FUNCTION_ARGUMENT (an
  // upload of unknown size resumed, a TIMEVALUE no calendar date has), FETCHE_PARTIAL_FILE
  // (resumed at or past the end of the body: "already completely uploaded", as libcurl).
  FETCHcode apply(EasyHandle &easy, http1::RequestHead &head, bool has_body, int64_t &body_size);

  // Bytes at the start of the body that are not sent (a resumed upload); 0 otherwise.
  int64_t skip() const { return skip_; }

 private:
  FETCHcode apply_upload_range(EasyHandle &easy, http1::RequestHead &head, int64_t &body_size);
  FETCHcode apply_time_condition(EasyHandle &easy, http1::RequestHead &head);

  std::string range_;
  std::string content_range_;
  std::string date_;
  int64_t skip_ = 0;
};

// Reads and drops the first `count` bytes the read callback (or fread on READDATA) gives, for a
// resumed upload. FETCHE_READ_ERROR when the data ends first ("Could only read N bytes", as
// libcurl), FETCHE_ABORTED_BY_CALLBACK on FETCH_READFUNC_ABORT or when `alive` says the transfer
// was removed inside the callback (then touch nothing), FETCHE_NOT_BUILT_IN on a pause.
FETCHcode skip_upload_prefix(EasyHandle &easy, int64_t count, const std::function<bool()> &alive);

}  // namespace fetch
