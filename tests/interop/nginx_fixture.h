// NginxServer: a private nginx (/usr/sbin/nginx) for interop tests, run as a child process.
//
// Everything lives in a fresh temp dir: the generated nginx.conf, the pid file, the error and
// access logs, the temp paths and the document root. nginx listens on 127.0.0.1 only, on a port
// picked by binding port 0 (retried when nginx reports EADDRINUSE), runs with `daemon off;` in its
// own process group and is always stopped by its PID (then its group) by stop() / the destructor.
// Header-only: the test suite globs only *_test.cc.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/ports.h"
#include "support/unique_fd.h"

namespace fetchtest {

inline constexpr const char *kNginxBinary = "/usr/sbin/nginx";

inline std::string read_whole_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

inline bool write_whole_file(const std::string &path, const std::string &data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out);
}

// Deletes a directory tree (no symlinks are followed: lstat).
inline void remove_tree(const std::string &path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    if (DIR *dir = opendir(path.c_str())) {
      while (dirent *entry = readdir(dir)) {
        const std::string name = entry->d_name;
        if (name == "." || name == "..") continue;
        remove_tree(path + "/" + name);
      }
      closedir(dir);
    }
    rmdir(path.c_str());
  } else {
    unlink(path.c_str());
  }
}

// True when a TCP connection to 127.0.0.1:port is accepted.
inline bool loopback_accepts(int port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  return connect(fd.get(), reinterpret_cast<const sockaddr *>(&addr), sizeof(addr)) == 0;
}

class NginxServer {
 public:
  NginxServer() = default;
  ~NginxServer() { stop(); }
  NginxServer(const NginxServer &) = delete;
  NginxServer &operator=(const NginxServer &) = delete;

  // Creates the temp dir and its document root (html/). Files can be added with add_file()
  // before start(). Empty string on success, else an error message.
  std::string prepare() {
    char tmpl[] = "/tmp/fetch-nginx-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return std::string("mkdtemp: ") + std::strerror(errno);
    dir_ = tmpl;
    for (const char *sub :
         {"html", "tmp", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "logs"}) {
      if (mkdir((dir_ + "/" + sub).c_str(), 0755) != 0)
        return "mkdir " + dir_ + "/" + sub + ": " + std::strerror(errno);
    }
    return "";
  }

  // Writes html/<relative> (parent dirs created). False on I/O error.
  bool add_file(const std::string &relative, const std::string &data) {
    std::string path = dir_ + "/html";
    size_t start = 0;
    for (size_t slash; (slash = relative.find('/', start)) != std::string::npos;
         start = slash + 1) {
      path += "/" + relative.substr(start, slash - start);
      if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return false;
    }
    return write_whole_file(dir_ + "/html/" + relative, data);
  }

  // Starts nginx with `server_body` (directives inside the server block; the text "@PORT@" is
  // replaced by the chosen port). Waits at most ~5 s for it to accept. Empty string on success,
  // else a message that includes nginx's error log.
  std::string start(const std::string &server_body) {
    std::string last_error;
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = closed_port();
      if (port_ == 0) return "could not pick a free loopback port";
      write_config(server_body);
      const std::string error = launch();
      if (error.empty()) return "";
      last_error = error;
      if (error.find("Address already in use") == std::string::npos) break;
    }
    return last_error;
  }

  // Stops nginx: SIGQUIT (graceful) to the master by PID, then SIGTERM, then SIGKILL to its
  // process group, each with a bounded wait. Idempotent.
  void stop() {
    if (pid_ > 0) {
      if (!signal_and_wait(SIGQUIT, std::chrono::milliseconds(3000)) &&
          !signal_and_wait(SIGTERM, std::chrono::milliseconds(2000))) {
        kill(-pid_, SIGKILL);  // the group holds only the master and its workers
        waitpid(pid_, nullptr, 0);
      }
      pid_ = -1;
    }
  }

  // Removes the temp dir (after stop()). Kept when `keep` is true, for post-mortem.
  void cleanup(bool keep) {
    stop();
    if (!dir_.empty() && !keep) remove_tree(dir_);
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string &dir() const { return dir_; }
  std::string url(const std::string &path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string error_log() const {
    return read_whole_file(dir_ + "/logs/error.log") + read_whole_file(dir_ + "/logs/stderr.log");
  }
  // Lines of logs/access.log (format "interop": connection serial, requests on it, request
  // line, status, bytes sent).
  std::vector<std::string> access_log_lines() const {
    std::vector<std::string> lines;
    std::istringstream in(read_whole_file(dir_ + "/logs/access.log"));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) lines.push_back(line);
    return lines;
  }
  std::string config() const { return read_whole_file(dir_ + "/nginx.conf"); }

 private:
  void write_config(std::string server_body) {
    for (size_t at; (at = server_body.find("@PORT@")) != std::string::npos;)
      server_body.replace(at, 6, std::to_string(port_));
    std::string user_line;
    if (geteuid() == 0) {
      // Workers keep running as root so they can read the temp dir (nginx would switch to
      // "nobody" otherwise).
      const passwd *pw = getpwuid(geteuid());
      const group *gr = getgrgid(getegid());
      user_line = std::string("user ") + (pw ? pw->pw_name : "root") + " " +
                  (gr ? gr->gr_name : "root") + ";\n";
    }
    const std::string &d = dir_;
    std::string conf;
    conf += "# Generated by tests/interop/nginx_fixture.h\n";
    conf += "daemon off;\nmaster_process on;\nworker_processes 1;\n";
    conf += user_line;
    conf += "pid " + d + "/logs/nginx.pid;\n";
    conf += "error_log " + d + "/logs/error.log info;\n";
    conf += "events {\n  worker_connections 256;\n}\n";
    conf += "http {\n";
    conf +=
        "  types {\n    text/plain txt;\n    text/html html;\n"
        "    application/octet-stream bin;\n  }\n";
    conf += "  default_type application/octet-stream;\n";
    conf +=
        "  log_format interop '$connection $connection_requests \"$request\" $status "
        "$body_bytes_sent';\n";
    conf += "  access_log " + d + "/logs/access.log interop;\n";
    conf += "  client_body_temp_path " + d + "/tmp/body;\n";
    conf += "  proxy_temp_path " + d + "/tmp/proxy;\n";
    conf += "  fastcgi_temp_path " + d + "/tmp/fastcgi;\n";
    conf += "  uwsgi_temp_path " + d + "/tmp/uwsgi;\n";
    conf += "  scgi_temp_path " + d + "/tmp/scgi;\n";
    conf += "  sendfile on;\n  keepalive_timeout 60s;\n  keepalive_requests 10000;\n";
    conf += "  server {\n";
    conf += "    listen 127.0.0.1:" + std::to_string(port_) + ";\n";
    conf += "    server_name localhost;\n";
    conf += "    root " + d + "/html;\n";
    conf += server_body;
    conf += "\n  }\n}\n";
    write_whole_file(d + "/nginx.conf", conf);
  }

  std::string launch() {
    const std::string conf = dir_ + "/nginx.conf";
    const std::string stderr_path = dir_ + "/logs/stderr.log";
    const std::string error_path = dir_ + "/logs/error.log";
    unlink(error_path.c_str());
    unlink(stderr_path.c_str());
    // Everything the child needs is built before fork: the test process may have threads, so
    // the child only makes async-signal-safe calls until exec.
    const std::string prefix = dir_ + "/";
    const char *const argv[] = {kNginxBinary,       "-p", prefix.c_str(), "-e",
                                error_path.c_str(), "-c", conf.c_str(),   nullptr};
    const pid_t parent = getpid();
    const pid_t child = fork();
    if (child < 0) return std::string("fork: ") + std::strerror(errno);
    if (child == 0) {
      setpgid(0, 0);
      // nginx must not outlive a crashed test process.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(126);
      const int out = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (out >= 0) {
        dup2(out, STDOUT_FILENO);
        dup2(out, STDERR_FILENO);
      }
      const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (in >= 0) dup2(in, STDIN_FILENO);
      // -e: the error log from the very start, before the config is read.
      execv(kNginxBinary, const_cast<char *const *>(argv));
      _exit(127);
    }
    setpgid(child, child);  // also from the parent, whichever runs first
    pid_ = child;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        pid_ = -1;
        std::string why = WIFEXITED(status)
                              ? "exited with " + std::to_string(WEXITSTATUS(status))
                              : "killed by signal " + std::to_string(WTERMSIG(status));
        return "nginx " + why + " before accepting on port " + std::to_string(port_) +
               "; error log:\n" + error_log();
      }
      if (loopback_accepts(port_)) return "";
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    stop();
    return "nginx did not accept on 127.0.0.1:" + std::to_string(port_) +
           " within 5 s; error log:\n" + error_log();
  }

  // Sends `sig` to the master and waits up to `timeout` for it to exit; true when it did.
  bool signal_and_wait(int sig, std::chrono::milliseconds timeout) {
    if (kill(pid_, sig) != 0 && errno == ESRCH) {
      waitpid(pid_, nullptr, WNOHANG);
      return true;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace fetchtest
