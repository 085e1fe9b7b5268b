#ifndef FETCHINC_UV_H
#define FETCHINC_UV_H
/*
 * libfetch extension (not in libcurl): run a multi handle on the application's own libuv loop.
 *
 * fetch_multi_init_uv returns an ordinary multi handle whose sockets (uv_poll_t), timer
 * (uv_timer_t), name lookups (uv_getaddrinfo) and wake-ups (uv_async_t) all live on `loop`.
 * There is no glue to write: add easy handles and run the loop (uv_run); transfers progress in
 * the loop's callbacks. To learn when a transfer is done, install FETCHMOPT_NOTIFYFUNCTION and
 * enable FETCHMNOTIFY_EASY_DONE (or FETCHMNOTIFY_INFO_READ and call fetch_multi_info_read).
 * While transfers run, the loop stays alive; once all are done and no socket is watched, the
 * multi keeps no active handle, so uv_run(UV_RUN_DEFAULT) returns.
 *
 * Every other multi function works on such a handle except fetch_multi_perform,
 * fetch_multi_wait/poll and fetch_multi_socket_action, which return FETCHM_BAD_FUNCTION_ARGUMENT:
 * the application's loop drives the multi. fetch_multi_cleanup closes libfetch's handles on the
 * loop; their memory is freed by the loop's close callbacks, so run the loop once more (for
 * example uv_run(loop, UV_RUN_NOWAIT)) before uv_loop_close.
 * The loop must be used from one thread; fetch_multi_wakeup is safe from any thread.
 */
#include <uv.h>

#include "multi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Creates a multi handle attached to `loop` (not owned). NULL when loop is NULL or on no
 * memory. Free with fetch_multi_cleanup before the loop is closed. */
FETCH_EXTERN FETCHM *fetch_multi_init_uv(uv_loop_t *loop);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FETCHINC_UV_H */
