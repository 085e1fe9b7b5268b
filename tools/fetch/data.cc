#include "data.h"

#include <cstdio>

namespace fetchcli {

bool read_whole_file(const std::string &path, std::string &out) {
  const bool use_stdin = path == "-";
  std::FILE *file = use_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) return false;
  out.clear();
  char buf[16384];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), file)) > 0) out.append(buf, n);
  const bool ok = std::ferror(file) == 0;
  if (!use_stdin) std::fclose(file);
  return ok;
}

std::string url_encode(const std::string &text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  return out;
}

namespace {

bool read_named(const std::string &path, std::string &out, std::string &error) {
  if (read_whole_file(path, out)) return true;
  error = "Couldn't read data from file \"" + path + "\"";
  return false;
}

std::string without_newlines(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  return out;
}

bool url_encoded(const std::string &arg, std::string &out, std::string &error) {
  // The first '=' or '@' decides the form; "=content" encodes all after the '='.
  const std::size_t sep = arg.find_first_of("=@");
  if (sep == std::string::npos) {
    out = url_encode(arg);
    return true;
  }
  const std::string name = arg.substr(0, sep);
  std::string content = arg.substr(sep + 1);
  if (arg[sep] == '@' && !read_named(content, content, error)) return false;
  out = name.empty() ? url_encode(content) : name + "=" + url_encode(content);
  return true;
}

}  // namespace

bool data_from_arg(const std::string &arg, DataKind kind, std::string &out, std::string &error) {
  switch (kind) {
    case DataKind::kRaw:
      out = arg;
      return true;
    case DataKind::kUrlEncode:
      return url_encoded(arg, out, error);
    case DataKind::kAscii:
    case DataKind::kBinary:
      break;
  }
  if (arg.empty() || arg[0] != '@') {
    out = arg;
    return true;
  }
  if (!read_named(arg.substr(1), out, error)) return false;
  if (kind == DataKind::kAscii) out = without_newlines(out);
  return true;
}

}  // namespace fetchcli
