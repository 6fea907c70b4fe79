/// \file Dates of birth as people record them: full, year and month, year only, or estimated.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace welfare::registry {

/// A date that may be partial: `text` is "YYYY-MM-DD", "YYYY-MM" or "YYYY".
struct PartialDate {
  std::string text;
  int year = 0;
  int month = 0;  ///< 0 when unknown
  int day = 0;    ///< 0 when unknown
};

/// Reads "YYYY-MM-DD", "YYYY/MM/DD", "YYYYMMDD", "DD/MM/YYYY", "DD-MM-YYYY", "YYYY-MM" or "YYYY"
/// (years 1850–2150); nullopt when it is not a real calendar date.
[[nodiscard]] std::optional<PartialDate> ParsePartialDate(std::string_view text);

/// True for a real calendar day.
[[nodiscard]] bool IsCalendarDate(int year, int month, int day);

/// How two dates of birth compare, best first.
enum class DateAgreement {
  kExact,       ///< the same day (or the same partial date)
  kNear,        ///< within 7 days, day and month swapped, or one pair of digits transposed
  kCompatible,  ///< one is partial and the other falls inside it (1980-05 and 1980-05-12)
  kSameYear,
  kDisagree,
  kMissing,
};
[[nodiscard]] DateAgreement CompareDates(const std::optional<PartialDate>& left,
                                         const std::optional<PartialDate>& right);
/// The full dates that are kNear to a full date (within 7 days, day and month swapped, two adjacent digits
/// transposed), itself left out, in no particular order; empty for a partial date.
[[nodiscard]] std::vector<PartialDate> NearDates(const PartialDate& date);
/// The stable name of an agreement level ("exact", "near", …) for API reasons.
[[nodiscard]] std::string_view ToString(DateAgreement agreement);

/// Days since 1970-01-01 of a full date (proleptic Gregorian).
[[nodiscard]] long long DaysFromCivil(int year, int month, int day);
/// The date (year, month, day) of a day count since 1970-01-01; the inverse of DaysFromCivil.
[[nodiscard]] std::tuple<int, int, int> CivilFromDays(long long days);

}  // namespace welfare::registry
