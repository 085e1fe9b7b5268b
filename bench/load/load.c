/*
 * fetch-load: the benchmarks' load driver. It is written against the public fetch API only,
 * so the same source builds twice: against libfetch (fetch-load) and, through the rename
 * header tests/compat/fetch/fetch.h, against Debian's libcurl (fetch-load-libcurl). Both
 * libraries run exactly the same client code.
 *
 *   fetch-load [--mode perform|epoll|uv|easy] [-n N] [-c C] [--fresh] [--bufsize BYTES]
 *              [--expect-bytes BYTES] [--max-time SECONDS] URL
 *
 * Modes (how the transfers are driven):
 *   perform  fetch_multi_perform + fetch_multi_poll (the library's own loop);
 *   epoll    fetch_multi_socket_action from this program's epoll loop (SOCKETFUNCTION and
 *            TIMERFUNCTION), the way an event-driven server embeds the library;
 *   uv       fetch_multi_init_uv on this program's uv_loop_t (libfetch only);
 *   easy     a loop of fetch_easy_perform on one handle (C must be 1).
 * C easy handles are created once and reused: each is re-added as soon as its transfer ends,
 * until N transfers have started (or --max-time has passed; then the ones running finish).
 * --fresh sets FORBID_REUSE, so every request opens a new connection.
 *
 * Every response is checked: the transfer's result is OK, the code is 200 and the bytes
 * delivered equal --expect-bytes (when given) and the Content-Length (when sent).
 * At the end it prints one line:
 *   RESULT mode=M c=C n=N ok=OK err=ERR wall_s=S req_s=R cpu_us_per_req=U maxrss_kib=K lib=L
 * with CPU time (user + system) and peak RSS from getrusage(RUSAGE_SELF).
 * Exit code: 0 when every transfer was ok, 1 when any failed, 2 on bad arguments.
 */
#include <errno.h>
#include <fetch/fetch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifdef FETCH_COMPAT_LIBCURL_RENAME_H
#define LOAD_LIB "libcurl"
#else
#define LOAD_LIB "libfetch"
#define LOAD_HAVE_UV 1
#include <fetch/uv.h>
#endif

enum mode { MODE_PERFORM, MODE_EPOLL, MODE_UV, MODE_EASY };
static const char *const mode_names[] = {"perform", "epoll", "uv", "easy"};

struct config {
  enum mode mode;
  const char *url;
  long total;        /* N: transfers to run */
  long concurrency;  /* C: transfers in flight */
  int fresh;         /* FORBID_REUSE */
  long bufsize;      /* BUFFERSIZE in bytes; 0 leaves the default */
  long long expect;  /* body bytes every response must have; -1 when not checked */
  double max_time_s; /* no new transfer starts after this many seconds */
};

/* One in-flight slot: an easy handle reused for transfer after transfer. */
struct slot {
  FETCH *easy;
  long long bytes; /* body bytes delivered by the current transfer */
};

struct run {
  const struct config *cfg;
  struct slot *slots;
  long started;
  long ok;
  long err;
  int running; /* transfers in the multi */
  double t0;
  FETCHM *multi;
  int epfd;         /* epoll mode */
  double timer_due; /* epoll mode: when TIMERFUNCTION asked to be called back; < 0: never */
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata) {
  (void)data;
  struct slot *s = (struct slot *)userdata;
  s->bytes += (long long)(size * nmemb);
  return size * nmemb;
}

static int setup_slot(struct slot *s, const struct config *cfg) {
  s->easy = fetch_easy_init();
  if (!s->easy) return -1;
  FETCH *e = s->easy;
  if (fetch_easy_setopt(e, FETCHOPT_URL, cfg->url) != FETCHE_OK ||
      fetch_easy_setopt(e, FETCHOPT_WRITEFUNCTION, on_body) != FETCHE_OK ||
      fetch_easy_setopt(e, FETCHOPT_WRITEDATA, s) != FETCHE_OK ||
      fetch_easy_setopt(e, FETCHOPT_PRIVATE, s) != FETCHE_OK ||
      fetch_easy_setopt(e, FETCHOPT_TIMEOUT, 60L) != FETCHE_OK ||
      /* What a server embedding either library sets: without it libcurl swaps the SIGPIPE
       * handler around every socket operation (two rt_sigaction calls each). */
      fetch_easy_setopt(e, FETCHOPT_NOSIGNAL, 1L) != FETCHE_OK)
    return -1;
  if (cfg->fresh && fetch_easy_setopt(e, FETCHOPT_FORBID_REUSE, 1L) != FETCHE_OK) return -1;
  if (cfg->bufsize > 0 && fetch_easy_setopt(e, FETCHOPT_BUFFERSIZE, cfg->bufsize) != FETCHE_OK)
    return -1;
  return 0;
}

/* Checks one finished transfer and counts it. */
static void account(struct run *r, struct slot *s, FETCHcode result) {
  long code = 0;
  fetch_off_t length = -1;
  fetch_easy_getinfo(s->easy, FETCHINFO_RESPONSE_CODE, &code);
  fetch_easy_getinfo(s->easy, FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  const char *why = NULL;
  if (result != FETCHE_OK)
    why = fetch_easy_strerror(result);
  else if (code != 200)
    why = "response code is not 200";
  else if (r->cfg->expect >= 0 && s->bytes != r->cfg->expect)
    why = "body size differs from --expect-bytes";
  else if (length >= 0 && s->bytes != (long long)length)
    why = "body size differs from Content-Length";
  if (!why) {
    r->ok++;
    return;
  }
  if (r->err++ < 5)
    fprintf(stderr, "fetch-load: transfer failed: %s (code %ld, %lld bytes)\n", why, code,
            s->bytes);
}

/* True while another transfer may start: N not reached and the time cap not passed. */
static int may_start(struct run *r) {
  if (r->started >= r->cfg->total) return 0;
  if (r->cfg->max_time_s > 0 && now_s() - r->t0 > r->cfg->max_time_s) return 0;
  return 1;
}

static int start(struct run *r, struct slot *s) {
  s->bytes = 0;
  if (fetch_multi_add_handle(r->multi, s->easy) != FETCHM_OK) return -1;
  r->started++;
  r->running++;
  return 0;
}

/* Reads every finished transfer, counts it and starts the next one on the same handle.
 * Returns how many finished, or -1 when the next could not start. */
static int drain_done(struct run *r) {
  int left = 0, finished = 0;
  FETCHMsg *msg;
  while ((msg = fetch_multi_info_read(r->multi, &left)) != NULL) {
    if (msg->msg != FETCHMSG_DONE) continue;
    FETCH *e = msg->easy_handle;
    FETCHcode result = msg->data.result;
    struct slot *s = NULL;
    fetch_easy_getinfo(e, FETCHINFO_PRIVATE, (char **)&s);
    account(r, s, result);
    finished++;
    fetch_multi_remove_handle(r->multi, e);
    r->running--;
    if (may_start(r) && start(r, s) != 0) return -1;
  }
  return finished;
}

static int start_all(struct run *r) {
  for (long i = 0; i < r->cfg->concurrency && may_start(r); i++)
    if (start(r, &r->slots[i]) != 0) return -1;
  return 0;
}

/* ---- perform: the library's own loop ---- */
static int run_perform(struct run *r) {
  if (start_all(r) != 0) return -1;
  while (r->running > 0) {
    int still = 0;
    FETCHMcode mc = fetch_multi_perform(r->multi, &still);
    if (mc != FETCHM_OK) return -1;
    int finished = drain_done(r);
    if (finished < 0) return -1;
    /* Handles just re-added start on the next perform; otherwise wait for readiness. */
    if (finished == 0 && r->running > 0) {
      mc = fetch_multi_poll(r->multi, NULL, 0, 1000, NULL);
      if (mc != FETCHM_OK) return -1;
    }
  }
  return 0;
}

/* ---- epoll: socket_action from this program's loop ---- */
static char watched_marker; /* fetch_multi_assign'ed to fds already in the epoll set */

static int on_socket(FETCH *easy, fetch_socket_t fd, int what, void *userp, void *socketp) {
  (void)easy;
  struct run *r = (struct run *)userp;
  if (what == FETCH_POLL_REMOVE) {
    epoll_ctl(r->epfd, EPOLL_CTL_DEL, fd, NULL);
    fetch_multi_assign(r->multi, fd, NULL);
    return 0;
  }
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.data.fd = fd;
  if (what & FETCH_POLL_IN) ev.events |= EPOLLIN;
  if (what & FETCH_POLL_OUT) ev.events |= EPOLLOUT;
  if (socketp) return epoll_ctl(r->epfd, EPOLL_CTL_MOD, fd, &ev) == 0 ? 0 : -1;
  if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) return -1;
  fetch_multi_assign(r->multi, fd, &watched_marker);
  return 0;
}

static int on_timer(FETCHM *multi, long timeout_ms, void *userp) {
  (void)multi;
  struct run *r = (struct run *)userp;
  r->timer_due = timeout_ms < 0 ? -1.0 : now_s() + (double)timeout_ms / 1000.0;
  return 0;
}

static int run_epoll(struct run *r) {
  r->epfd = epoll_create1(EPOLL_CLOEXEC);
  if (r->epfd < 0) return -1;
  r->timer_due = -1.0;
  fetch_multi_setopt(r->multi, FETCHMOPT_SOCKETFUNCTION, on_socket);
  fetch_multi_setopt(r->multi, FETCHMOPT_SOCKETDATA, r);
  fetch_multi_setopt(r->multi, FETCHMOPT_TIMERFUNCTION, on_timer);
  fetch_multi_setopt(r->multi, FETCHMOPT_TIMERDATA, r);
  if (start_all(r) != 0) return -1;
  struct epoll_event events[256];
  int still = 0;
  while (r->running > 0) {
    int timeout = 1000;
    if (r->timer_due >= 0) {
      double left_ms = (r->timer_due - now_s()) * 1000.0;
      timeout = left_ms <= 0 ? 0 : left_ms > 1000 ? 1000 : (int)left_ms + 1;
    }
    int n = timeout == 0 ? 0 : epoll_wait(r->epfd, events, 256, timeout);
    if (n < 0 && errno != EINTR) return -1;
    /* The timer is served when it is due, even while sockets keep the loop busy. */
    if (r->timer_due >= 0 && now_s() >= r->timer_due) {
      r->timer_due = -1.0;
      if (fetch_multi_socket_action(r->multi, FETCH_SOCKET_TIMEOUT, 0, &still) != FETCHM_OK)
        return -1;
    }
    for (int i = 0; i < n; i++) {
      int mask = 0;
      if (events[i].events & (EPOLLIN | EPOLLHUP)) mask |= FETCH_CSELECT_IN;
      if (events[i].events & EPOLLOUT) mask |= FETCH_CSELECT_OUT;
      if (events[i].events & EPOLLERR) mask |= FETCH_CSELECT_ERR;
      if (fetch_multi_socket_action(r->multi, events[i].data.fd, mask, &still) != FETCHM_OK)
        return -1;
    }
    if (drain_done(r) < 0) return -1;
  }
  return 0;
}

/* ---- uv: the multi on this program's libuv loop (libfetch only) ---- */
#ifdef LOAD_HAVE_UV
/* After each poll phase: count the finished transfers and start the next ones. */
static void on_check(uv_check_t *check) {
  struct run *r = (struct run *)check->data;
  if (drain_done(r) < 0) {
    r->err++;
    uv_stop(check->loop);
  }
  if (r->running == 0) uv_close((uv_handle_t *)check, NULL);
}

static int run_uv(struct run *r) {
  uv_loop_t loop;
  if (uv_loop_init(&loop) != 0) return -1;
  fetch_multi_cleanup(r->multi);
  r->multi = fetch_multi_init_uv(&loop);
  if (!r->multi) return -1;
  fetch_multi_setopt(r->multi, FETCHMOPT_MAXCONNECTS, r->cfg->concurrency);
  uv_check_t check;
  uv_check_init(&loop, &check);
  check.data = r;
  uv_check_start(&check, on_check);
  int rc = start_all(r);
  if (rc == 0) uv_run(&loop, UV_RUN_DEFAULT);
  if (!uv_is_closing((uv_handle_t *)&check)) uv_close((uv_handle_t *)&check, NULL);
  fetch_multi_cleanup(r->multi);
  r->multi = NULL;
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_loop_close(&loop);
  return rc == 0 && r->running == 0 ? 0 : -1;
}
#endif

/* ---- easy: fetch_easy_perform in a loop ---- */
static int run_easy(struct run *r) {
  struct slot *s = &r->slots[0];
  while (may_start(r)) {
    s->bytes = 0;
    r->started++;
    account(r, s, fetch_easy_perform(s->easy));
  }
  return 0;
}

static int usage(const char *why) {
  fprintf(stderr,
          "fetch-load: %s\nusage: fetch-load [--mode perform|epoll|uv|easy] [-n N] [-c C] "
          "[--fresh] [--bufsize BYTES] [--expect-bytes BYTES] [--max-time SECONDS] URL\n",
          why);
  return 2;
}

static int parse_long(const char *s, long min, long *out) {
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || !end || *end || end == s || v < min) return -1;
  *out = v;
  return 0;
}

int main(int argc, char **argv) {
  struct config cfg = {MODE_PERFORM, NULL, 1000, 1, 0, 0, -1, 60.0};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    long n = 0;
    if (strcmp(a, "--fresh") == 0) {
      cfg.fresh = 1;
    } else if (strcmp(a, "--mode") == 0 && v) {
      int found = 0;
      for (int m = 0; m < 4; m++)
        if (strcmp(v, mode_names[m]) == 0) cfg.mode = (enum mode)m, found = 1;
      if (!found) return usage("unknown mode");
      i++;
    } else if (strcmp(a, "-n") == 0 && v) {
      if (parse_long(v, 1, &cfg.total)) return usage("-n wants a count >= 1");
      i++;
    } else if (strcmp(a, "-c") == 0 && v) {
      if (parse_long(v, 1, &cfg.concurrency)) return usage("-c wants a count >= 1");
      i++;
    } else if (strcmp(a, "--bufsize") == 0 && v) {
      if (parse_long(v, 1, &cfg.bufsize)) return usage("--bufsize wants bytes >= 1");
      i++;
    } else if (strcmp(a, "--expect-bytes") == 0 && v) {
      if (parse_long(v, 0, &n)) return usage("--expect-bytes wants bytes >= 0");
      cfg.expect = n;
      i++;
    } else if (strcmp(a, "--max-time") == 0 && v) {
      if (parse_long(v, 1, &n)) return usage("--max-time wants seconds >= 1");
      cfg.max_time_s = (double)n;
      i++;
    } else if (a[0] != '-' && !cfg.url) {
      cfg.url = a;
    } else {
      return usage("bad argument");
    }
  }
  if (!cfg.url) return usage("no URL");
  if (cfg.mode == MODE_EASY && cfg.concurrency != 1) return usage("easy mode runs with -c 1");
#ifndef LOAD_HAVE_UV
  if (cfg.mode == MODE_UV) return usage("uv mode needs libfetch (fetch/uv.h)");
#endif
  if (cfg.concurrency > cfg.total) cfg.concurrency = cfg.total;

  /* Thousands of connections need thousands of descriptors. */
  struct rlimit fds;
  if (getrlimit(RLIMIT_NOFILE, &fds) == 0 && fds.rlim_cur < fds.rlim_max) {
    fds.rlim_cur = fds.rlim_max;
    setrlimit(RLIMIT_NOFILE, &fds);
  }

  fetch_global_init(FETCH_GLOBAL_DEFAULT);
  struct slot *slots = (struct slot *)calloc((size_t)cfg.concurrency, sizeof *slots);
  if (!slots) return 1;
  for (long i = 0; i < cfg.concurrency; i++)
    if (setup_slot(&slots[i], &cfg) != 0) {
      fprintf(stderr, "fetch-load: cannot set up an easy handle\n");
      return 1;
    }

  struct run r;
  memset(&r, 0, sizeof r);
  r.cfg = &cfg;
  r.slots = slots;
  r.epfd = -1;
  if (cfg.mode != MODE_EASY) {
    r.multi = fetch_multi_init();
    if (!r.multi) return 1;
    /* Keep one pooled connection per in-flight transfer. */
    fetch_multi_setopt(r.multi, FETCHMOPT_MAXCONNECTS, cfg.concurrency);
  }

  r.t0 = now_s();
  int rc = 0;
  switch (cfg.mode) {
    case MODE_PERFORM:
      rc = run_perform(&r);
      break;
    case MODE_EPOLL:
      rc = run_epoll(&r);
      break;
    case MODE_UV:
#ifdef LOAD_HAVE_UV
      rc = run_uv(&r);
#endif
      break;
    case MODE_EASY:
      rc = run_easy(&r);
      break;
  }
  double wall = now_s() - r.t0;
  if (rc != 0) fprintf(stderr, "fetch-load: the %s loop failed\n", mode_names[cfg.mode]);

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu_us = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
                  (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
  long done = r.ok + r.err;
  printf(
      "RESULT mode=%s c=%ld n=%ld ok=%ld err=%ld wall_s=%.3f req_s=%.0f cpu_us_per_req=%.2f "
      "maxrss_kib=%ld lib=%s\n",
      mode_names[cfg.mode], cfg.concurrency, done, r.ok, r.err, wall,
      wall > 0 ? (double)done / wall : 0.0, done ? cpu_us / (double)done : 0.0, ru.ru_maxrss,
      LOAD_LIB);

  if (r.multi) fetch_multi_cleanup(r.multi);
  for (long i = 0; i < cfg.concurrency; i++) fetch_easy_cleanup(slots[i].easy);
  free(slots);
  if (r.epfd >= 0) close(r.epfd);
  fetch_global_cleanup();
  return rc == 0 && r.err == 0 && r.ok == cfg.total ? 0 : 1;
}
