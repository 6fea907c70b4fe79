#include "core/log.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/time.hpp"

namespace welfare {
namespace {

std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger;
  return logger;
}

std::string_view LevelName(LogLevel level) {
  switch (level) {
  case LogLevel::kDebug:
    return "debug";
  case LogLevel::kInfo:
    return "info";
  case LogLevel::kWarn:
    return "warn";
  case LogLevel::kError:
    return "error";
  }
  return "info";
}

}  // namespace

void InitLogging(bool quiet) {
  if (Logger()) return;
  spdlog::init_thread_pool(8192, 1);
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  auto logger = std::make_shared<spdlog::async_logger>("welfare", sink, spdlog::thread_pool(),
                                                       spdlog::async_overflow_policy::block);
  logger->set_pattern("%v");
  logger->set_level(quiet ? spdlog::level::warn : spdlog::level::info);
  logger->flush_on(spdlog::level::warn);
  Logger() = logger;
}

void Log(LogLevel level, std::string_view message, boost::json::object fields) {
  auto& logger = Logger();
  const auto spd_level = level == LogLevel::kError  ? spdlog::level::err
                         : level == LogLevel::kWarn ? spdlog::level::warn
                         : level == LogLevel::kInfo ? spdlog::level::info
                                                    : spdlog::level::debug;
  if (logger && !logger->should_log(spd_level)) return;
  boost::json::object line;
  line["ts"] = FormatTime(Now());
  line["level"] = LevelName(level);
  line["msg"] = message;
  for (auto& member : fields) line[member.key()] = std::move(member.value());
  const std::string text = boost::json::serialize(line);
  if (logger) {
    logger->log(spd_level, text);
  } else {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
}

void FlushLogs() {
  if (Logger()) Logger()->flush();
}

}  // namespace welfare
