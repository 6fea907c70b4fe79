/// \file SQL of enquiries, intakes, cases, their history, allocations and notes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "cases/case_records.hpp"
#include "db/database.hpp"

namespace welfare::cases {

/// Which cases a list shows.
struct CaseFilter {
  std::optional<long long> worker_id;
  std::vector<long long> unit_ids;  ///< empty: no unit condition
  std::optional<std::string> state;
  std::optional<long long> person_id;
  std::optional<long long> after_id;         ///< keyset: cases with a smaller id (newest first)
  std::optional<std::string> review_before;  ///< open cases whose next review is before this day
  std::optional<std::string> risk_level;
  int limit = 50;
};

/// A service plan version waiting for someone, with its case.
struct PlanWaiting {
  long long plan_id = 0;
  int plan_version = 0;
  std::string state;
  std::string updated_at;
  long long case_id = 0;
  std::string reference;
  std::optional<long long> worker_id;
};

/// Statements of case management.
class CaseStore {
 public:
  explicit CaseStore(db::Dialect dialect) : dialect_(dialect) {}

  long long InsertEnquiry(soci::session& sql, Enquiry& enquiry);
  [[nodiscard]] std::optional<Enquiry> FindEnquiry(soci::session& sql, long long id);
  /// Newest first, at the units given, optionally only open ones.
  [[nodiscard]] std::vector<Enquiry> Enquiries(soci::session& sql, const std::vector<long long>& unit_ids,
                                               bool open_only, std::optional<long long> after_id, int limit);
  /// Saves state, outcome and intake link; false when `expected_version` is not the stored one.
  bool UpdateEnquiry(soci::session& sql, const Enquiry& enquiry, long long expected_version);

  long long InsertIntake(soci::session& sql, Intake& intake);
  [[nodiscard]] std::optional<Intake> FindIntake(soci::session& sql, long long id);
  /// Saves answers, state and outcome; false when `expected_version` is not the stored one.
  bool UpdateIntake(soci::session& sql, const Intake& intake, long long expected_version);

  /// The next case reference PREFIX-YEAR-NNNNNN.
  [[nodiscard]] std::string NextReference(soci::session& sql, const std::string& prefix, int year);
  long long InsertCase(soci::session& sql, Case& record);
  [[nodiscard]] std::optional<Case> FindCase(soci::session& sql, long long id);
  [[nodiscard]] std::vector<Case> Cases(soci::session& sql, const CaseFilter& filter);
  /// Saves everything but the identity; false when `expected_version` is not the stored one.
  bool UpdateCase(soci::session& sql, const Case& record, long long expected_version);

  void InsertEvent(soci::session& sql, CaseEvent& event);
  [[nodiscard]] std::vector<CaseEvent> Events(soci::session& sql, long long case_id);

  /// Ends the current allocation (if any) and starts one for `allocation.worker_id`.
  void Allocate(soci::session& sql, Allocation& allocation);
  /// Ends the case's current allocation, if any.
  void EndAllocation(soci::session& sql, long long case_id, const std::string& now);
  [[nodiscard]] std::vector<Allocation> Allocations(soci::session& sql, long long case_id);
  /// The unit's workers (staff holding cases.write there) with their open cases by service type; the service
  /// weighs them.
  [[nodiscard]] std::vector<CaseloadRow> CaseloadRows(soci::session& sql, long long unit_id);

  long long InsertReferral(soci::session& sql, Referral& referral);
  [[nodiscard]] std::optional<Referral> FindReferral(soci::session& sql, long long id);
  /// Newest first: sent to (`incoming`) or by the units given, optionally in one state.
  [[nodiscard]] std::vector<Referral> Referrals(soci::session& sql, const std::vector<long long>& unit_ids,
                                                bool incoming, std::optional<std::string> state,
                                                std::optional<long long> after_id, int limit);
  bool UpdateReferral(soci::session& sql, const Referral& referral, long long expected_version);
  /// Units that accepted a referral from the case: they may read it.
  [[nodiscard]] std::vector<long long> AcceptingUnits(soci::session& sql, long long case_id);
  /// True when the service type is provided at the unit.
  [[nodiscard]] bool Provides(soci::session& sql, const std::string& service_type, long long unit_id);

  long long InsertAssessment(soci::session& sql, Assessment& assessment);
  [[nodiscard]] std::optional<Assessment> FindAssessment(soci::session& sql, long long id);
  [[nodiscard]] std::vector<Assessment> Assessments(soci::session& sql, long long case_id);
  bool UpdateAssessment(soci::session& sql, const Assessment& assessment, long long expected_version);

  long long InsertPlan(soci::session& sql, ServicePlan& plan);
  [[nodiscard]] std::optional<ServicePlan> FindPlan(soci::session& sql, long long id);
  /// Every version of the case's plan, oldest first.
  [[nodiscard]] std::vector<ServicePlan> Plans(soci::session& sql, long long case_id);
  bool UpdatePlan(soci::session& sql, const ServicePlan& plan, long long expected_version);
  /// Plan versions in `state` on the open cases of the units (or of one worker), oldest first.
  [[nodiscard]] std::vector<PlanWaiting> PlansWaiting(soci::session& sql, const std::string& state,
                                                      const std::vector<long long>& unit_ids,
                                                      std::optional<long long> worker_id, int limit);
  /// The worker's intakes still in draft.
  [[nodiscard]] std::vector<Intake> DraftIntakes(soci::session& sql, long long worker_id, int limit);
  void InsertPlanComment(soci::session& sql, PlanComment& comment);
  [[nodiscard]] std::vector<PlanComment> PlanComments(soci::session& sql, long long case_id);
  /// Active staff holding cases.supervise at any of `unit_ids` (a unit and its ancestors), for alerts.
  [[nodiscard]] std::vector<long long> Supervisors(soci::session& sql, const std::vector<long long>& unit_ids);

  /// Marks the staff member's unread high-risk alerts about the case as read; how many.
  long long AcknowledgeRiskAlerts(soci::session& sql, long long staff_id, long long case_id, const std::string& now);

  long long InsertNote(soci::session& sql, CaseNote& note);
  [[nodiscard]] std::optional<CaseNote> FindNote(soci::session& sql, long long id);
  [[nodiscard]] std::vector<CaseNote> Notes(soci::session& sql, long long case_id);

 private:
  db::Dialect dialect_;
};

}  // namespace welfare::cases
