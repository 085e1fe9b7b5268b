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

  // HTTP
  long response_code = 0;    // FETCHINFO_RESPONSE_CODE (0 = no response)
  long http_version = 0;     // FETCHINFO_HTTP_VERSION: FETCH_HTTP_VERSION_1_0 / 1_1
  std::string content_type;  // FETCHINFO_CONTENT_TYPE ("" = none: getinfo gives NULL)
  bool has_content_type = false;
  int64_t content_length_download = -1;  // FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T (-1 unknown)
  int64_t content_length_upload = -1;    // FETCHINFO_CONTENT_LENGTH_UPLOAD_T
  int64_t size_download = 0;     // FETCHINFO_SIZE_DOWNLOAD_T: body bytes received (still encoded)
  int64_t size_delivered = 0;    // FETCHINFO_SIZE_DELIVERED: body bytes given to the write callback
  int64_t size_upload = 0;       // FETCHINFO_SIZE_UPLOAD_T: request body bytes sent
  long header_size = 0;          // FETCHINFO_HEADER_SIZE: bytes of received headers
  long request_size = 0;         // FETCHINFO_REQUEST_SIZE: bytes of the request sent
  std::string effective_method;  // FETCHINFO_EFFECTIVE_METHOD
  int64_t pretransfer_us = 0;    // FETCHINFO_PRETRANSFER_TIME_T
  int64_t starttransfer_us = 0;  // FETCHINFO_STARTTRANSFER_TIME_T (first response byte)

  // Redirects
  long redirect_count = 0;   // FETCHINFO_REDIRECT_COUNT: redirects followed
  std::string redirect_url;  // FETCHINFO_REDIRECT_URL: absolute Location not followed ("" = NULL)
  int64_t redirect_us = 0;   // FETCHINFO_REDIRECT_TIME_T: until the last request started
  std::string referer;       // FETCHINFO_REFERER: Referer of the last request ("" = NULL)

  // Request options (runtime/http_response_checks.cc)
  int64_t filetime = -1;     // FETCHINFO_FILETIME(_T): Last-Modified, -1 unknown or not asked
  long condition_unmet = 0;  // FETCHINFO_CONDITION_UNMET: 1 when TIMECONDITION was not met
  int64_t retry_after = 0;   // FETCHINFO_RETRY_AFTER: seconds from Retry-After, 0 = none

  void clear() { *this = TransferInfo{}; }
};

}  // namespace fetch
