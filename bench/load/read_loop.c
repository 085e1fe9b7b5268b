/*
 * read-loop: the floor for the bulk-download experiment (E2). A plain blocking socket that
 * sends one GET and read()s the whole response into one 256 KiB buffer (or --bufsize), doing
 * nothing with the bytes. No library: what it costs is what the kernel's copy costs. The request
 * is a keep-alive one, as the libraries send, so the server sends the same way to all three
 * (nginx turns TCP_NODELAY on for keep-alive connections, which changes how it segments a
 * sendfile body); the loop stops after the head and Content-Length body bytes.
 *
 *   read-loop [--bufsize BYTES] HOST PORT PATH
 *
 * Prints the load driver's RESULT line (mode=read, lib=none; n=1) and bytes=B, the bytes
 * read including the response head. Exit code: 0, or 1 when the connection fails.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "raw_http.h"

int main(int argc, char **argv) {
  size_t bufsize = 256 * 1024;
  int arg = 1;
  if (argc > 2 && strcmp(argv[1], "--bufsize") == 0) {
    bufsize = (size_t)strtoul(argv[2], NULL, 10);
    arg = 3;
  }
  if (argc - arg != 3 || bufsize == 0) {
    fprintf(stderr, "usage: read-loop [--bufsize BYTES] HOST PORT PATH\n");
    return 2;
  }
  const char *host = argv[arg], *path = argv[arg + 2];
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short)atoi(argv[arg + 1]));
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
    fprintf(stderr, "read-loop: HOST must be an IPv4 address\n");
    return 2;
  }
  char *buf = malloc(bufsize);
  if (!buf) return 1;

  double t0 = now_s();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    perror("read-loop: connect");
    return 1;
  }
  char request[1024];
  int len = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s:%s\r\n\r\n", path, host,
                     argv[arg + 1]);
  if (len <= 0 || (size_t)len >= sizeof request || write(fd, request, (size_t)len) != len) {
    perror("read-loop: write");
    return 1;
  }
  /* The head arrives in the first read (a few hundred bytes); then Content-Length says when
   * the body ends. A close before that is a failure. */
  long long total = 0, want = -1;
  ssize_t got = 0;
  while (want < 0 || total < want) {
    got = read(fd, buf, bufsize);
    if (got <= 0) break;
    if (want < 0) {
      long long head = head_length(buf, (size_t)got);
      long long length = content_length(buf, (size_t)got);
      if (head < 0 || length < 0) {
        fprintf(stderr, "read-loop: no complete head with Content-Length in the first read\n");
        return 1;
      }
      want = head + length;
    }
    total += got;
  }
  close(fd);
  got = want >= 0 && total == want ? 0 : -1;
  double wall = now_s() - t0;

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu_us = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
                  (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
  int ok = got == 0 && total > 0;
  printf(
      "RESULT mode=read c=1 n=1 ok=%d err=%d wall_s=%.3f req_s=%.1f cpu_us_per_req=%.2f "
      "maxrss_kib=%ld lib=none bytes=%lld\n",
      ok, !ok, wall, wall > 0 ? 1.0 / wall : 0.0, cpu_us, ru.ru_maxrss, total);
  free(buf);
  return ok ? 0 : 1;
}
