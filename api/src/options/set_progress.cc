// Setters for progress reporting and the low-speed abort (runtime/transfer_progress.h):
// NOPROGRESS, XFERINFOFUNCTION, PROGRESSFUNCTION (deprecated, doubles), XFERINFODATA (alias
// PROGRESSDATA), LOW_SPEED_LIMIT and LOW_SPEED_TIME, checked as libcurl 8.x checks them.
#include <climits>

#include "options/setters.h"

namespace fetch::options {
namespace {

// LOW_SPEED_TIME is kept in seconds and turned into microseconds by the runtime: larger values
// are clamped (as libcurl clamps its timeouts), never overflowed.
constexpr long kMaxLowSpeedTimeS = INT_MAX;

}  // namespace

FETCHcode set_noprogress(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.noprogress = arg.number != 0;  // any non-zero value is "on", as libcurl
  return FETCHE_OK;
}

FETCHcode set_xferinfofunction(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.xferinfo_function = reinterpret_cast<fetch_xferinfo_callback>(arg.function);
  return FETCHE_OK;
}

FETCHcode set_progressfunction(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.progress_function = reinterpret_cast<fetch_progress_callback>(arg.function);
  return FETCHE_OK;
}

FETCHcode set_xferinfodata(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.progress_data = arg.pointer;  // PROGRESSDATA is the same option (an alias)
  return FETCHE_OK;
}

FETCHcode set_low_speed_limit(EasyHandle &easy, const OptionArg &arg) {
  if (arg.number < 0) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_LOW_SPEED_LIMIT: %ld is negative",
                arg.number);
  }
  easy.settings.low_speed_limit = arg.number;
  return FETCHE_OK;
}

FETCHcode set_low_speed_time(EasyHandle &easy, const OptionArg &arg) {
  if (arg.number < 0) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_LOW_SPEED_TIME: %ld is negative",
                arg.number);
  }
  easy.settings.low_speed_time_s = arg.number < kMaxLowSpeedTimeS ? arg.number : kMaxLowSpeedTimeS;
  return FETCHE_OK;
}

}  // namespace fetch::options
