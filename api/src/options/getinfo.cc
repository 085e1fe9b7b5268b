// fetch_easy_getinfo: the items libfetch reports about the last transfer of an easy handle.
// Strings point into the handle and stay valid until its next transfer, reset or cleanup.
#include <algorithm>
#include <cstdarg>
#include <iterator>

#include <fetch/fetch.h>

#include "easy/easy_handle.h"
#include "runtime/redirect.h"

namespace fetch::options {
namespace {

#include "options/info_table_data.inc"

// FETCHINFO_LASTSOCKET and the double sizes and speeds are deprecated in the header; their
// numbers avoid the warnings.
constexpr long kLastSocket = FETCHINFO_LONG + 29;
constexpr long kSizeUpload = FETCHINFO_DOUBLE + 7;
constexpr long kSizeDownload = FETCHINFO_DOUBLE + 8;
constexpr long kSpeedDownload = FETCHINFO_DOUBLE + 9;
constexpr long kSpeedUpload = FETCHINFO_DOUBLE + 10;
constexpr long kContentLengthDownload = FETCHINFO_DOUBLE + 15;
constexpr long kContentLengthUpload = FETCHINFO_DOUBLE + 16;

double seconds(int64_t microseconds) { return static_cast<double>(microseconds) / 1e6; }

// Points *out at `text`, or at NULL when `text` is empty and `null_when_empty`.
FETCHcode put_string(void *out, const std::string &text, bool null_when_empty = false) {
  *static_cast<char **>(out) =
      (null_when_empty && text.empty()) ? nullptr : const_cast<char *>(text.c_str());
  return FETCHE_OK;
}

FETCHcode put_long(void *out, long value) {
  *static_cast<long *>(out) = value;
  return FETCHE_OK;
}

FETCHcode put_double(void *out, double value) {
  *static_cast<double *>(out) = value;
  return FETCHE_OK;
}

FETCHcode put_offset(void *out, int64_t value) {
  *static_cast<fetch_off_t *>(out) = static_cast<fetch_off_t>(value);
  return FETCHE_OK;
}

// Average bytes per second over the whole transfer; 0 before any time has passed.
int64_t bytes_per_second(int64_t bytes, int64_t total_us) {
  if (total_us <= 0 || bytes <= 0) return 0;
  return static_cast<int64_t>(static_cast<double>(bytes) * 1e6 / static_cast<double>(total_us));
}

bool known_info(long id) {
  return std::binary_search(std::begin(kKnownInfos), std::end(kKnownInfos), id);
}

FETCHcode read_info(EasyHandle &easy, long id, void *out) {
  const TransferInfo &info = easy.info;
  switch (id) {
    case FETCHINFO_EFFECTIVE_URL:
      // Before any transfer libcurl reports the URL that was set.
      return put_string(out, info.effective_url.empty() ? easy.settings.url : info.effective_url);
    case FETCHINFO_SCHEME:
      return put_string(out, info.scheme, true);
    case FETCHINFO_PRIMARY_IP:
      return put_string(out, info.primary_ip);
    case FETCHINFO_PRIMARY_PORT:
      return put_long(out, info.primary_port);
    case FETCHINFO_LOCAL_IP:
      return put_string(out, info.local_ip);
    case FETCHINFO_LOCAL_PORT:
      return put_long(out, info.local_port);
    case FETCHINFO_NAMELOOKUP_TIME:
      return put_double(out, seconds(info.namelookup_us));
    case FETCHINFO_NAMELOOKUP_TIME_T:
      return put_offset(out, info.namelookup_us);
    case FETCHINFO_CONNECT_TIME:
      return put_double(out, seconds(info.connect_us));
    case FETCHINFO_CONNECT_TIME_T:
      return put_offset(out, info.connect_us);
    case FETCHINFO_TOTAL_TIME:
      return put_double(out, seconds(info.total_us));
    case FETCHINFO_TOTAL_TIME_T:
      return put_offset(out, info.total_us);
    case FETCHINFO_OS_ERRNO:
      return put_long(out, info.os_errno);
    case FETCHINFO_PRIVATE:
      *static_cast<char **>(out) = static_cast<char *>(easy.settings.private_data);
      return FETCHE_OK;
    case FETCHINFO_NUM_CONNECTS:
      return put_long(out, info.num_connects);
    case FETCHINFO_CONN_ID:
      return put_offset(out, info.conn_id);
    case FETCHINFO_XFER_ID:
      return put_offset(out, info.xfer_id);
    case FETCHINFO_ACTIVESOCKET:
      *static_cast<fetch_socket_t *>(out) = active_socket(easy);
      return FETCHE_OK;
    case kLastSocket:
      // The same socket as ACTIVESOCKET as a long; -1 (FETCH_SOCKET_BAD) when there is none.
      return put_long(out, static_cast<long>(active_socket(easy)));
    // HTTP (FETCHINFO_HTTP_CODE is RESPONSE_CODE's old name, with the same number)
    case FETCHINFO_RESPONSE_CODE:
      return put_long(out, info.response_code);
    case FETCHINFO_HTTP_VERSION:
      return put_long(out, info.http_version);
    case FETCHINFO_CONTENT_TYPE:
      if (!info.has_content_type) {
        *static_cast<char **>(out) = nullptr;
        return FETCHE_OK;
      }
      return put_string(out, info.content_type);
    case FETCHINFO_CONTENT_LENGTH_DOWNLOAD_T:
      return put_offset(out, info.content_length_download);
    case kContentLengthDownload:
      return put_double(out, static_cast<double>(info.content_length_download));
    case FETCHINFO_CONTENT_LENGTH_UPLOAD_T:
      return put_offset(out, info.content_length_upload);
    case kContentLengthUpload:
      return put_double(out, static_cast<double>(info.content_length_upload));
    case FETCHINFO_SIZE_DOWNLOAD_T:
      return put_offset(out, info.size_download);
    case kSizeDownload:
      return put_double(out, static_cast<double>(info.size_download));
    case FETCHINFO_SIZE_DELIVERED:
      return put_offset(out, info.size_delivered);
    case FETCHINFO_SIZE_UPLOAD_T:
      return put_offset(out, info.size_upload);
    case kSizeUpload:
      return put_double(out, static_cast<double>(info.size_upload));
    case FETCHINFO_SPEED_DOWNLOAD_T:
      return put_offset(out, bytes_per_second(info.size_download, info.total_us));
    case kSpeedDownload:
      return put_double(out,
                        static_cast<double>(bytes_per_second(info.size_download, info.total_us)));
    case FETCHINFO_SPEED_UPLOAD_T:
      return put_offset(out, bytes_per_second(info.size_upload, info.total_us));
    case kSpeedUpload:
      return put_double(out,
                        static_cast<double>(bytes_per_second(info.size_upload, info.total_us)));
    case FETCHINFO_HEADER_SIZE:
      return put_long(out, info.header_size);
    case FETCHINFO_REQUEST_SIZE:
      return put_long(out, info.request_size);
    case FETCHINFO_EFFECTIVE_METHOD:
      // NULL before a request was sent (libcurl: "NULL or points to private memory").
      return put_string(out, info.effective_method, true);
    case FETCHINFO_PRETRANSFER_TIME:
      return put_double(out, seconds(info.pretransfer_us));
    case FETCHINFO_PRETRANSFER_TIME_T:
      return put_offset(out, info.pretransfer_us);
    case FETCHINFO_STARTTRANSFER_TIME:
      return put_double(out, seconds(info.starttransfer_us));
    case FETCHINFO_STARTTRANSFER_TIME_T:
      return put_offset(out, info.starttransfer_us);
    // Redirects
    case FETCHINFO_REDIRECT_COUNT:
      return put_long(out, info.redirect_count);
    case FETCHINFO_REDIRECT_URL:
      return put_string(out, info.redirect_url, true);
    case FETCHINFO_REDIRECT_TIME:
      return put_double(out, seconds(info.redirect_us));
    case FETCHINFO_REDIRECT_TIME_T:
      return put_offset(out, info.redirect_us);
    case FETCHINFO_REFERER:
      return put_string(out, info.referer, true);
    // Request options (runtime/http_response_checks.cc)
    case FETCHINFO_FILETIME:
      return put_long(out, static_cast<long>(info.filetime));
    case FETCHINFO_FILETIME_T:
      return put_offset(out, info.filetime);
    case FETCHINFO_CONDITION_UNMET:
      return put_long(out, info.condition_unmet);
    case FETCHINFO_RETRY_AFTER:
      return put_offset(out, info.retry_after);
    case FETCHINFO_HTTP_CONNECTCODE:
      // The CONNECT response of a proxy tunnel: libfetch has no proxy support yet, so no
      // CONNECT is ever sent and the answer is libcurl's "no CONNECT response" value, 0.
      return put_long(out, 0);
    default:
      break;
  }
  if (known_info(id)) {
    return fail(easy, FETCHE_NOT_BUILT_IN, "info 0x%lx is not built in this libfetch",
                static_cast<unsigned long>(id));
  }
  return fail(easy, FETCHE_UNKNOWN_OPTION, "unknown info 0x%lx", static_cast<unsigned long>(id));
}

}  // namespace
}  // namespace fetch::options

extern "C" FETCH_EXTERN FETCHcode(fetch_easy_getinfo)(FETCH *handle, FETCHINFO info, ...) {
  fetch::EasyHandle *easy = fetch::as_easy(handle);
  if (easy == nullptr) return FETCHE_BAD_FUNCTION_ARGUMENT;
  // Every item's argument is a pointer (char **, long *, double *, ...).
  va_list args;
  // The public prototype (libcurl's) ends its named parameters with an enum; clang warns that
  // an enum may be promoted, but it is passed as an int on every ABI libfetch targets.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wvarargs"
  va_start(args, info);
#pragma GCC diagnostic pop
  void *out = va_arg(args, void *);
  va_end(args);
  if (out == nullptr) {
    return fetch::fail(*easy, FETCHE_BAD_FUNCTION_ARGUMENT, "fetch_easy_getinfo: NULL pointer");
  }
  return fetch::options::read_info(*easy, static_cast<long>(info), out);
}
