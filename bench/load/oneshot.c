/*
 * fetch-oneshot: process start plus one GET, for the start-up experiment (E6). The smallest
 * libcurl-style program: global init, one easy handle, one fetch_easy_perform, cleanup. Built
 * against libfetch (fetch-oneshot) and, through the rename header, against libcurl
 * (fetch-oneshot-libcurl).
 *
 *   fetch-oneshot URL
 *
 * The body is counted, not printed. Exit code: 0 on a 200 response, else the FETCHcode (or 1
 * for a non-200 code).
 */
#include <fetch/fetch.h>
#include <stdio.h>

static size_t discard(char *data, size_t size, size_t nmemb, void *userdata) {
  (void)data;
  *(size_t *)userdata += size * nmemb;
  return size * nmemb;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s URL\n", argv[0]);
    return 2;
  }
  size_t bytes = 0;
  long code = 0;
  fetch_global_init(FETCH_GLOBAL_DEFAULT);
  FETCH *easy = fetch_easy_init();
  if (!easy) return 1;
  fetch_easy_setopt(easy, FETCHOPT_URL, argv[1]);
  fetch_easy_setopt(easy, FETCHOPT_WRITEFUNCTION, discard);
  fetch_easy_setopt(easy, FETCHOPT_WRITEDATA, &bytes);
  FETCHcode rc = fetch_easy_perform(easy);
  fetch_easy_getinfo(easy, FETCHINFO_RESPONSE_CODE, &code);
  fetch_easy_cleanup(easy);
  fetch_global_cleanup();
  if (rc != FETCHE_OK) {
    fprintf(stderr, "fetch-oneshot: %s\n", fetch_easy_strerror(rc));
    return (int)rc;
  }
  return code == 200 ? 0 : 1;
}
