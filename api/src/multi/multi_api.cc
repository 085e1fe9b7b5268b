// The multi interface's C entry points (follows libcurl-multi(3)). Arguments are checked here;
// the work is the scheduler's. Re-entrancy rules: docs/ARCHITECTURE.md "Re-entrancy".
#include <fetch/fetch.h>

#include <cstdarg>
#include <cstdlib>
#include <new>

#include "easy/easy_handle.h"
#include "multi/multi_handle.h"

using fetch::as_easy;
using fetch::as_multi;
using fetch::EasyHandle;
using fetch::MultiHandle;

namespace {

// True while the application is inside a callback of this multi or of any handle in it.
bool in_callback(MultiHandle &m) { return m.scheduler->in_callback(); }

}  // namespace

extern "C" {

FETCHM *fetch_multi_init(void) {
  try {
    return std::make_unique<MultiHandle>().release();
  } catch (const std::bad_alloc &) {
    return nullptr;
  }
}

FETCHMcode fetch_multi_add_handle(FETCHM *multi_handle, FETCH *curl_handle) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  EasyHandle *e = as_easy(curl_handle);
  if (e == nullptr) return FETCHM_BAD_EASY_HANDLE;
  if (e->multi != nullptr) return FETCHM_ADDED_ALREADY;
  if (in_callback(*m)) return FETCHM_RECURSIVE_API_CALL;
  try {
    e->multi = m;
    FETCHMcode rc = m->scheduler->add(*e);
    if (rc != FETCHM_OK) e->multi = nullptr;
    return rc;
  } catch (const std::bad_alloc &) {
    e->multi = nullptr;
    return FETCHM_OUT_OF_MEMORY;
  }
}

FETCHMcode fetch_multi_remove_handle(FETCHM *multi_handle, FETCH *curl_handle) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  EasyHandle *e = as_easy(curl_handle);
  if (e == nullptr) return FETCHM_BAD_EASY_HANDLE;
  if (e->multi == nullptr) return FETCHM_OK;         // in no multi: nothing to do, as libcurl
  if (e->multi != m) return FETCHM_BAD_EASY_HANDLE;  // in another multi (libcurl refuses too)
  // Allowed from inside callbacks: the scheduler defers destruction to its outermost entry.
  m->scheduler->remove(*e, m->is_private);
  e->multi = nullptr;
  return FETCHM_OK;
}

FETCHMcode fetch_multi_fdset(FETCHM *multi_handle, fd_set *r, fd_set *w, fd_set *x, int *max_fd) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (in_callback(*m)) return FETCHM_RECURSIVE_API_CALL;
  return m->scheduler->fdset(r, w, x, max_fd);
}

static FETCHMcode wait_common(FETCHM *multi_handle, fetch_waitfd extra[], unsigned n, int ms,
                              int *numfds, bool is_poll) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (in_callback(*m)) return FETCHM_RECURSIVE_API_CALL;
  if (ms < 0) return FETCHM_BAD_FUNCTION_ARGUMENT;
  if (n > 0 && extra == nullptr) return FETCHM_BAD_FUNCTION_ARGUMENT;
  if (m->scheduler->attached()) return FETCHM_BAD_FUNCTION_ARGUMENT;
  try {
    return m->scheduler->wait(extra, n, ms, numfds, is_poll);
  } catch (const std::bad_alloc &) {
    return FETCHM_OUT_OF_MEMORY;
  }
}

FETCHMcode fetch_multi_wait(FETCHM *multi_handle, struct fetch_waitfd extra_fds[],
                            unsigned int extra_nfds, int timeout_ms, int *numfds) {
  return wait_common(multi_handle, extra_fds, extra_nfds, timeout_ms, numfds, false);
}

FETCHMcode fetch_multi_poll(FETCHM *multi_handle, struct fetch_waitfd extra_fds[],
                            unsigned int extra_nfds, int timeout_ms, int *numfds) {
  return wait_common(multi_handle, extra_fds, extra_nfds, timeout_ms, numfds, true);
}

FETCHMcode fetch_multi_wakeup(FETCHM *multi_handle) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  return m->scheduler->wakeup();
}

FETCHMcode fetch_multi_perform(FETCHM *multi_handle, int *running_handles) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (in_callback(*m) || m->scheduler->in_notify()) return FETCHM_RECURSIVE_API_CALL;
  if (m->scheduler->attached()) return FETCHM_BAD_FUNCTION_ARGUMENT;
  try {
    return m->scheduler->perform(running_handles);
  } catch (const std::bad_alloc &) {
    return FETCHM_OUT_OF_MEMORY;
  }
}

FETCHMcode fetch_multi_cleanup(FETCHM *multi_handle) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (in_callback(*m) || m->scheduler->in_notify()) return FETCHM_RECURSIVE_API_CALL;
  std::unique_ptr<MultiHandle> owned(m);
  owned->scheduler->remove_all();
  owned->magic = 0;
  return FETCHM_OK;
}

FETCHMsg *fetch_multi_info_read(FETCHM *multi_handle, int *msgs_in_queue) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) {
    if (msgs_in_queue != nullptr) *msgs_in_queue = 0;
    return nullptr;
  }
  return m->scheduler->info_read(msgs_in_queue);
}

FETCHMcode(fetch_multi_socket)(FETCHM *multi_handle, fetch_socket_t s, int *running_handles) {
  return fetch_multi_socket_action(multi_handle, s, 0, running_handles);
}

FETCHMcode fetch_multi_socket_action(FETCHM *multi_handle, fetch_socket_t s, int ev_bitmask,
                                     int *running_handles) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (in_callback(*m) || m->scheduler->in_notify()) return FETCHM_RECURSIVE_API_CALL;
  if (m->scheduler->attached()) return FETCHM_BAD_FUNCTION_ARGUMENT;
  try {
    return m->scheduler->socket_action(s, ev_bitmask, running_handles);
  } catch (const std::bad_alloc &) {
    return FETCHM_OUT_OF_MEMORY;
  }
}

FETCHMcode fetch_multi_socket_all(FETCHM *multi_handle, int *running_handles) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (in_callback(*m) || m->scheduler->in_notify()) return FETCHM_RECURSIVE_API_CALL;
  return m->scheduler->perform(running_handles);
}

FETCHMcode fetch_multi_timeout(FETCHM *multi_handle, long *milliseconds) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (milliseconds == nullptr) return FETCHM_BAD_FUNCTION_ARGUMENT;
  if (in_callback(*m)) return FETCHM_RECURSIVE_API_CALL;
  return m->scheduler->timeout(milliseconds);
}

FETCHMcode(fetch_multi_setopt)(FETCHM *multi_handle, FETCHMoption option, ...) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (in_callback(*m)) return FETCHM_RECURSIVE_API_CALL;
  va_list ap;
  va_start(ap, option);
  FETCHMcode rc = FETCHM_OK;
  fetch::MultiCallbacks &cb = m->scheduler->callbacks();
  fetch::SchedulerLimits &lim = m->scheduler->limits();
  switch (option) {
    case FETCHMOPT_SOCKETFUNCTION:
      cb.socket_cb = va_arg(ap, fetch_socket_callback);
      m->scheduler->callbacks_changed();
      break;
    case FETCHMOPT_SOCKETDATA:
      cb.socket_data = va_arg(ap, void *);
      break;
    case FETCHMOPT_TIMERFUNCTION:
      cb.timer_cb = va_arg(ap, fetch_multi_timer_callback);
      m->scheduler->callbacks_changed();
      break;
    case FETCHMOPT_TIMERDATA:
      cb.timer_data = va_arg(ap, void *);
      break;
    case FETCHMOPT_MAXCONNECTS:
    case FETCHMOPT_MAX_TOTAL_CONNECTIONS:
    case FETCHMOPT_MAX_HOST_CONNECTIONS: {
      long v = va_arg(ap, long);
      if (v < 0) {
        rc = FETCHM_BAD_FUNCTION_ARGUMENT;
        break;
      }
      if (option == FETCHMOPT_MAXCONNECTS) lim.max_connects = v;
      if (option == FETCHMOPT_MAX_TOTAL_CONNECTIONS) lim.max_total_connections = v;
      if (option == FETCHMOPT_MAX_HOST_CONNECTIONS) lim.max_host_connections = v;
      break;
    }
    case FETCHMOPT_NOTIFYFUNCTION:
      m->scheduler->notify().callback = va_arg(ap, fetch_notify_callback);
      break;
    case FETCHMOPT_NOTIFYDATA:
      m->scheduler->notify().data = va_arg(ap, void *);
      break;
    case FETCHMOPT_PIPELINING:
    case FETCHMOPT_PUSHFUNCTION:
    case FETCHMOPT_PUSHDATA:
    case FETCHMOPT_MAX_PIPELINE_LENGTH:
    case FETCHMOPT_CONTENT_LENGTH_PENALTY_SIZE:
    case FETCHMOPT_CHUNK_LENGTH_PENALTY_SIZE:
    case FETCHMOPT_PIPELINING_SITE_BL:
    case FETCHMOPT_PIPELINING_SERVER_BL:
    case FETCHMOPT_MAX_CONCURRENT_STREAMS:
    case FETCHMOPT_NETWORK_CHANGED:
    case FETCHMOPT_RESOLVE_THREADS_MAX:
    default:
      // Known but not built yet, or unknown: libcurl has no "not built in" multi code.
      rc = FETCHM_UNKNOWN_OPTION;
      break;
  }
  va_end(ap);
  return rc;
}

FETCHMcode fetch_multi_assign(FETCHM *multi_handle, fetch_socket_t sockfd, void *sockp) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  return m->scheduler->assign(sockfd, sockp);
}

FETCH **fetch_multi_get_handles(FETCHM *multi_handle) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return nullptr;
  std::vector<EasyHandle *> all = m->scheduler->handles();
  auto **out = static_cast<FETCH **>(malloc((all.size() + 1) * sizeof(FETCH *)));
  if (out == nullptr) return nullptr;
  for (size_t i = 0; i < all.size(); ++i) out[i] = all[i];
  out[all.size()] = nullptr;
  return out;
}

FETCHMcode fetch_multi_get_offt(FETCHM *multi_handle, FETCHMinfo_offt info, fetch_off_t *pvalue) {
  MultiHandle *m = as_multi(multi_handle);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (pvalue == nullptr) return FETCHM_BAD_FUNCTION_ARGUMENT;
  fetch::Scheduler &s = *m->scheduler;
  switch (info) {
    case FETCHMINFO_XFERS_CURRENT:
      *pvalue = static_cast<fetch_off_t>(s.transfer_count());
      break;
    case FETCHMINFO_XFERS_RUNNING:
      *pvalue = s.running() - s.pending_count();
      break;
    case FETCHMINFO_XFERS_PENDING:
      *pvalue = s.pending_count();
      break;
    case FETCHMINFO_XFERS_DONE:
      *pvalue = s.xfers_done();
      break;
    case FETCHMINFO_XFERS_ADDED:
      *pvalue = s.xfers_added();
      break;
    default:
      return FETCHM_UNKNOWN_OPTION;
  }
  return FETCHM_OK;
}

FETCHMcode fetch_multi_waitfds(FETCHM *multi, struct fetch_waitfd *ufds, unsigned int size,
                               unsigned int *fd_count) {
  MultiHandle *m = as_multi(multi);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (ufds == nullptr && size > 0) return FETCHM_BAD_FUNCTION_ARGUMENT;
  return m->scheduler->waitfds(ufds, size, fd_count);
}

FETCHMcode fetch_multi_notify_enable(FETCHM *multi, unsigned int notification) {
  MultiHandle *m = as_multi(multi);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (notification > FETCHMNOTIFY_EASY_DONE) return FETCHM_UNKNOWN_OPTION;
  m->scheduler->notify().enabled |= 1u << notification;
  return FETCHM_OK;
}

FETCHMcode fetch_multi_notify_disable(FETCHM *multi, unsigned int notification) {
  MultiHandle *m = as_multi(multi);
  if (m == nullptr) return FETCHM_BAD_HANDLE;
  if (notification > FETCHMNOTIFY_EASY_DONE) return FETCHM_UNKNOWN_OPTION;
  m->scheduler->notify().enabled &= ~(1u << notification);
  return FETCHM_OK;
}

}  // extern "C"
