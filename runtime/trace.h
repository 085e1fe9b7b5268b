// VERBOSE tracing: lines tagged "[transfer-id/connection-id]" sent to FETCHOPT_DEBUGFUNCTION
// (as FETCHINFO_TEXT) or written to FETCHOPT_STDERR, as libcurl's verbose output.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fetch {

struct EasyHandle;

// Writes one line when `easy` has FETCHOPT_VERBOSE set. conn_id < 0 prints "-".
void trace(EasyHandle *easy, uint64_t xfer_id, int64_t conn_id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

// Calls the handle's DEBUGFUNCTION with one FETCHINFO_TEXT line now.
void emit_debug(EasyHandle *easy, const char *line, size_t len);

}  // namespace fetch
