#include "http_recorded_request.h"

#include <algorithm>
#include <cctype>

namespace fetchtest {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string RecordedRequest::header(std::string_view name) const {
  for (const auto &[n, v] : headers) {
    if (same_name(n, name)) return v;
  }
  return {};
}

bool RecordedRequest::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto &h) { return same_name(h.first, name); });
}

}  // namespace fetchtest
