#ifndef FETCHINC_MULTI_H
#define FETCHINC_MULTI_H
/*
 * libfetch - the multi interface (follows libcurl's <curl/multi.h> and libcurl-multi(3)).
 *
 * A multi handle is libfetch's scheduler: it owns every socket of the easy handles added to it
 * and drives them from one event loop. Three ways to drive it:
 *   - fetch_multi_perform + fetch_multi_poll/wait: libfetch's private libuv loop;
 *   - FETCHMOPT_SOCKETFUNCTION/TIMERFUNCTION + fetch_multi_socket_action: the application's loop;
 *   - fetch/uv.h (libfetch's extension): attach the multi to the application's uv_loop_t.
 * A multi handle and its easy handles are used by one thread at a time; fetch_multi_wakeup is
 * the one call that is safe from any thread.
 */
#include "fetch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The multi handle (follows curl_multi_init(3)). */
typedef void FETCHM;

/* ---- FETCHMcode: the result of every multi function (follows libcurl-errors(3)) ---- */
/* @generated-begin multicode */
typedef enum {
  FETCHM_CALL_MULTI_PERFORM = -1,
  FETCHM_OK = 0,
  FETCHM_BAD_HANDLE = 1,
  FETCHM_BAD_EASY_HANDLE = 2,
  FETCHM_OUT_OF_MEMORY = 3,
  FETCHM_INTERNAL_ERROR = 4,
  FETCHM_BAD_SOCKET = 5,
  FETCHM_UNKNOWN_OPTION = 6,
  FETCHM_ADDED_ALREADY = 7,
  FETCHM_RECURSIVE_API_CALL = 8,
  FETCHM_WAKEUP_FAILURE = 9,
  FETCHM_BAD_FUNCTION_ARGUMENT = 10,
  FETCHM_ABORTED_BY_CALLBACK = 11,
  FETCHM_UNRECOVERABLE_POLL = 12,
  FETCHM_LAST = 13
} FETCHMcode;
#define FETCHM_CALL_MULTI_SOCKET FETCHM_CALL_MULTI_PERFORM
/* @generated-end multicode */

/* ---- constants ---- */
/* @generated-begin constants */
typedef enum {
  FETCHMSG_NONE = 0,
  FETCHMSG_DONE = 1,
  FETCHMSG_LAST = 2
} FETCHMSG;

#define FETCHPIPE_NOTHING 0L
#define FETCHPIPE_HTTP1 1L
#define FETCHPIPE_MULTIPLEX 2L
#define FETCH_WAIT_POLLIN 1L
#define FETCH_WAIT_POLLPRI 2L
#define FETCH_WAIT_POLLOUT 4L
#define FETCH_POLL_NONE 0L
#define FETCH_POLL_IN 1L
#define FETCH_POLL_OUT 2L
#define FETCH_POLL_INOUT 3L
#define FETCH_POLL_REMOVE 4L
#define FETCH_SOCKET_TIMEOUT FETCH_SOCKET_BAD
#define FETCH_CSELECT_IN 1L
#define FETCH_CSELECT_OUT 2L
#define FETCH_CSELECT_ERR 4L
#define FETCHMNWC_CLEAR_ALL 1L
#define FETCHMNWC_CLEAR_CONNS 2L
#define FETCHMNWC_CLEAR_DNS 4L
#define FETCH_PUSH_OK 0L
#define FETCH_PUSH_DENY 1L
#define FETCH_PUSH_ERROROUT 2L
#define FETCHMNOTIFY_INFO_READ 0L
#define FETCHMNOTIFY_EASY_DONE 1L
/* @generated-end constants */

/* ---- FETCHMoption and FETCHMinfo_offt ---- */
/* @generated-begin multi-options */
typedef enum {
  FETCHMOPT_SOCKETFUNCTION = 20001,
  FETCHMOPT_SOCKETDATA = 10002,
  FETCHMOPT_PIPELINING = 3,
  FETCHMOPT_TIMERFUNCTION = 20004,
  FETCHMOPT_TIMERDATA = 10005,
  FETCHMOPT_MAXCONNECTS = 6,
  FETCHMOPT_MAX_HOST_CONNECTIONS = 7,
  FETCHMOPT_MAX_PIPELINE_LENGTH = 8,
  FETCHMOPT_CONTENT_LENGTH_PENALTY_SIZE = 30009,
  FETCHMOPT_CHUNK_LENGTH_PENALTY_SIZE = 30010,
  FETCHMOPT_PIPELINING_SITE_BL = 10011,
  FETCHMOPT_PIPELINING_SERVER_BL = 10012,
  FETCHMOPT_MAX_TOTAL_CONNECTIONS = 13,
  FETCHMOPT_PUSHFUNCTION = 20014,
  FETCHMOPT_PUSHDATA = 10015,
  FETCHMOPT_MAX_CONCURRENT_STREAMS = 16,
  FETCHMOPT_NETWORK_CHANGED = 17,
  FETCHMOPT_NOTIFYFUNCTION = 20018,
  FETCHMOPT_NOTIFYDATA = 10019,
  FETCHMOPT_RESOLVE_THREADS_MAX = 20,
  FETCHMOPT_QUICK_EXIT = 21,
  FETCHMOPT_LASTENTRY = 22
} FETCHMoption;

typedef enum {
  FETCHMINFO_NONE = 0,
  FETCHMINFO_XFERS_CURRENT = 1,
  FETCHMINFO_XFERS_RUNNING = 2,
  FETCHMINFO_XFERS_PENDING = 3,
  FETCHMINFO_XFERS_DONE = 4,
  FETCHMINFO_XFERS_ADDED = 5,
  FETCHMINFO_LASTENTRY = 6
} FETCHMinfo_offt;
/* @generated-end multi-options */

/* A message from fetch_multi_info_read (follows curl_multi_info_read(3)). */
struct FETCHMsg {
  FETCHMSG msg;       /* FETCHMSG_DONE */
  FETCH *easy_handle; /* the transfer it is about */
  union {
    void *whatever;
    FETCHcode result; /* the transfer's result */
  } data;
};
typedef struct FETCHMsg FETCHMsg;

/* An extra fd for fetch_multi_wait/poll (follows curl_multi_wait(3)); events/revents are
 * FETCH_WAIT_POLLIN / POLLPRI / POLLOUT bits. */
struct fetch_waitfd {
  fetch_socket_t fd;
  short events;
  short revents;
};

/* Server push headers (follows CURLMOPT_PUSHFUNCTION(3)); opaque. */
struct fetch_pushheaders;

/* FETCHMOPT_SOCKETFUNCTION (follows CURLMOPT_SOCKETFUNCTION(3)): `what` is FETCH_POLL_IN, OUT,
 * INOUT or REMOVE; REMOVE always comes before libfetch closes the fd. Return 0, or -1 to fail
 * every transfer using that socket. */
typedef int (*fetch_socket_callback)(FETCH *easy, fetch_socket_t s, int what, void *userp,
                                     void *socketp);
/* FETCHMOPT_TIMERFUNCTION (follows CURLMOPT_TIMERFUNCTION(3)): timeout_ms -1 deletes the timer,
 * 0 means call fetch_multi_socket_action(FETCH_SOCKET_TIMEOUT) as soon as possible. Return 0, or
 * -1 to fail every transfer. */
typedef int (*fetch_multi_timer_callback)(FETCHM *multi, long timeout_ms, void *userp);
/* FETCHMOPT_PUSHFUNCTION (follows CURLMOPT_PUSHFUNCTION(3)). */
typedef int (*fetch_push_callback)(FETCH *parent, FETCH *easy, size_t num_headers,
                                   struct fetch_pushheaders *headers, void *userp);
/* FETCHMOPT_NOTIFYFUNCTION (follows CURLMOPT_NOTIFYFUNCTION(3)). */
typedef void (*fetch_notify_callback)(FETCHM *multi, unsigned int notification, FETCH *easy,
                                      void *user_data);

/* Creates a multi handle; NULL on no memory (follows curl_multi_init(3)). */
FETCH_EXTERN FETCHM *fetch_multi_init(void);

/* Adds an easy handle (follows curl_multi_add_handle(3)). Returns FETCHM_OK;
 * FETCHM_BAD_HANDLE / FETCHM_BAD_EASY_HANDLE for NULL or foreign handles;
 * FETCHM_ADDED_ALREADY when it is in a multi already; FETCHM_RECURSIVE_API_CALL from a callback
 * where that is not allowed. */
FETCH_EXTERN FETCHMcode fetch_multi_add_handle(FETCHM *multi_handle, FETCH *curl_handle);

/* Removes an easy handle, stopping its transfer (follows curl_multi_remove_handle(3)); allowed
 * from inside callbacks. Returns FETCHM_OK (also when the handle is not in this multi),
 * FETCHM_BAD_HANDLE, FETCHM_BAD_EASY_HANDLE. */
FETCH_EXTERN FETCHMcode fetch_multi_remove_handle(FETCHM *multi_handle, FETCH *curl_handle);

/* Adds the multi's sockets to the fd_sets; *max_fd gets the highest fd or -1
 * (follows curl_multi_fdset(3)). Sockets >= FD_SETSIZE are left out. */
FETCH_EXTERN FETCHMcode fetch_multi_fdset(FETCHM *multi_handle, fd_set *read_fd_set,
                                          fd_set *write_fd_set, fd_set *exc_fd_set, int *max_fd);

/* Waits up to timeout_ms (milliseconds) for activity on the multi's sockets or the extra fds;
 * *numfds gets the number of fds with activity (follows curl_multi_wait(3)). Returns at once
 * when there is nothing to wait for. FETCHM_BAD_FUNCTION_ARGUMENT for a negative timeout. */
FETCH_EXTERN FETCHMcode fetch_multi_wait(FETCHM *multi_handle, struct fetch_waitfd extra_fds[],
                                         unsigned int extra_nfds, int timeout_ms, int *numfds);

/* As fetch_multi_wait, but it sleeps the whole timeout even with nothing to wait for and
 * fetch_multi_wakeup interrupts it (follows curl_multi_poll(3)). */
FETCH_EXTERN FETCHMcode fetch_multi_poll(FETCHM *multi_handle, struct fetch_waitfd extra_fds[],
                                         unsigned int extra_nfds, int timeout_ms, int *numfds);

/* Wakes a fetch_multi_poll in progress (or the next one); safe from any thread
 * (follows curl_multi_wakeup(3)). */
FETCH_EXTERN FETCHMcode fetch_multi_wakeup(FETCHM *multi_handle);

/* Does whatever work is ready without blocking; *running_handles gets the transfers still
 * running (follows curl_multi_perform(3)). */
FETCH_EXTERN FETCHMcode fetch_multi_perform(FETCHM *multi_handle, int *running_handles);

/* Frees the multi handle; easy handles still added are detached and keep their options
 * (follows curl_multi_cleanup(3)). Returns FETCHM_RECURSIVE_API_CALL from a callback. */
FETCH_EXTERN FETCHMcode fetch_multi_cleanup(FETCHM *multi_handle);

/* Returns the next message, or NULL; *msgs_in_queue gets how many remain
 * (follows curl_multi_info_read(3)). The message is valid until the next call or until its
 * easy handle is removed or cleaned up. */
FETCH_EXTERN FETCHMsg *fetch_multi_info_read(FETCHM *multi_handle, int *msgs_in_queue);

/* A static text for each code (follows curl_multi_strerror(3)). */
FETCH_EXTERN const char *fetch_multi_strerror(FETCHMcode code);

/* Deprecated (follows curl_multi_socket(3)): fetch_multi_socket_action with ev_bitmask 0. */
FETCH_EXTERN FETCHMcode fetch_multi_socket(FETCHM *multi_handle, fetch_socket_t s,
                                           int *running_handles)
    FETCH_DEPRECATED(7.19.5, "Use fetch_multi_socket_action()");

/* Tells the multi that socket `s` is ready (FETCH_CSELECT_IN/OUT/ERR bits; 0 lets libfetch find
 * out) or, with FETCH_SOCKET_TIMEOUT, that the timer expired (follows
 * curl_multi_socket_action(3)). Returns FETCHM_OK or FETCHM_BAD_SOCKET for a socket the multi
 * does not know. */
FETCH_EXTERN FETCHMcode fetch_multi_socket_action(FETCHM *multi_handle, fetch_socket_t s,
                                                  int ev_bitmask, int *running_handles);

/* Deprecated (follows curl_multi_socket_all(3)): checks every socket. */
FETCH_EXTERN FETCHMcode fetch_multi_socket_all(FETCHM *multi_handle, int *running_handles)
    FETCH_DEPRECATED(7.19.5, "Use fetch_multi_socket_action()");

#ifndef FETCH_ALLOW_OLD_MULTI_SOCKET
/* The old 3-argument form maps onto socket_action (follows curl_multi_socket(3)). */
#define fetch_multi_socket(x, y, z) fetch_multi_socket_action(x, y, 0, z)
#endif

/* *milliseconds gets how long the application may wait before calling socket_action or
 * perform, -1 for no timeout (follows curl_multi_timeout(3)). */
FETCH_EXTERN FETCHMcode fetch_multi_timeout(FETCHM *multi_handle, long *milliseconds);

/* Sets one multi option (follows curl_multi_setopt(3)). FETCHM_UNKNOWN_OPTION for an unknown
 * option, FETCHM_BAD_FUNCTION_ARGUMENT for a bad value; an option known but not implemented yet
 * gives FETCHM_UNKNOWN_OPTION too (libcurl has no not-built-in multi code). */
FETCH_EXTERN FETCHMcode fetch_multi_setopt(FETCHM *multi_handle, FETCHMoption option, ...);

/* Stores `sockp` for socket `sockfd`; it is passed to the socket callback
 * (follows curl_multi_assign(3)). FETCHM_BAD_SOCKET for an unknown socket. */
FETCH_EXTERN FETCHMcode fetch_multi_assign(FETCHM *multi_handle, fetch_socket_t sockfd,
                                           void *sockp);

/* A NULL-terminated, malloc'd array of the easy handles added; free with fetch_free
 * (follows curl_multi_get_handles(3)). NULL on no memory. */
FETCH_EXTERN FETCH **fetch_multi_get_handles(FETCHM *multi_handle);

/* Reads one FETCHMINFO_* counter (follows curl_multi_get_offt(3)). */
FETCH_EXTERN FETCHMcode fetch_multi_get_offt(FETCHM *multi_handle, FETCHMinfo_offt info,
                                             fetch_off_t *pvalue);

/* Server push headers (follows curl_pushheader_bynum(3)); HTTP/2 is not built: NULL. */
FETCH_EXTERN char *fetch_pushheader_bynum(struct fetch_pushheaders *h, size_t num);
FETCH_EXTERN char *fetch_pushheader_byname(struct fetch_pushheaders *h, const char *name);

/* Fills `ufds` with up to `size` fds to wait on; *fd_count gets the number needed
 * (follows curl_multi_waitfds(3)). */
FETCH_EXTERN FETCHMcode fetch_multi_waitfds(FETCHM *multi, struct fetch_waitfd *ufds,
                                            unsigned int size, unsigned int *fd_count);

/* Notifications (follows curl_multi_notify_enable(3)). */
FETCH_EXTERN FETCHMcode fetch_multi_notify_disable(FETCHM *multi, unsigned int notification);
FETCH_EXTERN FETCHMcode fetch_multi_notify_enable(FETCHM *multi, unsigned int notification);

#define fetch_multi_setopt(handle, opt, param) fetch_multi_setopt(handle, opt, param)

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FETCHINC_MULTI_H */
