// Runner: performs every URL through one multi handle (fetch_multi_perform + fetch_multi_poll),
// one at a time, or up to --parallel-max at once with -Z. Handles retries, -w, error messages,
// the progress bars and the --parallel summary. The exit code is the last failure's FETCHcode.
#pragma once

#include <fetch/fetch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "progress.h"
#include "transfer.h"

namespace fetchcli {

class Runner {
 public:
  explicit Runner(const Config &config);
  ~Runner();
  Runner(const Runner &) = delete;
  Runner &operator=(const Runner &) = delete;

  int run();

 private:
  std::size_t capacity() const;
  void start_more();
  void start_new(std::size_t index);
  void add(Transfer &t);
  void read_messages();
  void on_done(Transfer &t, FETCHcode result);
  void finish(Transfer &t);
  void fail_early(std::unique_ptr<Transfer> t, FETCHcode code, const std::string &message);
  void draw_progress(bool final);
  int poll_timeout_ms() const;
  void error(FETCHcode code, const std::string &message);
  void warn(const std::string &message);

  const Config &config_;
  FETCHM *multi_ = nullptr;
  Progress progress_;
  std::size_t next_url_ = 0;
  std::map<std::size_t, std::unique_ptr<Transfer>> transfers_;
  std::vector<Transfer *> running_;
  std::vector<Transfer *> waiting_;  // retries waiting for their time
  OverallProgress overall_;
  int exit_code_ = 0;
  Clock::time_point start_;
};

}  // namespace fetchcli
