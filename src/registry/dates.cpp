#include "registry/dates.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <tuple>
#include <vector>

namespace welfare::registry {
namespace {

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char character : text) {
    if (character < '0' || character > '9') return false;
  }
  return true;
}

int ToInt(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

std::vector<std::string_view> SplitOn(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::optional<PartialDate> Make(int year, int month, int day) {
  if (year < 1850 || year > 2150) return std::nullopt;
  if (month == 0 && day != 0) return std::nullopt;
  if (month != 0 && (month < 1 || month > 12)) return std::nullopt;
  if (day != 0 && !IsCalendarDate(year, month, day)) return std::nullopt;
  PartialDate date{{}, year, month, day};
  char buffer[16];
  if (day != 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  } else if (month != 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d", year);
  }
  date.text = buffer;
  return date;
}

/// Digits of a full date as "YYYYMMDD", for the transposition test.
std::string Digits(const PartialDate& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", date.year, date.month, date.day);
  return buffer;
}

bool OneTransposition(const std::string& left, const std::string& right) {
  if (left.size() != right.size()) return false;
  std::vector<size_t> differences;
  for (size_t index = 0; index < left.size(); ++index) {
    if (left[index] != right[index]) differences.push_back(index);
  }
  return differences.size() == 2 && differences[1] == differences[0] + 1 &&
         left[differences[0]] == right[differences[1]] && left[differences[1]] == right[differences[0]];
}

}  // namespace

bool IsCalendarDate(int year, int month, int day) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int limit = month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
  return day <= limit;
}

long long DaysFromCivil(int year, int month, int day) {
  // Howard Hinnant's days_from_civil.
  year -= month <= 2 ? 1 : 0;
  const long long era = (year >= 0 ? year : year - 399) / 400;
  const long long year_of_era = year - era * 400;
  const long long day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

std::tuple<int, int, int> CivilFromDays(long long days) {
  // Howard Hinnant's civil_from_days.
  days += 719468;
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const long long day_of_era = days - era * 146097;
  const long long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const long long month_index = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  const int month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  const int year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

std::optional<PartialDate> ParsePartialDate(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.size() == 8 && AllDigits(text))
    return Make(ToInt(text.substr(0, 4)), ToInt(text.substr(4, 2)), ToInt(text.substr(6, 2)));
  if (text.size() == 4 && AllDigits(text)) return Make(ToInt(text), 0, 0);
  const char separator =
      text.find('/') != std::string_view::npos ? '/' : (text.find('.') != std::string_view::npos ? '.' : '-');
  const auto parts = SplitOn(text, separator);
  for (auto part : parts) {
    if (!AllDigits(part) || part.size() > 4) return std::nullopt;
  }
  if (parts.size() == 2 && parts[0].size() == 4) return Make(ToInt(parts[0]), ToInt(parts[1]), 0);
  if (parts.size() == 2 && parts[1].size() == 4) return Make(ToInt(parts[1]), ToInt(parts[0]), 0);
  if (parts.size() != 3) return std::nullopt;
  if (parts[0].size() == 4) return Make(ToInt(parts[0]), ToInt(parts[1]), ToInt(parts[2]));
  if (parts[2].size() == 4) return Make(ToInt(parts[2]), ToInt(parts[1]), ToInt(parts[0]));  // day first
  return std::nullopt;
}

DateAgreement CompareDates(const std::optional<PartialDate>& left, const std::optional<PartialDate>& right) {
  if (!left || !right) return DateAgreement::kMissing;
  if (left->text == right->text) return DateAgreement::kExact;
  const bool both_full = left->day != 0 && right->day != 0;
  if (both_full) {
    const long long gap = std::llabs(DaysFromCivil(left->year, left->month, left->day) -
                                     DaysFromCivil(right->year, right->month, right->day));
    if (gap <= 7) return DateAgreement::kNear;
    if (left->year == right->year && left->month == right->day && left->day == right->month)
      return DateAgreement::kNear;
    if (OneTransposition(Digits(*left), Digits(*right))) return DateAgreement::kNear;
  } else if (left->year == right->year && (left->month == 0 || right->month == 0 || left->month == right->month)) {
    return DateAgreement::kCompatible;
  }
  if (left->year == right->year) return DateAgreement::kSameYear;
  return DateAgreement::kDisagree;
}

std::vector<PartialDate> NearDates(const PartialDate& date) {
  std::vector<PartialDate> near;
  if (date.day == 0) return near;
  std::vector<std::string> seen{date.text};
  auto add = [&](int year, int month, int day) {
    if (!IsCalendarDate(year, month, day)) return;
    auto made = Make(year, month, day);
    if (!made || std::ranges::find(seen, made->text) != seen.end()) return;
    seen.push_back(made->text);
    near.push_back(std::move(*made));
  };
  const long long days = DaysFromCivil(date.year, date.month, date.day);
  for (long long offset = -7; offset <= 7; ++offset) {
    if (offset == 0) continue;
    const auto [year, month, day] = CivilFromDays(days + offset);
    add(year, month, day);
  }
  add(date.year, date.day, date.month);
  std::string digits = Digits(date);
  for (size_t index = 0; index + 1 < digits.size(); ++index) {
    if (digits[index] == digits[index + 1]) continue;
    std::string swapped = digits;
    std::swap(swapped[index], swapped[index + 1]);
    add(std::stoi(swapped.substr(0, 4)), std::stoi(swapped.substr(4, 2)), std::stoi(swapped.substr(6, 2)));
  }
  return near;
}

std::string_view ToString(DateAgreement agreement) {
  switch (agreement) {
  case DateAgreement::kExact:
    return "exact";
  case DateAgreement::kNear:
    return "near";
  case DateAgreement::kCompatible:
    return "compatible";
  case DateAgreement::kSameYear:
    return "same_year";
  case DateAgreement::kDisagree:
    return "disagree";
  case DateAgreement::kMissing:
    return "missing";
  }
  return "missing";
}

}  // namespace welfare::registry
