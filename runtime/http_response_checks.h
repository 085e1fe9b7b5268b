// The response side of FETCHOPT_RESUME_FROM, TIMECONDITION and FILETIME, and the Retry-After
// info, for one HTTP exchange (the request side is runtime/http_request_options.h).
//
// Follows libcurl 8.x:
//   - Last-Modified of a final response is parsed (fetch_getdate) when TIMECONDITION or
//     FILETIME is set; with FILETIME it becomes FETCHINFO_FILETIME(_T) (-1: unknown or not
//     asked, CURLINFO_FILETIME(3)).
//   - Retry-After (delay-seconds or an HTTP-date) becomes FETCHINFO_RETRY_AFTER in seconds from
//     now; 0 when absent, unparsable or in the past (CURLINFO_RETRY_AFTER(3), 8.12.0 and later).
//   - A resumed download (RESUME_FROM N > 0, a request without body) wants a Content-Range
//     starting at N. Without it: a Content-Length of exactly N means "the entire document is
//     already downloaded" (result 0, no body, the connection is closed); anything else fails
//     with FETCHE_RANGE_ERROR (33) "HTTP server does not seem to support byte ranges. Cannot
//     resume.". A 416 to a resumed download is no error: its body is dropped, result 0, and
//     FAILONERROR does not fire for it.
//   - TIMECONDITION: a 304 sets FETCHINFO_CONDITION_UNMET. A final response whose Last-Modified
//     does not meet the condition (and no range was asked for, RFC 2616 13.3.4) is treated as a
//     304 as libcurl does: FETCHINFO_RESPONSE_CODE 304, CONDITION_UNMET 1, no body delivered,
//     result 0, the connection closed.
// Where libfetch differs: an unparsable Last-Modified counts as "unknown" for the condition
// (libcurl compares its -1); responses without a body (204, 304, HEAD) and redirects that are
// followed skip the resume and condition checks.
#pragma once

#include <fetch/fetch.h>

#include <cstdint>
#include <string_view>

#include "protocols/http1/response_reader.h"

namespace fetch {

struct EasyHandle;

class ResponseChecks {
 public:
  // What the exchange does with the final response after its head.
  enum class Verdict : uint8_t {
    kDeliver,  // as usual
    kDiscard,  // read the body to its end but deliver none of it (416 to a resume)
    kStop,     // done now: result 0, no body, close the connection (simulated 304, complete)
    kFail,     // fail the transfer with code() (its message is in the error buffer)
  };

  // At HttpExchange::start. `download`: the request has no body (GET, HEAD, custom without body)
  // so a resume asks for a Range. `head_request`: HEAD (no body comes back).
  void begin(const EasyHandle &easy, bool download, bool head_request);

  // One header of a final (>= 200) response.
  void on_header(EasyHandle &easy, std::string_view name, std::string_view value);

  // The final response's head is complete. `following`: it is a redirect that will be followed
  // (its body is dropped anyway).
  Verdict on_final_head(EasyHandle &easy, const http1::ResponseHead &head, bool following);

  // FAILONERROR does not fail this status (a 416 to a resumed download, as libcurl).
  bool excuses(int status) const { return resumed_ && status == 416; }
  FETCHcode code() const { return code_; }
  // on_final_head said kStop: the exchange ends at once (the reader was stopped on purpose).
  bool stopped() const { return stopped_; }

 private:
  Verdict check_resume(EasyHandle &easy, const http1::ResponseHead &head);
  Verdict check_time_condition(EasyHandle &easy, const http1::ResponseHead &head);

  int64_t resume_from_ = 0;        // the offset asked for (download), 0 = not resumed
  bool resumed_ = false;           // a download resumed at resume_from_ > 0
  bool range_asked_ = false;       // RANGE or a resume: no time condition check (as libcurl)
  bool parse_date_ = false;        // TIMECONDITION or FILETIME: Last-Modified is needed
  bool content_range_ok_ = false;  // Content-Range started at resume_from_
  bool range_reset_ = false;       // "Content-Range: */N" on a 2xx: the whole document comes
  int64_t document_time_ = 0;      // Last-Modified (seconds), 0 = unknown
  bool stopped_ = false;
  FETCHcode code_ = FETCHE_OK;
};

}  // namespace fetch
