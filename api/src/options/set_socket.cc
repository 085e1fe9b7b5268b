// Setters for the local end of the socket and its TCP options.
#include <climits>

#include "options/setters.h"
#include "options/value_checks.h"

namespace fetch::options {

FETCHcode set_localport(EasyHandle &easy, const OptionArg &arg) {
  return store_in_range(easy, "LOCALPORT", arg.number, 0, 65535, easy.settings.localport);
}

FETCHcode set_localportrange(EasyHandle &easy, const OptionArg &arg) {
  // CURLOPT_LOCALPORTRANGE(3): "1 or below" means one try, so 0 is stored as 1.
  long range = 0;
  const FETCHcode code = store_in_range(easy, "LOCALPORTRANGE", arg.number, 0, 65535, range);
  if (code == FETCHE_OK) easy.settings.localportrange = range < 1 ? 1 : range;
  return code;
}

FETCHcode set_interface(EasyHandle &easy, const OptionArg &arg) {
  return store_string(easy, "INTERFACE", arg, easy.settings.interface_name);
}

FETCHcode set_tcp_nodelay(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.tcp_nodelay = arg.number != 0;
  return FETCHE_OK;
}

FETCHcode set_tcp_keepalive(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.tcp_keepalive = arg.number != 0;
  return FETCHE_OK;
}

// CURLOPT_TCP_KEEPIDLE(3) / CURLOPT_TCP_KEEPINTVL(3): seconds; larger values are capped.
FETCHcode set_tcp_keepidle(EasyHandle &easy, const OptionArg &arg) {
  const long seconds = arg.number > INT_MAX ? INT_MAX : arg.number;
  return store_in_range(easy, "TCP_KEEPIDLE", seconds, 0, INT_MAX, easy.settings.tcp_keepidle_s);
}

FETCHcode set_tcp_keepintvl(EasyHandle &easy, const OptionArg &arg) {
  const long seconds = arg.number > INT_MAX ? INT_MAX : arg.number;
  return store_in_range(easy, "TCP_KEEPINTVL", seconds, 0, INT_MAX, easy.settings.tcp_keepintvl_s);
}

FETCHcode set_nosignal(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.nosignal = arg.number != 0;
  return FETCHE_OK;
}

}  // namespace fetch::options
