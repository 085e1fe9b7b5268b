// Request bodies from the command line: -d, --data-binary, --data-raw and --data-urlencode values,
// with curl's "@file" (and "@-" for stdin) conventions.
#pragma once

#include <string>

namespace fetchcli {

enum class DataKind {
  kAscii,      // -d: "@file" is read with CR and LF removed
  kBinary,     // --data-binary: "@file" is read as is
  kRaw,        // --data-raw: no "@" handling
  kUrlEncode,  // --data-urlencode: "content", "=content", "name=content", "@file", "name@file"
};

// Turns one option value into the bytes it contributes to the body. False (with `error` set)
// when a named file cannot be read.
bool data_from_arg(const std::string &arg, DataKind kind, std::string &out, std::string &error);

// Reads a whole file ("-" = stdin). False when it cannot be opened or read.
bool read_whole_file(const std::string &path, std::string &out);

// Percent-encodes every byte except the unreserved ones (ALPHA DIGIT - . _ ~).
std::string url_encode(const std::string &text);

}  // namespace fetchcli
