/// \file Structured logging: one JSON object a line on standard output.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

namespace welfare {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

/// Sets up the process logger (asynchronous, JSON lines). `quiet` drops info and debug lines.
void InitLogging(bool quiet = false);
/// Writes `{"ts", "level", "msg", ...fields}` as one line.
void Log(LogLevel level, std::string_view message, boost::json::object fields = {});
/// Flushes buffered lines (before exit).
void FlushLogs();

}  // namespace welfare
