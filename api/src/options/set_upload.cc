// Setters for request bodies that come from the application's read callback: UPLOAD (an HTTP
// PUT), READFUNCTION and READDATA (INFILE is READDATA's alias in the table), the size announced
// with INFILESIZE(_LARGE), and how long a request with "Expect: 100-continue" waits for the
// server's go-ahead (EXPECT_100_TIMEOUT_MS).
//
// UPLOAD joins libcurl's single "request kind": UPLOAD 1 makes the request a PUT (forgetting a
// POST or a HEAD); POST, the POSTFIELDS options, NOBODY and HTTPGET forget the upload again
// (set_http.cc).
#include "options/setters.h"

namespace fetch::options {
namespace {

// libcurl keeps this timeout in 16 bits: larger values are clamped, not refused.
constexpr long kMaxExpect100TimeoutMs = 65535;

FETCHcode store_infilesize(EasyHandle &easy, const char *option, int64_t size) {
  if (size < -1) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: %lld is below -1", option,
                static_cast<long long>(size));
  }
  easy.settings.infilesize = size;
  return FETCHE_OK;
}

}  // namespace

FETCHcode set_upload(EasyHandle &easy, const OptionArg &arg) {
  Settings &s = easy.settings;
  s.upload = arg.number != 0;
  if (s.upload) {
    s.post = false;
    s.nobody = false;
  }
  return FETCHE_OK;
}

FETCHcode set_readfunction(EasyHandle &easy, const OptionArg &arg) {
  // nullptr: fread from READDATA, as libcurl's default.
  easy.settings.read_function = reinterpret_cast<fetch_read_callback>(arg.function);
  return FETCHE_OK;
}

FETCHcode set_readdata(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.read_data = arg.pointer;  // a FILE * without a read function; nullptr: stdin
  return FETCHE_OK;
}

FETCHcode set_infilesize(EasyHandle &easy, const OptionArg &arg) {
  return store_infilesize(easy, "INFILESIZE", arg.number);
}

FETCHcode set_infilesize_large(EasyHandle &easy, const OptionArg &arg) {
  return store_infilesize(easy, "INFILESIZE_LARGE", arg.offset);
}

FETCHcode set_expect_100_timeout_ms(EasyHandle &easy, const OptionArg &arg) {
  if (arg.number < 0) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT,
                "FETCHOPT_EXPECT_100_TIMEOUT_MS: %ld is negative", arg.number);
  }
  easy.settings.expect_100_timeout_ms =
      arg.number > kMaxExpect100TimeoutMs ? kMaxExpect100TimeoutMs : arg.number;
  return FETCHE_OK;
}

}  // namespace fetch::options
