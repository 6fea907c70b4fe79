/// \file Wiring: configuration, the database, services and the server, built in dependency order.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "api/api.hpp"

namespace welfare::app {

/// Settings from the command line and environment.
struct Config {
  std::string database_url = "sqlite://var/welfare.db";
  std::string listen = "127.0.0.1";
  unsigned short port = 8080;
  std::string web_root = "web/dist";
  std::string config_dir = "config";  ///< shipped forms and service types, loaded at start when present
  std::string secret_key_file = "var/secret.key";
  size_t threads = 0;  ///< handler threads; 0 = chosen for the database (see WorkerThreads)
  size_t db_pool = 0;  ///< database connections; 0 = the handler threads plus two (jobs, housekeeping)
  bool migrate = false;
  bool production = false;
  bool tls = false;
  bool behind_proxy = false;
  bool quiet = false;
};

/// Handler threads when not set: SQLite work is CPU-bound on a local file, so one per core (at
/// least two); PostgreSQL handlers wait on the network, so four per core (at least eight).
[[nodiscard]] size_t WorkerThreads(const Config& config);
/// Database connections when not set: one per handler thread plus two.
[[nodiscard]] size_t DatabasePoolSize(const Config& config);

/// Every long-lived part of a running system.
class Runtime {
 public:
  /// Opens the database and builds the services; throws with a clear message when it cannot.
  explicit Runtime(const Config& config);
  ~Runtime();

  db::Database& database() { return *database_; }
  audit::AuditLog& audit() { return *audit_; }
  auth::UnitService& units() { return *units_; }
  auth::StaffService& staff() { return *staff_; }
  jobs::JobQueue& jobs() { return *jobs_; }
  registry::PersonService& persons() { return *persons_; }
  registry::ImportService& imports() { return *imports_; }
  cases::Catalog& catalog() { return *catalog_; }
  api::Api& api() { return *api_; }
  http::Metrics& metrics() { return metrics_; }
  const Config& config() const { return config_; }

 private:
  Config config_;
  std::unique_ptr<db::Database> database_;
  SecretKey key_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<auth::UnitService> units_;
  std::unique_ptr<auth::StaffService> staff_;
  std::unique_ptr<auth::SessionService> sessions_;
  std::unique_ptr<auth::TokenService> tokens_;
  std::unique_ptr<jobs::JobQueue> jobs_;
  std::unique_ptr<registry::PersonService> persons_;
  std::unique_ptr<registry::MergeService> merges_;
  std::unique_ptr<registry::FamilyService> families_;
  std::unique_ptr<registry::ImportService> imports_;
  std::unique_ptr<registry::ExportService> exports_;
  std::unique_ptr<cases::Catalog> catalog_;
  std::unique_ptr<cases::CaseService> cases_;
  http::Metrics metrics_;
  std::unique_ptr<http::StaticFiles> static_files_;
  std::unique_ptr<api::Services> services_;
  std::unique_ptr<api::Api> api_;
};

/// The actor recorded for command-line actions.
[[nodiscard]] audit::Actor CommandLineActor(const std::string& command);

}  // namespace welfare::app
