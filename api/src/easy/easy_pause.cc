// fetch_easy_pause (follows curl_easy_pause(3) of libcurl 8.x): sets what a running transfer has
// paused. The bitmask is the new state of both directions: FETCHPAUSE_RECV, FETCHPAUSE_SEND,
// FETCHPAUSE_ALL, or FETCHPAUSE_CONT (0) to resume both.
//
// Allowed inside every libfetch callback (docs/ARCHITECTURE.md, re-entrancy): it only records
// the state and asks the scheduler to progress the transfer on its next turn (in the next
// fetch_multi_perform / socket_action, or the next round of fetch_easy_perform's loop), so held
// data is delivered then, never before this call returns.
//
// Returns FETCHE_BAD_FUNCTION_ARGUMENT (43) for a NULL or invalid handle, and for a handle with
// no transfer that has (or is getting) a connection: not added to a multi, waiting for a slot,
// or done (libcurl: "no connection"). Otherwise FETCHE_OK.
#include <fetch/fetch.h>

#include <new>

#include "easy/easy_handle.h"
#include "multi/multi_handle.h"

extern "C" {

FETCHcode fetch_easy_pause(FETCH *handle, int bitmask) {
  fetch::EasyHandle *easy = fetch::as_easy(handle);
  if (easy == nullptr) return FETCHE_BAD_FUNCTION_ARGUMENT;
  if (easy->multi == nullptr || easy->transfer_id == 0) {
    return fetch::fail(*easy, FETCHE_BAD_FUNCTION_ARGUMENT,
                       "fetch_easy_pause: the handle has no transfer in progress");
  }
  try {
    return easy->multi->scheduler->pause(*easy, bitmask);
  } catch (const std::bad_alloc &) {
    return FETCHE_OUT_OF_MEMORY;
  }
}

}  // extern "C"
