// Config: everything the command line asked for, filled by parse_args() and read by the runner.
#pragma once

#include <string>
#include <vector>

namespace fetchcli {

// Where one URL's body goes: a named file (-o), the URL's own file name (-O), or stdout.
struct OutputSpec {
  std::string path;          // -o FILE ("-" means stdout)
  bool remote_name = false;  // -O
};

struct Config {
  std::vector<std::string> urls;
  std::vector<OutputSpec> outputs;  // the i-th spec belongs to the i-th URL
  bool remote_name_all = false;

  std::string method;                // -X
  std::vector<std::string> headers;  // -H
  std::string post_data;             // -d, --data-binary, --data-urlencode, joined with '&'
  bool has_post = false;
  bool upload = false;  // -T
  std::string upload_file;

  bool follow = false;       // -L
  long max_redirs = -2;      // --max-redirs (-2 = not given)
  bool head = false;         // -I
  bool include = false;      // -i
  bool verbose = false;      // -v
  bool silent = false;       // -s
  bool show_error = false;   // -S
  bool no_progress = false;  // --no-progress-meter
  bool fail = false;         // -f
  bool compressed = false;   // --compressed
  bool user_agent_set = false;
  std::string user_agent;    // -A
  std::string referer;       // -e
  std::string range;         // -r
  bool resume = false;       // -C
  bool resume_auto = false;  // -C -
  long long resume_from = 0;

  double max_time = 0;         // -m, seconds
  double connect_timeout = 0;  // --connect-timeout, seconds

  std::string write_out;  // -w
  bool parallel = false;  // -Z
  long parallel_max = 50;

  long retry = 0;
  double retry_delay = 0;     // seconds; 0 = exponential backoff from 1 s
  double retry_max_time = 0;  // seconds; 0 = no limit
  bool retry_connrefused = false;
  bool retry_all_errors = false;

  std::vector<std::string> resolve;
  std::vector<std::string> connect_to;

  std::vector<std::string> warnings;  // printed before the transfers unless -s

  bool show_help = false;
  bool show_version = false;
};

}  // namespace fetchcli
