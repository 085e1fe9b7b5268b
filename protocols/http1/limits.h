// Limits of the HTTP/1 codec and the code each one gives (libcurl's, see BAD-INPUT.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace fetch::http1 {

// One response header line (name, colon, blanks, value) above this: FETCHE_TOO_LARGE.
inline constexpr uint64_t kMaxHeaderLine = 100 * 1024;
// All header bytes of one response, interim 1xx responses included: FETCHE_RECV_ERROR.
inline constexpr uint64_t kMaxHeaderBlock = 300 * 1024;
// More header (or trailer) fields than this in one response: FETCHE_TOO_LARGE.
inline constexpr unsigned kMaxHeaderCount = 5000;
// One trailer line above this: FETCHE_TOO_LARGE. All trailers above kMaxHeaderBlock: RECV_ERROR.
inline constexpr uint64_t kMaxTrailerLine = 4 * 1024;
// More hex digits than this in a chunk size (or a size above INT64_MAX): FETCHE_RECV_ERROR.
inline constexpr unsigned kMaxChunkSizeDigits = 16;
// More stacked Content-Encoding codings than this: FETCHE_BAD_CONTENT_ENCODING.
inline constexpr unsigned kMaxContentCodings = 5;
// The decoder hands its sink at most this many bytes per call.
inline constexpr size_t kDecodeChunk = 16 * 1024;

}  // namespace fetch::http1
