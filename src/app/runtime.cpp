#include "app/runtime.hpp"

#include <unistd.h>

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "core/log.hpp"
#include "registry/detection.hpp"

namespace welfare::app {

size_t WorkerThreads(const Config& config) {
  if (config.threads > 0) return config.threads;
  // PostgreSQL handlers wait on round trips, so there are more of them than cores. SQLite's work is in the process:
  // more handlers than cores only time-slice it (measured at 5,000,000 persons, 4 clients on 2 cores: search p99
  // 18–20 ms with 2 handlers, 40 with 4, 48 with 8; registration p99 29 ms with 2, 87 ms with 2 more handlers for
  // writes); commits no longer checkpoint in the handler (CheckpointLoop), and writers share commits (Database).
  const size_t cores = std::max<size_t>(1, std::thread::hardware_concurrency());
  const bool postgresql = config.database_url.starts_with("postgres");
  return postgresql ? std::max<size_t>(8, 4 * cores) : std::max<size_t>(2, cores);
}

size_t DatabasePoolSize(const Config& config) {
  return config.db_pool > 0 ? config.db_pool : WorkerThreads(config) + 2;
}

Runtime::Runtime(const Config& config) : config_(config), key_(SecretKey::LoadOrCreate(config.secret_key_file)) {
  auto location = db::ParseDatabaseUrl(config.database_url);
  if (!location) throw std::runtime_error(location.error().internal);
  try {
    database_ = std::make_unique<db::Database>(*location, DatabasePoolSize(config));
  } catch (const std::exception& error) {
    throw std::runtime_error(fmt::format("cannot open the database {}: {}", location->display, error.what()));
  }
  audit_ = std::make_unique<audit::AuditLog>(*database_);
  units_ = std::make_unique<auth::UnitService>(*database_, *audit_);
  staff_ = std::make_unique<auth::StaffService>(*database_, *audit_, key_);
  sessions_ = std::make_unique<auth::SessionService>(*database_, *audit_, key_);
  tokens_ = std::make_unique<auth::TokenService>(*database_, *audit_, key_);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  jobs_ = std::make_unique<jobs::JobQueue>(*database_, fmt::format("{}:{}", host, getpid()));
  jobs_->Register(
      "audit.verify", [this](jobs::JobContext& context, const boost::json::object&) -> Result<boost::json::object> {
        const auto verification =
            audit_->Verify([&](long long done, long long total) { context.Progress(done, total); });
        boost::json::object result{{"ok", verification.ok}, {"entries_checked", verification.entries_checked}};
        if (!verification.ok) {
          result["first_broken_id"] = *verification.first_broken_id;
          result["problem"] = verification.problem;
        }
        return result;
      });
  jobs_->SetHousekeeping(
      [this] {
        if (const long long purged = sessions_->PurgeExpired(); purged > 0) {
          Log(LogLevel::kInfo, "expired sessions purged", {{"count", purged}});
        }
      },
      std::chrono::minutes(15));
  persons_ = std::make_unique<registry::PersonService>(*database_, *audit_, key_, *units_);
  merges_ = std::make_unique<registry::MergeService>(*database_, *audit_, *persons_);
  families_ = std::make_unique<registry::FamilyService>(*database_, *audit_, *persons_);
  imports_ = std::make_unique<registry::ImportService>(*database_, *audit_, *persons_);
  exports_ = std::make_unique<registry::ExportService>(*database_, *audit_, *persons_);
  catalog_ = std::make_unique<cases::Catalog>(*database_, *audit_);
  cases_ = std::make_unique<cases::CaseService>(*database_, *audit_, *catalog_);
  jobs_->Register("registry.detect_duplicates",
                  [this](jobs::JobContext& context, const boost::json::object& payload) -> Result<boost::json::object> {
                    registry::LinkageOptions options;
                    if (const auto* threshold = payload.if_contains("threshold")) {
                      options.threshold_probability = threshold->to_number<double>();
                    }
                    audit::Actor actor = CommandLineActor("detect-duplicates");
                    if (const auto* staff = payload.if_contains("staff_id")) {
                      actor.user_id = staff->to_number<long long>();
                      actor.username = "job:detect-duplicates";
                    }
                    return registry::DetectDuplicates(
                        *database_, *audit_, actor, options, context.id(),
                        [&](long long done, long long total) { context.Progress(done, total); });
                  });
  jobs_->Register("registry.import",
                  [this](jobs::JobContext& context, const boost::json::object& payload) -> Result<boost::json::object> {
                    const long long import_id = payload.at("import_id").to_number<long long>();
                    auto content = imports_->Content(import_id);
                    if (!content) return Fail(content.error());
                    registry::ImportOptions options;
                    options.import_id = import_id;
                    options.apply = payload.at("apply").as_bool();
                    options.accept_duplicates = payload.at("accept_duplicates").as_bool();
                    if (payload.at("reason").is_string())
                      options.reason = std::string(payload.at("reason").as_string());
                    options.unit_id = payload.at("unit_id").to_number<long long>();
                    audit::Actor actor = CommandLineActor("import");
                    if (const auto* staff = payload.if_contains("staff_id")) {
                      options.staff_id = staff->to_number<long long>();
                      actor.user_id = options.staff_id;
                      actor.username = "job:import";
                    }
                    actor.unit_id = options.unit_id;
                    return imports_->Run(actor, *content, options,
                                         [&](long long done, long long total) { context.Progress(done, total); });
                  });
  static_files_ = std::make_unique<http::StaticFiles>(config.web_root);
  services_ = std::make_unique<api::Services>(
      api::Services{*database_, *audit_, key_, *units_, *staff_, *sessions_, *tokens_, *jobs_, *persons_, *merges_,
                    *families_, *imports_, *exports_, *catalog_, *cases_, metrics_, *static_files_, config.tls});
  api_ = std::make_unique<api::Api>(*services_);
}

Runtime::~Runtime() = default;

audit::Actor CommandLineActor(const std::string& command) {
  audit::Actor actor;
  actor.username = "system:" + command;
  actor.request_id = "cli-" + RandomToken(6);
  actor.client_ip = "local";
  return actor;
}

}  // namespace welfare::app
