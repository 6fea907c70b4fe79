/// \file The command-line actions: serve, migrate, seed-demo, create-admin, audit verify,
/// registry import, routes, version.
#pragma once

#include <optional>
#include <string>

#include "app/runtime.hpp"

namespace welfare::app {

/// Options of create-admin.
struct AdminOptions {
  std::string username;
  std::string display_name;
  std::string unit_code = "ORG";
  std::string unit_name_zh = "本機構";
  std::string unit_name_en = "Organisation";
  std::optional<std::string> password;
};

/// Options of registry import.
struct ImportCommandOptions {
  std::string file;
  std::string unit_code;
  bool apply = false;
  bool accept_duplicates = false;
  std::string reason;
  bool skip_registry_check = false;
};

[[nodiscard]] int Serve(const Config& config);
[[nodiscard]] int DetectCommand(const Config& config, double threshold, bool json);
[[nodiscard]] int ImportCommand(const Config& config, const ImportCommandOptions& options, bool json);
[[nodiscard]] int Migrate(const Config& config);
/// Loads the demo units and accounts and, with `clients`, the demo clients of the registry.
[[nodiscard]] int SeedDemoCommand(const Config& config, bool json, bool clients);
[[nodiscard]] int CreateAdmin(const Config& config, const AdminOptions& options);
[[nodiscard]] int AuditVerify(const Config& config);
[[nodiscard]] int PrintRoutes(bool json);
/// Loads the shipped forms and service types (`welfare config load`).
[[nodiscard]] int LoadConfigCommand(const Config& config, bool json);

}  // namespace welfare::app
