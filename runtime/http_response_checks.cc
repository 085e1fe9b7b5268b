// See http_response_checks.h for the rules (libcurl's CURLOPT_RESUME_FROM_LARGE,
// CURLOPT_TIMECONDITION, CURLINFO_FILETIME, CURLINFO_CONDITION_UNMET, CURLINFO_RETRY_AFTER).
#include "runtime/http_response_checks.h"

#include <ctime>
#include <limits>
#include <string>

#include "easy/easy_handle.h"
#include "protocols/http1/tokens.h"

namespace fetch {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Leading decimal digits of `text`, saturating; nullopt-like -1 when it does not start with one.
int64_t leading_number(std::string_view text) {
  if (text.empty() || !is_digit(text[0])) return -1;
  int64_t n = 0;
  for (char c : text) {
    if (!is_digit(c)) break;
    if (n > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) {
      return std::numeric_limits<int64_t>::max();
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

// fetch_getdate on a header value (not NUL-terminated): -1 when it is no date.
int64_t parse_date(std::string_view value) {
  const std::string text(value);
  return static_cast<int64_t>(fetch_getdate(text.c_str(), nullptr));
}

// Retry-After = HTTP-date / delay-seconds, as seconds from now (0: none, unparsable or past).
int64_t retry_after_seconds(std::string_view value) {
  const int64_t seconds = leading_number(value);
  if (seconds > 0) return seconds;
  const int64_t date = parse_date(value);
  if (date == -1) return 0;
  const int64_t now = static_cast<int64_t>(time(nullptr));
  return date > now ? date - now : 0;
}

}  // namespace

void ResponseChecks::begin(const EasyHandle &easy, bool download, bool head_request) {
  const Settings &s = easy.settings;
  *this = ResponseChecks{};
  resumed_ = download && !head_request && s.resume_from > 0;
  resume_from_ = resumed_ ? s.resume_from : 0;
  // libcurl skips the condition when a range was asked (RESUME_FROM -1 asks none on a GET).
  range_asked_ = (download ? s.resume_from > 0 : s.resume_from != 0) || !s.range.empty();
  parse_date_ = s.timecondition != FETCH_TIMECOND_NONE || s.filetime;
}

void ResponseChecks::on_header(EasyHandle &easy, std::string_view name, std::string_view value) {
  if (parse_date_ && http1::iequals(name, "last-modified")) {
    const int64_t when = parse_date(value);
    document_time_ = when == -1 ? 0 : when;
    if (easy.settings.filetime) easy.info.filetime = when;
  } else if (http1::iequals(name, "retry-after")) {
    easy.info.retry_after = retry_after_seconds(value);
  } else if (resumed_ && http1::iequals(name, "content-range")) {
    // "bytes N-M/T", "bytes: N-", "N-" or "*/T" (libcurl accepts them all): the first digit
    // or asterisk decides.
    size_t i = 0;
    while (i < value.size() && !is_digit(value[i]) && value[i] != '*') ++i;
    if (i < value.size() && is_digit(value[i])) {
      content_range_ok_ = leading_number(value.substr(i)) == resume_from_;
    } else {
      range_reset_ = true;  // "*/T": only a 2xx means "here is everything" (checked later)
    }
  }
}

ResponseChecks::Verdict ResponseChecks::on_final_head(EasyHandle &easy,
                                                      const http1::ResponseHead &head,
                                                      bool following) {
  if (head.status == 304 && easy.settings.timecondition != FETCH_TIMECOND_NONE) {
    easy.info.condition_unmet = 1;
  }
  if (following || head.no_body) return Verdict::kDeliver;
  Verdict v = check_resume(easy, head);
  if (v != Verdict::kDeliver) return v;
  return check_time_condition(easy, head);
}

ResponseChecks::Verdict ResponseChecks::check_resume(EasyHandle &easy,
                                                     const http1::ResponseHead &head) {
  if (!resumed_) return Verdict::kDeliver;
  if (head.status == 416) return Verdict::kDiscard;  // "Range Not Satisfiable": not an error
  if (content_range_ok_ || (range_reset_ && head.status < 300)) return Verdict::kDeliver;
  if (head.has_content_length && static_cast<int64_t>(head.content_length) == resume_from_) {
    // The resume point is the end of the document: nothing is missing.
    stopped_ = true;
    return Verdict::kStop;
  }
  code_ = fail(easy, FETCHE_RANGE_ERROR,
               "HTTP server does not seem to support byte ranges. Cannot resume.");
  return Verdict::kFail;
}

ResponseChecks::Verdict ResponseChecks::check_time_condition(EasyHandle &easy,
                                                             const http1::ResponseHead &) {
  const Settings &s = easy.settings;
  if (s.timecondition == FETCH_TIMECOND_NONE || range_asked_) return Verdict::kDeliver;
  if (document_time_ == 0 || s.timevalue == 0) return Verdict::kDeliver;
  bool met = true;
  switch (s.timecondition) {
    case FETCH_TIMECOND_IFUNMODSINCE:
      met = document_time_ < s.timevalue;  // "not old enough" otherwise
      break;
    default:                               // IFMODSINCE, and LASTMOD as libcurl treats it
      met = document_time_ > s.timevalue;  // "not new enough" otherwise
      break;
  }
  if (met) return Verdict::kDeliver;
  // As if the server had answered 304 (libcurl: "Simulate an HTTP 304 response").
  easy.info.condition_unmet = 1;
  easy.info.response_code = 304;
  stopped_ = true;
  return Verdict::kStop;
}

}  // namespace fetch
