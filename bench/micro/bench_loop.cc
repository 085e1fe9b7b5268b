#include "bench/micro/bench_loop.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace fetch_bench {

Listener::Listener(int backlog) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || listen(fd, backlog) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
    close(fd);
    return;
  }
  fd_ = fd;
  port_ = ntohs(addr.sin_port);
}

Listener::~Listener() {
  if (fd_ >= 0) close(fd_);
}

int Listener::accept_one(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) != 1) return -1;
  return accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
}

AppLoop::AppLoop(FETCHM *multi) : multi_(multi) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  fetch_multi_setopt(multi_, FETCHMOPT_SOCKETFUNCTION, &AppLoop::on_socket);
  fetch_multi_setopt(multi_, FETCHMOPT_SOCKETDATA, this);
  fetch_multi_setopt(multi_, FETCHMOPT_TIMERFUNCTION, &AppLoop::on_timer);
  fetch_multi_setopt(multi_, FETCHMOPT_TIMERDATA, this);
}

AppLoop::~AppLoop() {
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

int64_t AppLoop::now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

int AppLoop::on_socket(FETCH *easy, fetch_socket_t s, int what, void *userp, void * /*socketp*/) {
  auto *self = static_cast<AppLoop *>(userp);
  auto it = self->interest_.find(s);
  if (it != self->interest_.end() && it->second == FETCH_POLL_IN) --self->read_only_;
  if (what == FETCH_POLL_REMOVE) {
    if (it != self->interest_.end()) {
      self->interest_.erase(it);
      epoll_ctl(self->epoll_fd_, EPOLL_CTL_DEL, s, nullptr);
    }
    auto e = self->easy_fd_.find(easy);
    if (e != self->easy_fd_.end() && e->second == s) self->easy_fd_.erase(e);
    return 0;
  }
  epoll_event ev{};
  ev.events = ((what & FETCH_POLL_IN) ? EPOLLIN : 0u) | ((what & FETCH_POLL_OUT) ? EPOLLOUT : 0u);
  ev.data.fd = s;
  bool known = it != self->interest_.end();
  if (epoll_ctl(self->epoll_fd_, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s, &ev) != 0) return -1;
  self->interest_[s] = what;
  if (what == FETCH_POLL_IN) ++self->read_only_;
  if (easy != nullptr) self->easy_fd_[easy] = s;
  return 0;
}

int AppLoop::on_timer(FETCHM * /*multi*/, long timeout_ms, void *userp) {
  auto *self = static_cast<AppLoop *>(userp);
  self->timer_at_ms_ = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
  return 0;
}

void AppLoop::dispatch(fetch_socket_t s, int bits) {
  fetch_multi_socket_action(multi_, s, bits, &running_);
}

void AppLoop::turn(int max_wait_ms) {
  int wait = max_wait_ms;
  if (timer_at_ms_ >= 0) {
    wait = static_cast<int>(std::clamp<int64_t>(timer_at_ms_ - now_ms(), 0, max_wait_ms));
  }
  epoll_event events[256];
  int n = epoll_wait(epoll_fd_, events, 256, wait);
  for (int i = 0; i < n; ++i) {
    int bits = 0;
    if (events[i].events & (EPOLLIN | EPOLLHUP)) bits |= FETCH_CSELECT_IN;
    if (events[i].events & EPOLLOUT) bits |= FETCH_CSELECT_OUT;
    if (events[i].events & EPOLLERR) bits |= FETCH_CSELECT_ERR;
    dispatch(events[i].data.fd, bits);
  }
  if (timer_at_ms_ >= 0 && now_ms() >= timer_at_ms_) {
    timer_at_ms_ = -1;
    dispatch(FETCH_SOCKET_TIMEOUT, 0);
  }
}

bool AppLoop::run_due_timer() {
  if (timer_at_ms_ < 0 || now_ms() < timer_at_ms_) return false;
  timer_at_ms_ = -1;
  dispatch(FETCH_SOCKET_TIMEOUT, 0);
  return true;
}

int AppLoop::interest(int fd) const {
  auto it = interest_.find(fd);
  return it == interest_.end() ? 0 : it->second;
}

int AppLoop::fd_of(FETCH *easy) const {
  auto it = easy_fd_.find(easy);
  return it == easy_fd_.end() ? -1 : it->second;
}

uint64_t raise_fd_limit(uint64_t want) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < want) {
    lim.rlim_cur = std::min<rlim_t>(want, lim.rlim_max);
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return lim.rlim_cur;
}

size_t discard_body(char * /*ptr*/, size_t size, size_t nmemb, void *userdata) {
  if (userdata != nullptr) *static_cast<uint64_t *>(userdata) += size * nmemb;
  return size * nmemb;
}

}  // namespace fetch_bench
