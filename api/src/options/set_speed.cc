// Setters for the transfer speed limits: FETCHOPT_MAX_RECV_SPEED_LARGE and
// FETCHOPT_MAX_SEND_SPEED_LARGE (CURLOPT_MAX_RECV_SPEED_LARGE(3), CURLOPT_MAX_SEND_SPEED_LARGE(3)):
// bytes per second, averaged over the transfer; 0 = no limit (the default); a negative value is
// refused with FETCHE_BAD_FUNCTION_ARGUMENT. runtime/rate_limiter.h applies them.
#include "options/setters.h"

namespace fetch::options {
namespace {

FETCHcode store_speed(EasyHandle &easy, const char *option, int64_t value, int64_t &out) {
  if (value < 0) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: %lld is negative", option,
                static_cast<long long>(value));
  }
  out = value;
  return FETCHE_OK;
}

}  // namespace

FETCHcode set_max_recv_speed_large(EasyHandle &easy, const OptionArg &arg) {
  return store_speed(easy, "MAX_RECV_SPEED_LARGE", arg.offset, easy.settings.max_recv_speed);
}

FETCHcode set_max_send_speed_large(EasyHandle &easy, const OptionArg &arg) {
  return store_speed(easy, "MAX_SEND_SPEED_LARGE", arg.offset, easy.settings.max_send_speed);
}

}  // namespace fetch::options
