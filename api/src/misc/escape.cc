// fetch_easy_escape / fetch_easy_unescape and their deprecated forms fetch_escape /
// fetch_unescape (follows curl_easy_escape(3), curl_easy_unescape(3), curl_escape(3)).
//
// Escaping keeps the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) and writes every other
// byte as %XX with upper-case hex digits. Unescaping turns each %XX (two hex digits, either case)
// back into its byte and copies everything else, including a '%' not followed by two hex digits
// and '+', unchanged. A length of 0 means strlen(string); a negative length is bad input and
// gives NULL. Results are malloc'd and NUL-terminated; the caller frees them with fetch_free.
// The handle argument is not needed (libcurl accepts NULL there too).
#include <fetch/fetch.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace fetch::misc {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The input view for (string, length) per the man pages, or false for bad input.
bool input_view(const char *string, int length, std::string_view &out) {
  if (string == nullptr || length < 0) return false;
  out = length == 0 ? std::string_view(string)
                    : std::string_view(string, static_cast<size_t>(length));
  return true;
}

char *escape(const char *string, int length) {
  std::string_view in;
  if (!input_view(string, length, in)) return nullptr;
  size_t size = 0;
  for (char c : in) size += is_unreserved(static_cast<unsigned char>(c)) ? 1 : 3;
  auto *out = static_cast<char *>(std::malloc(size + 1));
  if (out == nullptr) return nullptr;
  char *w = out;
  for (char c : in) {
    auto byte = static_cast<unsigned char>(c);
    if (is_unreserved(byte)) {
      *w++ = c;
    } else {
      *w++ = '%';
      *w++ = kHexDigits[byte >> 4];
      *w++ = kHexDigits[byte & 0x0f];
    }
  }
  *w = '\0';
  return out;
}

char *unescape(const char *string, int length, int *outlength) {
  std::string_view in;
  if (!input_view(string, length, in)) return nullptr;
  // The decoded text is never longer than the input.
  auto *out = static_cast<char *>(std::malloc(in.size() + 1));
  if (out == nullptr) return nullptr;
  size_t n = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int hi = hex_digit(in[i + 1]);
      int lo = hex_digit(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out[n++] = static_cast<char>((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    out[n++] = in[i];
  }
  out[n] = '\0';
  if (outlength != nullptr) *outlength = static_cast<int>(n);
  return out;
}

}  // namespace
}  // namespace fetch::misc

extern "C" {

char *fetch_easy_escape(FETCH * /*handle*/, const char *string, int length) {
  return fetch::misc::escape(string, length);
}

char *fetch_escape(const char *string, int length) { return fetch::misc::escape(string, length); }

char *fetch_easy_unescape(FETCH * /*handle*/, const char *string, int length, int *outlength) {
  return fetch::misc::unescape(string, length, outlength);
}

char *fetch_unescape(const char *string, int length) {
  return fetch::misc::unescape(string, length, nullptr);
}

}  // extern "C"
