// fetch-test-server: the test servers as a standalone program (used by demo scripts).
//
//   fetch-test-server --echo [--port N] [--close-after-accept] [--close-after-bytes N]
//                     [--until-stdin-eof] [--max-seconds N]
//   fetch-test-server --http --files DIR [--host 127.0.0.1|127.0.0.2] [--port N]
//                     [--until-stdin-eof] [--max-seconds N]
//
// --echo: the echo server. --http --files DIR: the HTTP/1 server answering GET and HEAD with the
// files under DIR (Content-Length, single Range -> 206, keep-alive, 404), "POST /echo" (the body
// back) and "/redirect/PATH" (302 to /PATH).
// Prints "PORT <n>" (flushed) once listening, then serves until SIGTERM or SIGINT, until stdin
// reaches EOF (with --until-stdin-eof), or until --max-seconds pass (default 600).
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "echo_server.h"
#include "http_files.h"
#include "http_server.h"

namespace {

struct Args {
  bool echo = false;
  bool http = false;
  std::string files_dir;
  std::string host = "127.0.0.1";
  bool until_stdin_eof = false;
  int max_seconds = 600;
  fetchtest::EchoServerOptions server;
};

constexpr const char *kUsage =
    "usage: fetch-test-server --echo [--port N] [--close-after-accept] "
    "[--close-after-bytes N] [--until-stdin-eof] [--max-seconds N]\n"
    "       fetch-test-server --http --files DIR [--host 127.0.0.1|127.0.0.2] [--port N] "
    "[--until-stdin-eof] [--max-seconds N]\n";

std::optional<long> parse_number(const char *text, long max) {
  long value = 0;
  std::string_view sv(text);
  auto [end, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), value);
  if (ec != std::errc() || end != sv.data() + sv.size() || value < 0 || value > max) {
    return std::nullopt;
  }
  return value;
}

std::optional<Args> parse_args(int argc, char **argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg(argv[i]);
    bool has_value = i + 1 < argc;
    if (arg == "--echo") {
      args.echo = true;
    } else if (arg == "--http") {
      args.http = true;
    } else if (arg == "--files" && has_value) {
      args.files_dir = argv[++i];
    } else if (arg == "--host" && has_value) {
      args.host = argv[++i];
      if (args.host != "127.0.0.1" && args.host != "127.0.0.2") return std::nullopt;
    } else if (arg == "--until-stdin-eof") {
      args.until_stdin_eof = true;
    } else if (arg == "--close-after-accept") {
      args.server.echo.close_after_accept = true;
    } else if (arg == "--port" && has_value) {
      auto n = parse_number(argv[++i], 65535);
      if (!n) return std::nullopt;
      args.server.port = static_cast<int>(*n);
    } else if (arg == "--close-after-bytes" && has_value) {
      auto n = parse_number(argv[++i], 1L << 40);
      if (!n) return std::nullopt;
      args.server.echo.close_after_bytes = static_cast<std::size_t>(*n);
    } else if (arg == "--max-seconds" && has_value) {
      auto n = parse_number(argv[++i], 86400);
      if (!n || *n == 0) return std::nullopt;
      args.max_seconds = static_cast<int>(*n);
    } else {
      return std::nullopt;
    }
  }
  if (args.echo == args.http) return std::nullopt;  // exactly one mode
  if (args.http && args.files_dir.empty()) return std::nullopt;
  if (args.echo && args.host != "127.0.0.1") return std::nullopt;
  return args;
}

// Blocks until a stop signal arrives, stdin closes (if watched) or the deadline passes.
void wait_for_stop(int signal_fd, bool watch_stdin, std::chrono::seconds limit) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + limit;
  bool stdin_open = watch_stdin;
  while (Clock::now() < deadline) {
    pollfd fds[2] = {{signal_fd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    int rc = poll(fds, stdin_open ? 2 : 1, static_cast<int>(left.count()) + 1);
    if (rc < 0 && errno != EINTR) return;
    if (rc <= 0) continue;
    if (fds[0].revents != 0) return;
    if (stdin_open && fds[1].revents != 0) {
      char buf[4096];
      ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return;
    }
  }
}

}  // namespace

int main(int argc, char **argv) {
  std::optional<Args> args = parse_args(argc, argv);
  if (!args) {
    std::fputs(kUsage, stderr);
    return 2;
  }

  // Block the stop signals before the loop thread exists so that only signalfd sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  int signal_fd = signalfd(-1, &stop_signals, SFD_CLOEXEC);
  if (signal_fd < 0) {
    std::perror("signalfd");
    return 1;
  }

  // One of the two servers, behind the same start/port/stop calls.
  std::unique_ptr<fetchtest::EchoServer> echo;
  std::unique_ptr<fetchtest::HttpServer> http;
  int rc = 0;
  if (args->echo) {
    echo = std::make_unique<fetchtest::EchoServer>(args->server);
    rc = echo->start();
  } else {
    std::error_code ec;
    if (!std::filesystem::is_directory(args->files_dir, ec)) {
      std::fprintf(stderr, "fetch-test-server: not a directory: %s\n", args->files_dir.c_str());
      close(signal_fd);
      return 2;
    }
    http = std::make_unique<fetchtest::HttpServer>(
        fetchtest::HttpServerOptions{args->host, args->server.port, args->server.backlog});
    http->on_default(fetchtest::files_handler(args->files_dir));
    rc = http->start();
  }
  if (rc != 0) {
    std::fprintf(stderr, "fetch-test-server: cannot listen: %s\n", uv_strerror(rc));
    close(signal_fd);
    return 1;
  }
  std::printf("PORT %d\n", echo ? echo->port() : http->port());
  std::fflush(stdout);

  wait_for_stop(signal_fd, args->until_stdin_eof, std::chrono::seconds(args->max_seconds));
  if (echo) echo->stop();
  if (http) http->stop();
  close(signal_fd);
  return 0;
}
