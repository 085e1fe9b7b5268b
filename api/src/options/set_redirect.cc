// Setters for following redirects: FOLLOWLOCATION, MAXREDIRS, POSTREDIR, REDIR_PROTOCOLS_STR,
// AUTOREFERER and UNRESTRICTED_AUTH (the decisions are in runtime/redirect.cc).
#include "options/protocol_list.h"
#include "options/setters.h"
#include "options/value_checks.h"

namespace fetch::options {
namespace {

// MAXREDIRS above this is clamped (libcurl keeps it in a 16-bit signed field).
constexpr long kMaxRedirsCap = 32767;
// REDIR_PROTOCOLS_STR's default (CURLOPT_REDIR_PROTOCOLS_STR(3)).
constexpr const char *kDefaultRedirProtocols = "http,https,ftp,ftps";

}  // namespace

FETCHcode set_followlocation(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "FOLLOWLOCATION", arg.number, 0, FETCHFOLLOW_FIRSTONLY,
                        easy.settings.follow_location);
}

FETCHcode set_maxredirs(EasyHandle &easy, const OptionArg &arg) {
  if (arg.number < -1) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_MAXREDIRS: %ld is below -1",
                arg.number);
  }
  easy.settings.max_redirs = arg.number > kMaxRedirsCap ? kMaxRedirsCap : arg.number;
  return FETCHE_OK;
}

FETCHcode set_postredir(EasyHandle &easy, const OptionArg &arg) {
  if (arg.number < 0) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_POSTREDIR: %ld is negative",
                arg.number);
  }
  easy.settings.postredir = arg.number & FETCH_REDIR_POST_ALL;  // other bits mean nothing
  return FETCHE_OK;
}

FETCHcode set_redir_protocols_str(EasyHandle &easy, const OptionArg &arg) {
  const auto *spec = static_cast<const char *>(arg.pointer);
  if (spec == nullptr) {
    easy.settings.redir_protocols_str = kDefaultRedirProtocols;
    return FETCHE_OK;
  }
  std::string problem;
  const FETCHcode code = normalize_protocol_list(spec, easy.settings.redir_protocols_str, problem);
  if (code == FETCHE_UNSUPPORTED_PROTOCOL) {
    return fail(easy, code, "FETCHOPT_REDIR_PROTOCOLS_STR: unknown protocol \"%s\"",
                problem.c_str());
  }
  if (code != FETCHE_OK) {
    return fail(easy, code, "FETCHOPT_REDIR_PROTOCOLS_STR: the list names no protocol");
  }
  return FETCHE_OK;
}

FETCHcode set_autoreferer(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.autoreferer = arg.number != 0;
  return FETCHE_OK;
}

FETCHcode set_unrestricted_auth(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.unrestricted_auth = arg.number != 0;
  return FETCHE_OK;
}

}  // namespace fetch::options
