#include "fd_leak_checker.h"

#include <dirent.h>
#include <unistd.h>
#include <uv.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

namespace fetchtest {
namespace {

struct DirCloser {
  void operator()(DIR *dir) const { closedir(dir); }
};

std::string link_target(int fd) {
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  char buf[512];
  ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
  return n < 0 ? std::string("?") : std::string(buf, static_cast<std::size_t>(n));
}

// libuv opens a process-wide pipe (its signal lock) on the first uv_loop_init and keeps it until
// exit. Create it before any snapshot so that it never counts as a leak.
void open_libuv_process_fds() {
  static std::once_flag once;
  std::call_once(once, [] {
    uv_loop_t loop;
    if (uv_loop_init(&loop) == 0) uv_loop_close(&loop);
  });
}

}  // namespace

std::map<int, std::string> open_fds() {
  std::map<int, std::string> fds;
  std::unique_ptr<DIR, DirCloser> dir(opendir("/proc/self/fd"));
  if (!dir) return fds;
  const int own_fd = dirfd(dir.get());
  while (dirent *entry = readdir(dir.get())) {
    if (entry->d_name[0] == '.') continue;
    int fd = std::atoi(entry->d_name);
    if (fd == own_fd) continue;
    fds.emplace(fd, link_target(fd));
  }
  return fds;
}

std::size_t count_open_fds() { return open_fds().size(); }

FdLeakChecker::FdLeakChecker() {
  open_libuv_process_fds();
  baseline_ = open_fds();
}

std::size_t FdLeakChecker::baseline() const { return baseline_.size(); }

::testing::AssertionResult FdLeakChecker::no_new_fds(std::chrono::milliseconds grace) const {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  std::map<int, std::string> now = open_fds();
  while (now.size() > baseline_.size() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    now = open_fds();
  }
  if (now.size() <= baseline_.size()) return ::testing::AssertionSuccess();

  auto failure = ::testing::AssertionFailure();
  failure << now.size() << " fds open, " << baseline_.size() << " at the snapshot; new:";
  for (const auto &[fd, target] : now) {
    auto it = baseline_.find(fd);
    if (it == baseline_.end() || it->second != target) failure << " " << fd << "->" << target;
  }
  return failure;
}

}  // namespace fetchtest
