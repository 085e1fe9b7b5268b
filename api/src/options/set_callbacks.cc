// Setters for the socket and resolver callbacks and their user data. A function pointer arrives
// as OptionArg::function and is converted back to the option's documented type.
#include "options/setters.h"

namespace fetch::options {
namespace {

template <typename Callback>
Callback as_callback(const OptionArg &arg) {
  return reinterpret_cast<Callback>(arg.function);
}

}  // namespace

FETCHcode set_opensocketfunction(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.opensocket = as_callback<fetch_opensocket_callback>(arg);
  return FETCHE_OK;
}

FETCHcode set_opensocketdata(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.opensocket_data = arg.pointer;
  return FETCHE_OK;
}

FETCHcode set_closesocketfunction(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.closesocket = as_callback<fetch_closesocket_callback>(arg);
  return FETCHE_OK;
}

FETCHcode set_closesocketdata(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.closesocket_data = arg.pointer;
  return FETCHE_OK;
}

FETCHcode set_sockoptfunction(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.sockopt = as_callback<fetch_sockopt_callback>(arg);
  return FETCHE_OK;
}

FETCHcode set_sockoptdata(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.sockopt_data = arg.pointer;
  return FETCHE_OK;
}

FETCHcode set_resolver_start_function(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.resolver_start = as_callback<fetch_resolver_start_callback>(arg);
  return FETCHE_OK;
}

FETCHcode set_resolver_start_data(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.resolver_start_data = arg.pointer;
  return FETCHE_OK;
}

}  // namespace fetch::options
