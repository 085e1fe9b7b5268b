// fetch_getdate: seconds since the epoch for a date string, or -1 (follows curl_getdate(3)).
//
// As the man page describes, a date is a sequence of items separated by whitespace or
// punctuation, in any order:
//   - calendar date: day, three-letter English month and year (2 or 4 digits), e.g.
//     "06 Nov 1994", "06-Nov-94", "Nov-94 6", "1994.Nov.6"; or a pure number YYYYMMDD.
//     A two-digit year above 70 means 19xx, any other two-digit year 20xx.
//   - time of day: HH:MM:SS (HH:MM is accepted too); 00:00:00 when absent.
//   - time zone: a numeric offset +hhmm / -hhmm or an abbreviation (GMT, UTC, CET, EST, ...);
//     UTC when absent.
//   - day of the week, spelled out or abbreviated; it adds nothing and is not checked.
// This covers RFC 1123 ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37
// GMT") and asctime ("Sun Nov  6 08:49:37 1994"). An unknown word, a repeated item or a missing
// day, month or year makes the string invalid. Like libcurl, impossible days such as Feb 30 are
// not always rejected (timegm normalises them). The `unused` argument is ignored.
#include <fetch/fetch.h>

#include <ctime>
#include <optional>
#include <string_view>

#include "misc/date_words.h"

namespace fetch::misc {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t'; }

class DateParser {
 public:
  explicit DateParser(std::string_view text) : s_(text) {}

  std::optional<time_t> parse() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      bool ok = true;
      if (is_alpha(c)) {
        ok = take_word();
      } else if (is_digit(c)) {
        ok = take_number();
      } else if ((c == '+' || c == '-') && take_numeric_zone()) {
        // consumed
      } else {
        ++pos_;  // a separator
      }
      if (!ok) return std::nullopt;
    }
    return assemble();
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
  int year_ = -1;
  int month_ = -1;
  int day_ = -1;
  int hour_ = -1;
  int minute_ = 0;
  int second_ = 0;
  bool weekday_seen_ = false;
  std::optional<int> zone_minutes_;

  // Reads a run of digits (at most `max` of them) as a number; false when there is none.
  bool read_digits(size_t max, int &value, size_t &count) {
    value = 0;
    count = 0;
    while (pos_ < s_.size() && is_digit(s_[pos_])) {
      if (count == max) return false;
      value = value * 10 + (s_[pos_] - '0');
      ++count;
      ++pos_;
    }
    return count > 0;
  }

  bool take_word() {
    size_t start = pos_;
    while (pos_ < s_.size() && is_alpha(s_[pos_])) ++pos_;
    std::string_view word = s_.substr(start, pos_ - start);
    if (auto month = month_from_word(word)) {
      if (month_ != -1) return false;
      month_ = *month;
      return true;
    }
    if (weekday_from_word(word)) {
      if (weekday_seen_) return false;
      weekday_seen_ = true;
      return true;
    }
    if (auto zone = zone_offset_from_word(word)) {
      if (zone_minutes_) return false;
      zone_minutes_ = *zone;
      return true;
    }
    return false;
  }

  // "+hhmm" / "-hhmm": four digits, not part of a longer number. A '-' counts only at the start
  // or after whitespace, so that "06-Nov-1994" keeps its dashes as separators.
  bool take_numeric_zone() {
    if (zone_minutes_) return false;
    if (s_[pos_] == '-' && pos_ > 0 && !is_space(s_[pos_ - 1])) return false;
    size_t p = pos_ + 1;
    size_t n = 0;
    while (p + n < s_.size() && is_digit(s_[p + n])) ++n;
    if (n != 4) return false;
    int hh = (s_[p] - '0') * 10 + (s_[p + 1] - '0');
    int mm = (s_[p + 2] - '0') * 10 + (s_[p + 3] - '0');
    if (hh > 14 || mm > 59) return false;
    int minutes = hh * 60 + mm;
    zone_minutes_ = s_[pos_] == '-' ? -minutes : minutes;
    pos_ = p + 4;
    return true;
  }

  // HH:MM[:SS], starting at a digit run followed by ':'.
  bool take_time() {
    if (hour_ != -1) return false;
    size_t count = 0;
    if (!read_digits(2, hour_, count)) return false;
    ++pos_;  // ':'
    if (!read_digits(2, minute_, count) || count != 2) return false;
    if (pos_ < s_.size() && s_[pos_] == ':') {
      ++pos_;
      if (!read_digits(2, second_, count) || count != 2) return false;
    }
    if (pos_ < s_.size() && (is_digit(s_[pos_]) || s_[pos_] == ':')) return false;
    return hour_ <= 23 && minute_ <= 59 && second_ <= 60;
  }

  bool take_number() {
    size_t start = pos_;
    while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    if (pos_ < s_.size() && s_[pos_] == ':') {
      pos_ = start;
      return take_time();
    }
    size_t count = pos_ - start;
    if (count > 8) return false;
    int value = 0;
    for (size_t i = start; i < pos_; ++i) value = value * 10 + (s_[i] - '0');

    if (count == 8 && year_ == -1 && month_ == -1 && day_ == -1) {  // YYYYMMDD
      year_ = value / 10000;
      month_ = value / 100 % 100;
      day_ = value % 100;
      return month_ >= 1 && month_ <= 12 && day_ >= 1 && day_ <= 31;
    }
    if ((count >= 3 || value > 31) && year_ == -1) {
      year_ = count <= 2 ? two_digit_year(value) : value;
      return true;
    }
    if (day_ == -1 && value >= 1 && value <= 31) {
      day_ = value;
      return true;
    }
    if (year_ == -1 && count <= 2) {
      year_ = two_digit_year(value);
      return true;
    }
    return false;
  }

  static int two_digit_year(int value) { return value > 70 ? 1900 + value : 2000 + value; }

  std::optional<time_t> assemble() const {
    if (year_ == -1 || month_ == -1 || day_ == -1) return std::nullopt;
    std::tm tm{};
    tm.tm_year = year_ - 1900;
    tm.tm_mon = month_ - 1;
    tm.tm_mday = day_;
    tm.tm_hour = hour_ == -1 ? 0 : hour_;
    tm.tm_min = minute_;
    tm.tm_sec = second_;
    time_t t = timegm(&tm);
    return t - static_cast<time_t>(zone_minutes_.value_or(0)) * 60;
  }
};

}  // namespace
}  // namespace fetch::misc

extern "C" {

time_t fetch_getdate(const char *p, const time_t * /*unused*/) {
  if (p == nullptr) return -1;
  std::optional<time_t> t = fetch::misc::DateParser(p).parse();
  return t ? *t : -1;
}

}  // extern "C"
