#include "retry.h"

#include <cerrno>

namespace fetchcli {

const char *transient_reason(const Config &c, FETCHcode result, long code, long os_errno) {
  switch (result) {
    case FETCHE_OPERATION_TIMEDOUT:
    case FETCHE_COULDNT_RESOLVE_HOST:
    case FETCHE_COULDNT_RESOLVE_PROXY:
      return "timeout";
    case FETCHE_COULDNT_CONNECT:
      if (c.retry_connrefused && (os_errno == ECONNREFUSED || os_errno == 0)) {
        return "connection refused";
      }
      break;
    case FETCHE_OK:
    case FETCHE_HTTP_RETURNED_ERROR:
      if (code == 408 || code == 429 || code == 500 || code == 502 || code == 503 || code == 504) {
        return "HTTP error";
      }
      break;
    default:
      break;
  }
  if (c.retry_all_errors && (result != FETCHE_OK)) return "error";
  return nullptr;
}

double retry_delay_seconds(const Config &c, long retries_done) {
  if (c.retry_delay > 0) return c.retry_delay;
  double delay = 1.0;
  for (long i = 0; i < retries_done && delay < 600.0; ++i) delay *= 2;
  return delay > 600.0 ? 600.0 : delay;
}

}  // namespace fetchcli
