#include "runtime/conn_age.h"

#include <cstdio>

#include "runtime/connection.h"
#include "runtime/settings.h"

namespace fetch {

namespace {

// Seconds to microseconds without overflow (the setters accept up to LONG_MAX seconds).
bool over(int64_t elapsed_us, long limit_s) {
  constexpr int64_t kMaxSeconds = INT64_MAX / 1000000;
  if (limit_s >= kMaxSeconds) return false;
  return elapsed_us > static_cast<int64_t>(limit_s) * 1000000;
}

}  // namespace

const char *too_old_for_reuse(const Connection &conn, const Settings &s, int64_t now_us, char *why,
                              size_t why_size) {
  const int64_t idle_us = now_us - conn.idle_since_us;
  if (over(idle_us, s.maxage_conn_s)) {
    snprintf(why, why_size, "idle for %lld ms, more than MAXAGE_CONN %ld s",
             static_cast<long long>(idle_us / 1000), s.maxage_conn_s);
    return why;
  }
  const int64_t life_us = now_us - conn.created_us;
  if (s.maxlifetime_conn_s > 0 && over(life_us, s.maxlifetime_conn_s)) {
    snprintf(why, why_size, "open for %lld ms, more than MAXLIFETIME_CONN %ld s",
             static_cast<long long>(life_us / 1000), s.maxlifetime_conn_s);
    return why;
  }
  return nullptr;
}

}  // namespace fetch
