// The one table of easy options: every option libcurl documents, renamed to FETCHOPT_, with its
// number, its FETCHOT_ type, whether the name is an alias, and the setter of those implemented.
//
// fetch_easy_setopt, the fetch_easy_option_* introspection functions and docs/STATUS.md are all
// driven by it. The rows are generated (api/gen/gen_options.py -> option_table_data.inc); which
// options are implemented is listed in that script, and each implemented option NAME has a setter
// fetch::options::set_<name> (setters.h).
#pragma once

#include <fetch/fetch.h>

#include "easy/easy_handle.h"

namespace fetch::options {

// The third argument of fetch_easy_setopt, read by fetch_easy_setopt according to the option's
// number (its type base): only the member for that base is meaningful.
struct OptionArg {
  long number = 0;                   // FETCHOPTTYPE_LONG / VALUES
  void *pointer = nullptr;           // OBJECTPOINT, STRINGPOINT, SLISTPOINT, CBPOINT, BLOB
  fetch_off_t offset = 0;            // FETCHOPTTYPE_OFF_T
  void (*function)(void) = nullptr;  // FETCHOPTTYPE_FUNCTIONPOINT (cast to the option's type)
};

// Validates `arg` and stores it into easy.settings; returns FETCHE_OK or the libcurl error code.
using Setter = FETCHcode (*)(EasyHandle &easy, const OptionArg &arg);

// One row. `option` comes first so a row's address is its public fetch_easyoption's address.
struct OptionRow {
  fetch_easyoption option;
  Setter setter;  // nullptr: known but not built (always nullptr for an alias row)
};

// The rows in the order fetch_easy_option_next walks them, aliases included, no terminator.
struct OptionRows {
  const OptionRow *begin;
  const OptionRow *end;
};
OptionRows all_rows();

// The non-alias row of option number `id`, or nullptr for a number that is no option (including
// the obsolete 9999 placeholder and FETCHOPT_LASTENTRY).
const OptionRow *find_by_id(long id);

// The row of the option's type base: what fetch_easy_setopt reads from its varargs.
enum class ArgKind { kLong, kPointer, kFunction, kOffset };
ArgKind arg_kind(long id);

}  // namespace fetch::options
