// UrlCache: the URL of an easy handle's last transfer, parsed. A handle that fetches the same
// URL again (the loop of a client or a benchmark) skips the parse, the normalisation and the
// strings they allocate; any other text or flags parse afresh and replace the entry.
#pragma once

#include <fetch/urlapi.h>

#include <string>
#include <string_view>

#include "url/url.h"

namespace fetch {

class UrlCache {
 public:
  // The parse of `text` with `flags` (url::parse), from the cache when it holds exactly that.
  // On FETCHUE_OK, *out points at the parsed URL and *normalized at its normalised text, or
  // nullptr when it cannot be written back; both stay valid until the next get().
  FETCHUcode get(std::string_view text, unsigned flags, const url::Url **out,
                 const std::string **normalized);

 private:
  bool valid_ = false;
  std::string text_;
  unsigned flags_ = 0;
  url::Url url_;
  bool has_normalized_ = false;
  std::string normalized_;
};

}  // namespace fetch
