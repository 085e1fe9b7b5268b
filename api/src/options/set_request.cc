// Setters for what a request asks of the server beyond its method and headers: a byte range
// (RANGE, RESUME_FROM), a time condition (TIMECONDITION, TIMEVALUE), the document's time
// (FILETIME), and the exact request target (REQUEST_TARGET, PATH_AS_IS).
//
// Checks follow libcurl's lib/setopt.c (CURLOPT_RESUME_FROM(3): < -1 gives 43;
// CURLOPT_TIMECONDITION(3): outside NONE..LASTMOD gives 43), plus libfetch's rule for text that
// reaches the request head (docs/BAD-INPUT.md): CR or LF in RANGE gives 43 at setopt, and so do
// CR, LF or a space in REQUEST_TARGET (a space would end the request-target on the wire).
#include "options/setters.h"
#include "options/value_checks.h"

namespace fetch::options {
namespace {

FETCHcode store_resume_from(EasyHandle &easy, const char *option, int64_t from) {
  if (from < -1) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: %lld is below -1", option,
                static_cast<long long>(from));
  }
  easy.settings.resume_from = from;
  return FETCHE_OK;
}

}  // namespace

FETCHcode set_range(EasyHandle &easy, const OptionArg &arg) {
  return store_header_string(easy, "RANGE", arg, easy.settings.range);
}

FETCHcode set_resume_from(EasyHandle &easy, const OptionArg &arg) {
  return store_resume_from(easy, "RESUME_FROM", arg.number);
}

FETCHcode set_resume_from_large(EasyHandle &easy, const OptionArg &arg) {
  return store_resume_from(easy, "RESUME_FROM_LARGE", arg.offset);
}

FETCHcode set_timecondition(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "TIMECONDITION", arg.number, FETCH_TIMECOND_NONE,
                        FETCH_TIMECOND_LASTMOD, easy.settings.timecondition);
}

FETCHcode set_timevalue(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.timevalue = arg.number;  // any value, as libcurl (negative: before 1970)
  return FETCHE_OK;
}

FETCHcode set_timevalue_large(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.timevalue = arg.offset;
  return FETCHE_OK;
}

FETCHcode set_filetime(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.filetime = arg.number != 0;
  return FETCHE_OK;
}

FETCHcode set_request_target(EasyHandle &easy, const OptionArg &arg) {
  return store_checked_string(easy, "REQUEST_TARGET", arg, easy.settings.request_target,
                              {kNoCrOrLf, {" \t", "a space or tab would end the request target"}});
}

FETCHcode set_path_as_is(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.path_as_is = arg.number != 0;
  return FETCHE_OK;
}

}  // namespace fetch::options
