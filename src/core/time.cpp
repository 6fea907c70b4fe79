#include "core/time.hpp"

#include <charconv>

#include <fmt/format.h>

namespace welfare {
namespace {

bool ReadInt(std::string_view text, size_t pos, size_t len, int& out) {
  if (pos + len > text.size()) return false;
  const char* first = text.data() + pos;
  auto [ptr, ec] = std::from_chars(first, first + len, out);
  return ec == std::errc() && ptr == first + len;
}

}  // namespace

TimePoint Now() { return std::chrono::time_point_cast<std::chrono::microseconds>(Clock::now()); }

std::string FormatTime(TimePoint time) {
  const auto days = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{time - days};
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:06d}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

std::optional<TimePoint> ParseTime(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0;
  if (!ReadInt(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !ReadInt(text, 5, 2, month) ||
      text[7] != '-' || !ReadInt(text, 8, 2, day)) {
    return std::nullopt;
  }
  size_t pos = 10;
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != ' ') return std::nullopt;
    if (!ReadInt(text, pos + 1, 2, hour) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadInt(text, pos + 4, 2, minute)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!ReadInt(text, pos + 1, 2, second)) return std::nullopt;
      pos += 3;
      if (pos < text.size() && text[pos] == '.') {
        size_t digits = 0;
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (digits < 6) micros = micros * 10 + (text[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (; digits < 6; ++digits) micros *= 10;
      }
    }
    if (pos < text.size()) {
      if (text[pos] == 'Z' && pos + 1 == text.size()) {
        pos += 1;
      } else if ((text[pos] == '+' || text[pos] == '-') && text.size() == pos + 6 && text[pos + 3] == ':') {
        int off_h = 0, off_m = 0;
        if (!ReadInt(text, pos + 1, 2, off_h) || !ReadInt(text, pos + 4, 2, off_m)) return std::nullopt;
        offset_minutes = (off_h * 60 + off_m) * (text[pos] == '+' ? 1 : -1);
        pos = text.size();
      } else {
        return std::nullopt;
      }
    }
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return TimePoint{std::chrono::sys_days{ymd}} + std::chrono::hours{hour} +
         std::chrono::minutes{minute - offset_minutes} + std::chrono::seconds{second} +
         std::chrono::microseconds{micros};
}

}  // namespace welfare
