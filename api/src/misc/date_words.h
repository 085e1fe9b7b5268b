// The words fetch_getdate understands: English month and weekday names and time zone
// abbreviations (see curl_getdate(3)). Matching ignores ASCII case.
#pragma once

#include <optional>
#include <string_view>

namespace fetch::misc {

// 1..12 for a three-letter English month abbreviation ("Jan".."Dec").
std::optional<int> month_from_word(std::string_view word);

// 0..6 (Sunday = 0) for an English weekday, spelled out ("Sunday") or abbreviated ("Sun").
std::optional<int> weekday_from_word(std::string_view word);

// Offset east of UTC in minutes for a time zone abbreviation ("GMT" 0, "CET" +60, "EST" -300).
std::optional<int> zone_offset_from_word(std::string_view word);

}  // namespace fetch::misc
