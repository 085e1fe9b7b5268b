#include "output.h"

#include <fetch/fetch.h>
#include <sys/stat.h>

namespace fetchcli {

Output::~Output() {
  if (file_ != nullptr) std::fclose(file_);
}

bool Output::open() {
  if (file_ != nullptr) return true;
  file_ = std::fopen(path_.c_str(), append_ ? "ab" : "wb");
  return file_ != nullptr;
}

std::size_t Output::write_callback(char *data, std::size_t size, std::size_t nmemb, void *self) {
  auto *out = static_cast<Output *>(self);
  const std::size_t bytes = size * nmemb;
  std::FILE *stream = stdout;
  if (!out->to_stdout()) {
    if (!out->open()) return 0;
    stream = out->file_;
  }
  return std::fwrite(data, 1, bytes, stream);
}

bool Output::finish() {
  if (to_stdout()) return std::fflush(stdout) == 0;
  if (!open()) return false;
  const bool ok = std::fclose(file_) == 0;
  file_ = nullptr;
  return ok;
}

void Output::restart() {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!to_stdout() && !append_) std::remove(path_.c_str());
}

long long Output::existing_size() const {
  struct stat st;
  if (to_stdout() || ::stat(path_.c_str(), &st) != 0) return 0;
  return static_cast<long long>(st.st_size);
}

std::string remote_file_name(const std::string &url) {
  std::string name;
  FETCHU *handle = fetch_url();
  char *path = nullptr;
  if (handle != nullptr &&
      fetch_url_set(handle, FETCHUPART_URL, url.c_str(), FETCHU_GUESS_SCHEME) == FETCHUE_OK &&
      fetch_url_get(handle, FETCHUPART_PATH, &path, 0) == FETCHUE_OK && path != nullptr) {
    std::string full(path);
    name = full.substr(full.rfind('/') + 1);
  }
  fetch_free(path);
  fetch_url_cleanup(handle);
  return name;
}

}  // namespace fetchcli
