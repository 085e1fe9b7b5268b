// fetch_easy_setopt: checks the handle, looks the option up in the option table, reads the third
// argument by the option's type base and hands it to the option's setter.
#include <cstdarg>
#include <new>

#include <fetch/fetch.h>

#include "options/option_table.h"

namespace fetch::options {
namespace {

FETCHcode apply(EasyHandle &easy, long id, const OptionArg &arg) {
  const OptionRow *row = find_by_id(id);
  if (row == nullptr) {
    return fail(easy, FETCHE_UNKNOWN_OPTION, "unknown option %ld", id);
  }
  if (row->setter == nullptr) {
    return fail(easy, FETCHE_NOT_BUILT_IN, "FETCHOPT_%s is not built in this libfetch",
                row->option.name);
  }
  try {
    return row->setter(easy, arg);
  } catch (const std::bad_alloc &) {
    return fail(easy, FETCHE_OUT_OF_MEMORY, "FETCHOPT_%s: out of memory", row->option.name);
  } catch (...) {  // only allocation throws in the setters; never let anything cross the C ABI
    return fail(easy, FETCHE_OUT_OF_MEMORY, "FETCHOPT_%s: out of memory", row->option.name);
  }
}

}  // namespace
}  // namespace fetch::options

extern "C" FETCH_EXTERN FETCHcode(fetch_easy_setopt)(FETCH *handle, FETCHoption option, ...) {
  using namespace fetch::options;
  fetch::EasyHandle *easy = fetch::as_easy(handle);
  if (easy == nullptr) return FETCHE_BAD_FUNCTION_ARGUMENT;

  // The argument's C type follows from the option number alone (libcurl's rule), so it can be
  // read before the option is known to exist.
  const long id = static_cast<long>(option);
  OptionArg arg;
  va_list args;
  // The public prototype (libcurl's) ends its named parameters with an enum; clang warns that
  // an enum may be promoted, but it is passed as an int on every ABI libfetch targets.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wvarargs"
  va_start(args, option);
#pragma GCC diagnostic pop
  switch (arg_kind(id)) {
    case ArgKind::kLong:
      arg.number = va_arg(args, long);
      break;
    case ArgKind::kPointer:
      arg.pointer = va_arg(args, void *);
      break;
    case ArgKind::kFunction:
      // Every function pointer has the same representation on the platforms libfetch targets
      // (LP64 Linux); the setter converts it back to the option's callback type.
      arg.function = va_arg(args, void (*)(void));
      break;
    case ArgKind::kOffset:
      arg.offset = va_arg(args, fetch_off_t);
      break;
  }
  va_end(args);
  return apply(*easy, id, arg);
}
