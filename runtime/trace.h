// VERBOSE tracing: lines tagged "[transfer-id/connection-id]" sent to FETCHOPT_DEBUGFUNCTION
// (as FETCHINFO_TEXT) or written to FETCHOPT_STDERR, as libcurl's verbose output.
#pragma once

#include <fetch/fetch.h>

#include <cstddef>
#include <cstdint>

#include "easy/easy_handle.h"

namespace fetch {

// True when `easy` traces (FETCHOPT_VERBOSE). The per-request paths test it before calling
// trace(): a varargs call spills its arguments before it can return, and some arguments (a
// source file name, a state's name) cost more than the test.
inline bool tracing(const EasyHandle *easy) { return easy != nullptr && easy->settings.verbose; }

// Writes one line when `easy` has FETCHOPT_VERBOSE set. conn_id < 0 prints "-".
void trace(EasyHandle *easy, uint64_t xfer_id, int64_t conn_id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

// With FETCHOPT_VERBOSE: protocol bytes for CURLOPT_DEBUGFUNCTION(3) — the request head
// (FETCHINFO_HEADER_OUT), each response head or trailer line (FETCHINFO_HEADER_IN) and the body
// as received (FETCHINFO_DATA_IN). Without a DEBUGFUNCTION, header lines go to FETCHOPT_STDERR
// prefixed "> " and "< " as libcurl's verbose output; data is not printed.
void trace_bytes(EasyHandle *easy, uint64_t xfer_id, fetch_infotype type, const char *data,
                 size_t len);
inline void trace_data(EasyHandle *easy, uint64_t xfer_id, fetch_infotype type, const char *data,
                       size_t len) {
  if (tracing(easy) && len != 0) trace_bytes(easy, xfer_id, type, data, len);
}

// Calls the handle's DEBUGFUNCTION with `type` and the bytes now.
void emit_debug(EasyHandle *easy, fetch_infotype type, const char *data, size_t len);

}  // namespace fetch
