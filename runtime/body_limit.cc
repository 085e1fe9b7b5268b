#include "runtime/body_limit.h"

#include "easy/easy_handle.h"

namespace fetch {

FETCHcode BodyLimit::check_declared(EasyHandle &easy, uint64_t length) const {
  if (limit_ <= 0 || length <= static_cast<uint64_t>(limit_)) return FETCHE_OK;
  return fail(easy, FETCHE_FILESIZE_EXCEEDED,
              "Maximum file size exceeded: Content-Length %llu is above MAXFILESIZE %lld",
              static_cast<unsigned long long>(length), static_cast<long long>(limit_));
}

FETCHcode BodyLimit::add(EasyHandle &easy, uint64_t &count, size_t n) {
  if (limit_ <= 0) return FETCHE_OK;
  if (n > static_cast<uint64_t>(limit_) - count) {
    return fail(easy, FETCHE_FILESIZE_EXCEEDED,
                "Exceeded the maximum allowed file size (%lld bytes) with %llu %s bytes",
                static_cast<long long>(limit_), static_cast<unsigned long long>(count + n),
                &count == &wire_ ? "received" : "decoded");
  }
  count += n;
  return FETCHE_OK;
}

}  // namespace fetch
