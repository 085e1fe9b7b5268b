// RecordedRequest: one request as the scripted HTTP server received it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "script_responses.h"

namespace fetchtest {

struct RecordedRequest {
  std::size_t connection_id = 0;  // 1, 2, ... in accept order on this server since start()
  std::size_t index = 0;          // 0, 1, ... : position of the request on its connection
  std::string raw;                // the exact bytes received for this request
  std::string method;             // "GET", ... (empty if the head never parsed)
  std::string target;             // request-target as sent: "/path?q", "host:443", ...
  int http_major = 0;
  int http_minor = 0;
  HeaderList headers;       // as sent: order, case and duplicates kept; values without OWS
  std::string body;         // de-chunked
  bool complete = false;    // the whole message (body included) arrived
  bool cut_short = false;   // the connection ended (either side) before the message was complete
  std::string parse_error;  // "HPE_...: reason" when the bytes were not valid HTTP/1

  // The first value of header `name` (case-insensitive), or "" if absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

}  // namespace fetchtest
