// welfare: the OpenWelfare server and its administration commands.
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"

int main(int argc, char** argv) {
  using welfare::app::Config;
  welfare::InitCrypto();
  Config config;
  if (const char* env = std::getenv("WELFARE_ENV"); env != nullptr && std::string_view(env) == "production") {
    config.production = true;
  }

  CLI::App cli{"OpenWelfare — social welfare information system"};
  cli.require_subcommand(1);
  auto add_common = [&](CLI::App* command) {
    command->add_option("--database", config.database_url, "sqlite://path or postgresql://user:pass@host:port/db")
        ->envname("WELFARE_DATABASE")
        ->capture_default_str();
    command
        ->add_option("--secret-key-file", config.secret_key_file, "key that encrypts secrets at rest (made if missing)")
        ->envname("WELFARE_SECRET_KEY_FILE")
        ->capture_default_str();
    command->add_flag("--production", config.production, "production mode: no demo data (or WELFARE_ENV=production)");
    command->add_option("--config-dir", config.config_dir, "shipped forms and service types (loaded when present)")
        ->envname("WELFARE_CONFIG_DIR")
        ->capture_default_str();
  };

  auto* serve = cli.add_subcommand("serve", "Run the HTTP server");
  add_common(serve);
  serve->add_option("--listen", config.listen, "address to listen on")
      ->envname("WELFARE_LISTEN")
      ->capture_default_str();
  serve->add_option("--port", config.port, "port (0 picks a free one)")->envname("WELFARE_PORT")->capture_default_str();
  serve->add_option("--web-root", config.web_root, "the built web console")
      ->envname("WELFARE_WEB_ROOT")
      ->capture_default_str();
  serve
      ->add_option("--threads", config.threads,
                   "handler threads (0: one per core on SQLite, four per core on PostgreSQL)")
      ->envname("WELFARE_THREADS")
      ->capture_default_str();
  serve->add_option("--db-pool", config.db_pool, "database connections")
      ->envname("WELFARE_DB_POOL")
      ->capture_default_str();
  serve->add_flag("--migrate", config.migrate, "apply pending migrations before serving");
  serve->add_flag("--tls", config.tls, "a TLS proxy is in front: mark cookies Secure, send HSTS");
  serve
      ->add_flag("--behind-proxy", config.behind_proxy,
                 "a reverse proxy on this machine sets X-Forwarded-For: take client addresses from it")
      ->envname("WELFARE_BEHIND_PROXY");
  serve->add_flag("--quiet", config.quiet, "log warnings and errors only (no request lines)");

  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  add_common(migrate);

  bool json = false;
  auto* seed = cli.add_subcommand(
      "seed-demo", "Load demo organisations, offices, accounts and, with --clients, clients (idempotent)");
  add_common(seed);
  bool clients = false;
  seed->add_flag("--clients", clients,
                 "also register demo clients: families, a consent to share, likely duplicates for review");
  seed->add_flag("--json", json, "print the demo accounts (and what --clients created) as JSON");

  welfare::app::AdminOptions admin;
  auto* create_admin = cli.add_subcommand("create-admin", "Create a system administrator (with a second factor)");
  add_common(create_admin);
  create_admin->add_option("--username", admin.username, "user name")->required();
  create_admin->add_option("--display-name", admin.display_name, "name shown in the console");
  create_admin->add_option("--unit-code", admin.unit_code, "unit code (a top-level department is made if missing)")
      ->capture_default_str();
  create_admin->add_option("--unit-name-zh", admin.unit_name_zh, "Chinese name of a new top-level unit");
  create_admin->add_option("--unit-name-en", admin.unit_name_en, "English name of a new top-level unit");
  std::string password;
  create_admin->add_option("--password", password, "password (else WELFARE_ADMIN_PASSWORD, else asked)")
      ->envname("WELFARE_ADMIN_PASSWORD");

  auto* audit = cli.add_subcommand("audit", "Audit trail tools");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Recompute the hash chain and report the first broken entry");
  add_common(verify);

  auto* registry = cli.add_subcommand("registry", "Client registry tools");
  registry->require_subcommand(1);
  welfare::app::ImportCommandOptions import_options;
  auto* import = registry->add_subcommand("import", "Check (and with --apply, load) persons from a CSV file");
  add_common(import);
  import->add_option("file", import_options.file, "CSV file in the import format (see docs/api.md)")->required();
  import->add_option("--unit", import_options.unit_code, "code of the unit the persons are registered at")->required();
  import->add_flag("--apply", import_options.apply, "save the persons (all or none); without it, a dry run");
  import->add_flag("--accept-duplicates", import_options.accept_duplicates,
                   "apply although likely duplicates were found (they go to the review queue)");
  import->add_option("--reason", import_options.reason, "why duplicates are accepted");
  import->add_flag("--skip-registry-check", import_options.skip_registry_check,
                   "do not search the registry for each row (first load of an empty registry; run duplicate "
                   "detection afterwards)");
  import->add_flag("--json", json, "print the report as JSON");

  double threshold = 0.9;
  auto* detect = registry->add_subcommand("detect-duplicates",
                                          "Find probable duplicates over the whole registry and queue them for review");
  add_common(detect);
  detect->add_option("--threshold", threshold, "posterior probability a pair needs (0.5–0.999)")
      ->check(CLI::Range(0.5, 0.999));
  detect->add_flag("--json", json, "print the summary as JSON");

  auto* configuration = cli.add_subcommand("config", "Case management configuration");
  configuration->require_subcommand(1);
  auto* load_config = configuration->add_subcommand(
      "load", "Load the forms and service types of --config-dir (a changed file becomes a new version)");
  add_common(load_config);
  load_config->add_flag("--json", json, "print the report as JSON");

  auto* routes = cli.add_subcommand("routes", "List the API routes with their permissions");
  routes->add_flag("--json", json, "as JSON");
  cli.add_subcommand("version", "Print the version");

  CLI11_PARSE(cli, argc, argv);
  try {
    if (cli.got_subcommand("version")) {
      std::cout << "welfare " << WELFARE_VERSION << "\n";
      return 0;
    }
    if (cli.got_subcommand(routes)) return welfare::app::PrintRoutes(json);
    welfare::InitLogging(config.quiet);
    if (cli.got_subcommand(serve)) return welfare::app::Serve(config);
    if (cli.got_subcommand(migrate)) return welfare::app::Migrate(config);
    if (cli.got_subcommand(seed)) return welfare::app::SeedDemoCommand(config, json, clients);
    if (cli.got_subcommand(create_admin)) {
      if (!password.empty()) admin.password = password;
      return welfare::app::CreateAdmin(config, admin);
    }
    if (audit->got_subcommand(verify)) return welfare::app::AuditVerify(config);
    if (registry->got_subcommand(detect)) return welfare::app::DetectCommand(config, threshold, json);
    if (registry->got_subcommand(import)) return welfare::app::ImportCommand(config, import_options, json);
    if (configuration->got_subcommand(load_config)) return welfare::app::LoadConfigCommand(config, json);
  } catch (const std::exception& error) {
    welfare::FlushLogs();
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
