/*
 * epoll-floor: the floor for the keep-alive experiments (E1, E5). No library and no HTTP
 * beyond finding the end of the head and its Content-Length: C non-blocking keep-alive
 * connections, each registered once for EPOLLIN (level-triggered, never changed), one send()
 * per request and a recv() per readiness into one shared 64 KiB buffer. What it costs is about
 * what the kernel costs per request and per connection; a client library cannot go below it
 * on the same machine, which is why bench/run reports it beside the libraries.
 *
 *   epoll-floor -n REQUESTS -c CONNECTIONS HOST PORT PATH
 *
 * Prints the load driver's RESULT line (mode=floor, lib=none). Exit code: 0 when every
 * response was a 200 with its whole body, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "raw_http.h"

struct conn {
  int fd;
  long long body_left; /* -1 while the head is still arriving */
  size_t head_len;     /* bytes of the head gathered so far */
  char head[1024];     /* the head, gathered across reads (nginx's are about 250 bytes) */
};

static int send_request(struct conn *c, const char *req, size_t len) {
  c->body_left = -1;
  c->head_len = 0;
  return send(c->fd, req, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static int open_conn(struct conn *c, const struct sockaddr_in *to, int ep) {
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c->fd < 0) return -1;
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  /* Blocking connect (loopback answers at once), then non-blocking for the transfers. */
  if (connect(c->fd, (const struct sockaddr *)to, sizeof *to) != 0) return -1;
  fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  return epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

int main(int argc, char **argv) {
  long long n = 0;
  int conns = 0, arg = 1;
  while (arg + 1 < argc && argv[arg][0] == '-') {
    if (strcmp(argv[arg], "-n") == 0)
      n = atoll(argv[arg + 1]);
    else if (strcmp(argv[arg], "-c") == 0)
      conns = atoi(argv[arg + 1]);
    else
      break;
    arg += 2;
  }
  if (argc - arg != 3 || n <= 0 || conns <= 0) {
    fprintf(stderr, "usage: epoll-floor -n REQUESTS -c CONNECTIONS HOST PORT PATH\n");
    return 1;
  }
  if (conns > n) conns = (int)n;
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[arg + 1]))};
  if (inet_pton(AF_INET, argv[arg], &to.sin_addr) != 1) return 1;
  char req[512];
  int req_len = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%s\r\nAccept: */*\r\n\r\n",
                         argv[arg + 2], argv[arg], argv[arg + 1]);
  if (req_len <= 0 || req_len >= (int)sizeof req) return 1;

  double start = now_s();
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct conn *all = calloc((size_t)conns, sizeof *all);
  static char buf[65536];
  long long sent = 0, ok = 0, err = 0;
  for (int i = 0; i < conns; i++) {
    if (open_conn(&all[i], &to, ep) != 0 || send_request(&all[i], req, (size_t)req_len) != 0) {
      fprintf(stderr, "epoll-floor: connection %d: %s\n", i, strerror(errno));
      return 1;
    }
    sent++;
  }
  struct epoll_event events[256];
  while (ok + err < n) {
    int ready = epoll_wait(ep, events, 256, 10000);
    if (ready <= 0) {
      fprintf(stderr, "epoll-floor: no progress for 10 s\n");
      break;
    }
    for (int e = 0; e < ready; e++) {
      struct conn *c = events[e].data.ptr;
      ssize_t got = recv(c->fd, buf, sizeof buf, 0);
      if (got <= 0) {
        if (got < 0 && errno == EAGAIN) continue;
        fprintf(stderr, "epoll-floor: connection closed\n");
        return 1;
      }
      size_t used = (size_t)got;
      if (c->body_left < 0) {
        size_t take = used < sizeof c->head - c->head_len ? used : sizeof c->head - c->head_len;
        memcpy(c->head + c->head_len, buf, take);
        c->head_len += take;
        long long end = head_length(c->head, c->head_len);
        if (end < 0) continue;
        long long length = content_length(c->head, (size_t)end);
        int is_200 = c->head_len > 12 && memcmp(c->head + 9, "200", 3) == 0;
        if (length < 0 || !is_200) {
          fprintf(stderr, "epoll-floor: not a 200 with Content-Length\n");
          return 1;
        }
        /* Bytes of this read past the head are body. */
        long long head_in_this_read = end - (long long)(c->head_len - take);
        c->body_left = length - ((long long)used - head_in_this_read);
      } else {
        c->body_left -= (long long)used;
      }
      if (c->body_left > 0) continue;
      if (c->body_left < 0)
        err++;
      else
        ok++;
      if (sent < n) {
        if (send_request(c, req, (size_t)req_len) != 0) return 1;
        sent++;
      }
    }
  }
  double wall = now_s() - start;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu_us = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
                  (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
  printf(
      "RESULT mode=floor c=%d n=%lld ok=%lld err=%lld wall_s=%.3f req_s=%.0f "
      "cpu_us_per_req=%.2f maxrss_kib=%ld lib=none\n",
      conns, n, ok, err, wall, (double)(ok + err) / wall, cpu_us / (double)(ok + err),
      ru.ru_maxrss);
  for (int i = 0; i < conns; i++) close(all[i].fd);
  free(all);
  close(ep);
  return ok == n ? 0 : 1;
}
