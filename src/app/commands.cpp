#include "app/commands.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include <iostream>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "api/problem.hpp"
#include "app/demo_clients.hpp"
#include "app/demo_data.hpp"
#include "auth/password.hpp"
#include "auth/staff_service.hpp"
#include "auth/totp.hpp"
#include "auth/unit_service.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/messages.hpp"
#include "db/migrations.hpp"
#include "http/server.hpp"
#include "registry/detection.hpp"
#include "registry/json_values.hpp"

namespace welfare::app {
namespace {

/// Refuses to go on when the schema is behind, saying what to run.
bool SchemaIsCurrent(Runtime& runtime, bool migrate) {
  if (migrate) {
    for (const auto& name : db::ApplyMigrations(runtime.database())) std::cerr << "applied migration " << name << "\n";
  }
  const auto schema = db::InspectSchema(runtime.database());
  if (!schema.altered.empty()) {
    std::cerr << "error: applied migrations were changed after they ran: " << schema.altered.front()
              << ". Restore the original file; make changes in a new migration.\n";
    return false;
  }
  if (!schema.pending.empty()) {
    std::cerr << fmt::format("error: the database {} needs {} migration(s) (first: {}).\n"
                             "Run `welfare migrate --database {}` or start with `welfare serve --migrate`.\n",
                             runtime.database().location().display, schema.pending.size(), schema.pending.front(),
                             runtime.database().location().display);
    return false;
  }
  return true;
}

/// How LoadShippedConfig reports: to the log (serve), on standard output (config load), or only problems.
enum class ConfigOutput { kLog, kPrint, kPrintJson, kProblemsOnly };

/// Loads the configuration directory when it exists; false (after saying why) when a file is wrong.
bool LoadShippedConfig(Runtime& runtime, const Config& config, const audit::Actor& actor, ConfigOutput output) {
  const bool printing = output == ConfigOutput::kPrint || output == ConfigOutput::kPrintJson;
  if (!std::filesystem::is_directory(config.config_dir)) {
    if (printing) {
      std::cerr << "error: no configuration directory " << config.config_dir << " (see --config-dir)\n";
      return false;
    }
    if (output == ConfigOutput::kLog) {
      Log(LogLevel::kWarn, "no configuration directory", {{"config_dir", config.config_dir}});
    }
    return true;
  }
  auto report = runtime.catalog().LoadDirectory(config.config_dir, actor);
  if (!report) {
    std::cerr << "error: the configuration in " << config.config_dir << " was not loaded:\n";
    for (const auto& field : report.error().fields) {
      std::cerr << "  " << field.field << ": " << FieldMessage(field.code, field.params, Locale::kEn) << " ("
                << field.code << ")\n";
    }
    if (report.error().fields.empty()) std::cerr << "  " << report.error().code << "\n";
    return false;
  }
  if (output == ConfigOutput::kLog) {
    for (const auto& line : report->warnings) Log(LogLevel::kWarn, "configuration", {{"detail", line}});
    Log(LogLevel::kInfo, "configuration loaded",
        {{"config_dir", config.config_dir},
         {"added", report->added.size()},
         {"unchanged", report->unchanged.size()},
         {"kept", report->kept.size()}});
  }
  auto lines = [](const std::vector<std::string>& items) {
    boost::json::array out;
    for (const auto& item : items) out.emplace_back(item);
    return out;
  };
  if (output == ConfigOutput::kPrintJson) {
    std::cout << boost::json::serialize(boost::json::object{{"added", lines(report->added)},
                                                            {"unchanged", lines(report->unchanged)},
                                                            {"kept", lines(report->kept)},
                                                            {"warnings", lines(report->warnings)}})
              << "\n";
  } else if (output == ConfigOutput::kPrint) {
    for (const auto& line : report->added) std::cout << "added     " << line << "\n";
    for (const auto& line : report->kept) std::cout << "kept      " << line << "\n";
    for (const auto& line : report->warnings) std::cout << "warning   " << line << "\n";
    std::cout << fmt::format("{} added, {} unchanged, {} kept as changed through the API\n", report->added.size(),
                             report->unchanged.size(), report->kept.size());
  }
  return true;
}

}  // namespace

int LoadConfigCommand(const Config& config, bool json) {
  Runtime runtime(config);
  if (!SchemaIsCurrent(runtime, false)) return 2;
  return LoadShippedConfig(runtime, config, CommandLineActor("config-load"),
                           json ? ConfigOutput::kPrintJson : ConfigOutput::kPrint)
             ? 0
             : 2;
}

int Serve(const Config& config) {
  Runtime runtime(config);
  if (!SchemaIsCurrent(runtime, config.migrate)) return 2;
  if (!LoadShippedConfig(runtime, config, CommandLineActor("serve"), ConfigOutput::kLog)) return 2;
  runtime.jobs().Start(1);
  http::ServerOptions options;
  options.address = config.listen;
  options.port = config.port;
  options.worker_threads = WorkerThreads(config);
  options.tls = config.tls;
  options.behind_proxy = config.behind_proxy;
  // Static files (in memory) and the liveness check never block: answered on the I/O thread, so
  // they stay quick even when every worker is busy.
  options.handle_inline = [](std::string_view target) { return !api::IsApiPath(target) || target == "/healthz"; };
  http::Server server(
      options, [&](http::Request& request) { return runtime.api().Handle(request); },
      [](std::string_view code, unsigned status, Locale locale) { return api::Problem(code, status, locale); },
      [](const http::Request& request, const http::Response& response, double seconds) {
        Log(LogLevel::kInfo, "request",
            {{"request_id", request.request_id},
             {"user_id", response.user_id ? boost::json::value(*response.user_id) : boost::json::value(nullptr)},
             {"method", std::string(boost::beast::http::to_string(request.method))},
             {"route", response.route},
             {"path", request.path},
             {"status", response.status},
             {"duration_us", static_cast<long long>(seconds * 1e6)},
             {"client_ip", request.client_ip}});
      },
      runtime.metrics());
  server.Bind();
  Log(LogLevel::kInfo, "listening",
      {{"address", config.listen},
       {"port", server.port()},
       {"database", runtime.database().location().display},
       {"web_root", config.web_root},
       {"worker_threads", WorkerThreads(config)},
       {"version", WELFARE_VERSION}});
  FlushLogs();
  server.Run();
  runtime.jobs().Stop();
  Log(LogLevel::kInfo, "stopped");
  FlushLogs();
  return 0;
}

int Migrate(const Config& config) {
  Runtime runtime(config);
  const auto applied = db::ApplyMigrations(runtime.database());
  for (const auto& name : applied) std::cout << "applied " << name << "\n";
  const auto schema = db::InspectSchema(runtime.database());
  std::cout << fmt::format("schema at version {} of {} ({})\n", schema.current, schema.latest,
                           applied.empty() ? "nothing to do" : fmt::format("{} applied", applied.size()));
  return 0;
}

int SeedDemoCommand(const Config& config, bool json, bool clients) {
  if (config.production) {
    std::cerr << "error: demo data is never loaded in production mode (WELFARE_ENV=production or --production).\n";
    return 2;
  }
  Runtime runtime(config);
  if (!SchemaIsCurrent(runtime, true)) return 2;
  const auto accounts = SeedDemo(runtime);
  if (!LoadShippedConfig(runtime, config, CommandLineActor("seed-demo"), ConfigOutput::kProblemsOnly)) return 2;
  const std::optional<DemoClientsSummary> loaded =
      clients ? std::optional<DemoClientsSummary>(SeedDemoClients(runtime)) : std::nullopt;
  if (json) {
    boost::json::array list;
    for (const auto& account : accounts) {
      boost::json::array roles(account.roles.begin(), account.roles.end());
      list.push_back(boost::json::object{{"username", account.username},
                                         {"password", account.password},
                                         {"roles", std::move(roles)},
                                         {"totp_secret", account.totp_secret ? boost::json::value(*account.totp_secret)
                                                                             : boost::json::value(nullptr)}});
    }
    boost::json::object out{{"accounts", std::move(list)}};
    if (loaded) {
      out["clients"] = boost::json::object{{"created", loaded->created},
                                           {"existing", loaded->existing},
                                           {"relationships", loaded->relationships},
                                           {"households", loaded->households},
                                           {"consents", loaded->consents},
                                           {"duplicate_pairs", loaded->duplicate_pairs}};
    }
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  std::cout << "Demo data loaded (for local demonstration only).\n\n";
  std::cout << fmt::format("{:<12} {:<30} {:<18} {}\n", "username", "password", "role",
                           "TOTP secret (add to an authenticator app)");
  for (const auto& account : accounts) {
    std::cout << fmt::format("{:<12} {:<30} {:<18} {}\n", account.username, account.password, account.roles.front(),
                             account.totp_secret.value_or("-"));
  }
  if (!loaded) {
    std::cout << "\nDemo clients are not part of this run; `welfare seed-demo --clients` loads them.\n";
    return 0;
  }
  std::cout << fmt::format("\nDemo clients: {} registered now, {} already there; {} family links, {} households, {} "
                           "consent(s) to share, {} likely duplicate(s) queued for the data steward.\n",
                           loaded->created, loaded->existing, loaded->relationships, loaded->households,
                           loaded->consents, loaded->duplicate_pairs);
  if (loaded->created > 0 || loaded->existing > 0) {
    std::cout << "Try: worker searches 梁偉傑 (own centre) or 吳玉珍 1945-11-08 (another unit: known, contact it); "
                 "clerk searches 林金水; steward opens the duplicates.\n";
  }
  return 0;
}

int CreateAdmin(const Config& config, const AdminOptions& options) {
  Runtime runtime(config);
  if (!SchemaIsCurrent(runtime, false)) return 2;
  std::string password = options.password.value_or("");
  if (password.empty()) {
    std::cerr << "Password for " << options.username << " (at least " << auth::kMinPasswordLength << " characters): ";
    std::getline(std::cin, password);
  }
  FieldErrors errors;
  if (!auth::IsValidUsername(options.username)) errors.Add("username", "invalid_format", {{"hint", "a-z 0-9 . _ -"}});
  auth::CheckPasswordPolicy(password, options.username, "password", errors);
  if (auto valid = errors.Finish(); !valid) {
    for (const auto& field : valid.error().fields) {
      std::cerr << "error: " << field.field << ": " << FieldMessage(field.code, field.params, Locale::kEn) << "\n";
    }
    return 2;
  }
  const std::string secret = auth::NewTotpSecret();
  const audit::Actor actor = CommandLineActor("create-admin");
  auto created = runtime.database().Write<long long>([&](soci::session& sql) -> Result<long long> {
    if (auth::FindStaffId(sql, options.username)) return Fail(Error::Make(Canonical::kAlreadyExists, "already_exists"));
    auto unit = auth::FindUnitByCode(sql, options.unit_code);
    if (!unit) {
      auth::Unit root;
      root.code = options.unit_code;
      root.kind = "department";
      root.name_zh = options.unit_name_zh;
      root.name_en = options.unit_name_en;
      auto made = runtime.units().CreateTrusted(sql, actor, root);
      if (!made) return Fail(made.error());
      unit = *made;
    }
    auth::NewStaff staff;
    staff.username = options.username;
    staff.display_name = options.display_name.empty() ? options.username : options.display_name;
    staff.unit_id = unit->id;
    staff.password = password;
    staff.totp_secret = secret;
    auto id = runtime.staff().CreateTrusted(sql, actor, staff);
    if (!id) return Fail(id.error());
    runtime.staff().GrantTrusted(sql, actor, *id, "system_admin", unit->id);
    return *id;
  });
  if (!created) {
    std::cerr << "error: an account named " << options.username << " already exists.\n";
    return 2;
  }
  std::cout << fmt::format("Created system administrator {} at unit {}.\n", options.username, options.unit_code);
  std::cout << "Second factor (add to an authenticator app now; it is not shown again):\n";
  std::cout << "  secret: " << secret << "\n  uri:    " << auth::TotpUri(secret, options.username) << "\n";
  return 0;
}

int AuditVerify(const Config& config) {
  Runtime runtime(config);
  const auto result = runtime.audit().Verify([](long long done, long long total) {
    std::cerr << fmt::format("\rchecked {} of {} entries", done, total) << std::flush;
  });
  std::cerr << "\n";
  if (result.ok) {
    std::cout << fmt::format("audit trail intact: {} entries verified\n", result.entries_checked);
    return 0;
  }
  std::cout << fmt::format("audit trail BROKEN at entry {}: {}\n", *result.first_broken_id, result.problem);
  return 1;
}

int DetectCommand(const Config& config, double threshold, bool json) {
  Runtime runtime(config);
  registry::LinkageOptions options;
  options.threshold_probability = threshold;
  options.threads = std::max(2U, std::thread::hardware_concurrency());
  auto summary = registry::DetectDuplicates(runtime.database(), runtime.audit(), CommandLineActor("detect-duplicates"),
                                            options, std::nullopt, [](long long done, long long total) {
                                              if (total > 0)
                                                std::cerr << fmt::format("\r{} of {}", done, total) << std::flush;
                                            });
  std::cerr << "\n";
  if (!summary) {
    std::cerr << "error: " << summary.error().code << " " << summary.error().internal << "\n";
    return 1;
  }
  if (json) {
    std::cout << boost::json::serialize(*summary) << "\n";
  } else {
    std::cout << fmt::format(
        "persons {}  comparisons {}  pairs found {}  newly queued {}  ({:.1f} s)\n",
        summary->at("persons").to_number<long long>(), summary->at("comparisons").to_number<long long>(),
        summary->at("pairs_found").to_number<long long>(), summary->at("pairs_queued").to_number<long long>(),
        summary->at("seconds").to_number<double>());
  }
  return 0;
}

int ImportCommand(const Config& config, const ImportCommandOptions& options, bool json) {
  std::ifstream input(options.file, std::ios::binary);
  if (!input) {
    std::cerr << "error: cannot read " << options.file << "\n";
    return 2;
  }
  const std::string content((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
  Runtime runtime(config);
  auto unit =
      runtime.database().Read<std::optional<auth::Unit>>([&](soci::session& sql) -> Result<std::optional<auth::Unit>> {
        return auth::FindUnitByCode(sql, options.unit_code);
      });
  if (!unit || !*unit) {
    std::cerr << "error: no unit with code " << options.unit_code << "\n";
    return 2;
  }
  if (options.accept_duplicates && Utf8Length(options.reason) < registry::kMinimumReason) {
    std::cerr << "error: --accept-duplicates needs --reason with at least " << registry::kMinimumReason
              << " characters\n";
    return 2;
  }
  registry::ImportOptions import;
  import.apply = options.apply;
  import.accept_duplicates = options.accept_duplicates;
  if (!options.reason.empty()) import.reason = options.reason;
  import.check_registry = !options.skip_registry_check;
  import.unit_id = (*unit)->id;
  const auto started = std::chrono::steady_clock::now();
  auto report =
      runtime.imports().Run(CommandLineActor("registry-import"), content, import, [](long long done, long long total) {
        if (total > 0) std::cerr << fmt::format("\r{} of {} steps", done, total) << std::flush;
      });
  std::cerr << "\n";
  if (!report) {
    for (const auto& field : report.error().fields) {
      std::cerr << "error: " << FieldMessage(field.code, field.params, Locale::kEn) << "\n";
    }
    if (report.error().fields.empty()) std::cerr << "error: " << report.error().code << "\n";
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (json) {
    std::cout << boost::json::serialize(*report) << "\n";
  } else {
    std::cout << fmt::format(
        "rows {}  errors {}  likely duplicates {}  outcome {}  created {}  households {}  ({:.1f} s)\n",
        report->at("rows").to_number<long long>(), report->at("error_count").to_number<long long>(),
        report->at("duplicate_count").to_number<long long>(), std::string(report->at("outcome").as_string()),
        report->at("created").to_number<long long>(), report->at("households").to_number<long long>(), seconds);
    for (const auto& error : report->at("errors").as_array()) {
      std::cout << fmt::format("  line {} {}: {}\n", error.at("line").to_number<long long>(),
                               std::string(error.at("column").as_string()),
                               std::string(error.at("message").at("en").as_string()));
    }
  }
  const std::string outcome(report->at("outcome").as_string());
  return outcome == "applied" || outcome == "ready" ? 0 : 1;
}

int PrintRoutes(bool json) {
  api::ApiRouter router;
  api::RegisterRoutes(router);
  boost::json::array list;
  for (const auto& route : router.routes()) {
    const std::string method(boost::beast::http::to_string(route.method));
    const std::string path = api::ApiRouter::OpenApiPath(route.pattern);
    if (json) {
      list.push_back(boost::json::object{{"method", method}, {"path", path}, {"permission", route.permission}});
    } else {
      std::cout << fmt::format("{:<7} {:<50} {}\n", method, path, route.permission);
    }
  }
  if (json) std::cout << boost::json::serialize(list) << "\n";
  return 0;
}

}  // namespace welfare::app
