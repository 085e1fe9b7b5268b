/*
 * http_get_post: a libcurl-style HTTP client with curl renamed to fetch. On one easy handle (so
 * the keep-alive connection is reused) it
 *   1. GETs BASE/redirect/FILE, following the 302 to BASE/FILE (FETCHOPT_FOLLOWLOCATION);
 *   2. POSTs "name=libfetch&lang=c" to BASE/echo and checks the echoed body.
 * For each it prints the response code, the body size, the redirects followed, the connections
 * made and the total time (FETCHINFO_RESPONSE_CODE, SIZE_DOWNLOAD_T, REDIRECT_COUNT,
 * NUM_CONNECTS, TOTAL_TIME_T). With --multi the same two transfers run through a multi handle
 * driven by fetch_multi_perform + fetch_multi_poll, one after the other.
 *
 *   http_get_post [--multi] http://127.0.0.1:PORT FILE
 *
 * The bundled server answers both routes: fetch-test-server --http --files DIR.
 * Exit code: 0, or the first FETCHcode that was not FETCHE_OK (or 1 on a wrong body).
 */
#include <fetch/fetch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct body {
  char *data;
  size_t len;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata) {
  struct body *b = (struct body *)userdata;
  size_t n = size * nmemb;
  char *grown = (char *)realloc(b->data, b->len + n + 1);
  if (!grown) return 0; /* makes the transfer fail with FETCHE_WRITE_ERROR */
  memcpy(grown + b->len, data, n);
  b->data = grown;
  b->len += n;
  b->data[b->len] = '\0';
  return n;
}

/* Runs the handle's transfer through a multi handle: perform, then poll while it runs. */
static FETCHcode perform_multi(FETCHM *multi, FETCH *h) {
  FETCHcode result = FETCHE_OK;
  int running = 0;
  fetch_multi_add_handle(multi, h);
  do {
    FETCHMcode mc = fetch_multi_perform(multi, &running);
    if (mc == FETCHM_OK && running) mc = fetch_multi_poll(multi, NULL, 0, 1000, NULL);
    if (mc != FETCHM_OK) {
      fprintf(stderr, "multi: %s\n", fetch_multi_strerror(mc));
      break;
    }
  } while (running);
  int left = 0;
  FETCHMsg *msg;
  while ((msg = fetch_multi_info_read(multi, &left)) != NULL) {
    if (msg->msg == FETCHMSG_DONE && msg->easy_handle == h) result = msg->data.result;
  }
  fetch_multi_remove_handle(multi, h);
  return result;
}

static void report(FETCH *h, const char *what, const struct body *b) {
  long code = 0, redirects = 0, connects = 0;
  fetch_off_t total_us = 0;
  char *url = NULL;
  fetch_easy_getinfo(h, FETCHINFO_RESPONSE_CODE, &code);
  fetch_easy_getinfo(h, FETCHINFO_REDIRECT_COUNT, &redirects);
  fetch_easy_getinfo(h, FETCHINFO_NUM_CONNECTS, &connects);
  fetch_easy_getinfo(h, FETCHINFO_TOTAL_TIME_T, &total_us);
  fetch_easy_getinfo(h, FETCHINFO_EFFECTIVE_URL, &url);
  printf("%-4s %ld  %zu bytes  %ld redirect(s)  %ld new connection(s)  %.3f ms  %s\n", what, code,
         b->len, redirects, connects, (double)total_us / 1000.0, url ? url : "");
}

int main(int argc, char **argv) {
  int use_multi = argc > 1 && strcmp(argv[1], "--multi") == 0;
  if (argc != 3 + use_multi) {
    fprintf(stderr, "usage: %s [--multi] http://127.0.0.1:PORT FILE\n", argv[0]);
    return 2;
  }
  const char *base = argv[1 + use_multi];
  const char *file = argv[2 + use_multi];
  char url[1024];
  char errbuf[FETCH_ERROR_SIZE] = "";
  const char *form = "name=libfetch&lang=c";
  struct body b = {NULL, 0};
  FETCHcode res;

  fetch_global_init(FETCH_GLOBAL_DEFAULT);
  FETCH *h = fetch_easy_init();
  FETCHM *multi = use_multi ? fetch_multi_init() : NULL;
  if (!h || (use_multi && !multi)) return 1;
  fetch_easy_setopt(h, FETCHOPT_ERRORBUFFER, errbuf);
  fetch_easy_setopt(h, FETCHOPT_WRITEFUNCTION, on_body);
  fetch_easy_setopt(h, FETCHOPT_WRITEDATA, &b);
  fetch_easy_setopt(h, FETCHOPT_FOLLOWLOCATION, 1L);
  fetch_easy_setopt(h, FETCHOPT_TIMEOUT_MS, 10000L);

  /* 1. GET through a redirect */
  snprintf(url, sizeof url, "%s/redirect/%s", base, file);
  fetch_easy_setopt(h, FETCHOPT_URL, url);
  res = use_multi ? perform_multi(multi, h) : fetch_easy_perform(h);
  if (res == FETCHE_OK) report(h, "GET", &b);

  /* 2. POST on the same handle: the pooled connection carries it */
  if (res == FETCHE_OK) {
    free(b.data);
    b.data = NULL;
    b.len = 0;
    snprintf(url, sizeof url, "%s/echo", base);
    fetch_easy_setopt(h, FETCHOPT_URL, url);
    fetch_easy_setopt(h, FETCHOPT_POSTFIELDS, form);
    res = use_multi ? perform_multi(multi, h) : fetch_easy_perform(h);
    if (res == FETCHE_OK) report(h, "POST", &b);
  }
  int exit_code = (int)res;
  if (res != FETCHE_OK) {
    fprintf(stderr, "transfer failed: %s (%s)\n", fetch_easy_strerror(res), errbuf);
  } else if (b.len != strlen(form) || memcmp(b.data, form, b.len) != 0) {
    fprintf(stderr, "the echoed body differs from what was posted\n");
    exit_code = 1;
  }
  free(b.data);
  fetch_easy_cleanup(h);
  if (multi) fetch_multi_cleanup(multi);
  fetch_global_cleanup();
  return exit_code;
}
