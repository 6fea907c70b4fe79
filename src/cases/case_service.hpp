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
  /// A step of the case's state machine other than allocation: `request_closure` (body {closure_reason,
  /// closing_summary, version}; the reason one of the service type's), `approve_closure` (body {comment?,
  /// version}; ends the unit's involvement), `return_closure` (body {comment, version}), `reopen` (body {reason,
  /// version}; the case is unallocated again, with its history).
  [[nodiscard]] Result<boost::json::object> Step(const auth::Context& context, long long id, const std::string& action,
                                                 const boost::json::object& body);
  /// The workers of a unit with their weighted caseloads, for allocation (needs cases.supervise there).
  [[nodiscard]] Result<boost::json::object> Caseloads(const auth::Context& context, long long unit_id);

  /// The case's assessments, oldest first.
  [[nodiscard]] Result<boost::json::object> Assessments(const auth::Context& context, long long case_id);
  /// Body {tool}: a draft with one of the service type's tools (its latest version), on an active case.
  [[nodiscard]] Result<boost::json::object> StartAssessment(const auth::Context& context, long long case_id,
                                                            const boost::json::object& body);
  /// Body {answers, assessed_on?, version}: saved as a draft.
  [[nodiscard]] Result<boost::json::object> SaveAssessment(const auth::Context& context, long long id,
                                                           const boost::json::object& body);
  /// Body {answers?, assessed_on?, version}: complete answers; locks it. With the service type's risk tool, its
  /// level becomes the case's risk, and an alerting level alerts the unit's supervisors at once.
  [[nodiscard]] Result<boost::json::object> CompleteAssessment(const auth::Context& context, long long id,
                                                               const boost::json::object& body);

  /// Every version of the case's service plan with the exchange about each (submitted, returned, approved).
  [[nodiscard]] Result<boost::json::object> Plans(const auth::Context& context, long long case_id);
  /// Starts the next version as a draft (a copy of the approved one, if any); one version in progress at a time.
  [[nodiscard]] Result<boost::json::object> StartPlan(const auth::Context& context, long long case_id);
  /// Body {content: {summary?, goals: [{domain, goal, interventions?, responsible?, target_date?}]}, review_on?,
  /// version}: saves a draft or a returned version.
  [[nodiscard]] Result<boost::json::object> SavePlan(const auth::Context& context, long long plan_id,
                                                     const boost::json::object& body);
  /// `action` submit (worker), approve or return (supervisor; return needs a comment). Body {comment?, version}.
  /// Approving locks the version and supersedes the one approved before; its review date becomes the case's.
  [[nodiscard]] Result<boost::json::object> DecidePlan(const auth::Context& context, long long plan_id,
                                                       const std::string& action, const boost::json::object& body);

  /// Body {person_id, to_unit_id, service_type, reason, urgency: urgent | high | normal, case_id?, from_unit_id?}:
  /// sent to a unit that provides the service, to be answered within the service type's response days.
  [[nodiscard]] Result<boost::json::object> Refer(const auth::Context& context, const boost::json::object& body);
  /// `box` in (sent to the caller's units) or out (sent by them), newest first, each with `overdue`.
  [[nodiscard]] Result<boost::json::object> Referrals(const auth::Context& context, const std::string& box,
                                                      std::optional<std::string> state,
                                                      std::optional<long long> after_id, int limit);
  [[nodiscard]] Result<boost::json::object> Referral(const auth::Context& context, long long id);
  /// `accept` (opens an unallocated case at the receiving unit; the referring case becomes readable there),
  /// `decline` (body {note: the reason}) or `withdraw` (the sender). Body {note?, version}.
  [[nodiscard]] Result<boost::json::object> AnswerReferral(const auth::Context& context, long long id,
                                                           const std::string& action, const boost::json::object& body);

  /// The caller's work, computed from the records' states and dates (nothing is entered by hand, and doing the
  /// work is what clears it): as a worker, their cases, reviews due within 14 days or overdue, plans returned to
  /// them, drafts, and referrals to answer; as a supervisor (cases.supervise), unallocated cases and how long they
  /// have waited, plans and closures to approve, overdue reviews and referrals, and high-risk cases of the team.
  [[nodiscard]] Result<boost::json::object> Work(const auth::Context& context);

  /// The case's notes; sensitive ones only for their author, the case worker and the unit's supervisors.
  [[nodiscard]] Result<boost::json::object> Notes(const auth::Context& context, long long case_id);
  /// Body {contact_at, kind, body, participants?, sensitive?, corrects_id?}.
  [[nodiscard]] Result<boost::json::object> AddNote(const auth::Context& context, long long case_id,
                                                    const boost::json::object& body);

 private:
  /// Read access to a case: cases.read at its unit, or at a unit that accepted a referral from it.
  [[nodiscard]] Status RequireCaseRead(soci::session& sql, const auth::Context& context, const cases::Case& record);
  /// Opens an unallocated case (reference, history, the unit's involvement with the person).
  cases::Case OpenCase(soci::session& sql, const auth::Context& context, const ServiceType& type, long long person_id,
                       long long unit_id, const boost::json::object& origin, const std::optional<std::string>& note);

  db::Database& database_;
  audit::AuditLog& audit_;
  Catalog& catalog_;
  CaseStore store_;
};

}  // namespace welfare::cases
