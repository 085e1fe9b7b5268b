// The receive low-water mark (SO_RCVLOWAT, socket(7)) of a connection that streams a long body
// of known length: the kernel then reports the socket readable only once that many bytes are
// queued, so one wake-up and one recv() move up to kRaisedBytes instead of whatever the last
// few segments brought. On loopback this halves the wake-ups and syscalls of a large download
// (docs/PERFORMANCE.md, E2).
//
// The mark is raised only while data arrives fast (a read that drained the socket still got at
// least kFastReadBytes), never above the body bytes still to come (so the end of the body always
// wakes us), and dropped back to 1 as soon as a read finds less: a slow or stalled sender is
// read as before. While it is raised the exchange also looks at the socket every
// kPatienceUs even without readiness, so bytes below the mark never wait longer than that.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fetch {

struct ReceiveLowWater {
  static constexpr int kOff = 1;  // the kernel's default: readable at the first byte
  static constexpr int kRaisedBytes = 128 * 1024;
  static constexpr size_t kFastReadBytes = 32 * 1024;  // a loopback segment is just under 64 KiB
  static constexpr int64_t kPatienceUs = 20 * 1000;

  // The mark to use after a read of `got` bytes (0 for EAGAIN) that drained the socket, with
  // `body_left` bytes of a Content-Length body still to come (0: unknown, chunked, or none).
  // `current`: the mark set now.
  static int after_drained_read(size_t got, uint64_t body_left, int current);
};

}  // namespace fetch
