#include "cases/case_store.hpp"

#include <cstdio>
#include <limits>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "db/dialect.hpp"
#include "db/optional.hpp"
#include "db/rows.hpp"

namespace welfare::cases {
namespace {

namespace json = boost::json;
using db::FromNullable;
using db::Nullable;

json::object ParseObject(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return {};
  return std::move(value.as_object());
}

struct EnquiryRow {
  Enquiry enquiry;
  boost::optional<long long> person_id, intake_id;
  boost::optional<std::string> contact_name, contact_phone, service_type, outcome, outcome_note;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(enquiry.id));
    statement.exchange(soci::into(enquiry.unit_id));
    statement.exchange(soci::into(enquiry.received_at));
    statement.exchange(soci::into(enquiry.channel));
    statement.exchange(soci::into(person_id));
    statement.exchange(soci::into(contact_name));
    statement.exchange(soci::into(contact_phone));
    statement.exchange(soci::into(service_type));
    statement.exchange(soci::into(enquiry.summary));
    statement.exchange(soci::into(enquiry.state));
    statement.exchange(soci::into(outcome));
    statement.exchange(soci::into(outcome_note));
    statement.exchange(soci::into(intake_id));
    statement.exchange(soci::into(enquiry.recorded_by));
    statement.exchange(soci::into(enquiry.version));
    statement.exchange(soci::into(enquiry.created_at));
    statement.exchange(soci::into(enquiry.updated_at));
  }
  [[nodiscard]] Enquiry Get() const {
    Enquiry out = enquiry;
    out.person_id = FromNullable(person_id);
    out.contact_name = FromNullable(contact_name);
    out.contact_phone = FromNullable(contact_phone);
    out.service_type = FromNullable(service_type);
    out.outcome = FromNullable(outcome);
    out.outcome_note = FromNullable(outcome_note);
    out.intake_id = FromNullable(intake_id);
    return out;
  }
};

constexpr const char* kEnquiryColumns =
    "SELECT id, unit_id, received_at, channel, person_id, contact_name, contact_phone, service_type, summary, state, "
    "outcome, outcome_note, intake_id, recorded_by, version, created_at, updated_at FROM enquiries";

struct IntakeRow {
  Intake intake;
  std::string answers, computed;
  boost::optional<long long> enquiry_id, worker_id, case_id;
  boost::optional<std::string> interviewed_on, outcome, outcome_note;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(intake.id));
    statement.exchange(soci::into(enquiry_id));
    statement.exchange(soci::into(intake.person_id));
    statement.exchange(soci::into(intake.unit_id));
    statement.exchange(soci::into(intake.service_type));
    statement.exchange(soci::into(intake.form_code));
    statement.exchange(soci::into(intake.form_version));
    statement.exchange(soci::into(answers));
    statement.exchange(soci::into(computed));
    statement.exchange(soci::into(interviewed_on));
    statement.exchange(soci::into(worker_id));
    statement.exchange(soci::into(intake.state));
    statement.exchange(soci::into(outcome));
    statement.exchange(soci::into(outcome_note));
    statement.exchange(soci::into(case_id));
    statement.exchange(soci::into(intake.created_by));
    statement.exchange(soci::into(intake.version));
    statement.exchange(soci::into(intake.created_at));
    statement.exchange(soci::into(intake.updated_at));
  }
  [[nodiscard]] Intake Get() const {
    Intake out = intake;
    out.enquiry_id = FromNullable(enquiry_id);
    out.answers = ParseObject(answers);
    out.computed = ParseObject(computed);
    out.interviewed_on = FromNullable(interviewed_on);
    out.worker_id = FromNullable(worker_id);
    out.outcome = FromNullable(outcome);
    out.outcome_note = FromNullable(outcome_note);
    out.case_id = FromNullable(case_id);
    return out;
  }
};

constexpr const char* kIntakeColumns =
    "SELECT id, enquiry_id, person_id, unit_id, service_type, form_code, form_version, answers, computed, "
    "interviewed_on, worker_id, state, outcome, outcome_note, case_id, created_by, version, created_at, updated_at "
    "FROM intakes";

struct CaseRow {
  Case record;
  boost::optional<long long> worker_id, transferred_from, intake_id;
  boost::optional<std::string> allocated_at, risk_level, next_review_on, closure_reason, closing_summary, closed_at;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(record.id));
    statement.exchange(soci::into(record.reference));
    statement.exchange(soci::into(record.person_id));
    statement.exchange(soci::into(record.unit_id));
    statement.exchange(soci::into(record.service_type));
    statement.exchange(soci::into(record.state));
    statement.exchange(soci::into(worker_id));
    statement.exchange(soci::into(record.opened_at));
    statement.exchange(soci::into(allocated_at));
    statement.exchange(soci::into(risk_level));
    statement.exchange(soci::into(next_review_on));
    statement.exchange(soci::into(closure_reason));
    statement.exchange(soci::into(closing_summary));
    statement.exchange(soci::into(closed_at));
    statement.exchange(soci::into(transferred_from));
    statement.exchange(soci::into(intake_id));
    statement.exchange(soci::into(record.created_by));
    statement.exchange(soci::into(record.version));
    statement.exchange(soci::into(record.created_at));
    statement.exchange(soci::into(record.updated_at));
  }
  [[nodiscard]] Case Get() const {
    Case out = record;
    out.worker_id = FromNullable(worker_id);
    out.allocated_at = FromNullable(allocated_at);
    out.risk_level = FromNullable(risk_level);
    out.next_review_on = FromNullable(next_review_on);
    out.closure_reason = FromNullable(closure_reason);
    out.closing_summary = FromNullable(closing_summary);
    out.closed_at = FromNullable(closed_at);
    out.transferred_from = FromNullable(transferred_from);
    out.intake_id = FromNullable(intake_id);
    return out;
  }
};

constexpr const char* kCaseColumns =
    "SELECT id, reference, person_id, unit_id, service_type, state, worker_id, opened_at, allocated_at, risk_level, "
    "next_review_on, closure_reason, closing_summary, closed_at, transferred_from, intake_id, created_by, version, "
    "created_at, updated_at FROM cases";

struct EventRow {
  CaseEvent event;
  boost::optional<std::string> from_state, to_state, note;
  boost::optional<long long> actor_id;
  std::string data;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(event.id));
    statement.exchange(soci::into(event.case_id));
    statement.exchange(soci::into(event.action));
    statement.exchange(soci::into(from_state));
    statement.exchange(soci::into(to_state));
    statement.exchange(soci::into(actor_id));
    statement.exchange(soci::into(event.at));
    statement.exchange(soci::into(note));
    statement.exchange(soci::into(data));
  }
  [[nodiscard]] CaseEvent Get() const {
    CaseEvent out = event;
    out.from_state = FromNullable(from_state);
    out.to_state = FromNullable(to_state);
    out.actor_id = FromNullable(actor_id);
    out.note = FromNullable(note);
    out.data = ParseObject(data);
    return out;
  }
};

struct AllocationRow {
  Allocation allocation;
  boost::optional<std::string> ended_at, reason;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(allocation.id));
    statement.exchange(soci::into(allocation.case_id));
    statement.exchange(soci::into(allocation.worker_id));
    statement.exchange(soci::into(allocation.allocated_by));
    statement.exchange(soci::into(allocation.allocated_at));
    statement.exchange(soci::into(ended_at));
    statement.exchange(soci::into(reason));
  }
  [[nodiscard]] Allocation Get() const {
    Allocation out = allocation;
    out.ended_at = FromNullable(ended_at);
    out.reason = FromNullable(reason);
    return out;
  }
};

struct NoteRow {
  CaseNote note;
  std::string participants;
  int sensitive = 0;
  boost::optional<long long> corrects_id;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(note.id));
    statement.exchange(soci::into(note.case_id));
    statement.exchange(soci::into(note.contact_at));
    statement.exchange(soci::into(note.kind));
    statement.exchange(soci::into(participants));
    statement.exchange(soci::into(note.body));
    statement.exchange(soci::into(sensitive));
    statement.exchange(soci::into(corrects_id));
    statement.exchange(soci::into(note.author_id));
    statement.exchange(soci::into(note.created_at));
  }
  [[nodiscard]] CaseNote Get() const {
    CaseNote out = note;
    out.sensitive = sensitive != 0;
    out.corrects_id = FromNullable(corrects_id);
    boost::system::error_code ec;
    json::value list = json::parse(participants, ec);
    if (!ec && list.is_array()) {
      for (const auto& entry : list.as_array()) {
        if (entry.is_string()) out.participants.emplace_back(entry.get_string());
      }
    }
    return out;
  }
};

constexpr const char* kNoteColumns =
    "SELECT id, case_id, contact_at, kind, participants, body, sensitive, corrects_id, author_id, created_at "
    "FROM case_notes";

struct CaseloadSelectRow {
  CaseloadRow row;
  boost::optional<std::string> service_type;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(row.staff_id));
    statement.exchange(soci::into(row.display_name));
    statement.exchange(soci::into(service_type));
    statement.exchange(soci::into(row.cases));
    statement.exchange(soci::into(row.high_risk));
  }
  [[nodiscard]] CaseloadRow Get() const {
    CaseloadRow out = row;
    out.service_type = FromNullable(service_type);
    return out;
  }
};

struct ReferralRow {
  Referral referral;
  boost::optional<long long> case_id, responded_by, accepted_case_id;
  boost::optional<std::string> responded_at, response_note;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(referral.id));
    statement.exchange(soci::into(referral.person_id));
    statement.exchange(soci::into(referral.from_unit_id));
    statement.exchange(soci::into(referral.to_unit_id));
    statement.exchange(soci::into(referral.service_type));
    statement.exchange(soci::into(case_id));
    statement.exchange(soci::into(referral.reason));
    statement.exchange(soci::into(referral.urgency));
    statement.exchange(soci::into(referral.state));
    statement.exchange(soci::into(referral.respond_by));
    statement.exchange(soci::into(referral.sent_by));
    statement.exchange(soci::into(referral.sent_at));
    statement.exchange(soci::into(responded_by));
    statement.exchange(soci::into(responded_at));
    statement.exchange(soci::into(response_note));
    statement.exchange(soci::into(accepted_case_id));
    statement.exchange(soci::into(referral.version));
    statement.exchange(soci::into(referral.created_at));
    statement.exchange(soci::into(referral.updated_at));
  }
  [[nodiscard]] Referral Get() const {
    Referral out = referral;
    out.case_id = FromNullable(case_id);
    out.responded_by = FromNullable(responded_by);
    out.responded_at = FromNullable(responded_at);
    out.response_note = FromNullable(response_note);
    out.accepted_case_id = FromNullable(accepted_case_id);
    return out;
  }
};

constexpr const char* kReferralColumns =
    "SELECT id, person_id, from_unit_id, to_unit_id, service_type, case_id, reason, urgency, state, respond_by, "
    "sent_by, sent_at, responded_by, responded_at, response_note, accepted_case_id, version, created_at, updated_at "
    "FROM referrals";

struct PlanWaitingRow {
  PlanWaiting waiting;
  boost::optional<long long> worker_id;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(waiting.plan_id));
    statement.exchange(soci::into(waiting.plan_version));
    statement.exchange(soci::into(waiting.state));
    statement.exchange(soci::into(waiting.updated_at));
    statement.exchange(soci::into(waiting.case_id));
    statement.exchange(soci::into(waiting.reference));
    statement.exchange(soci::into(worker_id));
  }
  [[nodiscard]] PlanWaiting Get() const {
    PlanWaiting out = waiting;
    out.worker_id = FromNullable(worker_id);
    return out;
  }
};

struct AssessmentRow {
  Assessment assessment;
  std::string answers, computed;
  boost::optional<std::string> risk_level, assessed_on, completed_at;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(assessment.id));
    statement.exchange(soci::into(assessment.case_id));
    statement.exchange(soci::into(assessment.tool));
    statement.exchange(soci::into(assessment.form_version));
    statement.exchange(soci::into(answers));
    statement.exchange(soci::into(computed));
    statement.exchange(soci::into(risk_level));
    statement.exchange(soci::into(assessment.state));
    statement.exchange(soci::into(assessed_on));
    statement.exchange(soci::into(assessment.author_id));
    statement.exchange(soci::into(completed_at));
    statement.exchange(soci::into(assessment.version));
    statement.exchange(soci::into(assessment.created_at));
    statement.exchange(soci::into(assessment.updated_at));
  }
  [[nodiscard]] Assessment Get() const {
    Assessment out = assessment;
    out.answers = ParseObject(answers);
    out.computed = ParseObject(computed);
    out.risk_level = FromNullable(risk_level);
    out.assessed_on = FromNullable(assessed_on);
    out.completed_at = FromNullable(completed_at);
    return out;
  }
};

constexpr const char* kAssessmentColumns =
    "SELECT id, case_id, tool, form_version, answers, computed, risk_level, state, assessed_on, author_id, "
    "completed_at, version, created_at, updated_at FROM assessments";

struct PlanRow {
  ServicePlan plan;
  std::string content;
  boost::optional<std::string> review_on, submitted_at, decided_at;
  boost::optional<long long> decided_by;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(plan.id));
    statement.exchange(soci::into(plan.case_id));
    statement.exchange(soci::into(plan.plan_version));
    statement.exchange(soci::into(plan.state));
    statement.exchange(soci::into(content));
    statement.exchange(soci::into(review_on));
    statement.exchange(soci::into(plan.author_id));
    statement.exchange(soci::into(submitted_at));
    statement.exchange(soci::into(decided_by));
    statement.exchange(soci::into(decided_at));
    statement.exchange(soci::into(plan.version));
    statement.exchange(soci::into(plan.created_at));
    statement.exchange(soci::into(plan.updated_at));
  }
  [[nodiscard]] ServicePlan Get() const {
    ServicePlan out = plan;
    out.content = ParseObject(content);
    out.review_on = FromNullable(review_on);
    out.submitted_at = FromNullable(submitted_at);
    out.decided_by = FromNullable(decided_by);
    out.decided_at = FromNullable(decided_at);
    return out;
  }
};

constexpr const char* kPlanColumns =
    "SELECT id, case_id, plan_version, state, content, review_on, author_id, submitted_at, decided_by, decided_at, "
    "version, created_at, updated_at FROM service_plans";

struct PlanCommentRow {
  PlanComment comment;
  boost::optional<std::string> text;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(comment.id));
    statement.exchange(soci::into(comment.plan_id));
    statement.exchange(soci::into(comment.action));
    statement.exchange(soci::into(text));
    statement.exchange(soci::into(comment.author_id));
    statement.exchange(soci::into(comment.at));
  }
  [[nodiscard]] PlanComment Get() const {
    PlanComment out = comment;
    out.comment = FromNullable(text);
    return out;
  }
};

struct IdRow {
  long long id = 0;
  void Bind(soci::statement& statement) { statement.exchange(soci::into(id)); }
  [[nodiscard]] long long Get() const { return id; }
};

template <class Row>
std::optional<decltype(Row{}.Get())> FindById(soci::session& sql, const char* columns, long long id) {
  auto rows = db::SelectRows<Row>(sql, std::string(columns) + " WHERE id = :id",
                                  [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

/// Runs an UPDATE guarded by the row's version; true when it changed the row.
bool Guarded(soci::statement& update) {
  update.execute(true);
  return update.get_affected_rows() == 1;
}

}  // namespace

long long CaseStore::InsertEnquiry(soci::session& sql, Enquiry& enquiry) {
  const auto person = Nullable(enquiry.person_id);
  const auto name = Nullable(enquiry.contact_name);
  const auto phone = Nullable(enquiry.contact_phone);
  const auto type = Nullable(enquiry.service_type);
  sql << "INSERT INTO enquiries (unit_id, received_at, channel, person_id, contact_name, contact_phone, service_type, "
         "summary, state, recorded_by, version, created_at, updated_at) VALUES (:unit, :received, :channel, :person, "
         ":name, :phone, :type, :summary, :state, :by, 1, :created, :updated) RETURNING id",
      soci::use(enquiry.unit_id), soci::use(enquiry.received_at), soci::use(enquiry.channel), soci::use(person),
      soci::use(name), soci::use(phone), soci::use(type), soci::use(enquiry.summary), soci::use(enquiry.state),
      soci::use(enquiry.recorded_by), soci::use(enquiry.created_at), soci::use(enquiry.updated_at),
      soci::into(enquiry.id);
  return enquiry.id;
}

std::optional<Enquiry> CaseStore::FindEnquiry(soci::session& sql, long long id) {
  return FindById<EnquiryRow>(sql, kEnquiryColumns, id);
}

std::vector<Enquiry> CaseStore::Enquiries(soci::session& sql, const std::vector<long long>& unit_ids, bool open_only,
                                          std::optional<long long> after_id, int limit) {
  if (unit_ids.empty()) return {};
  const long long after = after_id.value_or(std::numeric_limits<long long>::max());
  const std::string ids = db::IdListValue(dialect_, unit_ids);
  return db::SelectRows<EnquiryRow>(
      sql,
      std::string(kEnquiryColumns) + " WHERE " + db::IdListCondition(dialect_, "unit_id", "units") +
          (open_only ? " AND state = 'open'" : "") + " AND id < :after ORDER BY id DESC LIMIT :limit",
      [&](soci::statement& s) {
        s.exchange(soci::use(ids, "units"));
        s.exchange(soci::use(after, "after"));
        s.exchange(soci::use(limit, "limit"));
      });
}

bool CaseStore::UpdateEnquiry(soci::session& sql, const Enquiry& enquiry, long long expected_version) {
  const auto person = Nullable(enquiry.person_id);
  const auto outcome = Nullable(enquiry.outcome);
  const auto note = Nullable(enquiry.outcome_note);
  const auto intake = Nullable(enquiry.intake_id);
  soci::statement update =
      (sql.prepare << "UPDATE enquiries SET person_id = :person, state = :state, outcome = :outcome, "
                      "outcome_note = :note, intake_id = :intake, version = version + 1, updated_at = :now "
                      "WHERE id = :id AND version = :version",
       soci::use(person), soci::use(enquiry.state), soci::use(outcome), soci::use(note), soci::use(intake),
       soci::use(enquiry.updated_at), soci::use(enquiry.id), soci::use(expected_version));
  return Guarded(update);
}

long long CaseStore::InsertIntake(soci::session& sql, Intake& intake) {
  const auto enquiry = Nullable(intake.enquiry_id);
  const auto worker = Nullable(intake.worker_id);
  const auto interviewed = Nullable(intake.interviewed_on);
  const std::string answers = json::serialize(intake.answers);
  const std::string computed = json::serialize(intake.computed);
  sql << "INSERT INTO intakes (enquiry_id, person_id, unit_id, service_type, form_code, form_version, answers, "
         "computed, interviewed_on, worker_id, state, created_by, version, created_at, updated_at) VALUES (:enquiry, "
         ":person, :unit, :type, :form, :form_version, :answers, :computed, :interviewed, :worker, :state, :by, 1, "
         ":created, :updated) RETURNING id",
      soci::use(enquiry), soci::use(intake.person_id), soci::use(intake.unit_id), soci::use(intake.service_type),
      soci::use(intake.form_code), soci::use(intake.form_version), soci::use(answers), soci::use(computed),
      soci::use(interviewed), soci::use(worker), soci::use(intake.state), soci::use(intake.created_by),
      soci::use(intake.created_at), soci::use(intake.updated_at), soci::into(intake.id);
  return intake.id;
}

std::optional<Intake> CaseStore::FindIntake(soci::session& sql, long long id) {
  return FindById<IntakeRow>(sql, kIntakeColumns, id);
}

bool CaseStore::UpdateIntake(soci::session& sql, const Intake& intake, long long expected_version) {
  const auto worker = Nullable(intake.worker_id);
  const auto interviewed = Nullable(intake.interviewed_on);
  const auto outcome = Nullable(intake.outcome);
  const auto note = Nullable(intake.outcome_note);
  const auto case_id = Nullable(intake.case_id);
  const std::string answers = json::serialize(intake.answers);
  const std::string computed = json::serialize(intake.computed);
  soci::statement update =
      (sql.prepare
           << "UPDATE intakes SET answers = :answers, computed = :computed, interviewed_on = :interviewed, "
              "worker_id = :worker, state = :state, outcome = :outcome, outcome_note = :note, case_id = :case_id, "
              "version = version + 1, updated_at = :now WHERE id = :id AND version = :version",
       soci::use(answers), soci::use(computed), soci::use(interviewed), soci::use(worker), soci::use(intake.state),
       soci::use(outcome), soci::use(note), soci::use(case_id), soci::use(intake.updated_at), soci::use(intake.id),
       soci::use(expected_version));
  return Guarded(update);
}

std::string CaseStore::NextReference(soci::session& sql, const std::string& prefix, int year) {
  long long next = 0;
  soci::indicator found = soci::i_null;
  sql << "SELECT next_number FROM case_counters WHERE prefix = :prefix AND year = :year", soci::into(next, found),
      soci::use(prefix), soci::use(year);
  if (!sql.got_data()) {
    next = 1;
    sql << "INSERT INTO case_counters (prefix, year, next_number) VALUES (:prefix, :year, 2)", soci::use(prefix),
        soci::use(year);
  } else {
    sql << "UPDATE case_counters SET next_number = next_number + 1 WHERE prefix = :prefix AND year = :year",
        soci::use(prefix), soci::use(year);
  }
  char number[16];
  std::snprintf(number, sizeof number, "%06lld", next);
  return prefix + "-" + std::to_string(year) + "-" + number;
}

long long CaseStore::InsertCase(soci::session& sql, Case& record) {
  const auto worker = Nullable(record.worker_id);
  const auto allocated = Nullable(record.allocated_at);
  const auto review = Nullable(record.next_review_on);
  const auto from = Nullable(record.transferred_from);
  const auto intake = Nullable(record.intake_id);
  sql << "INSERT INTO cases (reference, person_id, unit_id, service_type, state, worker_id, opened_at, allocated_at, "
         "next_review_on, transferred_from, intake_id, created_by, version, created_at, updated_at) VALUES (:ref, "
         ":person, :unit, :type, :state, :worker, :opened, :allocated, :review, :from, :intake, :by, 1, :created, "
         ":updated) RETURNING id",
      soci::use(record.reference), soci::use(record.person_id), soci::use(record.unit_id),
      soci::use(record.service_type), soci::use(record.state), soci::use(worker), soci::use(record.opened_at),
      soci::use(allocated), soci::use(review), soci::use(from), soci::use(intake), soci::use(record.created_by),
      soci::use(record.created_at), soci::use(record.updated_at), soci::into(record.id);
  return record.id;
}

std::optional<Case> CaseStore::FindCase(soci::session& sql, long long id) {
  return FindById<CaseRow>(sql, kCaseColumns, id);
}

std::vector<Case> CaseStore::Cases(soci::session& sql, const CaseFilter& filter) {
  std::string where = " WHERE id < :after";
  const long long after = filter.after_id.value_or(std::numeric_limits<long long>::max());
  const std::string ids = db::IdListValue(dialect_, filter.unit_ids);
  const long long worker = filter.worker_id.value_or(0);
  const long long person = filter.person_id.value_or(0);
  const std::string state = filter.state.value_or("");
  if (filter.worker_id) where += " AND worker_id = :worker";
  if (!filter.unit_ids.empty()) where += " AND " + db::IdListCondition(dialect_, "unit_id", "units");
  if (filter.state) where += " AND state = :state";
  if (filter.person_id) where += " AND person_id = :person";
  const std::string review_before = filter.review_before.value_or("");
  const std::string risk = filter.risk_level.value_or("");
  if (filter.review_before) {
    where += " AND state IN ('active','closure_requested','transfer_requested') AND next_review_on < :review_before";
  }
  if (filter.risk_level) where += " AND risk_level = :risk AND state NOT IN ('closed','transferred')";
  const int limit = filter.limit;
  return db::SelectRows<CaseRow>(sql, std::string(kCaseColumns) + where + " ORDER BY id DESC LIMIT :limit",
                                 [&](soci::statement& s) {
                                   s.exchange(soci::use(after, "after"));
                                   if (filter.worker_id) s.exchange(soci::use(worker, "worker"));
                                   if (!filter.unit_ids.empty()) s.exchange(soci::use(ids, "units"));
                                   if (filter.state) s.exchange(soci::use(state, "state"));
                                   if (filter.person_id) s.exchange(soci::use(person, "person"));
                                   if (filter.review_before) s.exchange(soci::use(review_before, "review_before"));
                                   if (filter.risk_level) s.exchange(soci::use(risk, "risk"));
                                   s.exchange(soci::use(limit, "limit"));
                                 });
}

bool CaseStore::UpdateCase(soci::session& sql, const Case& record, long long expected_version) {
  const auto worker = Nullable(record.worker_id);
  const auto allocated = Nullable(record.allocated_at);
  const auto risk = Nullable(record.risk_level);
  const auto review = Nullable(record.next_review_on);
  const auto reason = Nullable(record.closure_reason);
  const auto summary = Nullable(record.closing_summary);
  const auto closed = Nullable(record.closed_at);
  soci::statement update =
      (sql.prepare << "UPDATE cases SET state = :state, worker_id = :worker, allocated_at = :allocated, "
                      "risk_level = :risk, next_review_on = :review, closure_reason = :reason, "
                      "closing_summary = :summary, closed_at = :closed, version = version + 1, updated_at = :now "
                      "WHERE id = :id AND version = :version",
       soci::use(record.state), soci::use(worker), soci::use(allocated), soci::use(risk), soci::use(review),
       soci::use(reason), soci::use(summary), soci::use(closed), soci::use(record.updated_at), soci::use(record.id),
       soci::use(expected_version));
  return Guarded(update);
}

void CaseStore::InsertEvent(soci::session& sql, CaseEvent& event) {
  const auto from = Nullable(event.from_state);
  const auto to = Nullable(event.to_state);
  const auto actor = Nullable(event.actor_id);
  const auto note = Nullable(event.note);
  const std::string data = json::serialize(event.data);
  sql << "INSERT INTO case_events (case_id, action, from_state, to_state, actor_id, at, note, data) VALUES (:case_id, "
         ":action, :from_state, :to_state, :actor, :at, :note, :data) RETURNING id",
      soci::use(event.case_id), soci::use(event.action), soci::use(from), soci::use(to), soci::use(actor),
      soci::use(event.at), soci::use(note), soci::use(data), soci::into(event.id);
}

std::vector<CaseEvent> CaseStore::Events(soci::session& sql, long long case_id) {
  return db::SelectRows<EventRow>(
      sql,
      "SELECT id, case_id, action, from_state, to_state, actor_id, at, note, data FROM case_events "
      "WHERE case_id = :case_id ORDER BY id",
      [&](soci::statement& s) { s.exchange(soci::use(case_id, "case_id")); });
}

void CaseStore::EndAllocation(soci::session& sql, long long case_id, const std::string& now) {
  sql << "UPDATE case_allocations SET ended_at = :now WHERE case_id = :case_id AND ended_at IS NULL", soci::use(now),
      soci::use(case_id);
}

void CaseStore::Allocate(soci::session& sql, Allocation& allocation) {
  EndAllocation(sql, allocation.case_id, allocation.allocated_at);
  const auto reason = Nullable(allocation.reason);
  sql << "INSERT INTO case_allocations (case_id, worker_id, allocated_by, allocated_at, reason) VALUES (:case_id, "
         ":worker, :by, :at, :reason) RETURNING id",
      soci::use(allocation.case_id), soci::use(allocation.worker_id), soci::use(allocation.allocated_by),
      soci::use(allocation.allocated_at), soci::use(reason), soci::into(allocation.id);
}

std::vector<Allocation> CaseStore::Allocations(soci::session& sql, long long case_id) {
  return db::SelectRows<AllocationRow>(
      sql,
      "SELECT id, case_id, worker_id, allocated_by, allocated_at, ended_at, reason FROM case_allocations "
      "WHERE case_id = :case_id ORDER BY id",
      [&](soci::statement& s) { s.exchange(soci::use(case_id, "case_id")); });
}

std::vector<CaseloadRow> CaseStore::CaseloadRows(soci::session& sql, long long unit_id) {
  return db::SelectRows<CaseloadSelectRow>(
      sql,
      "SELECT s.id, s.display_name, c.service_type, COUNT(c.id), "
      "COALESCE(SUM(CASE WHEN c.risk_level = 'high' THEN 1 ELSE 0 END), 0) "
      "FROM staff s "
      "LEFT JOIN cases c ON c.worker_id = s.id AND c.state IN ('active','closure_requested','transfer_requested') "
      "WHERE s.status = 'active' AND s.id IN (SELECT ra.staff_id FROM role_assignments ra "
      "JOIN role_permissions rp ON rp.role_code = ra.role_code WHERE ra.unit_id = :unit "
      "AND rp.permission = 'cases.write') "
      "GROUP BY s.id, s.display_name, c.service_type ORDER BY s.display_name, s.id",
      [&](soci::statement& s) { s.exchange(soci::use(unit_id, "unit")); });
}

long long CaseStore::InsertReferral(soci::session& sql, Referral& referral) {
  const auto case_id = Nullable(referral.case_id);
  sql << "INSERT INTO referrals (person_id, from_unit_id, to_unit_id, service_type, case_id, reason, urgency, state, "
         "respond_by, sent_by, sent_at, version, created_at, updated_at) VALUES (:person, :from_unit, :to_unit, "
         ":type, :case_id, :reason, :urgency, :state, :respond_by, :sent_by, :sent_at, 1, :created, :updated) "
         "RETURNING id",
      soci::use(referral.person_id), soci::use(referral.from_unit_id), soci::use(referral.to_unit_id),
      soci::use(referral.service_type), soci::use(case_id), soci::use(referral.reason), soci::use(referral.urgency),
      soci::use(referral.state), soci::use(referral.respond_by), soci::use(referral.sent_by),
      soci::use(referral.sent_at), soci::use(referral.created_at), soci::use(referral.updated_at),
      soci::into(referral.id);
  return referral.id;
}

std::optional<Referral> CaseStore::FindReferral(soci::session& sql, long long id) {
  return FindById<ReferralRow>(sql, kReferralColumns, id);
}

std::vector<Referral> CaseStore::Referrals(soci::session& sql, const std::vector<long long>& unit_ids, bool incoming,
                                           std::optional<std::string> state, std::optional<long long> after_id,
                                           int limit) {
  if (unit_ids.empty()) return {};
  const long long after = after_id.value_or(std::numeric_limits<long long>::max());
  const std::string ids = db::IdListValue(dialect_, unit_ids);
  const std::string state_text = state.value_or("");
  return db::SelectRows<ReferralRow>(
      sql,
      std::string(kReferralColumns) + " WHERE " +
          db::IdListCondition(dialect_, incoming ? "to_unit_id" : "from_unit_id", "units") +
          (state ? " AND state = :state" : "") + " AND id < :after ORDER BY id DESC LIMIT :limit",
      [&](soci::statement& s) {
        s.exchange(soci::use(ids, "units"));
        if (state) s.exchange(soci::use(state_text, "state"));
        s.exchange(soci::use(after, "after"));
        s.exchange(soci::use(limit, "limit"));
      });
}

bool CaseStore::UpdateReferral(soci::session& sql, const Referral& referral, long long expected_version) {
  const auto responded_by = Nullable(referral.responded_by);
  const auto responded_at = Nullable(referral.responded_at);
  const auto note = Nullable(referral.response_note);
  const auto accepted = Nullable(referral.accepted_case_id);
  soci::statement update =
      (sql.prepare << "UPDATE referrals SET state = :state, responded_by = :by, responded_at = :at, "
                      "response_note = :note, accepted_case_id = :accepted, version = version + 1, updated_at = :now "
                      "WHERE id = :id AND version = :version",
       soci::use(referral.state), soci::use(responded_by), soci::use(responded_at), soci::use(note),
       soci::use(accepted), soci::use(referral.updated_at), soci::use(referral.id), soci::use(expected_version));
  return Guarded(update);
}

std::vector<long long> CaseStore::AcceptingUnits(soci::session& sql, long long case_id) {
  return db::SelectRows<IdRow>(
      sql, "SELECT DISTINCT to_unit_id FROM referrals WHERE case_id = :case_id AND state = 'accepted'",
      [&](soci::statement& s) { s.exchange(soci::use(case_id, "case_id")); });
}

bool CaseStore::Provides(soci::session& sql, const std::string& service_type, long long unit_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM service_type_units WHERE service_type = :type AND unit_id = :unit", soci::into(count),
      soci::use(service_type), soci::use(unit_id);
  return count > 0;
}

long long CaseStore::InsertAssessment(soci::session& sql, Assessment& assessment) {
  const std::string answers = json::serialize(assessment.answers);
  const std::string computed = json::serialize(assessment.computed);
  sql << "INSERT INTO assessments (case_id, tool, form_version, answers, computed, state, author_id, version, "
         "created_at, updated_at) VALUES (:case_id, :tool, :form_version, :answers, :computed, :state, :author, 1, "
         ":created, :updated) RETURNING id",
      soci::use(assessment.case_id), soci::use(assessment.tool), soci::use(assessment.form_version), soci::use(answers),
      soci::use(computed), soci::use(assessment.state), soci::use(assessment.author_id),
      soci::use(assessment.created_at), soci::use(assessment.updated_at), soci::into(assessment.id);
  return assessment.id;
}

std::optional<Assessment> CaseStore::FindAssessment(soci::session& sql, long long id) {
  return FindById<AssessmentRow>(sql, kAssessmentColumns, id);
}

std::vector<Assessment> CaseStore::Assessments(soci::session& sql, long long case_id) {
  return db::SelectRows<AssessmentRow>(sql, std::string(kAssessmentColumns) + " WHERE case_id = :case_id ORDER BY id",
                                       [&](soci::statement& s) { s.exchange(soci::use(case_id, "case_id")); });
}

bool CaseStore::UpdateAssessment(soci::session& sql, const Assessment& assessment, long long expected_version) {
  const std::string answers = json::serialize(assessment.answers);
  const std::string computed = json::serialize(assessment.computed);
  const auto risk = Nullable(assessment.risk_level);
  const auto assessed = Nullable(assessment.assessed_on);
  const auto completed = Nullable(assessment.completed_at);
  soci::statement update =
      (sql.prepare << "UPDATE assessments SET answers = :answers, computed = :computed, risk_level = :risk, "
                      "state = :state, assessed_on = :assessed, completed_at = :completed, version = version + 1, "
                      "updated_at = :now WHERE id = :id AND version = :version",
       soci::use(answers), soci::use(computed), soci::use(risk), soci::use(assessment.state), soci::use(assessed),
       soci::use(completed), soci::use(assessment.updated_at), soci::use(assessment.id), soci::use(expected_version));
  return Guarded(update);
}

long long CaseStore::InsertPlan(soci::session& sql, ServicePlan& plan) {
  const std::string content = json::serialize(plan.content);
  const auto review = Nullable(plan.review_on);
  sql << "INSERT INTO service_plans (case_id, plan_version, state, content, review_on, author_id, version, "
         "created_at, updated_at) VALUES (:case_id, :plan_version, :state, :content, :review, :author, 1, :created, "
         ":updated) RETURNING id",
      soci::use(plan.case_id), soci::use(plan.plan_version), soci::use(plan.state), soci::use(content),
      soci::use(review), soci::use(plan.author_id), soci::use(plan.created_at), soci::use(plan.updated_at),
      soci::into(plan.id);
  return plan.id;
}

std::optional<ServicePlan> CaseStore::FindPlan(soci::session& sql, long long id) {
  return FindById<PlanRow>(sql, kPlanColumns, id);
}

std::vector<ServicePlan> CaseStore::Plans(soci::session& sql, long long case_id) {
  return db::SelectRows<PlanRow>(sql, std::string(kPlanColumns) + " WHERE case_id = :case_id ORDER BY plan_version",
                                 [&](soci::statement& s) { s.exchange(soci::use(case_id, "case_id")); });
}

bool CaseStore::UpdatePlan(soci::session& sql, const ServicePlan& plan, long long expected_version) {
  const std::string content = json::serialize(plan.content);
  const auto review = Nullable(plan.review_on);
  const auto submitted = Nullable(plan.submitted_at);
  const auto decided_by = Nullable(plan.decided_by);
  const auto decided_at = Nullable(plan.decided_at);
  soci::statement update =
      (sql.prepare << "UPDATE service_plans SET state = :state, content = :content, review_on = :review, "
                      "submitted_at = :submitted, decided_by = :decided_by, decided_at = :decided_at, "
                      "version = version + 1, updated_at = :now WHERE id = :id AND version = :version",
       soci::use(plan.state), soci::use(content), soci::use(review), soci::use(submitted), soci::use(decided_by),
       soci::use(decided_at), soci::use(plan.updated_at), soci::use(plan.id), soci::use(expected_version));
  return Guarded(update);
}

std::vector<PlanWaiting> CaseStore::PlansWaiting(soci::session& sql, const std::string& state,
                                                 const std::vector<long long>& unit_ids,
                                                 std::optional<long long> worker_id, int limit) {
  const std::string ids = db::IdListValue(dialect_, unit_ids);
  const long long worker = worker_id.value_or(0);
  std::string where = " WHERE p.state = :state AND c.state = 'active'";
  if (worker_id) where += " AND c.worker_id = :worker";
  if (!unit_ids.empty()) where += " AND " + db::IdListCondition(dialect_, "c.unit_id", "units");
  return db::SelectRows<PlanWaitingRow>(
      sql,
      "SELECT p.id, p.plan_version, p.state, p.updated_at, c.id, c.reference, c.worker_id FROM service_plans p "
      "JOIN cases c ON c.id = p.case_id" +
          where + " ORDER BY p.updated_at LIMIT :limit",
      [&](soci::statement& s) {
        s.exchange(soci::use(state, "state"));
        if (worker_id) s.exchange(soci::use(worker, "worker"));
        if (!unit_ids.empty()) s.exchange(soci::use(ids, "units"));
        s.exchange(soci::use(limit, "limit"));
      });
}

std::vector<Intake> CaseStore::DraftIntakes(soci::session& sql, long long worker_id, int limit) {
  return db::SelectRows<IntakeRow>(
      sql, std::string(kIntakeColumns) + " WHERE worker_id = :worker AND state = 'draft' ORDER BY id LIMIT :limit",
      [&](soci::statement& s) {
        s.exchange(soci::use(worker_id, "worker"));
        s.exchange(soci::use(limit, "limit"));
      });
}

void CaseStore::InsertPlanComment(soci::session& sql, PlanComment& comment) {
  const auto text = Nullable(comment.comment);
  sql << "INSERT INTO plan_comments (plan_id, action, comment, author_id, at) VALUES (:plan, :action, :comment, "
         ":author, :at) RETURNING id",
      soci::use(comment.plan_id), soci::use(comment.action), soci::use(text), soci::use(comment.author_id),
      soci::use(comment.at), soci::into(comment.id);
}

std::vector<PlanComment> CaseStore::PlanComments(soci::session& sql, long long case_id) {
  return db::SelectRows<PlanCommentRow>(
      sql,
      "SELECT pc.id, pc.plan_id, pc.action, pc.comment, pc.author_id, pc.at FROM plan_comments pc "
      "JOIN service_plans p ON p.id = pc.plan_id WHERE p.case_id = :case_id ORDER BY pc.id",
      [&](soci::statement& s) { s.exchange(soci::use(case_id, "case_id")); });
}

std::vector<long long> CaseStore::Supervisors(soci::session& sql, const std::vector<long long>& unit_ids) {
  if (unit_ids.empty()) return {};
  const std::string ids = db::IdListValue(dialect_, unit_ids);
  return db::SelectRows<IdRow>(sql,
                               "SELECT DISTINCT s.id FROM staff s JOIN role_assignments ra ON ra.staff_id = s.id "
                               "JOIN role_permissions rp ON rp.role_code = ra.role_code "
                               "WHERE rp.permission = 'cases.supervise' AND s.status = 'active' AND " +
                                   db::IdListCondition(dialect_, "ra.unit_id", "units") + " ORDER BY s.id",
                               [&](soci::statement& s) { s.exchange(soci::use(ids, "units")); });
}

long long CaseStore::AcknowledgeRiskAlerts(soci::session& sql, long long staff_id, long long case_id,
                                           const std::string& now) {
  const std::string record_id = std::to_string(case_id);
  soci::statement update =
      (sql.prepare << "UPDATE alerts SET read_at = :now WHERE staff_id = :staff AND kind = 'case_high_risk' "
                      "AND record_type = 'case' AND record_id = :record AND read_at IS NULL",
       soci::use(now), soci::use(staff_id), soci::use(record_id));
  update.execute(true);
  return update.get_affected_rows();
}

long long CaseStore::InsertNote(soci::session& sql, CaseNote& note) {
  json::array list;
  for (const auto& participant : note.participants) list.emplace_back(participant);
  const std::string participants = json::serialize(list);
  const int sensitive = note.sensitive ? 1 : 0;
  const auto corrects = Nullable(note.corrects_id);
  sql << "INSERT INTO case_notes (case_id, contact_at, kind, participants, body, sensitive, corrects_id, author_id, "
         "created_at) VALUES (:case_id, :contact, :kind, :participants, :body, :sensitive, :corrects, :author, "
         ":created) RETURNING id",
      soci::use(note.case_id), soci::use(note.contact_at), soci::use(note.kind), soci::use(participants),
      soci::use(note.body), soci::use(sensitive), soci::use(corrects), soci::use(note.author_id),
      soci::use(note.created_at), soci::into(note.id);
  return note.id;
}

std::optional<CaseNote> CaseStore::FindNote(soci::session& sql, long long id) {
  return FindById<NoteRow>(sql, kNoteColumns, id);
}

std::vector<CaseNote> CaseStore::Notes(soci::session& sql, long long case_id) {
  return db::SelectRows<NoteRow>(sql, std::string(kNoteColumns) + " WHERE case_id = :case_id ORDER BY contact_at, id",
                                 [&](soci::statement& s) { s.exchange(soci::use(case_id, "case_id")); });
}

}  // namespace welfare::cases
