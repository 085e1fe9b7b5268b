// The option side of fetch_easy_reset and fetch_easy_duphandle (their entry points live in
// api/src/easy/): every option's default comes from runtime/settings.h's initializers, so
// resetting is assigning a default Settings and duplicating is copying one.
#pragma once

#include "easy/easy_handle.h"

namespace fetch::options {

// Every option back to its default and the last transfer's infos forgotten. Allocates nothing.
void reset_settings(EasyHandle &easy) noexcept;

// Copies every option of `from` into `to` (strings and lists are copied; callbacks, user data,
// the error buffer, the private pointer, the POSTFIELDS pointer and the HTTPHEADER list are
// shared as libcurl does; COPYPOSTFIELDS data is copied and `to` points at its own copy).
// Transfer infos are not copied. Returns FETCHE_OUT_OF_MEMORY, leaving `to` unchanged, when a copy
// cannot allocate.
FETCHcode copy_settings(const EasyHandle &from, EasyHandle &to) noexcept;

}  // namespace fetch::options
