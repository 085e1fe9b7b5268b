// Transfer: one URL's easy handle, its output and its retry state, configured from the Config
// through the public setopt API only.
#pragma once

#include <fetch/fetch.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "config.h"
#include "output.h"

namespace fetchcli {

using Clock = std::chrono::steady_clock;

struct Transfer {
  Transfer(std::size_t index, std::string url, std::string output_path);
  ~Transfer();
  Transfer(const Transfer &) = delete;
  Transfer &operator=(const Transfer &) = delete;

  std::size_t index;
  std::string url;
  Output output;
  FETCH *easy = nullptr;
  char errbuf[FETCH_ERROR_SIZE] = {};
  fetch_slist *headers = nullptr;
  fetch_slist *resolve = nullptr;
  fetch_slist *connect_to = nullptr;
  std::FILE *upload = nullptr;     // -T: the file being sent (stdin for "-")
  long long resume_file_size = 0;  // -C: the output file's size when the attempt started
  long long resume_offset = 0;     // -C: the offset that attempt asked for

  FETCHcode result = FETCHE_OK;
  long retries_done = 0;
  Clock::time_point first_start{};
  Clock::time_point retry_at{};  // when a waiting retry may start
};

// Creates the easy handle and applies every option. On failure returns the setopt's code and
// leaves a message in `transfer.errbuf` (the library's, or the code's own text).
FETCHcode configure(const Config &config, Transfer &transfer);

// Before a retry with -C: resumes after what the output file holds now.
void resume_again(const Config &config, Transfer &transfer);

// Before a retry: rewinds the -T file. False if it cannot be rewound (stdin).
bool rewind_upload(Transfer &transfer);

// The message for a failed transfer: the error buffer if the library filled it, else the code's
// text.
std::string error_message(const Transfer &transfer);

// The output path for the i-th URL ("" = stdout), or an error if -O finds no file name.
bool output_path_for(const Config &config, std::size_t index, std::string &path,
                     std::string &error);

}  // namespace fetchcli
