#include "args.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string_view>

#include "data.h"

namespace fetchcli {
namespace {

using Setter = std::function<bool(Config &, const std::string &, std::string &)>;

struct Option {
  char short_name;  // 0 = long only
  const char *long_name;
  bool takes_value;
  bool *(*flag)(Config &);  // boolean options: the field to set (may be turned off with --no-)
  Setter set;               // options with a value
};

bool parse_long(const std::string &text, long &out) {
  if (text.empty()) return false;
  errno = 0;
  char *end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = value;
  return true;
}

bool parse_seconds(const std::string &text, double &out) {
  if (text.empty()) return false;
  errno = 0;
  char *end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || *end != '\0' || !std::isfinite(value) || value < 0) return false;
  out = value;
  return true;
}

Setter seconds(double Config::*field, const char *name) {
  return [field, name](Config &c, const std::string &v, std::string &err) {
    if (parse_seconds(v, c.*field)) return true;
    err = std::string("option ") + name + ": expected a proper numerical parameter";
    return false;
  };
}

Setter number(long Config::*field, const char *name, long min) {
  return [field, name, min](Config &c, const std::string &v, std::string &err) {
    long value = 0;
    if (parse_long(v, value) && value >= min) {
      c.*field = value;
      return true;
    }
    err = std::string("option ") + name + ": expected a proper numerical parameter";
    return false;
  };
}

Setter add_data(DataKind kind) {
  return [kind](Config &c, const std::string &v, std::string &) {
    std::string piece, problem;
    // Like curl: an unreadable file is a warning and contributes nothing.
    if (!data_from_arg(v, kind, piece, problem)) {
      c.warnings.push_back(problem + ", this makes an empty POST");
      piece.clear();
    }
    if (c.has_post) c.post_data.push_back('&');
    c.post_data += piece;
    c.has_post = true;
    return true;
  };
}

Setter append_to(std::vector<std::string> Config::*field) {
  return [field](Config &c, const std::string &v, std::string &) {
    (c.*field).push_back(v);
    return true;
  };
}

Setter assign(std::string Config::*field) {
  return [field](Config &c, const std::string &v, std::string &) {
    c.*field = v;
    return true;
  };
}

#define FLAG(field) [](Config &c) -> bool * { return &c.field; }

const std::vector<Option> &options() {
  static const std::vector<Option> table = {
      {'o', "output", true, nullptr,
       [](Config &c, const std::string &v, std::string &) {
         c.outputs.push_back({v, false});
         return true;
       }},
      {'O', "remote-name", false, nullptr,
       [](Config &c, const std::string &, std::string &) {
         c.outputs.push_back({"", true});
         return true;
       }},
      {0, "remote-name-all", false, FLAG(remote_name_all), nullptr},
      {'X', "request", true, nullptr, assign(&Config::method)},
      {'H', "header", true, nullptr, append_to(&Config::headers)},
      {'d', "data", true, nullptr, add_data(DataKind::kAscii)},
      {0, "data-ascii", true, nullptr, add_data(DataKind::kAscii)},
      {0, "data-binary", true, nullptr, add_data(DataKind::kBinary)},
      {0, "data-raw", true, nullptr, add_data(DataKind::kRaw)},
      {0, "data-urlencode", true, nullptr, add_data(DataKind::kUrlEncode)},
      {'T', "upload-file", true, nullptr,
       [](Config &c, const std::string &v, std::string &) {
         c.upload = true;
         c.upload_file = v;
         return true;
       }},
      {'L', "location", false, FLAG(follow), nullptr},
      {0, "max-redirs", true, nullptr, number(&Config::max_redirs, "--max-redirs", -1)},
      {'I', "head", false, FLAG(head), nullptr},
      {'i', "include", false, FLAG(include), nullptr},
      {'v', "verbose", false, FLAG(verbose), nullptr},
      {'s', "silent", false, FLAG(silent), nullptr},
      {'S', "show-error", false, FLAG(show_error), nullptr},
      {0, "no-progress-meter", false, FLAG(no_progress), nullptr},
      {'#', "progress-bar", false, nullptr,
       [](Config &, const std::string &, std::string &) { return true; }},
      {'f', "fail", false, FLAG(fail), nullptr},
      {0, "compressed", false, FLAG(compressed), nullptr},
      {'A', "user-agent", true, nullptr,
       [](Config &c, const std::string &v, std::string &) {
         c.user_agent = v;
         c.user_agent_set = true;
         return true;
       }},
      {'e', "referer", true, nullptr, assign(&Config::referer)},
      {'r', "range", true, nullptr, assign(&Config::range)},
      {'C', "continue-at", true, nullptr,
       [](Config &c, const std::string &v, std::string &err) {
         c.resume = true;
         c.resume_auto = v == "-";
         long offset = 0;
         if (c.resume_auto || (parse_long(v, offset) && offset >= 0)) {
           c.resume_from = offset;
           return true;
         }
         err = "option -C: expected a proper numerical parameter";
         return false;
       }},
      {'m', "max-time", true, nullptr, seconds(&Config::max_time, "-m")},
      {0, "connect-timeout", true, nullptr, seconds(&Config::connect_timeout, "--connect-timeout")},
      {'w', "write-out", true, nullptr,
       [](Config &c, const std::string &v, std::string &err) {
         if (v.empty() || v[0] != '@') {
           c.write_out = v;
           return true;
         }
         if (read_whole_file(v.substr(1), c.write_out)) return true;
         err = "Failed to read " + v.substr(1);
         return false;
       }},
      {'Z', "parallel", false, FLAG(parallel), nullptr},
      {0, "parallel-max", true, nullptr,
       [](Config &c, const std::string &v, std::string &err) {
         long value = 0;
         if (!parse_long(v, value) || value < 1) {
           err = "option --parallel-max: expected a proper numerical parameter";
           return false;
         }
         c.parallel_max = value > 300 ? 300 : value;  // curl's upper bound
         return true;
       }},
      {0, "retry", true, nullptr, number(&Config::retry, "--retry", 0)},
      {0, "retry-delay", true, nullptr, seconds(&Config::retry_delay, "--retry-delay")},
      {0, "retry-max-time", true, nullptr, seconds(&Config::retry_max_time, "--retry-max-time")},
      {0, "retry-connrefused", false, FLAG(retry_connrefused), nullptr},
      {0, "retry-all-errors", false, FLAG(retry_all_errors), nullptr},
      {0, "resolve", true, nullptr, append_to(&Config::resolve)},
      {0, "connect-to", true, nullptr, append_to(&Config::connect_to)},
      {0, "url", true, nullptr, append_to(&Config::urls)},
      {'h', "help", false, FLAG(show_help), nullptr},
      {'V', "version", false, FLAG(show_version), nullptr},
  };
  return table;
}

#undef FLAG

const Option *find_long(std::string_view name) {
  for (const Option &opt : options()) {
    if (name == opt.long_name) return &opt;
  }
  return nullptr;
}

const Option *find_short(char name) {
  for (const Option &opt : options()) {
    if (opt.short_name == name) return &opt;
  }
  return nullptr;
}

// Applies `opt`; for options with a value, takes it from `inline_value` or the next argument.
bool apply(const Option &opt, const std::string &shown, const char *inline_value, bool enable,
           int argc, char **argv, int &i, Config &config, ParseResult &result) {
  if (!opt.takes_value) {
    if (opt.flag != nullptr) {
      *opt.flag(config) = enable;
      return true;
    }
    return opt.set(config, "", result.error) || (result.ok = false);
  }
  std::string value;
  if (inline_value != nullptr && *inline_value != '\0') {
    value = inline_value;
  } else if (i + 1 < argc) {
    value = argv[++i];
  } else {
    result.error = "option " + shown + ": requires parameter";
    return result.ok = false;
  }
  if (!opt.set(config, value, result.error)) return result.ok = false;
  return true;
}

bool parse_long_option(std::string_view arg, int argc, char **argv, int &i, Config &config,
                       ParseResult &result) {
  std::string_view name = arg.substr(2);
  const Option *opt = find_long(name);
  bool enable = true;
  if (opt == nullptr && name.starts_with("no-")) {
    opt = find_long(name.substr(3));
    if (opt != nullptr && opt->flag == nullptr) opt = nullptr;  // only flags have a "--no-" form
    enable = false;
  }
  if (opt == nullptr) {
    result.error = "option " + std::string(arg) + ": is unknown";
    return result.ok = false;
  }
  return apply(*opt, std::string(arg), nullptr, enable, argc, argv, i, config, result);
}

bool parse_short_options(const char *arg, int argc, char **argv, int &i, Config &config,
                         ParseResult &result) {
  for (const char *p = arg + 1; *p != '\0'; ++p) {
    const Option *opt = find_short(*p);
    const std::string shown = std::string("-") + *p;
    if (opt == nullptr) {
      result.error = "option " + shown + ": is unknown";
      return result.ok = false;
    }
    if (opt->takes_value) return apply(*opt, shown, p + 1, true, argc, argv, i, config, result);
    if (!apply(*opt, shown, nullptr, true, argc, argv, i, config, result)) return false;
  }
  return true;
}

}  // namespace

ParseResult parse_args(int argc, char **argv, Config &config) {
  ParseResult result;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    if (options_done || arg[0] != '-' || arg[1] == '\0') {
      config.urls.emplace_back(arg);
      continue;
    }
    if (std::strcmp(arg, "--") == 0) {
      options_done = true;
      continue;
    }
    const bool ok = arg[1] == '-' ? parse_long_option(arg, argc, argv, i, config, result)
                                  : parse_short_options(arg, argc, argv, i, config, result);
    if (!ok) return result;
  }
  if (config.show_help || config.show_version) return result;
  if (config.urls.empty()) {
    result.ok = false;
    result.error = "no URL specified";
    return result;
  }
  if (config.head && (config.has_post || config.upload)) {
    result.ok = false;
    result.error = "You can only select one HTTP request method! You asked for both HEAD and " +
                   std::string(config.has_post ? "POST" : "PUT") + ".";
  }
  return result;
}

const char *usage_text() {
  return "Usage: fetch [options...] <url>...\n"
         " -o, --output <file>        Write the body to <file> (one per URL, in order)\n"
         " -O, --remote-name          Write the body to a file named like the remote file\n"
         "     --remote-name-all      Use the remote file name for every URL\n"
         " -X, --request <method>     Request method to use\n"
         " -H, --header <header>      Extra request header (\"Name: value\")\n"
         " -d, --data <data>          HTTP POST data (@file reads a file, newlines removed)\n"
         "     --data-binary <data>   HTTP POST data, @file read as is\n"
         "     --data-raw <data>      HTTP POST data, '@' has no special meaning\n"
         "     --data-urlencode <data> HTTP POST data, URL-encoded\n"
         " -T, --upload-file <file>   Upload <file>\n"
         " -L, --location             Follow redirects\n"
         "     --max-redirs <num>     Maximum number of redirects\n"
         " -I, --head                 Show the response headers only (HEAD)\n"
         " -i, --include              Include the response headers in the output\n"
         " -v, --verbose              Show what happens on the wire\n"
         " -s, --silent               No progress bar, no error messages\n"
         " -S, --show-error           Show error messages even with -s\n"
         "     --no-progress-meter    No progress bar\n"
         " -f, --fail                 Fail (exit 22) on HTTP responses >= 400\n"
         " -A, --user-agent <name>    User-Agent to send\n"
         " -e, --referer <URL>        Referer to send\n"
         " -r, --range <range>        Retrieve only the bytes within <range>\n"
         " -C, --continue-at <offset> Resume at <offset> ('-' = the output file's size)\n"
         "     --compressed           Request a compressed response and decode it\n"
         " -m, --max-time <seconds>   Maximum time for each transfer\n"
         "     --connect-timeout <seconds> Maximum time to connect\n"
         " -w, --write-out <format>   Print <format> after each transfer (%{http_code} ...)\n"
         " -Z, --parallel             Perform the transfers in parallel\n"
         "     --parallel-max <num>   At most <num> parallel transfers (default 50)\n"
         "     --retry <num>          Retry transient failures up to <num> times\n"
         "     --retry-delay <seconds> Wait this long between retries\n"
         "     --retry-max-time <seconds> Stop retrying after this long\n"
         "     --retry-connrefused    Retry on connection refused too\n"
         "     --retry-all-errors     Retry on every error\n"
         "     --resolve <host:port:addr> Use <addr> for <host:port>\n"
         "     --connect-to <host1:port1:host2:port2> Connect to host2:port2 instead\n"
         " -h, --help                 This help\n"
         " -V, --version              Show the version\n";
}

}  // namespace fetchcli
