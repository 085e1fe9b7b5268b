// Command-line parsing: curl's option names and conventions (bundled short flags such as -sSf,
// "-ofile" or "-o file", long options with a separate value, "--no-" to turn a flag off).
#pragma once

#include <string>

#include "config.h"

namespace fetchcli {

struct ParseResult {
  bool ok = true;
  std::string error;  // without the "fetch: " prefix
};

ParseResult parse_args(int argc, char **argv, Config &config);

// The --help text.
const char *usage_text();

}  // namespace fetchcli
