// Setters for what to connect to and how long to try: URL, ports, timeouts, name resolution
// overrides, allowed protocols and connection reuse.
#include <climits>

#include "options/protocol_list.h"
#include "options/setters.h"
#include "options/value_checks.h"

namespace fetch::options {

FETCHcode set_url(EasyHandle &easy, const OptionArg &arg) {
  return store_string(easy, "URL", arg, easy.settings.url);
}

FETCHcode set_connect_only(EasyHandle &easy, const OptionArg &arg) {
  // 2 asks for a WebSocket upgrade before handing over the connection; the scheme is checked
  // at perform, where a ws:// or wss:// URL is required.
  return store_in_range(easy, "CONNECT_ONLY", arg.number, 0, 2, easy.settings.connect_only);
}

FETCHcode set_port(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "PORT", arg.number, 0, 65535, easy.settings.port);
}

FETCHcode set_connecttimeout(EasyHandle &easy, const OptionArg &arg) {
  return store_seconds_as_ms(easy, "CONNECTTIMEOUT", arg.number, easy.settings.connect_timeout_ms);
}

FETCHcode set_connecttimeout_ms(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "CONNECTTIMEOUT_MS", arg.number, 0, LONG_MAX,
                        easy.settings.connect_timeout_ms);
}

FETCHcode set_timeout(EasyHandle &easy, const OptionArg &arg) {
  return store_seconds_as_ms(easy, "TIMEOUT", arg.number, easy.settings.timeout_ms);
}

FETCHcode set_timeout_ms(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "TIMEOUT_MS", arg.number, 0, LONG_MAX, easy.settings.timeout_ms);
}

FETCHcode set_resolve(EasyHandle &easy, const OptionArg &arg) {
  return store_slist(easy, "RESOLVE", arg, easy.settings.resolve);
}

FETCHcode set_connect_to(EasyHandle &easy, const OptionArg &arg) {
  return store_slist(easy, "CONNECT_TO", arg, easy.settings.connect_to);
}

FETCHcode set_ipresolve(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "IPRESOLVE", arg.number, FETCH_IPRESOLVE_WHATEVER, FETCH_IPRESOLVE_V6,
                        easy.settings.ipresolve);
}

FETCHcode set_dns_cache_timeout(EasyHandle &easy, const OptionArg &arg) {
  // -1 keeps entries forever; libcurl caps large values at INT_MAX seconds.
  const long seconds = arg.number > INT_MAX ? INT_MAX : arg.number;
  return store_in_range(easy, "DNS_CACHE_TIMEOUT", seconds, -1, INT_MAX,
                        easy.settings.dns_cache_timeout_s);
}

FETCHcode set_protocols_str(EasyHandle &easy, const OptionArg &arg) {
  const auto *spec = static_cast<const char *>(arg.pointer);
  if (spec == nullptr) {  // back to the default: every protocol built in
    easy.settings.protocols_str.clear();
    return FETCHE_OK;
  }
  std::string problem;
  const FETCHcode code = normalize_protocol_list(spec, easy.settings.protocols_str, problem);
  if (code == FETCHE_UNSUPPORTED_PROTOCOL) {
    return fail(easy, code, "FETCHOPT_PROTOCOLS_STR: unknown protocol \"%s\"", problem.c_str());
  }
  if (code != FETCHE_OK) {
    return fail(easy, code, "FETCHOPT_PROTOCOLS_STR: the list names no protocol");
  }
  return FETCHE_OK;
}

FETCHcode set_default_protocol(EasyHandle &easy, const OptionArg &arg) {
  return store_string(easy, "DEFAULT_PROTOCOL", arg, easy.settings.default_protocol);
}

FETCHcode set_fresh_connect(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.fresh_connect = arg.number != 0;
  return FETCHE_OK;
}

FETCHcode set_forbid_reuse(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.forbid_reuse = arg.number != 0;
  return FETCHE_OK;
}

}  // namespace fetch::options
