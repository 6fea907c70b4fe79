/// \file Everything the department holds on one person, as JSON and as a readable PDF, to answer the
/// person's data access request.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "db/database.hpp"
#include "registry/duplicate_store.hpp"
#include "registry/family_store.hpp"
#include "registry/person_service.hpp"

namespace welfare::registry {

/// Data access request exports (permission persons.export); each export is audited.
class ExportService {
 public:
  ExportService(db::Database& database, audit::AuditLog& audit, PersonService& persons)
      : database_(database), audit_(audit), persons_(persons), duplicates_(database.dialect()) {}

  /// The whole record with its service history, family links (other persons by number only), merges and
  /// change history.
  [[nodiscard]] Result<boost::json::object> Json(const auth::Context& context, long long person_id);
  /// The same content as a PDF in the caller's language.
  [[nodiscard]] Result<std::string> Pdf(const auth::Context& context, long long person_id);

 private:
  /// Writes the export to the audit trail (only once it was produced).
  void Record(const auth::Context& context, long long person_id, const std::string& format);
  [[nodiscard]] Result<boost::json::object> Collect(const auth::Context& context, long long person_id,
                                                    const std::string& format);
  db::Database& database_;
  audit::AuditLog& audit_;
  PersonService& persons_;
  DuplicateStore duplicates_;
  FamilyStore families_;
};

}  // namespace welfare::registry
