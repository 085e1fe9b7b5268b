// Whether a pooled connection is too old to carry another request: FETCHOPT_MAXAGE_CONN (idle
// time, default 118 s) and FETCHOPT_MAXLIFETIME_CONN (time since it was made, 0 = no limit),
// following CURLOPT_MAXAGE_CONN(3) and CURLOPT_MAXLIFETIME_CONN(3). Checked by the scheduler
// when a transfer takes an idle connection from the pool (Scheduler::start_connection); a
// connection that is too old is closed there and the transfer looks further or connects anew.
//
// libcurl compares whole seconds (an idle time of 1.9 s passes a limit of 1 s); libfetch compares
// microseconds, so "more than N seconds" means exactly that.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fetch {

class Connection;
struct Settings;

// Returns nullptr when `conn` may be reused at `now_us`, else writes why into `why` (for the
// VERBOSE trace) and returns `why`.
const char *too_old_for_reuse(const Connection &conn, const Settings &s, int64_t now_us, char *why,
                              size_t why_size);

}  // namespace fetch
