// Word tables for fetch_getdate (see date_words.h).
#include "misc/date_words.h"

#include <array>
#include <cstddef>

namespace fetch::misc {
namespace {

bool same_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

constexpr std::array<std::string_view, 7> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};

struct Zone {
  std::string_view name;
  int minutes_east;
};

// Common abbreviations with their standard offsets; numeric zones (+0100) are the reliable form.
constexpr Zone kZones[] = {
    {"gmt", 0},     {"ut", 0},     {"utc", 0},    {"wet", 0},    {"z", 0},       {"bst", 60},
    {"wat", -60},   {"ast", -240}, {"adt", -180}, {"est", -300}, {"edt", -240},  {"cst", -360},
    {"cdt", -300},  {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},  {"yst", -540},
    {"ydt", -480},  {"hst", -600}, {"hdt", -540}, {"cat", -600}, {"ahst", -600}, {"nt", -660},
    {"idlw", -720}, {"cet", 60},   {"met", 60},   {"mewt", 60},  {"mest", 120},  {"cest", 120},
    {"mesz", 120},  {"fwt", 60},   {"fst", 120},  {"eet", 120},  {"wast", 420},  {"wadt", 480},
    {"cct", 480},   {"jst", 540},  {"east", 600}, {"eadt", 660}, {"gst", 600},   {"nzt", 720},
    {"nzst", 720},  {"nzdt", 780}, {"idle", 720},
};

}  // namespace

std::optional<int> month_from_word(std::string_view word) {
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (same_nocase(word, kMonths[i])) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

std::optional<int> weekday_from_word(std::string_view word) {
  for (size_t i = 0; i < kWeekdays.size(); ++i) {
    if (same_nocase(word, kWeekdays[i]) || same_nocase(word, kWeekdays[i].substr(0, 3))) {
      return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

std::optional<int> zone_offset_from_word(std::string_view word) {
  for (const Zone &zone : kZones) {
    if (same_nocase(word, zone.name)) return zone.minutes_east;
  }
  return std::nullopt;
}

}  // namespace fetch::misc
