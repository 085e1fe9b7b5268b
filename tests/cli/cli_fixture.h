// The fixture of the CLI tests: a scratch directory (files/ served by the in-process HTTP test
// server, work/ as the program's working directory) and run(), which runs a program as a
// separate process with stdout and stderr captured.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "server/http_files.h"
#include "server/http_server.h"
#include "support/ports.h"

#ifndef FETCH_CLI_BIN
#error "FETCH_CLI_BIN must name the fetch program"
#endif

namespace clitest {

namespace fs = std::filesystem;
using fetchtest::http_response;
using fetchtest::HttpServer;
using fetchtest::RecordedRequest;
using fetchtest::Script;

struct RunResult {
  int code = -1;  // exit status, or -1 if the program did not exit normally
  std::string out;
  std::string err;
};

inline std::string read_file(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const fs::path &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

inline std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 gen(seed);
  std::string bytes(size, '\0');
  for (char &c : bytes) c = static_cast<char>(gen() & 0xff);
  return bytes;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("fetch-cli-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_ / "files");
    fs::create_directories(dir_ / "work");
  }
  void TearDown() override {
    server_.stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void start_files_server() {
    server_.on_default(fetchtest::files_handler(dir_ / "files"));
    ASSERT_EQ(server_.start(), 0);
  }
  void start_server() { ASSERT_EQ(server_.start(), 0); }

  std::string url(const std::string &path) const { return server_.origin() + path; }
  fs::path work() const { return dir_ / "work"; }

  // Runs the CLI with `args` in the work directory; stdout and stderr go to files.
  RunResult run(const std::vector<std::string> &args) { return run_program(FETCH_CLI_BIN, args); }

  // Runs `program` with `args` in the work directory; stdout and stderr go to files.
  RunResult run_program(const std::string &program, const std::vector<std::string> &args) {
    const fs::path out_path = dir_ / "stdout";
    const fs::path err_path = dir_ / "stderr";
    std::vector<std::string> all = {program};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (std::string &a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string cwd = work().string(), out_s = out_path.string(), err_s = err_path.string();
    const pid_t pid = fork();
    if (pid == 0) {
      // Only async-signal-safe calls between fork and exec (the server thread runs).
      int in = open("/dev/null", O_RDONLY);
      int out = open(out_s.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int err = open(err_s.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in < 0 || out < 0 || err < 0 || chdir(cwd.c_str()) != 0) _exit(127);
      dup2(in, 0);
      dup2(out, 1);
      dup2(err, 2);
      execv(argv[0], argv.data());
      _exit(127);
    }
    RunResult result;
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
      result.code = WEXITSTATUS(status);
    }
    result.out = read_file(out_path);
    result.err = read_file(err_path);
    return result;
  }

  fs::path dir_;
  HttpServer server_;
};

}  // namespace clitest
