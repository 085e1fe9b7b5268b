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
    if (easy->multi != nullptr && easy->multi->scheduler->defer_trace(xfer_id, line, len)) return;
    emit_debug(easy, line, len);
    return;
  }
  FILE *out = easy->settings.stderr_stream != nullptr ? easy->settings.stderr_stream : stderr;
  fwrite(line, 1, len, out);
}

void emit_debug(EasyHandle *easy, const char *line, size_t len) {
  CallbackGuard guard(easy);
  std::string copy(line, len);  // the callback gets a writable buffer, as libcurl's does
  easy->settings.debug(easy, FETCHINFO_TEXT, copy.data(), copy.size(), easy->settings.debug_data);
}

}  // namespace fetch
