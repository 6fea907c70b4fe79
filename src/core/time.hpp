/// \file Wall-clock time as stored and sent: ISO 8601 UTC with microseconds, fixed width.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace welfare {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::microseconds>;

/// The current time, to the microsecond.
[[nodiscard]] TimePoint Now();
/// "2026-11-22T10:00:00.000000Z": sorts as text in time order, so the database compares it directly.
[[nodiscard]] std::string FormatTime(TimePoint time);
/// Parses the stored form and also "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.ffffff]]" with "Z" or "+hh:mm".
[[nodiscard]] std::optional<TimePoint> ParseTime(std::string_view text);

}  // namespace welfare
