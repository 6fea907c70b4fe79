/// \file The configuration of case management kept in the database: form definitions and service types, each
/// versioned, parsed once and cached. Shipped definitions are loaded from `config/`; administrators may change them
/// through the API, and a later load of the shipped files then leaves their change in place.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "cases/service_type.hpp"
#include "db/database.hpp"
#include "forms/form.hpp"

namespace welfare::cases {

/// Where a stored version came from.
enum class Source { kFile, kApi };

/// A service type with the ids of the units that provide it.
struct ProvidedType {
  ServiceType type;
  std::vector<long long> unit_ids;
};

/// What loading a configuration directory did, one line per definition ("form family_intake: version 2").
struct LoadReport {
  std::vector<std::string> added;
  std::vector<std::string> unchanged;
  std::vector<std::string> kept;      ///< changed through the API since: the file was not applied
  std::vector<std::string> warnings;  ///< units named by a file that do not exist here
};

/// Forms and service types.
class Catalog {
 public:
  Catalog(db::Database& database, audit::AuditLog& audit) : database_(database), audit_(audit) {}

  /// A form: the given version, or the latest. not_found when there is none.
  [[nodiscard]] Result<forms::FormDefinition> Form(const std::string& code, std::optional<int> version = {});
  /// The latest version of every form.
  [[nodiscard]] std::vector<forms::FormDefinition> Forms();
  /// The latest version of a service type.
  [[nodiscard]] Result<ProvidedType> Type(const std::string& code);
  /// The latest version of every service type.
  [[nodiscard]] std::vector<ProvidedType> Types();

  /// Stores a new version of a form from the API (the version in the body is ignored: the next one is taken).
  [[nodiscard]] Result<forms::FormDefinition> SaveForm(const auth::Context& context, const boost::json::value& body);
  /// Stores a new version of a service type from the API; its forms and units must exist.
  [[nodiscard]] Result<ProvidedType> SaveType(const auth::Context& context, const boost::json::value& body);

  /// Loads `dir`/forms/*.json and `dir`/service-types/*.json: a definition whose content differs from the latest
  /// stored version becomes a new version, unless that version came through the API. Every problem of every file
  /// is reported (path and field) and nothing is stored when any file is wrong.
  [[nodiscard]] Result<LoadReport> LoadDirectory(const std::filesystem::path& dir, const audit::Actor& actor);

 private:
  struct Cache;
  /// The cache, loaded from the database on first use and after a change.
  std::shared_ptr<const Cache> Current();
  void Invalidate();

  db::Database& database_;
  audit::AuditLog& audit_;
  std::mutex mutex_;
  std::shared_ptr<const Cache> cache_;
};

}  // namespace welfare::cases
