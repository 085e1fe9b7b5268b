#include "writeout.h"

#include <cinttypes>
#include <cstdio>
#include <string_view>

namespace fetchcli {
namespace {

std::string info_long(FETCH *easy, FETCHINFO info, const char *format) {
  long value = 0;
  fetch_easy_getinfo(easy, info, &value);
  char buf[32];
  std::snprintf(buf, sizeof(buf), format, value);
  return buf;
}

std::string info_off(FETCH *easy, FETCHINFO info) {
  fetch_off_t value = 0;
  fetch_easy_getinfo(easy, info, &value);
  return std::to_string(static_cast<long long>(value));
}

// A *_TIME_T info (microseconds) shown as seconds with six decimals, like curl.
std::string info_time(FETCH *easy, FETCHINFO info) {
  fetch_off_t us = 0;
  fetch_easy_getinfo(easy, info, &us);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%lld.%06lld", static_cast<long long>(us / 1000000),
                static_cast<long long>(us % 1000000));
  return buf;
}

std::string info_string(FETCH *easy, FETCHINFO info) {
  char *value = nullptr;
  fetch_easy_getinfo(easy, info, &value);
  return value != nullptr ? value : "";
}

// The value of one variable; false if the name is unknown.
bool expand(std::string_view name, const Transfer &t, std::string &out) {
  FETCH *e = t.easy;
  if (name == "http_code" || name == "response_code") {
    out = info_long(e, FETCHINFO_RESPONSE_CODE, "%03ld");
  } else if (name == "time_total") {
    out = info_time(e, FETCHINFO_TOTAL_TIME_T);
  } else if (name == "time_connect") {
    out = info_time(e, FETCHINFO_CONNECT_TIME_T);
  } else if (name == "time_namelookup") {
    out = info_time(e, FETCHINFO_NAMELOOKUP_TIME_T);
  } else if (name == "time_pretransfer") {
    out = info_time(e, FETCHINFO_PRETRANSFER_TIME_T);
  } else if (name == "time_starttransfer") {
    out = info_time(e, FETCHINFO_STARTTRANSFER_TIME_T);
  } else if (name == "size_download") {
    out = info_off(e, FETCHINFO_SIZE_DOWNLOAD_T);
  } else if (name == "size_upload") {
    out = info_off(e, FETCHINFO_SIZE_UPLOAD_T);
  } else if (name == "size_header") {
    out = info_long(e, FETCHINFO_HEADER_SIZE, "%ld");
  } else if (name == "size_request") {
    out = info_long(e, FETCHINFO_REQUEST_SIZE, "%ld");
  } else if (name == "speed_download") {
    out = info_off(e, FETCHINFO_SPEED_DOWNLOAD_T);
  } else if (name == "speed_upload") {
    out = info_off(e, FETCHINFO_SPEED_UPLOAD_T);
  } else if (name == "url_effective") {
    out = info_string(e, FETCHINFO_EFFECTIVE_URL);
  } else if (name == "url") {
    out = t.url;
  } else if (name == "num_connects") {
    out = info_long(e, FETCHINFO_NUM_CONNECTS, "%ld");
  } else if (name == "exitcode") {
    out = std::to_string(static_cast<int>(t.result));
  } else if (name == "errormsg") {
    out = t.result == FETCHE_OK ? "" : error_message(t);
  } else if (name == "content_type") {
    out = info_string(e, FETCHINFO_CONTENT_TYPE);
  } else if (name == "method") {
    out = info_string(e, FETCHINFO_EFFECTIVE_METHOD);
  } else if (name == "remote_ip") {
    out = info_string(e, FETCHINFO_PRIMARY_IP);
  } else if (name == "remote_port") {
    out = info_long(e, FETCHINFO_PRIMARY_PORT, "%ld");
  } else if (name == "local_ip") {
    out = info_string(e, FETCHINFO_LOCAL_IP);
  } else if (name == "local_port") {
    out = info_long(e, FETCHINFO_LOCAL_PORT, "%ld");
  } else if (name == "scheme") {
    out = info_string(e, FETCHINFO_SCHEME);
  } else if (name == "filename_effective") {
    out = t.output.to_stdout() ? "" : t.output.path();
  } else if (name == "num_retries") {
    out = std::to_string(t.retries_done);
  } else {
    return false;
  }
  return true;
}

char unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return c;
  }
}

}  // namespace

void write_out(const std::string &format, const Transfer &t) {
  std::FILE *stream = stdout;
  std::string pending;
  auto flush = [&] {
    std::fwrite(pending.data(), 1, pending.size(), stream);
    pending.clear();
  };
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    const bool has_next = i + 1 < format.size();
    if (c == '\\' && has_next) {
      pending.push_back(unescape(format[++i]));
    } else if (c == '%' && has_next && format[i + 1] == '%') {
      pending.push_back('%');
      ++i;
    } else if (c == '%' && has_next && format[i + 1] == '{') {
      const std::size_t end = format.find('}', i + 2);
      if (end == std::string::npos) {
        pending.append(format, i, std::string::npos);
        break;
      }
      const std::string_view name(format.data() + i + 2, end - i - 2);
      i = end;
      std::string value;
      if (name == "stdout" || name == "stderr") {
        flush();
        stream = name == "stdout" ? stdout : stderr;
      } else if (expand(name, t, value)) {
        pending += value;
      } else {
        std::fprintf(stderr, "fetch: unknown --write-out variable: '%.*s'\n",
                     static_cast<int>(name.size()), name.data());
      }
    } else {
      pending.push_back(c);
    }
  }
  flush();
  std::fflush(stream);
}

}  // namespace fetchcli
