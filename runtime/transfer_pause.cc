#include "runtime/transfer_pause.h"

namespace fetch {

bool TransferPause::set(int bitmask) {
  const bool recv = (bitmask & FETCHPAUSE_RECV) != 0;
  const bool send = (bitmask & FETCHPAUSE_SEND) != 0;
  const bool changed = recv != recv_paused_ || send != send_paused_;
  recv_paused_ = recv;
  send_paused_ = send;
  return changed;
}

FETCHcode TransferPause::hold(Target target, const char *data, size_t len) {
  if (len > kMaxHeldBytes - held_bytes_) return FETCHE_TOO_LARGE;
  held_.push_back(Held{target, std::string(data, len)});
  held_bytes_ += len;
  return FETCHE_OK;
}

void TransferPause::pop_front() {
  held_bytes_ -= held_[head_].bytes.size();
  held_[head_].bytes = std::string();  // frees it now, not when the last piece goes
  if (++head_ == held_.size()) {
    held_.clear();
    head_ = 0;
  }
}

}  // namespace fetch
