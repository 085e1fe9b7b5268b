// -w/--write-out: expands "%{variable}" (http_code, time_total, size_download, ...), "%%", and
// the escapes \n, \r, \t, \\ after a transfer, writing to stdout (or stderr after %{stderr}).
#pragma once

#include <string>

#include "transfer.h"

namespace fetchcli {

void write_out(const std::string &format, const Transfer &transfer);

}  // namespace fetchcli
