#include "db/migrations.hpp"

#include <map>

#include "core/crypto.hpp"
#include "core/time.hpp"

namespace welfare::db {

const std::vector<EmbeddedMigration>& EmbeddedMigrations_sqlite();
const std::vector<EmbeddedMigration>& EmbeddedMigrations_postgresql();

namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "checksum TEXT NOT NULL, applied_at TEXT NOT NULL)";

std::map<int, std::string> AppliedChecksums(Database& database) {
  Database::Lease sql(database);
  *sql << kCreateTable;
  std::map<int, std::string> applied;
  soci::rowset<soci::row> rows = (sql->prepare << "SELECT version, checksum FROM schema_migrations");
  for (const auto& row : rows) applied[row.get<int>(0)] = row.get<std::string>(1);
  return applied;
}

}  // namespace

const std::vector<EmbeddedMigration>& Migrations(Dialect dialect) {
  return dialect == Dialect::kSqlite ? EmbeddedMigrations_sqlite() : EmbeddedMigrations_postgresql();
}

SchemaState InspectSchema(Database& database) {
  SchemaState state;
  const auto applied = AppliedChecksums(database);
  for (const auto& migration : Migrations(database.dialect())) {
    state.latest = std::max(state.latest, migration.version);
    const auto found = applied.find(migration.version);
    if (found == applied.end()) {
      state.pending.emplace_back(migration.name);
    } else {
      state.current = std::max(state.current, migration.version);
      if (found->second != Sha256Hex(migration.sql)) state.altered.emplace_back(migration.name);
    }
  }
  return state;
}

std::vector<std::string> ApplyMigrations(Database& database) {
  const auto applied = AppliedChecksums(database);
  std::vector<std::string> done;
  for (const auto& migration : Migrations(database.dialect())) {
    if (applied.contains(migration.version)) continue;
    Database::Lease sql(database);
    database.Begin(*sql, /*write=*/true);
    try {
      database.ExecuteScript(*sql, migration.sql);
      const std::string checksum = Sha256Hex(migration.sql);
      const std::string name = migration.name;
      const std::string at = FormatTime(Now());
      *sql << "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (:v, :n, :c, :a)",
          soci::use(migration.version), soci::use(name), soci::use(checksum), soci::use(at);
      *sql << "COMMIT";
    } catch (...) {
      *sql << "ROLLBACK";
      throw;
    }
    done.emplace_back(migration.name);
  }
  return done;
}

}  // namespace welfare::db
