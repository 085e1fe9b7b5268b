// What fetch_easy_getinfo reports about the last transfer of an easy handle.
//
// The runtime fills it while the transfer runs; fetch_easy_reset and the start of the next
// transfer clear it. Times are microseconds since the transfer started, as libcurl's *_TIME_T.
#pragma once

#include <cstdint>
#include <string>

namespace fetch {

struct TransferInfo {
  std::string effective_url;
  std::string scheme;  // upper case, as libcurl reports it ("HTTP")
  std::string primary_ip;
  long primary_port = 0;
  std::string local_ip;
  long local_port = 0;
  int64_t namelookup_us = 0;
  int64_t connect_us = 0;
  int64_t total_us = 0;
  long os_errno = 0;
  long num_connects = 0;  // new connections this transfer made
  int64_t conn_id = -1;   // FETCHINFO_CONN_ID: -1 before any connection
  int64_t xfer_id = -1;   // FETCHINFO_XFER_ID: -1 before the first transfer

  void clear() { *this = TransferInfo{}; }
};

}  // namespace fetch
