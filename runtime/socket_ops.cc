#include "runtime/socket_ops.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "easy/easy_handle.h"
#include "runtime/callback_guard.h"

namespace fetch {

void SocketCloser::close(int fd) const {
  if (fd < 0) return;
  if (callback != nullptr) {
    callback(data, fd);
    return;
  }
  ::close(fd);
}

namespace {

// INTERFACE: "if!name" (a network interface), "host!addr" (a local address or name), or a
// plain value tried as an interface name first, then as an address (CURLOPT_INTERFACE(3)).
bool local_address_for(const std::string &spec, int family, Address &out, std::string &bind_dev) {
  std::string value = spec;
  bool want_if = false;
  bool want_host = false;
  if (value.rfind("if!", 0) == 0) {
    value = value.substr(3);
    want_if = true;
  } else if (value.rfind("host!", 0) == 0) {
    value = value.substr(5);
    want_host = true;
  }
  if (!want_if && parse_ip_literal(value, 0, out)) return out.family() == family;
  if (want_host) return false;
  ifaddrs *list = nullptr;
  if (getifaddrs(&list) != 0) return false;
  bool found = false;
  for (ifaddrs *it = list; it != nullptr; it = it->ifa_next) {
    if (it->ifa_addr == nullptr || value != it->ifa_name || it->ifa_addr->sa_family != family) {
      continue;
    }
    out = Address{};
    out.length = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    memcpy(&out.storage, it->ifa_addr, out.length);
    out.set_port(0);
    bind_dev = value;
    found = true;
    break;
  }
  freeifaddrs(list);
  return found;
}

FETCHcode bind_local(EasyHandle &easy, int fd, int family, std::string &why, int &os_errno) {
  const Settings &s = easy.settings;
  if (s.interface_name.empty() && s.localport == 0) return FETCHE_OK;
  Address local;
  std::string device;
  if (!s.interface_name.empty()) {
    if (!local_address_for(s.interface_name, family, local, device)) {
      why = "Couldn't bind to '" + s.interface_name + "'";
      return FETCHE_INTERFACE_FAILED;
    }
  } else {
    local = Address{};
    local.storage.ss_family = static_cast<sa_family_t>(family);
    local.length = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
  }
  long first = s.localport;
  long range = s.localport != 0 ? (s.localportrange > 0 ? s.localportrange : 1) : 1;
  for (long i = 0; i < range; ++i) {
    long port = first == 0 ? 0 : first + i;
    if (port > 65535) break;
    local.set_port(static_cast<int>(port));
    if (::bind(fd, local.sa(), local.length) == 0) return FETCHE_OK;
    os_errno = errno;
    if (errno != EADDRINUSE) break;
  }
  why = "bind failed with errno " + std::to_string(os_errno) + ": " + strerror(os_errno);
  return FETCHE_INTERFACE_FAILED;
}

void apply_tcp_options(const Settings &s, int fd) {
  int on = 1;
  if (s.tcp_nodelay) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (s.tcp_keepalive) {
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    int idle = static_cast<int>(s.tcp_keepidle_s);
    int intvl = static_cast<int>(s.tcp_keepintvl_s);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
  }
}

}  // namespace

FETCHcode open_socket(EasyHandle &easy, const Address &addr, OpenedSocket &out, std::string &why,
                      int &os_errno) {
  const Settings &s = easy.settings;
  out = OpenedSocket{};
  out.closer = SocketCloser{s.closesocket, s.closesocket_data};
  if (s.opensocket != nullptr) {
    // struct fetch_sockaddr ends in a 16-byte sockaddr, as libcurl's does; an IPv6 address is
    // longer, so the struct sits in front of enough storage for any address (libcurl callers
    // read sockaddr_in6 from &addr).
    struct {
      fetch_sockaddr head;
      sockaddr_storage tail;
    } box{};
    fetch_sockaddr &fa = box.head;
    fa.family = addr.family();
    fa.socktype = SOCK_STREAM;
    fa.protocol = IPPROTO_TCP;
    fa.addrlen = addr.length;
    memcpy(reinterpret_cast<char *>(&fa.addr), &addr.storage, addr.length);
    {
      CallbackGuard guard(&easy);
      out.fd = s.opensocket(s.opensocket_data, FETCHSOCKTYPE_IPCXN, &fa);
    }
    if (out.fd == FETCH_SOCKET_BAD) {
      why = "OPENSOCKETFUNCTION returned FETCH_SOCKET_BAD";
      return FETCHE_COULDNT_CONNECT;
    }
    int flags = fcntl(out.fd, F_GETFL);
    fcntl(out.fd, F_SETFL, flags | O_NONBLOCK);
    fcntl(out.fd, F_SETFD, FD_CLOEXEC);
  } else {
    out.fd = ::socket(addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (out.fd < 0) {
      os_errno = errno;
      why = std::string("socket() failed: ") + strerror(os_errno);
      return FETCHE_COULDNT_CONNECT;
    }
  }
  apply_tcp_options(s, out.fd);
  if (s.sockopt != nullptr) {
    int rc;
    {
      CallbackGuard guard(&easy);
      rc = s.sockopt(s.sockopt_data, out.fd, FETCHSOCKTYPE_IPCXN);
    }
    if (rc == FETCH_SOCKOPT_ALREADY_CONNECTED) {
      out.already_connected = true;
    } else if (rc != FETCH_SOCKOPT_OK) {
      out.closer.close(out.fd);
      out.fd = -1;
      why = "SOCKOPTFUNCTION failed";
      return FETCHE_ABORTED_BY_CALLBACK;
    }
  }
  if (!out.already_connected) {
    FETCHcode rc = bind_local(easy, out.fd, addr.family(), why, os_errno);
    if (rc != FETCHE_OK) {
      out.closer.close(out.fd);
      out.fd = -1;
      return rc;
    }
  }
  return FETCHE_OK;
}

}  // namespace fetch
