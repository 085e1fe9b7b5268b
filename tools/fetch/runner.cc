#include "runner.h"

#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "retry.h"
#include "writeout.h"

namespace fetchcli {
namespace {

bool any_output_to_stdout(const Config &c) {
  for (std::size_t i = 0; i < c.urls.size(); ++i) {
    std::string path, error;
    if (output_path_for(c, i, path, error) && (path.empty() || path == "-")) return true;
  }
  return false;
}

bool progress_wanted(const Config &c) {
  if (c.silent || c.no_progress || c.verbose || !isatty(STDERR_FILENO)) return false;
  // A body written to the same terminal would be torn apart by the bar.
  return !(isatty(STDOUT_FILENO) && any_output_to_stdout(c));
}

std::string display_name(const Transfer &t) {
  if (!t.output.to_stdout()) return t.output.path();
  return t.url;
}

void erase(std::vector<Transfer *> &list, Transfer *t) {
  list.erase(std::remove(list.begin(), list.end(), t), list.end());
}

}  // namespace

Runner::Runner(const Config &config)
    : config_(config), progress_(progress_wanted(config), config.parallel), start_(Clock::now()) {
  multi_ = fetch_multi_init();
  overall_.total = config.urls.size();
}

Runner::~Runner() {
  for (Transfer *t : running_) fetch_multi_remove_handle(multi_, t->easy);
  running_.clear();
  transfers_.clear();
  if (multi_ != nullptr) fetch_multi_cleanup(multi_);
}

std::size_t Runner::capacity() const {
  return config_.parallel ? static_cast<std::size_t>(config_.parallel_max) : 1;
}

void Runner::error(FETCHcode code, const std::string &message) {
  if (config_.silent && !config_.show_error) return;
  progress_.clear();
  std::fprintf(stderr, "fetch: (%d) %s\n", static_cast<int>(code), message.c_str());
}

void Runner::warn(const std::string &message) {
  if (config_.silent) return;
  progress_.clear();
  std::fprintf(stderr, "Warning: %s\n", message.c_str());
}

void Runner::fail_early(std::unique_ptr<Transfer> t, FETCHcode code, const std::string &message) {
  t->result = code;
  if (t->errbuf[0] == '\0') std::snprintf(t->errbuf, sizeof(t->errbuf), "%s", message.c_str());
  error(code, error_message(*t));
  if (!config_.write_out.empty() && t->easy != nullptr) write_out(config_.write_out, *t);
  exit_code_ = static_cast<int>(code);
  ++overall_.done;
  ++overall_.failed;
}

void Runner::start_new(std::size_t index) {
  std::string path, problem;
  if (!output_path_for(config_, index, path, problem)) {
    fail_early(std::make_unique<Transfer>(index, config_.urls[index], ""), FETCHE_WRITE_ERROR,
               problem);
    return;
  }
  auto t = std::make_unique<Transfer>(index, config_.urls[index], path);
  const FETCHcode code = configure(config_, *t);
  if (code != FETCHE_OK) {
    fail_early(std::move(t), code, fetch_easy_strerror(code));
    return;
  }
  t->first_start = Clock::now();
  Transfer &ref = *t;
  transfers_[index] = std::move(t);
  add(ref);
}

void Runner::add(Transfer &t) {
  t.errbuf[0] = '\0';
  const FETCHMcode mc = fetch_multi_add_handle(multi_, t.easy);
  if (mc != FETCHM_OK) {
    std::unique_ptr<Transfer> owned = std::move(transfers_[t.index]);
    transfers_.erase(t.index);
    fail_early(std::move(owned), FETCHE_FAILED_INIT, fetch_multi_strerror(mc));
    return;
  }
  running_.push_back(&t);
}

void Runner::start_more() {
  const Clock::time_point now = Clock::now();
  for (std::size_t i = 0; i < waiting_.size();) {
    Transfer *t = waiting_[i];
    if (t->retry_at <= now) {
      waiting_.erase(waiting_.begin() + static_cast<std::ptrdiff_t>(i));
      add(*t);
    } else {
      ++i;
    }
  }
  while (next_url_ < config_.urls.size() && running_.size() + waiting_.size() < capacity()) {
    start_new(next_url_++);
  }
}

void Runner::read_messages() {
  int queued = 0;
  while (FETCHMsg *msg = fetch_multi_info_read(multi_, &queued)) {
    if (msg->msg != FETCHMSG_DONE) continue;
    FETCH *easy = msg->easy_handle;
    const FETCHcode result = msg->data.result;
    char *priv = nullptr;
    fetch_easy_getinfo(easy, FETCHINFO_PRIVATE, &priv);
    fetch_multi_remove_handle(multi_, easy);
    auto *t = reinterpret_cast<Transfer *>(priv);
    erase(running_, t);
    on_done(*t, result);
  }
}

void Runner::on_done(Transfer &t, FETCHcode result) {
  t.result = result;
  long code = 0, os_errno = 0;
  fetch_easy_getinfo(t.easy, FETCHINFO_RESPONSE_CODE, &code);
  fetch_easy_getinfo(t.easy, FETCHINFO_OS_ERRNO, &os_errno);
  const char *reason =
      t.retries_done < config_.retry ? transient_reason(config_, result, code, os_errno) : nullptr;
  if (reason != nullptr && !rewind_upload(t)) reason = nullptr;
  if (reason != nullptr) {
    const double delay = retry_delay_seconds(config_, t.retries_done);
    const double spent = std::chrono::duration<double>(Clock::now() - t.first_start).count();
    if (config_.retry_max_time <= 0 || spent + delay <= config_.retry_max_time) {
      char text[160];
      const long left = config_.retry - t.retries_done;
      std::snprintf(text, sizeof(text), "Problem: %s. Will retry in %g second%s. %ld retr%s left.",
                    reason, delay, delay == 1 ? "" : "s", left, left == 1 ? "y" : "ies");
      warn(text);
      ++t.retries_done;
      t.output.restart();
      resume_again(config_, t);  // -C: after the bytes the failed attempt appended
      t.retry_at = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(delay));
      waiting_.push_back(&t);
      return;
    }
  }
  finish(t);
}

void Runner::finish(Transfer &t) {
  if (t.result == FETCHE_OK && !t.output.finish()) {
    t.result = FETCHE_WRITE_ERROR;
    std::snprintf(t.errbuf, sizeof(t.errbuf), "Failed to create the file %s",
                  t.output.path().c_str());
  }
  fetch_off_t bytes = 0;
  fetch_easy_getinfo(t.easy, FETCHINFO_SIZE_DOWNLOAD_T, &bytes);
  overall_.bytes += bytes;
  ++overall_.done;
  if (!config_.parallel && progress_.enabled()) {
    fetch_off_t total = -1;
    fetch_easy_getinfo(t.easy, FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T, &total);
    progress_.draw(overall_, {{display_name(t), bytes, total}});
    progress_.finish();
  }
  if (t.result != FETCHE_OK) {
    ++overall_.failed;
    exit_code_ = static_cast<int>(t.result);
    error(t.result, error_message(t));
  }
  if (!config_.write_out.empty()) {
    progress_.clear();
    write_out(config_.write_out, t);
  }
  transfers_.erase(t.index);
}

void Runner::draw_progress(bool final) {
  if (!progress_.enabled() || (!final && !progress_.due())) return;
  OverallProgress overall = overall_;
  std::vector<TransferProgress> lines;
  for (Transfer *t : running_) {
    TransferProgress p{display_name(*t), 0, -1};
    fetch_off_t now = 0, total = -1;
    fetch_easy_getinfo(t->easy, FETCHINFO_SIZE_DOWNLOAD_T, &now);
    fetch_easy_getinfo(t->easy, FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T, &total);
    p.now = now;
    p.total = total;
    overall.bytes += now;
    lines.push_back(std::move(p));
  }
  if (!config_.parallel && lines.empty()) return;
  progress_.draw(overall, lines);
}

int Runner::poll_timeout_ms() const {
  int timeout = progress_.enabled() ? 100 : 1000;
  const Clock::time_point now = Clock::now();
  for (const Transfer *t : waiting_) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(t->retry_at - now).count();
    timeout = std::min<int>(timeout, static_cast<int>(std::max<long long>(left, 0)));
  }
  return timeout;
}

int Runner::run() {
  if (multi_ == nullptr) {
    error(FETCHE_OUT_OF_MEMORY, fetch_easy_strerror(FETCHE_OUT_OF_MEMORY));
    return FETCHE_OUT_OF_MEMORY;
  }
  while (true) {
    start_more();
    if (running_.empty() && waiting_.empty() && next_url_ >= config_.urls.size()) break;
    int still_running = 0;
    FETCHMcode mc = fetch_multi_perform(multi_, &still_running);
    if (mc == FETCHM_OK) {
      read_messages();
      draw_progress(false);
      if (!running_.empty() || !waiting_.empty()) {
        mc = fetch_multi_poll(multi_, nullptr, 0, poll_timeout_ms(), nullptr);
      }
    }
    if (mc != FETCHM_OK) {
      error(FETCHE_FAILED_INIT, fetch_multi_strerror(mc));
      return FETCHE_FAILED_INIT;
    }
  }
  if (config_.parallel) {
    draw_progress(true);
    progress_.finish();
    if (!config_.silent) {
      const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
      std::fprintf(stderr, "%zu transfers, %lld bytes in %.2f s, %zu failed\n", overall_.total,
                   overall_.bytes, seconds, overall_.failed);
    }
  }
  return exit_code_;
}

}  // namespace fetchcli
