/// \file Versioned schema migrations, embedded in the binary from db/migrations/<dialect>/NNNN_name.sql.
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace welfare::db {

/// One migration file.
struct EmbeddedMigration {
  int version;
  const char* name;
  const char* sql;
};

/// What the database holds compared with what the binary knows.
struct SchemaState {
  int current = 0;                   ///< highest applied version
  int latest = 0;                    ///< highest version the binary knows
  std::vector<std::string> pending;  ///< names not yet applied
  std::vector<std::string> altered;  ///< applied migrations whose text changed since
};

/// The migrations for a dialect, in order.
[[nodiscard]] const std::vector<EmbeddedMigration>& Migrations(Dialect dialect);
/// Reads the schema_migrations table (absent table = nothing applied).
[[nodiscard]] SchemaState InspectSchema(Database& database);
/// Applies every pending migration, each in its own transaction; returns the names applied.
[[nodiscard]] std::vector<std::string> ApplyMigrations(Database& database);

}  // namespace welfare::db
