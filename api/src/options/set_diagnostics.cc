// Setters for what the application sees of a transfer besides its data: verbose output, the
// debug callback, the stderr stream, the error buffer and the private pointer.
#include <cstdio>

#include "options/setters.h"

namespace fetch::options {

FETCHcode set_verbose(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.verbose = arg.number != 0;
  return FETCHE_OK;
}

FETCHcode set_debugfunction(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.debug = reinterpret_cast<fetch_debug_callback>(arg.function);
  return FETCHE_OK;
}

FETCHcode set_debugdata(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.debug_data = arg.pointer;
  return FETCHE_OK;
}

FETCHcode set_stderr(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.stderr_stream = static_cast<FILE *>(arg.pointer);  // nullptr: stderr
  return FETCHE_OK;
}

FETCHcode set_errorbuffer(EasyHandle &easy, const OptionArg &arg) {
  // The application owns the buffer (at least FETCH_ERROR_SIZE bytes); NULL stops using one.
  easy.settings.error_buffer = static_cast<char *>(arg.pointer);
  return FETCHE_OK;
}

FETCHcode set_private(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.private_data = arg.pointer;
  return FETCHE_OK;
}

}  // namespace fetch::options
