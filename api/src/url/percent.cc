#include "percent.h"

namespace fetch::url {
namespace {

constexpr std::string_view kLowerHex = "0123456789abcdef";
constexpr std::string_view kUpperHex = "0123456789ABCDEF";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_escaped(std::string &out, unsigned char byte, bool upper) {
  const std::string_view hex = upper ? kUpperHex : kLowerHex;
  out.push_back('%');
  out.push_back(hex[byte >> 4]);
  out.push_back(hex[byte & 0x0f]);
}

}  // namespace

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view in, std::string_view keep, bool space_as_plus,
                           bool upper) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    if (is_unreserved(c) || keep.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else if (c == ' ' && space_as_plus) {
      out.push_back('+');
    } else {
      append_escaped(out, static_cast<unsigned char>(c), upper);
    }
  }
  return out;
}

std::string encode_unsafe(std::string_view in, bool space_as_plus) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == ' ' && space_as_plus) {
      out.push_back('+');
    } else if (byte == ' ' || byte >= 0x80) {
      append_escaped(out, byte, false);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_decode(std::string_view in, bool plus_as_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      const int high = hex_value(in[i + 1]);
      const int low = hex_value(in[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_as_space && c == '+' ? ' ' : c);
  }
  return out;
}

bool has_control(std::string_view in, bool space_too) {
  for (char c : in) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || (space_too && byte == ' ')) return true;
  }
  return false;
}

}  // namespace fetch::url
