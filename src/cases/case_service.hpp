/// \file Use cases of case management from the first contact to an allocated case: enquiries, intakes on the
/// service type's form, cases and their allocation, and case notes. Each checks access at the record's unit, goes
/// through the record kind's state machine, and is audited; starting an intake or opening a case gives the unit
/// the involvement the registry's need-to-know rule reads.
#pragma once

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "cases/case_store.hpp"
#include "cases/catalog.hpp"
#include "db/database.hpp"

namespace welfare::cases {

/// Which cases a list shows: `mine` (allocated to the caller) or `unit` (the units where the caller reads cases).
struct CaseQuery {
  std::string scope = "mine";
  std::optional<std::string> state;
  std::optional<long long> person_id;
  std::optional<long long> after_id;
  int limit = 50;
};

/// Enquiries, intakes, cases, allocation and notes.
class CaseService {
 public:
  CaseService(db::Database& database, audit::AuditLog& audit, Catalog& catalog)
      : database_(database), audit_(audit), catalog_(catalog), store_(database.dialect()) {}

  /// Body {channel, summary, received_at?, unit_id?, person_id?, contact_name?, contact_phone?, service_type?}.
  [[nodiscard]] Result<boost::json::object> RecordEnquiry(const auth::Context& context,
                                                          const boost::json::object& body);
  /// The enquiries of the units where the caller reads cases, newest first.
  [[nodiscard]] Result<boost::json::object> Enquiries(const auth::Context& context, bool open_only,
                                                      std::optional<long long> after_id, int limit);
  [[nodiscard]] Result<boost::json::object> Enquiry(const auth::Context& context, long long id);
  /// Body {outcome: information_given | referred_elsewhere | no_further_action, outcome_note?, version}.
  [[nodiscard]] Result<boost::json::object> RecordEnquiryOutcome(const auth::Context& context, long long id,
                                                                 const boost::json::object& body);

  /// Body {person_id, service_type, enquiry_id?, unit_id?}: a draft on the service type's intake form (latest
  /// version); closes the enquiry with the outcome `intake`.
  [[nodiscard]] Result<boost::json::object> StartIntake(const auth::Context& context, const boost::json::object& body);
  [[nodiscard]] Result<boost::json::object> Intake(const auth::Context& context, long long id);
  /// Body {answers, interviewed_on?, version}: saved as a draft (incomplete answers allowed).
  [[nodiscard]] Result<boost::json::object> SaveIntake(const auth::Context& context, long long id,
                                                       const boost::json::object& body);
  /// Body {answers?, interviewed_on?, outcome: open_case | end, outcome_note?, version}: the answers must be
  /// complete; open_case opens an unallocated case.
  [[nodiscard]] Result<boost::json::object> CompleteIntake(const auth::Context& context, long long id,
                                                           const boost::json::object& body);

  [[nodiscard]] Result<boost::json::object> Cases(const auth::Context& context, const CaseQuery& query);
  /// The case with its history, allocations and the actions open to the caller.
  [[nodiscard]] Result<boost::json::object> Case(const auth::Context& context, long long id);
  /// Body {worker_id, reason?, version}: allocates an unallocated case or reallocates an active one.
  [[nodiscard]] Result<boost::json::object> Allocate(const auth::Context& context, long long id,
                                                     const boost::json::object& body);
  /// The workers of a unit with their weighted caseloads, for allocation (needs cases.supervise there).
  [[nodiscard]] Result<boost::json::object> Caseloads(const auth::Context& context, long long unit_id);

  /// The case's notes; sensitive ones only for their author, the case worker and the unit's supervisors.
  [[nodiscard]] Result<boost::json::object> Notes(const auth::Context& context, long long case_id);
  /// Body {contact_at, kind, body, participants?, sensitive?, corrects_id?}.
  [[nodiscard]] Result<boost::json::object> AddNote(const auth::Context& context, long long case_id,
                                                    const boost::json::object& body);

 private:
  db::Database& database_;
  audit::AuditLog& audit_;
  Catalog& catalog_;
  CaseStore store_;
};

}  // namespace welfare::cases
