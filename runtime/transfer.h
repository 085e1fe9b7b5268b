// One easy handle's transfer: an explicit state machine driven by the scheduler.
//
//   init -> [pending] -> resolve -> connect -> protocol -> done
//
// `pending` waits for a free connection slot (MAX_TOTAL_CONNECTIONS / MAX_HOST_CONNECTIONS).
// The protocol phase for CONNECT_ONLY ("raw") has nothing to do: the transfer completes as soon
// as the connection is up and hands the connection to the easy handle. HTTP plugs in here.
#pragma once

#include <fetch/fetch.h>

#include <cstdint>
#include <memory>
#include <source_location>
#include <string>
#include <vector>

#include "runtime/address.h"
#include "runtime/connection.h"
#include "runtime/http_exchange.h"
#include "runtime/redirect.h"
#include "runtime/socket_ops.h"
#include "runtime/transfer_pause.h"
#include "runtime/transfer_progress.h"

namespace fetch {

struct EasyHandle;

enum class TransferState : uint8_t { kInit, kPending, kResolve, kConnect, kProtocol, kDone };
const char *to_string(TransferState s);

// One connect attempt of the happy-eyeballs race.
struct ConnectAttempt {
  Address address;
  OpenedSocket socket;
  bool failed = false;
};

struct Transfer {
  uint64_t id = 0;
  EasyHandle *easy = nullptr;
  TransferState state = TransferState::kInit;
  uint32_t deadline_generation = 0;

  // From the URL (after CONNECT_TO): where to connect.
  std::string scheme;  // lower case
  std::string host;    // connect host
  int port = 0;
  std::string origin_key;  // "scheme://host:port" for per-host limits

  int64_t start_us = 0;
  int64_t connect_phase_us = 0;  // when the current resolve+connect began (CONNECTTIMEOUT base)
  int64_t connect_deadline_us = 0;
  std::vector<Address> addresses;
  size_t next_address = 0;
  std::vector<ConnectAttempt> attempts;
  std::unique_ptr<Connection> connection;
  bool connect_only = false;  // CONNECT_ONLY 1: no protocol on top
  HttpTarget http_target;     // Host header and request target (HTTP)
  std::unique_ptr<HttpExchange> exchange;
  bool reused = false;   // the connection came from the pool
  bool retried = false;  // already retried once on a new connection
  FETCHcode result = FETCHE_OK;
  bool removing = false;            // remove() in progress (guards re-entrant removal)
  bool counted_connection = false;  // holds a slot in the scheduler's connection counts
  // Bookkeeping that keeps removal O(1): the scheduler's pending queue and message queue are
  // cleaned lazily (entries of transfers gone or moved on are skipped), so each transfer
  // says whether it counts there.
  bool pending_armed = false;   // PENDING, with a run-now deadline armed by retry_pending
  bool message_queued = false;  // its DONE message waits in fetch_multi_info_read's queue

  // Redirects (runtime/redirect.h): the chain so far and how the next request differs.
  FollowState follow;
  FollowedRequest followed;

  // What fetch_easy_pause or a callback paused, and deliveries held meanwhile
  // (runtime/transfer_pause.h; recv_paused()/send_paused() for whoever must not count a paused
  // direction, such as LOW_SPEED).
  TransferPause pause;

  // Progress callback, meter and low-speed check (runtime/transfer_progress.h).
  TransferProgress progress;
};

// The init phase (transfer_setup.cc): URL, scheme and protocol checks, CONNECT_TO.
FETCHcode setup_transfer(EasyHandle &easy, Transfer &t);

}  // namespace fetch
