// The object behind a FETCH * (an easy handle).
//
// It holds the options (Settings), what getinfo reports (TransferInfo) and the handle's ties to
// the runtime: the multi it is added to, the private multi that fetch_easy_perform drives, and
// the CONNECT_ONLY connection attached to it after such a transfer completes (DESIGN invariant 1).
#pragma once

#include <fetch/fetch.h>

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/header_store.h"
#include "runtime/settings.h"
#include "runtime/transfer_info.h"
#include "runtime/url_cache.h"

namespace fetch {

class Connection;
class MultiHandle;

struct EasyHandle {
  static constexpr uint32_t kMagic = 0xFE7C0E45;

  EasyHandle();
  ~EasyHandle();
  EasyHandle(const EasyHandle &) = delete;
  EasyHandle &operator=(const EasyHandle &) = delete;

  uint32_t magic = kMagic;
  Settings settings;
  TransferInfo info;
  // The last transfer's response headers for fetch_easy_header / fetch_easy_nextheader;
  // cleared with `info` (a new transfer, fetch_easy_reset).
  HeaderStore headers;

  // The multi handle this easy handle is added to (the application's or private_multi), or
  // nullptr. Set and cleared only by the multi's add/remove.
  MultiHandle *multi = nullptr;
  // Transfer id inside `multi` while added (0 = none).
  uint64_t transfer_id = 0;
  // The DONE message fetch_multi_info_read returned last for this handle. Here, not in the
  // transfer: programs read it after fetch_multi_remove_handle (libcurl keeps it in the
  // handle too), so it lasts until the handle is added again or cleaned up.
  FETCHMsg done_message{};
  // Created by the first fetch_easy_perform and kept, so its pool and DNS cache live across
  // performs (DESIGN invariant 2).
  std::unique_ptr<MultiHandle> private_multi;
  // The connection a finished CONNECT_ONLY transfer left for fetch_easy_send/recv.
  std::unique_ptr<Connection> connect_only;

  // The last transfer's URL, parsed (runtime/url_cache.h): the same URL again skips the parse.
  UrlCache url_cache;

  // Re-entrancy: > 0 while libfetch runs one of this handle's callbacks.
  int callback_depth = 0;
};

// Returns the handle when `h` is a live easy handle, otherwise nullptr.
inline EasyHandle *as_easy(void *h) {
  auto *e = static_cast<EasyHandle *>(h);
  return (e != nullptr && e->magic == EasyHandle::kMagic) ? e : nullptr;
}

// Writes a message into FETCHOPT_ERRORBUFFER (if set) and returns `code`. printf-style.
FETCHcode fail(EasyHandle &easy, FETCHcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

// FETCHINFO_ACTIVESOCKET: the fd of the connection the last transfer used while that connection
// is alive, FETCH_SOCKET_BAD otherwise. Implemented by the runtime (api/src/easy/easy_runtime.cc).
fetch_socket_t active_socket(EasyHandle &easy);

}  // namespace fetch
