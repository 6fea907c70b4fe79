/// \file Importing persons from CSV (migrating an existing system): a dry run that reports every row's
/// problems and the likely duplicates inside the file and against the registry, and an all-or-nothing apply.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "db/database.hpp"
#include "registry/duplicate_store.hpp"
#include "registry/family_store.hpp"
#include "registry/person_service.hpp"

namespace welfare::registry {

/// The columns of an import file, in order (the header row must name them; extra columns are refused).
[[nodiscard]] const std::vector<std::string>& ImportColumns();

/// How to run an import.
struct ImportOptions {
  bool apply = false;                 ///< false: dry run, nothing is saved
  bool accept_duplicates = false;     ///< apply even though likely duplicates were found (they go to the review queue)
  std::optional<std::string> reason;  ///< why duplicates are accepted (required with accept_duplicates)
  bool check_registry = true;         ///< look for duplicates against the registry (each row is searched)
  long long unit_id = 0;              ///< the unit the persons are registered at
  std::optional<long long> import_id;
  std::optional<long long> staff_id;
};

/// Runs imports; used by the background job and the command line.
class ImportService {
 public:
  ImportService(db::Database& database, audit::AuditLog& audit, PersonService& persons)
      : database_(database), audit_(audit), persons_(persons), duplicates_(database.dialect()) {}

  /// Checks (and with `apply`, saves) the CSV text. The report: {rows, valid, errors: [{line, column, code,
  /// message: {zh-Hant, en}}], duplicates_in_file: [{line, other_line, score, reasons}], duplicates_in_registry:
  /// [{line, person_id, score, reasons}], applied, created, households, outcome}.
  [[nodiscard]] Result<boost::json::object> Run(const audit::Actor& actor, const std::string& csv,
                                                const ImportOptions& options,
                                                const std::function<void(long long, long long)>& progress = {});

  /// Stores an uploaded file and queues the job that runs it; returns {import_id, job_id}.
  [[nodiscard]] Result<boost::json::object>
  Upload(const auth::Context& context, const std::string& file_name, const std::string& csv,
         const ImportOptions& options,
         const std::function<long long(soci::session&, const boost::json::object&)>& enqueue);
  /// The stored text of an upload.
  [[nodiscard]] Result<std::string> Content(long long import_id);

 private:
  db::Database& database_;
  audit::AuditLog& audit_;
  PersonService& persons_;
  DuplicateStore duplicates_;
  FamilyStore families_;
};

}  // namespace welfare::registry
