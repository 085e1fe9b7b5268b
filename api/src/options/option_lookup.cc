// Option introspection (curl_easy_option_by_name(3), _by_id(3), _next(3)), read from the option
// table.
#include <strings.h>

#include <functional>

#include <fetch/fetch.h>

#include "options/option_table.h"

using fetch::options::all_rows;
using fetch::options::OptionRow;

extern "C" FETCH_EXTERN const fetch_easyoption *fetch_easy_option_by_name(const char *name) {
  if (name == nullptr) return nullptr;
  const auto rows = all_rows();
  for (const OptionRow *row = rows.begin; row != rows.end; ++row) {
    if (strcasecmp(row->option.name, name) == 0) return &row->option;
  }
  return nullptr;
}

extern "C" FETCH_EXTERN const fetch_easyoption *fetch_easy_option_by_id(FETCHoption id) {
  const OptionRow *row = fetch::options::find_by_id(static_cast<long>(id));
  return row != nullptr ? &row->option : nullptr;
}

extern "C" FETCH_EXTERN const fetch_easyoption *fetch_easy_option_next(
    const fetch_easyoption *prev) {
  const auto rows = all_rows();
  if (prev == nullptr) return &rows.begin->option;
  // A pointer this function handed out is the first member of a table row; anything else ends
  // the walk. std::less gives a total order even for unrelated pointers.
  const auto *row = reinterpret_cast<const OptionRow *>(prev);
  const std::less<const OptionRow *> before;
  if (before(row, rows.begin) || !before(row, rows.end)) return nullptr;
  const OptionRow *next = row + 1;
  return next != rows.end ? &next->option : nullptr;
}
