/// \file The records of case management as the store reads and writes them: enquiries, intakes, cases, their
/// events, allocations and notes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace welfare::cases {

/// A first contact with the department, recorded quickly.
struct Enquiry {
  long long id = 0;
  long long unit_id = 0;
  std::string received_at;
  std::string channel;
  std::optional<long long> person_id;
  std::optional<std::string> contact_name;
  std::optional<std::string> contact_phone;
  std::optional<std::string> service_type;
  std::string summary;
  std::string state = "open";
  std::optional<std::string> outcome;
  std::optional<std::string> outcome_note;
  std::optional<long long> intake_id;
  long long recorded_by = 0;
  long long version = 1;
  std::string created_at;
  std::string updated_at;
};

/// The first interview of a person for a service type, on the service type's intake form.
struct Intake {
  long long id = 0;
  std::optional<long long> enquiry_id;
  long long person_id = 0;
  long long unit_id = 0;
  std::string service_type;
  std::string form_code;
  int form_version = 1;
  boost::json::object answers;
  boost::json::object computed;
  std::optional<std::string> interviewed_on;
  std::optional<long long> worker_id;
  std::string state = "draft";
  std::optional<std::string> outcome;
  std::optional<std::string> outcome_note;
  std::optional<long long> case_id;
  long long created_by = 0;
  long long version = 1;
  std::string created_at;
  std::string updated_at;
};

/// A referral of a person to another unit (of the department or an NGO) for a service type.
struct Referral {
  long long id = 0;
  long long person_id = 0;
  long long from_unit_id = 0;
  long long to_unit_id = 0;
  std::string service_type;
  std::optional<long long> case_id;
  std::string reason;
  std::string urgency = "normal";
  std::string state = "sent";
  std::string respond_by;
  long long sent_by = 0;
  std::string sent_at;
  std::optional<long long> responded_by;
  std::optional<std::string> responded_at;
  std::optional<std::string> response_note;
  std::optional<long long> accepted_case_id;
  long long version = 1;
  std::string created_at;
  std::string updated_at;
};

/// A case: one person served by one unit for one service type.
struct Case {
  long long id = 0;
  std::string reference;
  long long person_id = 0;
  long long unit_id = 0;
  std::string service_type;
  std::string state = "unallocated";
  std::optional<long long> worker_id;
  std::string opened_at;
  std::optional<std::string> allocated_at;
  std::optional<std::string> risk_level;
  std::optional<std::string> next_review_on;
  std::optional<std::string> closure_reason;
  std::optional<std::string> closing_summary;
  std::optional<std::string> closed_at;
  std::optional<long long> transferred_from;
  std::optional<long long> intake_id;
  long long created_by = 0;
  long long version = 1;
  std::string created_at;
  std::string updated_at;
};

/// One step in a case's history.
struct CaseEvent {
  long long id = 0;
  long long case_id = 0;
  std::string action;
  std::optional<std::string> from_state;
  std::optional<std::string> to_state;
  std::optional<long long> actor_id;
  std::string at;
  std::optional<std::string> note;
  boost::json::object data;
};

/// A worker's turn on a case.
struct Allocation {
  long long id = 0;
  long long case_id = 0;
  long long worker_id = 0;
  long long allocated_by = 0;
  std::string allocated_at;
  std::optional<std::string> ended_at;
  std::optional<std::string> reason;
};

/// A dated record of a contact. Never changed: a correction is a new note pointing at the one it corrects.
struct CaseNote {
  long long id = 0;
  long long case_id = 0;
  std::string contact_at;
  std::string kind;
  std::vector<std::string> participants;
  std::string body;
  bool sensitive = false;
  std::optional<long long> corrects_id;
  long long author_id = 0;
  std::string created_at;
};

/// An assessment with one of the service type's tools.
struct Assessment {
  long long id = 0;
  long long case_id = 0;
  std::string tool;
  int form_version = 1;
  boost::json::object answers;
  boost::json::object computed;
  std::optional<std::string> risk_level;
  std::string state = "draft";
  std::optional<std::string> assessed_on;
  long long author_id = 0;
  std::optional<std::string> completed_at;
  long long version = 1;
  std::string created_at;
  std::string updated_at;
};

/// One version of a case's service plan. `content` is {summary?, goals: [{domain, goal, interventions,
/// responsible?, target_date?}]}.
struct ServicePlan {
  long long id = 0;
  long long case_id = 0;
  int plan_version = 1;
  std::string state = "draft";
  boost::json::object content;
  std::optional<std::string> review_on;
  long long author_id = 0;
  std::optional<std::string> submitted_at;
  std::optional<long long> decided_by;
  std::optional<std::string> decided_at;
  long long version = 1;
  std::string created_at;
  std::string updated_at;
};

/// One step of the exchange about a plan (submitted, returned with a comment, approved).
struct PlanComment {
  long long id = 0;
  long long plan_id = 0;
  std::string action;
  std::optional<std::string> comment;
  long long author_id = 0;
  std::string at;
};

/// One worker's open cases of one service type (no service type: the worker has none).
struct CaseloadRow {
  long long staff_id = 0;
  std::string display_name;
  std::optional<std::string> service_type;
  long long cases = 0;
  long long high_risk = 0;
};

/// A worker's current caseload at a unit, for allocation.
struct Caseload {
  long long staff_id = 0;
  std::string display_name;
  long long cases = 0;
  double weighted = 0;
  long long high_risk = 0;
};

}  // namespace welfare::cases
