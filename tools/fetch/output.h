// Output: where one transfer's bytes go. A file is created on the first byte (so a failed -f
// transfer leaves no file), or at the end of a successful transfer with an empty body.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace fetchcli {

class Output {
 public:
  Output() = default;
  explicit Output(std::string path) : path_(std::move(path)) {}
  ~Output();
  Output(const Output &) = delete;
  Output &operator=(const Output &) = delete;

  bool to_stdout() const { return path_.empty() || path_ == "-"; }
  const std::string &path() const { return path_; }

  // The WRITEFUNCTION: returns `size * nmemb` on success, anything else fails the transfer (23).
  static std::size_t write_callback(char *data, std::size_t size, std::size_t nmemb, void *self);

  // Makes sure the file exists (empty body). False if it cannot be created.
  bool finish();
  // Before a retry: the next attempt starts the file again (an appending output keeps it).
  void restart();
  // -C: bytes are appended to an existing file instead of replacing it (as curl does).
  void set_append(bool append) { append_ = append; }
  // The size of the existing file (for -C -), 0 if there is none.
  long long existing_size() const;

 private:
  bool open();

  std::string path_;
  std::FILE *file_ = nullptr;
  bool append_ = false;
};

// The file name part of `url` for -O: the last path segment, without the query. Empty if none.
std::string remote_file_name(const std::string &url);

}  // namespace fetchcli
