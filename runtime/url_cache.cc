#include "runtime/url_cache.h"

namespace fetch {

FETCHUcode UrlCache::get(std::string_view text, unsigned flags, const url::Url **out,
                         const std::string **normalized) {
  if (!valid_ || flags != flags_ || text != text_) {
    valid_ = false;
    url::Url parsed;
    if (FETCHUcode uc = url::parse(text, flags, parsed); uc != FETCHUE_OK) return uc;
    url_ = std::move(parsed);
    text_.assign(text);
    flags_ = flags;
    has_normalized_ = url::to_string(url_, 0, normalized_) == FETCHUE_OK;
    valid_ = true;
  }
  *out = &url_;
  *normalized = has_normalized_ ? &normalized_ : nullptr;
  return FETCHUE_OK;
}

}  // namespace fetch
