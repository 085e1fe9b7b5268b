// The easy interface's C entry points except setopt/getinfo (api/src/options/).
//
// fetch_easy_perform is not a second code path: it adds the handle to a private multi handle
// kept inside the easy handle and drives that multi's scheduler until the transfer is done
// (DESIGN invariant 2).
#include <fetch/fetch.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <new>

#include "easy/easy_handle.h"
#include "multi/multi_handle.h"
#include "options/reset_dup.h"
#include "runtime/connection.h"

namespace fetch {

EasyHandle::EasyHandle() = default;

EasyHandle::~EasyHandle() {
  connect_only.reset();
  private_multi.reset();
  magic = 0;
}

FETCHcode fail(EasyHandle &easy, FETCHcode code, const char *fmt, ...) {
  if (easy.settings.error_buffer != nullptr) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(easy.settings.error_buffer, FETCH_ERROR_SIZE, fmt, ap);
    va_end(ap);
  }
  return code;
}

fetch_socket_t active_socket(EasyHandle &easy) {
  if (easy.connect_only && !easy.connect_only->closed()) return easy.connect_only->fd();
  return FETCH_SOCKET_BAD;
}

}  // namespace fetch

using fetch::as_easy;
using fetch::EasyHandle;
using fetch::MultiHandle;

namespace {

// The CONNECT_ONLY connection for send/recv, or the error libcurl gives without one.
fetch::Connection *connect_only_connection(EasyHandle &e, FETCHcode &rc) {
  if (!e.connect_only) {
    rc = fetch::fail(e, FETCHE_UNSUPPORTED_PROTOCOL,
                     "CONNECT_ONLY is required and the connection must still be attached");
    return nullptr;
  }
  rc = FETCHE_OK;
  return e.connect_only.get();
}

enum class Direction { kSend, kRecv };

// fetch_easy_send / fetch_easy_recv: the same checks, then one call through the filter chain.
FETCHcode connect_only_io(FETCH *curl, void *buffer, size_t buflen, size_t *n, Direction dir) {
  EasyHandle *e = as_easy(curl);
  if (e == nullptr) return FETCHE_BAD_FUNCTION_ARGUMENT;
  if (n == nullptr || (buffer == nullptr && buflen > 0)) return FETCHE_BAD_FUNCTION_ARGUMENT;
  *n = 0;
  if (e->callback_depth > 0) return FETCHE_RECURSIVE_API_CALL;
  FETCHcode rc;
  fetch::Connection *c = connect_only_connection(*e, rc);
  if (c == nullptr) return rc;
  int os_errno = 0;
  rc = dir == Direction::kSend ? c->send(buffer, buflen, n, &os_errno)
                               : c->recv(buffer, buflen, n, &os_errno);
  if (rc == FETCHE_SEND_ERROR || rc == FETCHE_RECV_ERROR) {
    e->info.os_errno = os_errno;
    if (dir == Direction::kSend) c->mark_closed();  // recv marks itself
    fetch::fail(*e, rc, "%s failure: %s", dir == Direction::kSend ? "Send" : "Recv",
                strerror(os_errno));
  }
  return rc;
}

}  // namespace

extern "C" {

FETCH *fetch_easy_init(void) {
  if (fetch_global_init(FETCH_GLOBAL_DEFAULT) != FETCHE_OK) return nullptr;
  try {
    auto e = std::make_unique<EasyHandle>();
    fetch::options::reset_settings(*e);
    return e.release();
  } catch (const std::bad_alloc &) {
    fetch_global_cleanup();
    return nullptr;
  }
}

void fetch_easy_cleanup(FETCH *curl) {
  EasyHandle *e = as_easy(curl);
  if (e == nullptr) return;
  // Freeing a handle from inside its own callback would pull it from under the caller:
  // refused (the call does nothing), see docs/ARCHITECTURE.md "Re-entrancy".
  if (e->callback_depth > 0) return;
  std::unique_ptr<EasyHandle> owned(e);
  // Detach from a multi first: its sockets are announced REMOVE before they are closed.
  if (e->multi != nullptr) fetch_multi_remove_handle(e->multi, e);
  owned.reset();
  fetch_global_cleanup();
}

FETCHcode fetch_easy_perform(FETCH *curl) {
  EasyHandle *e = as_easy(curl);
  if (e == nullptr) return FETCHE_BAD_FUNCTION_ARGUMENT;
  if (e->callback_depth > 0) return FETCHE_RECURSIVE_API_CALL;
  if (e->multi != nullptr) {
    return fetch::fail(*e, FETCHE_FAILED_INIT, "easy handle already used in multi handle");
  }
  try {
    if (!e->private_multi) {
      e->private_multi = std::make_unique<MultiHandle>();
      e->private_multi->is_private = true;
    }
  } catch (const std::bad_alloc &) {
    return FETCHE_OUT_OF_MEMORY;
  }
  MultiHandle *m = e->private_multi.get();
  m->scheduler->limits().max_connects = e->settings.maxconnects;  // CURLOPT_MAXCONNECTS(3)
  FETCHMcode mc = fetch_multi_add_handle(m, e);
  if (mc == FETCHM_OUT_OF_MEMORY) return FETCHE_OUT_OF_MEMORY;
  if (mc != FETCHM_OK) return FETCHE_FAILED_INIT;
  FETCHcode result = FETCHE_OK;
  bool done = false;
  while (!done) {
    // One blocking turn of the private loop (runtime/scheduler.h): a keep-alive request is one
    // epoll_wait, one send and one recv.
    const bool turned = m->scheduler->run_once();
    int left = 0;
    while (FETCHMsg *msg = fetch_multi_info_read(m, &left)) {
      if (msg->msg == FETCHMSG_DONE && msg->easy_handle == e) {
        result = msg->data.result;
        done = true;
      }
    }
    if (done || turned) continue;
    // The loop had nothing to wait on (a paused transfer without progress ticks): perform and
    // poll, at most a second at a time.
    int running = 0;
    mc = fetch_multi_perform(m, &running);
    if (mc != FETCHM_OK) {
      result = mc == FETCHM_OUT_OF_MEMORY ? FETCHE_OUT_OF_MEMORY : FETCHE_FAILED_INIT;
      break;
    }
    if (running > 0) fetch_multi_poll(m, nullptr, 0, 1000, nullptr);
  }
  fetch_multi_remove_handle(m, e);  // keeps a CONNECT_ONLY connection (private multi)
  return result;
}

FETCH *fetch_easy_duphandle(FETCH *curl) {
  EasyHandle *from = as_easy(curl);
  if (from == nullptr) return nullptr;
  FETCH *copy = fetch_easy_init();
  EasyHandle *to = as_easy(copy);
  if (to == nullptr) return nullptr;
  if (fetch::options::copy_settings(*from, *to) != FETCHE_OK) {
    fetch_easy_cleanup(copy);
    return nullptr;
  }
  return copy;
}

void fetch_easy_reset(FETCH *curl) {
  EasyHandle *e = as_easy(curl);
  if (e == nullptr || e->callback_depth > 0) return;  // not from its own callback
  if (e->connect_only && e->multi != nullptr) e->multi->scheduler->release_connect_only(*e);
  e->connect_only.reset();
  fetch::options::reset_settings(*e);
}

FETCHcode fetch_easy_recv(FETCH *curl, void *buffer, size_t buflen, size_t *n) {
  return connect_only_io(curl, buffer, buflen, n, Direction::kRecv);
}

FETCHcode fetch_easy_send(FETCH *curl, const void *buffer, size_t buflen, size_t *n) {
  return connect_only_io(curl, const_cast<void *>(buffer), buflen, n, Direction::kSend);
}

FETCHcode fetch_easy_upkeep(FETCH *curl) {
  EasyHandle *e = as_easy(curl);
  if (e == nullptr) return FETCHE_BAD_FUNCTION_ARGUMENT;
  // No pooled connections exist yet (every connection so far is CONNECT_ONLY, which is never
  // pooled), so there is nothing to keep alive.
  return FETCHE_OK;
}

}  // extern "C"
