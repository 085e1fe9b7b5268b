#include "protocols/http1/tokens.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace fetch::http1 {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool iequals_same_length(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

namespace {
// tchar (RFC 9110 5.6.2) as a table: every header name of every response is checked.
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();
}  // namespace

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!kTokenChars[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

size_t find_cr_or_lf(std::string_view s) {
  const void *lf = memchr(s.data(), '\n', s.size());
  const size_t lf_at =
      lf != nullptr ? static_cast<size_t>(static_cast<const char *>(lf) - s.data()) : s.size();
  const void *cr = memchr(s.data(), '\r', lf_at);
  if (cr != nullptr) return static_cast<size_t>(static_cast<const char *>(cr) - s.data());
  return lf != nullptr ? lf_at : std::string_view::npos;
}

bool has_cr_lf_nul(std::string_view s) {
  // Eight bytes per step: this runs on every request field and every response header value,
  // and a byte loop cost about 5 instructions per byte (GCC -O2 does not vectorise it).
  // (w - 0x01..01) & ~w & 0x80..80 is non-zero exactly when some byte of w is zero; XOR with a
  // repeated byte turns that byte into zero.
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const auto has_zero_byte = [](uint64_t w) { return (w - kOnes) & ~w & kHighs; };
  const char *p = s.data();
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
    if (has_zero_byte(w) | has_zero_byte(w ^ (kOnes * '\r')) | has_zero_byte(w ^ (kOnes * '\n'))) {
      return true;
    }
  }
  for (; n > 0; ++p, --n) {
    if (*p == '\r' || *p == '\n' || *p == '\0') return true;
  }
  return false;
}

}  // namespace fetch::http1
