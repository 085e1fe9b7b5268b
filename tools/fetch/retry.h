// --retry: which failures count as transient (as curl decides: a timeout or a failed name
// lookup, HTTP 408/429/500/502/503/504; refused connections with --retry-connrefused; anything
// with --retry-all-errors) and how long to wait before the next attempt.
#pragma once

#include <fetch/fetch.h>

#include "config.h"

namespace fetchcli {

// The reason to retry, or nullptr when the failure is not transient.
const char *transient_reason(const Config &config, FETCHcode result, long response_code,
                             long os_errno);

// Seconds to wait before retry number `retries_done + 1`: --retry-delay, or 1 s doubling up to
// 10 minutes.
double retry_delay_seconds(const Config &config, long retries_done);

}  // namespace fetchcli
