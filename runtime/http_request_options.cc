// See http_request_options.h for the rules (libcurl's CURLOPT_RANGE, RESUME_FROM_LARGE,
// TIMECONDITION and REQUEST_TARGET pages).
#include "runtime/http_request_options.h"

#include <cstdio>
#include <ctime>
#include <vector>

#include "easy/easy_handle.h"
#include "runtime/callback_guard.h"

namespace fetch {
namespace {

constexpr const char *kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

const char *time_condition_header(long condition) {
  switch (condition) {
    case FETCH_TIMECOND_IFMODSINCE:
      return "If-Modified-Since";
    case FETCH_TIMECOND_IFUNMODSINCE:
      return "If-Unmodified-Since";
    case FETCH_TIMECOND_LASTMOD:
      return "Last-Modified";
    default:
      return nullptr;  // FETCH_TIMECOND_NONE (setopt refuses anything else)
  }
}

// The read callback's next piece, as HttpExchange::read_upload asks for it.
size_t call_read(EasyHandle &easy, char *buffer, size_t want) {
  const Settings &s = easy.settings;
  CallbackGuard guard(&easy);
  if (s.read_function != nullptr) return s.read_function(buffer, 1, want, s.read_data);
  FILE *in = s.read_data != nullptr ? static_cast<FILE *>(s.read_data) : stdin;
  return fread(buffer, 1, want, in);
}

}  // namespace

FETCHcode RequestOptions::apply(EasyHandle &easy, http1::RequestHead &head, bool has_body,
                                int64_t &body_size) {
  const Settings &s = easy.settings;
  if (!s.request_target.empty()) head.target = s.request_target;
  if (has_body) {
    if (FETCHcode rc = apply_upload_range(easy, head, body_size); rc != FETCHE_OK) return rc;
  } else if (s.resume_from > 0) {
    range_ = std::to_string(s.resume_from) + "-";
    head.range = range_;
  } else if (!s.range.empty()) {
    head.range = s.range;
  }
  return apply_time_condition(easy, head);
}

FETCHcode RequestOptions::apply_upload_range(EasyHandle &easy, http1::RequestHead &head,
                                             int64_t &body_size) {
  const Settings &s = easy.settings;
  if (s.resume_from == 0) {
    if (s.range.empty()) return FETCHE_OK;
    // RANGE on an upload: which part of the remote file this body is (libcurl passes it on).
    content_range_ =
        "bytes " + s.range + "/" + (body_size >= 0 ? std::to_string(body_size) : std::string("*"));
    head.content_range = content_range_;
    return FETCHE_OK;
  }
  if (body_size < 0) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT,
                "Resuming an upload needs its size (FETCHOPT_INFILESIZE)");
  }
  if (s.resume_from < 0) {
    // -1: the remote size is unknown; announce (and send) the whole body again, as libcurl.
    if (body_size == 0) return FETCHE_OK;
    content_range_ = "bytes 0-" + std::to_string(body_size - 1) + "/" + std::to_string(body_size);
    head.content_range = content_range_;
    return FETCHE_OK;
  }
  if (s.resume_from >= body_size) {
    return fail(easy, FETCHE_PARTIAL_FILE, "File already completely uploaded");
  }
  content_range_ = "bytes " + std::to_string(s.resume_from) + "-" + std::to_string(body_size - 1) +
                   "/" + std::to_string(body_size);
  head.content_range = content_range_;
  skip_ = s.resume_from;
  body_size -= s.resume_from;
  head.content_length = static_cast<uint64_t>(body_size);
  return FETCHE_OK;
}

FETCHcode RequestOptions::apply_time_condition(EasyHandle &easy, http1::RequestHead &head) {
  const Settings &s = easy.settings;
  const char *name = time_condition_header(s.timecondition);
  if (name == nullptr) return FETCHE_OK;
  const time_t when = static_cast<time_t>(s.timevalue);
  struct tm tm {};
  if (gmtime_r(&when, &tm) == nullptr || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "Invalid TIMEVALUE %lld",
                static_cast<long long>(s.timevalue));
  }
  // IMF-fixdate (RFC 7231 section 7.1.1.1): "Sun, 06 Nov 1994 08:49:37 GMT".
  char text[40];
  snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kWeekdays[tm.tm_wday % 7],
           tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
           tm.tm_sec);
  date_ = text;
  head.time_condition_name = name;
  head.time_condition_value = date_;
  return FETCHE_OK;
}

FETCHcode skip_upload_prefix(EasyHandle &easy, int64_t count, const std::function<bool()> &alive) {
  std::vector<char> scratch(static_cast<size_t>(count < 16384 ? count : 16384));
  int64_t skipped = 0;
  while (skipped < count) {
    const int64_t left = count - skipped;
    const size_t want =
        left < static_cast<int64_t>(scratch.size()) ? static_cast<size_t>(left) : scratch.size();
    const size_t got = call_read(easy, scratch.data(), want);
    if (!alive()) return FETCHE_ABORTED_BY_CALLBACK;
    if (got == static_cast<size_t>(FETCH_READFUNC_ABORT)) {
      return fail(easy, FETCHE_ABORTED_BY_CALLBACK, "operation aborted by the read callback");
    }
    if (got == static_cast<size_t>(FETCH_READFUNC_PAUSE)) {
      return fail(easy, FETCHE_NOT_BUILT_IN, "pausing from the read callback is not built in yet");
    }
    if (got == 0 || got > want) {
      return fail(easy, FETCHE_READ_ERROR, "Could only read %lld bytes from the input",
                  static_cast<long long>(skipped));
    }
    skipped += static_cast<int64_t>(got);
  }
  return FETCHE_OK;
}

}  // namespace fetch
