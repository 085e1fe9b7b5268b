/*
 * connect_only_echo: a libcurl-style program with curl renamed to fetch. It connects with
 * FETCHOPT_CONNECT_ONLY, takes the socket from FETCHINFO_ACTIVESOCKET, sends a line with
 * fetch_easy_send, waits with poll() and reads the echo back with fetch_easy_recv.
 *
 *   connect_only_echo http://127.0.0.1:PORT [message]
 */
#include <fetch/fetch.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

static int wait_on(fetch_socket_t fd, short events, int timeout_ms) {
  struct pollfd p;
  p.fd = fd;
  p.events = events;
  p.revents = 0;
  return poll(&p, 1, timeout_ms);
}

int main(int argc, char **argv) {
  const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
  const char *message = argc > 2 ? argv[2] : "hello from libfetch";
  char errbuf[FETCH_ERROR_SIZE] = "";
  FETCH *h = fetch_easy_init();
  if (!h) return 1;
  fetch_easy_setopt(h, FETCHOPT_URL, url);
  fetch_easy_setopt(h, FETCHOPT_CONNECT_ONLY, 1L);
  fetch_easy_setopt(h, FETCHOPT_ERRORBUFFER, errbuf);
  fetch_easy_setopt(h, FETCHOPT_CONNECTTIMEOUT_MS, 5000L);
  FETCHcode res = fetch_easy_perform(h);
  if (res != FETCHE_OK) {
    fprintf(stderr, "connect failed: %s (%s)\n", fetch_easy_strerror(res), errbuf);
    fetch_easy_cleanup(h);
    return (int)res;
  }
  fetch_socket_t fd = FETCH_SOCKET_BAD;
  fetch_easy_getinfo(h, FETCHINFO_ACTIVESOCKET, &fd);
  char *ip = NULL;
  long port = 0;
  fetch_easy_getinfo(h, FETCHINFO_PRIMARY_IP, &ip);
  fetch_easy_getinfo(h, FETCHINFO_PRIMARY_PORT, &port);
  printf("connected to %s port %ld, socket %d\n", ip ? ip : "?", port, (int)fd);

  size_t len = strlen(message), off = 0;
  while (off < len) {
    size_t n = 0;
    res = fetch_easy_send(h, message + off, len - off, &n);
    if (res == FETCHE_AGAIN) {
      wait_on(fd, POLLOUT, 1000);
      continue;
    }
    if (res != FETCHE_OK) break;
    off += n;
  }
  char buf[512];
  size_t got = 0;
  while (res == FETCHE_OK && got < len && got < sizeof buf - 1) {
    size_t n = 0;
    res = fetch_easy_recv(h, buf + got, sizeof buf - 1 - got, &n);
    if (res == FETCHE_AGAIN) {
      if (wait_on(fd, POLLIN, 5000) <= 0) break;
      res = FETCHE_OK;
      continue;
    }
    if (res != FETCHE_OK || n == 0) break;
    got += n;
  }
  buf[got] = '\0';
  printf("sent %zu bytes, echoed back: \"%s\"\n", len, buf);
  fetch_easy_cleanup(h);
  return got == len ? 0 : 1;
}
