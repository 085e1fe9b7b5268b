#include "options/option_table.h"

#include <iterator>

#include "options/setters.h"

namespace fetch::options {
namespace {

constexpr FETCHoption Id(long number) { return static_cast<FETCHoption>(number); }

#include "options/option_table_data.inc"

static_assert(std::size(kRows) > 1, "the option table is empty");

}  // namespace

OptionRows all_rows() { return {std::begin(kRows), std::end(kRows) - 1}; }

const OptionRow *find_by_id(long id) {
  if (id < 0) return nullptr;
  const long index = id % 10000;
  if (index >= kIndexCount || kRowByIndex[index] < 0) return nullptr;
  const OptionRow &row = kRows[kRowByIndex[index]];
  return static_cast<long>(row.option.id) == id ? &row : nullptr;
}

ArgKind arg_kind(long id) {
  if (id < FETCHOPTTYPE_OBJECTPOINT) return ArgKind::kLong;
  if (id < FETCHOPTTYPE_FUNCTIONPOINT) return ArgKind::kPointer;
  if (id < FETCHOPTTYPE_OFF_T) return ArgKind::kFunction;
  if (id < FETCHOPTTYPE_BLOB) return ArgKind::kOffset;
  return ArgKind::kPointer;  // struct fetch_blob *
}

}  // namespace fetch::options
