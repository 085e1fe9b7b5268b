// FETCHOPT_RESOLVE and FETCHOPT_CONNECT_TO entries: parsing and matching.
//
// Entries are checked when a transfer starts; a malformed one fails the transfer with
// FETCHE_SETOPT_OPTION_SYNTAX and names the entry in the error buffer, as libcurl 8.x does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/address.h"

namespace fetch {

// "[+]HOST:PORT:ADDR[,ADDR]..." adds, "-HOST:PORT" removes (CURLOPT_RESOLVE(3)). HOST "*" matches
// any host.
struct ResolveEntry {
  bool remove = false;
  std::string host;
  int port = 0;
  std::vector<Address> addresses;
};
std::optional<ResolveEntry> parse_resolve_entry(const std::string &text);

// "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT"; empty fields match anything / keep the original
// (CURLOPT_CONNECT_TO(3)). IPv6 hosts are bracketed.
struct ConnectToEntry {
  std::string host;     // empty = any
  int port = -1;        // -1 = any
  std::string to_host;  // empty = keep
  int to_port = -1;     // -1 = keep
};
// On failure returns nullopt and sets `why`.
std::optional<ConnectToEntry> parse_connect_to_entry(const std::string &text, std::string &why);

}  // namespace fetch
