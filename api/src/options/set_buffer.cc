// FETCHOPT_BUFFERSIZE (follows CURLOPT_BUFFERSIZE(3), libcurl 8.x): the preferred receive
// buffer size in bytes, which is the most body bytes one write callback call gets. A request,
// not an order, so it never fails: values are clamped to 1024 .. 10 MiB (CURL_MAX_READ_SIZE),
// and a value below 1 restores the default, 16 KiB (CURL_MAX_WRITE_SIZE), as libcurl does.
#include "options/setters.h"

namespace fetch::options {
namespace {

constexpr long kMinBytes = 1024;
constexpr long kMaxBytes = 10 * 1024 * 1024;
constexpr long kDefaultBytes = 16 * 1024;

}  // namespace

FETCHcode set_buffersize(EasyHandle &easy, const OptionArg &arg) {
  long bytes = arg.number;
  if (bytes < 1) {
    bytes = kDefaultBytes;
  } else if (bytes < kMinBytes) {
    bytes = kMinBytes;
  } else if (bytes > kMaxBytes) {
    bytes = kMaxBytes;
  }
  easy.settings.buffer_size = static_cast<size_t>(bytes);
  return FETCHE_OK;
}

}  // namespace fetch::options
