// What is paused in one transfer, and the callback deliveries held back while receiving is
// paused. Follows curl_easy_pause(3), CURLOPT_WRITEFUNCTION(3) and CURLOPT_READFUNCTION(3) of
// libcurl 8.x:
//
//  - a write or header callback that returns FETCH_WRITEFUNC_PAUSE took none of the bytes it was
//    given: they are held here, byte for byte, and handed to the same callback again when
//    receiving is unpaused; everything the response produces after them (more header lines,
//    body, decoded body) is held behind them in order, so nothing is lost or duplicated;
//  - a read callback that returns FETCH_READFUNC_PAUSE pauses sending; the read callback is asked
//    again once sending is unpaused;
//  - fetch_easy_pause(handle, bitmask) sets the state of both directions at once (the bitmask is
//    the new state: FETCHPAUSE_RECV and FETCHPAUSE_SEND bits, 0 = FETCHPAUSE_CONT).
//
// One TransferPause lives in each Transfer (runtime/transfer.h) for the whole transfer, so a
// pause set before the HTTP exchange starts (while resolving or connecting) applies to it. The
// HTTP exchange reads and fills it; the scheduler asks it whether a direction is paused
// (recv_paused()/send_paused(); LOW_SPEED does not count a paused direction).
#pragma once

#include <fetch/fetch.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fetch {

class TransferPause {
 public:
  // Which application callback a held piece goes to (resolved from the easy handle's settings
  // when it is delivered).
  enum class Target : uint8_t {
    kHeaderFunction,  // HEADERFUNCTION with HEADERDATA
    kHeaderData,      // the write function with HEADERDATA (HEADERDATA without HEADERFUNCTION)
    kWriteFunction,   // the write function with WRITEDATA (body, and headers with FETCHOPT_HEADER)
  };
  struct Held {
    Target target;
    std::string bytes;
  };

  // Held bytes above this fail the transfer with FETCHE_TOO_LARGE (libcurl caps its pause
  // buffer too): a paused transfer never grows memory without bound, even when content decoding
  // expands what one receive buffer held.
  static constexpr size_t kMaxHeldBytes = 64 * 1024 * 1024;

  bool recv_paused() const { return recv_paused_; }
  bool send_paused() const { return send_paused_; }

  // fetch_easy_pause: `bitmask` (FETCHPAUSE_* bits) is the new state of both directions.
  // Returns true when it changed.
  bool set(int bitmask);
  void pause_recv() { recv_paused_ = true; }  // a write callback returned FETCH_WRITEFUNC_PAUSE
  void pause_send() { send_paused_ = true; }  // the read callback returned FETCH_READFUNC_PAUSE

  // True while deliveries wait here (receiving is paused, or unpaused and not delivered yet).
  bool holding() const { return head_ < held_.size(); }
  size_t held_bytes() const { return held_bytes_; }
  // Keeps a copy of `len` bytes for `target` behind what is already held. FETCHE_TOO_LARGE past
  // kMaxHeldBytes, else FETCHE_OK.
  FETCHcode hold(Target target, const char *data, size_t len);
  // The oldest held piece; only while holding().
  Held &front() { return held_[head_]; }
  void pop_front();

 private:
  bool recv_paused_ = false;
  bool send_paused_ = false;
  // A vector read from head_ (not a deque): an empty one allocates nothing, so a transfer that
  // never pauses costs no allocation.
  std::vector<Held> held_;
  size_t head_ = 0;
  size_t held_bytes_ = 0;
};

}  // namespace fetch
