#include "options/reset_dup.h"

#include <new>
#include <utility>

namespace fetch::options {

void reset_settings(EasyHandle &easy) noexcept {
  easy.settings = Settings{};
  easy.info.clear();
  easy.headers.clear();
}

FETCHcode copy_settings(const EasyHandle &from, EasyHandle &to) noexcept {
  try {
    Settings copy = from.settings;
    to.settings = std::move(copy);
    // A COPYPOSTFIELDS copy is owned per handle: point at this handle's own bytes (the copy
    // above, and a move of a short string, leave postfields pointing at the source's).
    Settings &s = to.settings;
    if (s.postfields_copied) s.postfields = s.copied_postfields.c_str();
    return FETCHE_OK;
  } catch (...) {  // std::bad_alloc is the only exception copying can throw
    return FETCHE_OUT_OF_MEMORY;
  }
}

}  // namespace fetch::options
