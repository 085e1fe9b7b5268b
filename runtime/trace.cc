#include "runtime/trace.h"

#include <cstdarg>
#include <cstdio>

#include <string>

#include "easy/easy_handle.h"
#include "multi/multi_handle.h"
#include "runtime/callback_guard.h"

namespace fetch {

void trace(EasyHandle *easy, uint64_t xfer_id, int64_t conn_id, const char *fmt, ...) {
  if (easy == nullptr || !easy->settings.verbose) return;
  char line[512];
  int n;
  if (conn_id >= 0) {
    n = snprintf(line, sizeof line, "[%llu/%lld] ", static_cast<unsigned long long>(xfer_id),
                 static_cast<long long>(conn_id));
  } else {
    n = snprintf(line, sizeof line, "[%llu/-] ", static_cast<unsigned long long>(xfer_id));
  }
  va_list ap;
  va_start(ap, fmt);
  int m = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
  va_end(ap);
  size_t len = static_cast<size_t>(n) + (m < 0 ? 0 : static_cast<size_t>(m));
  if (len > sizeof line - 2) len = sizeof line - 2;
  line[len++] = '\n';
  line[len] = '\0';
  if (easy->settings.debug != nullptr) {
    // Inside the scheduler, the DEBUGFUNCTION (which may remove or reconfigure handles) runs
    // only when the outermost entry point is about to return, never in the middle of a state
    // change; the lines keep their order.
    if (easy->multi != nullptr &&
        easy->multi->scheduler->defer_trace(xfer_id, FETCHINFO_TEXT, line, len)) {
      return;
    }
    emit_debug(easy, FETCHINFO_TEXT, line, len);
    return;
  }
  FILE *out = easy->settings.stderr_stream != nullptr ? easy->settings.stderr_stream : stderr;
  fwrite(line, 1, len, out);
}

void trace_bytes(EasyHandle *easy, uint64_t xfer_id, fetch_infotype type, const char *data,
                 size_t len) {
  if (easy->settings.debug != nullptr) {
    // Deferred like the text lines: the DEBUGFUNCTION never runs inside a state change.
    if (easy->multi != nullptr && easy->multi->scheduler->defer_trace(xfer_id, type, data, len)) {
      return;
    }
    emit_debug(easy, type, data, len);
    return;
  }
  if (type != FETCHINFO_HEADER_IN && type != FETCHINFO_HEADER_OUT) return;
  FILE *out = easy->settings.stderr_stream != nullptr ? easy->settings.stderr_stream : stderr;
  const char *prefix = type == FETCHINFO_HEADER_IN ? "< " : "> ";
  // One prefix per line: the request head comes as one block.
  size_t start = 0;
  while (start < len) {
    size_t end = start;
    while (end < len && data[end] != '\n') ++end;
    if (end < len) ++end;
    fputs(prefix, out);
    fwrite(data + start, 1, end - start, out);
    start = end;
  }
}

void emit_debug(EasyHandle *easy, fetch_infotype type, const char *data, size_t len) {
  CallbackGuard guard(easy);
  std::string copy(data, len);  // the callback gets a writable buffer, as libcurl's does
  easy->settings.debug(easy, type, copy.data(), copy.size(), easy->settings.debug_data);
}

}  // namespace fetch
