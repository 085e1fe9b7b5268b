// Compressing test data the way a server would send it with "Content-Encoding: gzip".
#pragma once

#include <string>

namespace fetchtest {

// `data` in the gzip format (RFC 1952), compressed whole by zlib at its best compression. A zlib
// failure is reported as a test failure (and gives an empty or partial result).
std::string gzip(const std::string &data);

}  // namespace fetchtest
