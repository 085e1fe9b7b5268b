// Setters for size and age limits: MAXFILESIZE(_LARGE) (runtime/body_limit.h) and the reuse
// limits MAXAGE_CONN / MAXLIFETIME_CONN (runtime/conn_age.h). A negative value is refused with
// FETCHE_BAD_FUNCTION_ARGUMENT, as libcurl does (docs/BAD-INPUT.md).
#include <climits>

#include "options/setters.h"
#include "options/value_checks.h"

namespace fetch::options {

namespace {

FETCHcode store_max_filesize(EasyHandle &easy, const char *option, int64_t value) {
  if (value < 0) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: %lld is negative", option,
                static_cast<long long>(value));
  }
  easy.settings.max_filesize = value;
  return FETCHE_OK;
}

}  // namespace

FETCHcode set_maxfilesize(EasyHandle &easy, const OptionArg &arg) {
  return store_max_filesize(easy, "MAXFILESIZE", arg.number);
}

FETCHcode set_maxfilesize_large(EasyHandle &easy, const OptionArg &arg) {
  return store_max_filesize(easy, "MAXFILESIZE_LARGE", arg.offset);
}

FETCHcode set_maxage_conn(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "MAXAGE_CONN", arg.number, 0, LONG_MAX, easy.settings.maxage_conn_s);
}

// CURLOPT_MAXCONNECTS(3): the pool of fetch_easy_perform's own multi; a handle added to a multi
// uses the multi's FETCHMOPT_MAXCONNECTS instead. 0 leaves the scheduler's default.
FETCHcode set_maxconnects(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "MAXCONNECTS", arg.number, 0, LONG_MAX, easy.settings.maxconnects);
}

FETCHcode set_maxlifetime_conn(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "MAXLIFETIME_CONN", arg.number, 0, LONG_MAX,
                        easy.settings.maxlifetime_conn_s);
}

}  // namespace fetch::options
