// fetch_easy_strerror, fetch_multi_strerror and fetch_share_strerror: a static text for each
// code (follows curl_easy_strerror(3), curl_multi_strerror(3), curl_share_strerror(3)).
//
// The texts are libcurl's verbose texts with curl renamed to fetch (tests/data/error-codes.tsv,
// column strerror_renamed); strerror_table.inc is generated from that table by
// api/gen/gen_strerror.py. A number outside the table gets the family's fallback text.
#include <fetch/fetch.h>
#include <fetch/multi.h>

#include <span>

namespace fetch::misc {
namespace {

struct CodeText {
  int code;
  const char *text;
};

#include "misc/strerror_table.inc"

const char *lookup(std::span<const CodeText> table, int code, const char *fallback) {
  for (const CodeText &entry : table) {
    if (entry.code == code) return entry.text;
  }
  return fallback;
}

}  // namespace
}  // namespace fetch::misc

extern "C" {

const char *fetch_easy_strerror(FETCHcode code) {
  using namespace fetch::misc;
  return lookup(kEasyTexts, static_cast<int>(code), kEasyFallback);
}

const char *fetch_multi_strerror(FETCHMcode code) {
  using namespace fetch::misc;
  return lookup(kMultiTexts, static_cast<int>(code), kMultiFallback);
}

const char *fetch_share_strerror(FETCHSHcode code) {
  using namespace fetch::misc;
  return lookup(kShareTexts, static_cast<int>(code), kShareFallback);
}

}  // extern "C"
