#include "cases/case_service.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include <boost/json.hpp>

#include "auth/permissions.hpp"
#include "auth/policy.hpp"
#include "cases/workflows.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "forms/form.hpp"
#include "registry/person_store.hpp"

namespace welfare::cases {
namespace {

namespace json = boost::json;
namespace perm = auth::perm;

constexpr std::array kChannels = {"phone", "walk_in", "email", "letter", "other_unit", "online"};
constexpr std::array kEnquiryOutcomes = {"information_given", "referred_elsewhere", "no_further_action"};
constexpr std::array kIntakeOutcomes = {"open_case", "end"};
constexpr std::array kNoteKinds = {"home_visit", "office_interview", "phone", "meeting",
                                   "email",      "supervision",      "other"};

std::string Today() { return FormatTime(Now()).substr(0, 10); }

/// YYYY-MM-DD `days` after `day`.
std::string AddDays(const std::string& day, int days) {
  const std::chrono::year_month_day date{std::chrono::year{std::stoi(day.substr(0, 4))},
                                         std::chrono::month{static_cast<unsigned>(std::stoi(day.substr(5, 2)))},
                                         std::chrono::day{static_cast<unsigned>(std::stoi(day.substr(8, 2)))}};
  const std::chrono::year_month_day later{std::chrono::sys_days{date} + std::chrono::days{days}};
  char text[11];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(later.year()),
                static_cast<unsigned>(later.month()), static_cast<unsigned>(later.day()));
  return text;
}

template <size_t N>
std::string OneOf(JsonReader& reader, std::string_view field, const std::array<const char*, N>& choices) {
  const std::string value = reader.RequiredString(field, 1, 40);
  if (value.empty()) return value;
  if (std::ranges::find_if(choices, [&](const char* choice) { return value == choice; }) == choices.end()) {
    std::string list;
    for (const char* choice : choices) list += (list.empty() ? "" : ", ") + std::string(choice);
    reader.Add(std::string(field), "invalid_choice", {{"choices", list}});
  }
  return value;
}

json::value Nullable(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}
json::value Nullable(const std::optional<long long>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

Error NeedsStaff() {
  return Error::Make(Canonical::kPermissionDenied, "permission_denied", "case work needs a staff member's session");
}

json::object EnquiryJson(const cases::Enquiry& enquiry) {
  return {{"id", enquiry.id},
          {"unit_id", enquiry.unit_id},
          {"received_at", enquiry.received_at},
          {"channel", enquiry.channel},
          {"person_id", Nullable(enquiry.person_id)},
          {"contact_name", Nullable(enquiry.contact_name)},
          {"contact_phone", Nullable(enquiry.contact_phone)},
          {"service_type", Nullable(enquiry.service_type)},
          {"summary", enquiry.summary},
          {"state", enquiry.state},
          {"outcome", Nullable(enquiry.outcome)},
          {"outcome_note", Nullable(enquiry.outcome_note)},
          {"intake_id", Nullable(enquiry.intake_id)},
          {"recorded_by", enquiry.recorded_by},
          {"version", enquiry.version},
          {"created_at", enquiry.created_at},
          {"updated_at", enquiry.updated_at}};
}

json::object IntakeJson(const cases::Intake& intake) {
  return {{"id", intake.id},
          {"enquiry_id", Nullable(intake.enquiry_id)},
          {"person_id", intake.person_id},
          {"unit_id", intake.unit_id},
          {"service_type", intake.service_type},
          {"form_code", intake.form_code},
          {"form_version", intake.form_version},
          {"answers", intake.answers},
          {"computed", intake.computed},
          {"interviewed_on", Nullable(intake.interviewed_on)},
          {"worker_id", Nullable(intake.worker_id)},
          {"state", intake.state},
          {"outcome", Nullable(intake.outcome)},
          {"outcome_note", Nullable(intake.outcome_note)},
          {"case_id", Nullable(intake.case_id)},
          {"version", intake.version},
          {"created_at", intake.created_at},
          {"updated_at", intake.updated_at}};
}

json::object CaseJson(const cases::Case& record) {
  return {{"id", record.id},
          {"reference", record.reference},
          {"person_id", record.person_id},
          {"unit_id", record.unit_id},
          {"service_type", record.service_type},
          {"state", record.state},
          {"worker_id", Nullable(record.worker_id)},
          {"opened_at", record.opened_at},
          {"allocated_at", Nullable(record.allocated_at)},
          {"risk_level", Nullable(record.risk_level)},
          {"next_review_on", Nullable(record.next_review_on)},
          {"closure_reason", Nullable(record.closure_reason)},
          {"closing_summary", Nullable(record.closing_summary)},
          {"closed_at", Nullable(record.closed_at)},
          {"transferred_from", Nullable(record.transferred_from)},
          {"intake_id", Nullable(record.intake_id)},
          {"version", record.version},
          {"created_at", record.created_at},
          {"updated_at", record.updated_at}};
}

json::object NoteJson(const CaseNote& note) {
  json::array participants;
  for (const auto& participant : note.participants) participants.emplace_back(participant);
  return {{"id", note.id},
          {"case_id", note.case_id},
          {"contact_at", note.contact_at},
          {"kind", note.kind},
          {"participants", std::move(participants)},
          {"body", note.body},
          {"sensitive", note.sensitive},
          {"corrects_id", Nullable(note.corrects_id)},
          {"author_id", note.author_id},
          {"created_at", note.created_at}};
}

json::object AssessmentJson(const cases::Assessment& assessment) {
  return {{"id", assessment.id},
          {"case_id", assessment.case_id},
          {"tool", assessment.tool},
          {"form_version", assessment.form_version},
          {"answers", assessment.answers},
          {"computed", assessment.computed},
          {"risk_level", Nullable(assessment.risk_level)},
          {"state", assessment.state},
          {"assessed_on", Nullable(assessment.assessed_on)},
          {"author_id", assessment.author_id},
          {"completed_at", Nullable(assessment.completed_at)},
          {"version", assessment.version},
          {"created_at", assessment.created_at},
          {"updated_at", assessment.updated_at}};
}

json::object PlanJson(const ServicePlan& plan) {
  return {{"id", plan.id},
          {"case_id", plan.case_id},
          {"plan_version", plan.plan_version},
          {"state", plan.state},
          {"content", plan.content},
          {"review_on", Nullable(plan.review_on)},
          {"author_id", plan.author_id},
          {"submitted_at", Nullable(plan.submitted_at)},
          {"decided_by", Nullable(plan.decided_by)},
          {"decided_at", Nullable(plan.decided_at)},
          {"version", plan.version},
          {"created_at", plan.created_at},
          {"updated_at", plan.updated_at}};
}

/// Work on a case's assessments and plan needs it to be active.
Status RequireActiveCase(const cases::Case& record) {
  if (record.state == "active") return {};
  Error error = Error::Make(Canonical::kFailedPrecondition, "invalid_transition", "case not active");
  error.extra = json::object{{"record_kind", "case"}, {"state", record.state}, {"allowed_actions", json::array{}}};
  return Fail(std::move(error));
}

/// A YYYY-MM-DD field; `not_before` refuses earlier days (today for review dates).
std::optional<std::string> DayField(JsonReader& reader, std::string_view field, std::optional<std::string> not_after,
                                    std::optional<std::string> not_before = std::nullopt) {
  auto day = reader.OptionalString(field, 0, 10);
  if (!day || day->empty()) return std::nullopt;
  const bool shaped = day->size() == 10 && day->at(4) == '-' && day->at(7) == '-' &&
                      std::ranges::all_of(*day, [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
  if (!shaped) {
    reader.Add(std::string(field), "invalid_date");
    return std::nullopt;
  }
  if (not_after && *day > *not_after) {
    reader.Add(std::string(field), "in_future");
    return std::nullopt;
  }
  if (not_before && *day < *not_before) {
    reader.Add(std::string(field), "before_start", {{"started_on", *not_before}});
    return std::nullopt;
  }
  return day;
}

/// The person must exist and not have been merged into another record.
Status RequireActivePerson(soci::session& sql, db::Dialect dialect, long long person_id, const std::string& field) {
  auto person = registry::PersonStore(dialect).Find(sql, person_id);
  if (!person) return Fail(Error::Validation({{field, "not_found"}}));
  if (person->status != "active") return Fail(Error::Validation({{field, "record_merged"}}));
  return {};
}

/// Starts the involvement that lets the unit see the person (the registry's need-to-know rule).
void StartInvolvement(soci::session& sql, db::Dialect dialect, long long person_id, long long unit_id,
                      const std::string& reference, const std::string& summary, std::optional<long long> staff_id) {
  registry::Involvement involvement;
  involvement.person_id = person_id;
  involvement.unit_id = unit_id;
  involvement.kind = "case";
  involvement.reference = reference;
  involvement.summary = summary;
  involvement.started_on = Today();
  (void)registry::PersonStore(dialect).InsertInvolvement(sql, involvement, staff_id, FormatTime(Now()));
}

/// Ends the open involvement with `reference` at the unit, if any.
void EndInvolvement(soci::session& sql, db::Dialect dialect, long long person_id, long long unit_id,
                    const std::string& reference) {
  registry::PersonStore store(dialect);
  for (const auto& involvement : store.Involvements(sql, person_id)) {
    if (involvement.unit_id == unit_id && involvement.reference == reference && !involvement.ended_on) {
      store.EndInvolvement(sql, involvement.id, Today(), FormatTime(Now()));
    }
  }
}

std::string IntakeReference(long long id) { return "INTAKE-" + std::to_string(id); }

}  // namespace

// ---- Enquiries ----

Result<json::object> CaseService::RecordEnquiry(const auth::Context& context, const json::object& body) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  JsonReader reader(body);
  reader.RejectUnknown(
      {"channel", "summary", "received_at", "unit_id", "person_id", "contact_name", "contact_phone", "service_type"});
  cases::Enquiry enquiry;
  enquiry.channel = OneOf(reader, "channel", kChannels);
  enquiry.summary = reader.RequiredString("summary", 1, 4000);
  const auto received = reader.OptionalString("received_at", 0, 40);
  enquiry.unit_id = reader.OptionalInt("unit_id").value_or(context.principal.unit_id);
  enquiry.person_id = reader.OptionalInt("person_id");
  enquiry.contact_name = reader.OptionalString("contact_name", 0, 200);
  enquiry.contact_phone = reader.OptionalString("contact_phone", 0, 40);
  enquiry.service_type = reader.OptionalString("service_type", 0, 64);
  const std::string now = FormatTime(Now());
  enquiry.received_at = now;
  if (received && !received->empty()) {
    const auto parsed = ParseTime(*received);
    if (!parsed) {
      reader.Add("received_at", "invalid_format", {{"hint", "2026-11-23T09:30:00Z"}});
    } else if (*parsed > Now()) {
      reader.Add("received_at", "in_future");
    } else {
      enquiry.received_at = FormatTime(*parsed);
    }
  }
  if (!enquiry.person_id && !enquiry.contact_name) reader.Add("contact_name", "required");
  if (enquiry.service_type && enquiry.service_type->empty()) enquiry.service_type.reset();
  if (enquiry.service_type && !catalog_.Type(*enquiry.service_type)) reader.Add("service_type", "not_found");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  enquiry.recorded_by = *context.principal.staff_id;
  enquiry.created_at = enquiry.updated_at = now;
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesWrite, enquiry.unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (enquiry.person_id) {
      if (auto person = RequireActivePerson(sql, database_.dialect(), *enquiry.person_id, "person_id"); !person) {
        return Fail(person.error());
      }
    }
    store_.InsertEnquiry(sql, enquiry);
    audit_.Append(sql, context.actor,
                  {"enquiry.create", "enquiry", std::to_string(enquiry.id),
                   json::object{{"unit_id", enquiry.unit_id},
                                {"channel", enquiry.channel},
                                {"person_id", Nullable(enquiry.person_id)}}});
    return EnquiryJson(enquiry);
  });
}

Result<json::object> CaseService::Enquiries(const auth::Context& context, bool open_only,
                                            std::optional<long long> after_id, int limit) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    const auto units = auth::UnitsInScope(sql, context.principal, perm::kCasesRead);
    auto rows = store_.Enquiries(sql, units, open_only, after_id, limit + 1);
    const bool more = static_cast<int>(rows.size()) > limit;
    if (more) rows.resize(static_cast<size_t>(limit));
    json::array items;
    for (const auto& enquiry : rows) items.push_back(EnquiryJson(enquiry));
    return json::object{{"items", std::move(items)},
                        {"next_cursor", more ? json::value(std::to_string(rows.back().id)) : json::value(nullptr)}};
  });
}

Result<json::object> CaseService::Enquiry(const auth::Context& context, long long id) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto enquiry = store_.FindEnquiry(sql, id);
    if (!enquiry) return Fail(Error::NotFound("enquiry " + std::to_string(id)));
    if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesRead, enquiry->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    return EnquiryJson(*enquiry);
  });
}

Result<json::object> CaseService::RecordEnquiryOutcome(const auth::Context& context, long long id,
                                                       const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"outcome", "outcome_note", "version"});
  const std::string outcome = OneOf(reader, "outcome", kEnquiryOutcomes);
  const auto note = reader.OptionalString("outcome_note", 0, 4000);
  const long long version = reader.RequiredInt("version");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto enquiry = store_.FindEnquiry(sql, id);
    if (!enquiry) return Fail(Error::NotFound("enquiry " + std::to_string(id)));
    auto step = cases::Enquiries().Find(*cases::Enquiries().Parse(enquiry->state), "record_outcome", {});
    if (!step) return Fail(step.error());
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, enquiry->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (enquiry->version != version) return Fail(Error::Conflict(enquiry->version));
    enquiry->state = std::string(cases::Enquiries().Name(step->to));
    enquiry->outcome = outcome;
    enquiry->outcome_note = note;
    enquiry->updated_at = FormatTime(Now());
    if (!store_.UpdateEnquiry(sql, *enquiry, version)) return Fail(Error::Conflict(enquiry->version));
    ++enquiry->version;
    audit_.Append(sql, context.actor,
                  {"enquiry.outcome", "enquiry", std::to_string(id), json::object{{"outcome", outcome}}});
    return EnquiryJson(*enquiry);
  });
}

// ---- Intakes ----

Result<json::object> CaseService::StartIntake(const auth::Context& context, const json::object& body) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  JsonReader reader(body);
  reader.RejectUnknown({"person_id", "service_type", "enquiry_id", "unit_id"});
  cases::Intake intake;
  intake.person_id = reader.RequiredInt("person_id");
  intake.service_type = reader.RequiredString("service_type", 1, 64);
  intake.enquiry_id = reader.OptionalInt("enquiry_id");
  intake.unit_id = reader.OptionalInt("unit_id").value_or(context.principal.unit_id);
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  auto type = catalog_.Type(intake.service_type);
  if (!type) return Fail(Error::Validation({{"service_type", "not_found"}}));
  auto form = catalog_.Form(type->type.intake_form);
  if (!form) return Fail(Error::Internal("service type " + intake.service_type + " names a missing form"));
  intake.form_code = form->code;
  intake.form_version = form->version;
  intake.worker_id = context.principal.staff_id;
  intake.created_by = *context.principal.staff_id;
  intake.created_at = intake.updated_at = FormatTime(Now());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesWrite, intake.unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (std::ranges::find(type->unit_ids, intake.unit_id) == type->unit_ids.end()) {
      return Fail(Error::Validation({{"service_type", "not_provided_here"}}));
    }
    if (auto person = RequireActivePerson(sql, database_.dialect(), intake.person_id, "person_id"); !person) {
      return Fail(person.error());
    }
    std::optional<cases::Enquiry> enquiry;
    if (intake.enquiry_id) {
      enquiry = store_.FindEnquiry(sql, *intake.enquiry_id);
      if (!enquiry || enquiry->unit_id != intake.unit_id) {
        return Fail(Error::Validation({{"enquiry_id", "not_found"}}));
      }
      auto step = cases::Enquiries().Find(*cases::Enquiries().Parse(enquiry->state), "start_intake", {});
      if (!step) return Fail(step.error());
    }
    store_.InsertIntake(sql, intake);
    if (enquiry) {
      const long long version = enquiry->version;
      enquiry->state = "closed";
      enquiry->outcome = "intake";
      enquiry->intake_id = intake.id;
      if (!enquiry->person_id) enquiry->person_id = intake.person_id;
      enquiry->updated_at = intake.created_at;
      if (!store_.UpdateEnquiry(sql, *enquiry, version)) return Fail(Error::Conflict(version));
    }
    StartInvolvement(sql, database_.dialect(), intake.person_id, intake.unit_id, IntakeReference(intake.id),
                     intake.service_type, context.principal.staff_id);
    audit_.Append(sql, context.actor,
                  {"intake.start", "intake", std::to_string(intake.id),
                   json::object{{"person_id", intake.person_id},
                                {"service_type", intake.service_type},
                                {"form", intake.form_code + " v" + std::to_string(intake.form_version)}}});
    return IntakeJson(intake);
  });
}

Result<json::object> CaseService::Intake(const auth::Context& context, long long id) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto intake = store_.FindIntake(sql, id);
    if (!intake) return Fail(Error::NotFound("intake " + std::to_string(id)));
    if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesRead, intake->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    return IntakeJson(*intake);
  });
}

namespace {

/// Reads a body's `answers` and the day in `day_field` (not after today), then checks the answers against the
/// form version they are filled in; `answers` and `computed` become the answers as kept and the computed values.
Status ReadAnswers(JsonReader& reader, const json::object& body, Catalog& catalog, const std::string& form_code,
                   int form_version, std::string_view day_field, std::optional<std::string>& day, json::object& answers,
                   json::object& computed, forms::Completeness completeness) {
  if (const auto* given = body.if_contains("answers")) {
    if (!given->is_object()) {
      reader.Add("answers", "invalid_type", {{"expected", "object"}});
    } else {
      answers = given->as_object();
    }
  }
  if (auto read = DayField(reader, day_field, Today())) day = read;
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  auto form = catalog.Form(form_code, form_version);
  if (!form) return Fail(Error::Internal("form " + form_code + " v" + std::to_string(form_version) + " is missing"));
  auto filled = forms::Fill(*form, answers, completeness, Today(), "answers.");
  if (!filled) return Fail(filled.error());
  answers = std::move(filled->answers);
  computed = std::move(filled->computed);
  return {};
}

}  // namespace

Result<json::object> CaseService::SaveIntake(const auth::Context& context, long long id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"answers", "interviewed_on", "version"});
  const long long version = reader.RequiredInt("version");
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto intake = store_.FindIntake(sql, id);
    if (!intake) return Fail(Error::NotFound("intake " + std::to_string(id)));
    auto step = cases::Intakes().Find(*cases::Intakes().Parse(intake->state), "save", {});
    if (!step) return Fail(step.error());
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, intake->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto read = ReadAnswers(reader, body, catalog_, intake->form_code, intake->form_version, "interviewed_on",
                                intake->interviewed_on, intake->answers, intake->computed, forms::Completeness::kDraft);
        !read) {
      return Fail(read.error());
    }
    if (intake->version != version) return Fail(Error::Conflict(intake->version));
    intake->updated_at = FormatTime(Now());
    if (!store_.UpdateIntake(sql, *intake, version)) return Fail(Error::Conflict(intake->version));
    ++intake->version;
    audit_.Append(sql, context.actor, {"intake.save", "intake", std::to_string(id), std::nullopt});
    return IntakeJson(*intake);
  });
}

Result<json::object> CaseService::CompleteIntake(const auth::Context& context, long long id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"answers", "interviewed_on", "outcome", "outcome_note", "version"});
  const std::string outcome = OneOf(reader, "outcome", kIntakeOutcomes);
  const auto note = reader.OptionalString("outcome_note", 0, 4000);
  const long long version = reader.RequiredInt("version");
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto intake = store_.FindIntake(sql, id);
    if (!intake) return Fail(Error::NotFound("intake " + std::to_string(id)));
    auto step = cases::Intakes().Find(*cases::Intakes().Parse(intake->state), "complete", {});
    if (!step) return Fail(step.error());
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, intake->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto read =
            ReadAnswers(reader, body, catalog_, intake->form_code, intake->form_version, "interviewed_on",
                        intake->interviewed_on, intake->answers, intake->computed, forms::Completeness::kComplete);
        !read) {
      return Fail(read.error());
    }
    if (intake->version != version) return Fail(Error::Conflict(intake->version));
    const std::string now = FormatTime(Now());
    intake->state = std::string(cases::Intakes().Name(step->to));
    intake->outcome = outcome;
    intake->outcome_note = note;
    intake->updated_at = now;
    EndInvolvement(sql, database_.dialect(), intake->person_id, intake->unit_id, IntakeReference(id));
    if (outcome == "open_case") {
      auto type = catalog_.Type(intake->service_type);
      if (!type) return Fail(Error::Internal("service type " + intake->service_type + " is missing"));
      const cases::Case record = OpenCase(sql, context, type->type, intake->person_id, intake->unit_id,
                                          json::object{{"intake_id", intake->id}}, note);
      intake->case_id = record.id;
    }
    if (!store_.UpdateIntake(sql, *intake, version)) return Fail(Error::Conflict(intake->version));
    ++intake->version;
    audit_.Append(sql, context.actor,
                  {"intake.complete", "intake", std::to_string(id), json::object{{"outcome", outcome}}});
    return IntakeJson(*intake);
  });
}

// ---- Cases ----

Result<json::object> CaseService::Cases(const auth::Context& context, const CaseQuery& query) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    CaseFilter filter;
    filter.unit_ids = auth::UnitsInScope(sql, context.principal, perm::kCasesRead);
    if (filter.unit_ids.empty()) {
      return json::object{{"items", json::array{}}, {"next_cursor", nullptr}};
    }
    if (query.scope == "mine") {
      if (!context.principal.staff_id) return Fail(NeedsStaff());
      filter.worker_id = context.principal.staff_id;
    }
    filter.state = query.state;
    filter.person_id = query.person_id;
    filter.after_id = query.after_id;
    filter.limit = query.limit + 1;
    auto rows = store_.Cases(sql, filter);
    const bool more = static_cast<int>(rows.size()) > query.limit;
    if (more) rows.resize(static_cast<size_t>(query.limit));
    json::array items;
    for (const auto& record : rows) items.push_back(CaseJson(record));
    return json::object{{"items", std::move(items)},
                        {"next_cursor", more ? json::value(std::to_string(rows.back().id)) : json::value(nullptr)}};
  });
}

Result<json::object> CaseService::Case(const auth::Context& context, long long id) {
  auto found = database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto record = store_.FindCase(sql, id);
    if (!record) return Fail(Error::NotFound("case " + std::to_string(id)));
    if (auto allowed = RequireCaseRead(sql, context, *record); !allowed) return Fail(allowed.error());
    json::object out = CaseJson(*record);
    json::array actions;
    const auto state = *cases::Cases().Parse(record->state);
    for (const auto& step : cases::Cases().table()) {
      if (step.from != state) continue;
      if (!auth::AllowsAt(sql, context.principal, step.permission, record->unit_id)) continue;
      if (std::ranges::find(actions, json::value(step.action)) == actions.end()) actions.emplace_back(step.action);
    }
    out["allowed_actions"] = std::move(actions);
    json::array history;
    for (const auto& event : store_.Events(sql, id)) {
      history.push_back(json::object{{"id", event.id},
                                     {"action", event.action},
                                     {"from_state", Nullable(event.from_state)},
                                     {"to_state", Nullable(event.to_state)},
                                     {"actor_id", Nullable(event.actor_id)},
                                     {"at", event.at},
                                     {"note", Nullable(event.note)},
                                     {"data", event.data}});
    }
    out["history"] = std::move(history);
    json::array allocations;
    for (const auto& allocation : store_.Allocations(sql, id)) {
      allocations.push_back(json::object{{"worker_id", allocation.worker_id},
                                         {"allocated_by", allocation.allocated_by},
                                         {"allocated_at", allocation.allocated_at},
                                         {"ended_at", Nullable(allocation.ended_at)},
                                         {"reason", Nullable(allocation.reason)}});
    }
    out["allocations"] = std::move(allocations);
    return out;
  });
  if (found) audit_.AppendNow(context.actor, {"case.view", "case", std::to_string(id), std::nullopt});
  return found;
}

Result<json::object> CaseService::Allocate(const auth::Context& context, long long id, const json::object& body) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  JsonReader reader(body);
  reader.RejectUnknown({"worker_id", "reason", "version"});
  const long long worker_id = reader.RequiredInt("worker_id");
  const auto reason = reader.OptionalString("reason", 0, 1000);
  const long long version = reader.RequiredInt("version");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto record = store_.FindCase(sql, id);
    if (!record) return Fail(Error::NotFound("case " + std::to_string(id)));
    const auto state = *cases::Cases().Parse(record->state);
    const char* action = state == CaseState::kUnallocated ? "allocate" : "reallocate";
    auto step = cases::Cases().Find(state, action, {});
    if (!step) return Fail(step.error());
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, record->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (record->version != version) return Fail(Error::Conflict(record->version));
    const auto workers = store_.CaseloadRows(sql, record->unit_id);
    if (std::ranges::none_of(workers, [&](const CaseloadRow& row) { return row.staff_id == worker_id; })) {
      return Fail(Error::Validation({{"worker_id", "not_a_worker_here"}}));
    }
    if (record->worker_id == worker_id) return Fail(Error::Validation({{"worker_id", "already_allocated"}}));
    auto type = catalog_.Type(record->service_type);
    const std::string now = FormatTime(Now());
    const std::string from_state = record->state;
    const std::optional<long long> previous = record->worker_id;
    record->state = std::string(cases::Cases().Name(step->to));
    record->worker_id = worker_id;
    record->allocated_at = now;
    if (!record->next_review_on && type)
      record->next_review_on = AddDays(now.substr(0, 10), type->type.review_interval_days);
    record->updated_at = now;
    if (!store_.UpdateCase(sql, *record, version)) return Fail(Error::Conflict(record->version));
    ++record->version;
    Allocation allocation{.case_id = id,
                          .worker_id = worker_id,
                          .allocated_by = *context.principal.staff_id,
                          .allocated_at = now,
                          .reason = reason};
    store_.Allocate(sql, allocation);
    CaseEvent event{.case_id = id,
                    .action = action,
                    .from_state = from_state,
                    .to_state = record->state,
                    .actor_id = context.principal.staff_id,
                    .at = now,
                    .note = reason,
                    .data = json::object{{"worker_id", worker_id}, {"previous_worker_id", Nullable(previous)}}};
    store_.InsertEvent(sql, event);
    audit_.Append(sql, context.actor,
                  {std::string("case.") + action, "case", std::to_string(id),
                   json::object{{"worker_id", json::object{{"from", Nullable(previous)}, {"to", worker_id}}}}});
    return CaseJson(*record);
  });
}

Result<json::object> CaseService::Step(const auth::Context& context, long long id, const std::string& action,
                                       const json::object& body) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  JsonReader reader(body);
  reader.RejectUnknown({"closure_reason", "closing_summary", "comment", "reason", "version"});
  const auto closure_reason = reader.OptionalString("closure_reason", 0, 64);
  const auto closing_summary = reader.OptionalString("closing_summary", 0, 8000);
  const auto comment = reader.OptionalString("comment", 0, 4000);
  const auto reason = reader.OptionalString("reason", 0, 4000);
  const long long version = reader.RequiredInt("version");
  if (action == "reopen" && (!reason || reason->empty())) reader.Add("reason", "required");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto record = store_.FindCase(sql, id);
    if (!record) return Fail(Error::NotFound("case " + std::to_string(id)));
    const auto plans = store_.Plans(sql, id);
    const CaseFacts facts{.closure_reason_given = closure_reason && !closure_reason->empty(),
                          .closing_summary_given = closing_summary && !closing_summary->empty(),
                          .plan_awaiting_decision = std::ranges::any_of(
                              plans, [](const ServicePlan& plan) { return plan.state == "submitted"; }),
                          .comment_given = comment && !comment->empty()};
    const auto from = *cases::Cases().Parse(record->state);
    auto step = cases::Cases().Find(from, action, facts);
    if (!step) return Fail(step.error());
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, record->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (action == "request_closure") {
      auto type = catalog_.Type(record->service_type);
      const bool known = type && std::ranges::any_of(type->type.closure_reasons, [&](const Choice& choice) {
                           return choice.value == *closure_reason;
                         });
      if (!known) {
        std::string list;
        if (type) {
          for (const auto& choice : type->type.closure_reasons) list += (list.empty() ? "" : ", ") + choice.value;
        }
        return Fail(Error::Validation({{"closure_reason", "invalid_choice", {{"choices", list}}}}));
      }
    }
    if (record->version != version) return Fail(Error::Conflict(record->version));
    const std::string now = FormatTime(Now());
    const std::string from_state = record->state;
    record->state = std::string(cases::Cases().Name(step->to));
    record->updated_at = now;
    if (action == "request_closure") {
      record->closure_reason = closure_reason;
      record->closing_summary = closing_summary;
    } else if (action == "approve_closure") {
      record->closed_at = now;
      EndInvolvement(sql, database_.dialect(), record->person_id, record->unit_id, record->reference);
    } else if (action == "reopen") {
      record->closed_at.reset();
      record->closure_reason.reset();
      record->closing_summary.reset();
      record->worker_id.reset();
      record->allocated_at.reset();
      store_.EndAllocation(sql, id, now);
      StartInvolvement(sql, database_.dialect(), record->person_id, record->unit_id, record->reference,
                       record->service_type, context.principal.staff_id);
    }
    if (!store_.UpdateCase(sql, *record, version)) return Fail(Error::Conflict(record->version));
    ++record->version;
    const std::optional<std::string> note = action == "reopen" ? reason : (comment ? comment : closing_summary);
    CaseEvent event{.case_id = id,
                    .action = action,
                    .from_state = from_state,
                    .to_state = record->state,
                    .actor_id = context.principal.staff_id,
                    .at = now,
                    .note = note,
                    .data = json::object{{"closure_reason", Nullable(record->closure_reason)}}};
    store_.InsertEvent(sql, event);
    audit_.Append(sql, context.actor,
                  {"case." + action, "case", std::to_string(id),
                   json::object{{"state", json::object{{"from", from_state}, {"to", record->state}}}}});
    return CaseJson(*record);
  });
}

Status CaseService::RequireCaseRead(soci::session& sql, const auth::Context& context, const cases::Case& record) {
  if (auth::AllowsAt(sql, context.principal, perm::kCasesRead, record.unit_id)) return {};
  for (long long unit_id : store_.AcceptingUnits(sql, record.id)) {
    if (auth::AllowsAt(sql, context.principal, perm::kCasesRead, unit_id)) return {};
  }
  return auth::RequireAt(sql, context.principal, perm::kCasesRead, record.unit_id);
}

cases::Case CaseService::OpenCase(soci::session& sql, const auth::Context& context, const ServiceType& type,
                                  long long person_id, long long unit_id, const json::object& origin,
                                  const std::optional<std::string>& note) {
  const std::string now = FormatTime(Now());
  cases::Case record;
  record.reference = store_.NextReference(sql, type.reference_prefix, std::stoi(now.substr(0, 4)));
  record.person_id = person_id;
  record.unit_id = unit_id;
  record.service_type = type.code;
  record.state = std::string(cases::Cases().Name(CaseState::kUnallocated));
  record.opened_at = now;
  if (const auto* intake = origin.if_contains("intake_id")) record.intake_id = intake->to_number<long long>();
  record.created_by = context.principal.staff_id.value_or(0);
  record.created_at = record.updated_at = now;
  store_.InsertCase(sql, record);
  CaseEvent opened{.case_id = record.id,
                   .action = "open",
                   .to_state = record.state,
                   .actor_id = context.principal.staff_id,
                   .at = now,
                   .note = note,
                   .data = origin};
  store_.InsertEvent(sql, opened);
  StartInvolvement(sql, database_.dialect(), record.person_id, record.unit_id, record.reference, record.service_type,
                   context.principal.staff_id);
  json::object changes = origin;
  changes["reference"] = record.reference;
  audit_.Append(sql, context.actor, {"case.open", "case", std::to_string(record.id), std::move(changes)});
  return record;
}

// ---- Referrals ----

namespace {

constexpr std::array kUrgencies = {"urgent", "high", "normal"};

json::object ReferralJson(const cases::Referral& referral) {
  return {{"id", referral.id},
          {"person_id", referral.person_id},
          {"from_unit_id", referral.from_unit_id},
          {"to_unit_id", referral.to_unit_id},
          {"service_type", referral.service_type},
          {"case_id", Nullable(referral.case_id)},
          {"reason", referral.reason},
          {"urgency", referral.urgency},
          {"state", referral.state},
          {"respond_by", referral.respond_by},
          {"overdue", referral.state == "sent" && referral.respond_by < FormatTime(Now())},
          {"sent_by", referral.sent_by},
          {"sent_at", referral.sent_at},
          {"responded_by", Nullable(referral.responded_by)},
          {"responded_at", Nullable(referral.responded_at)},
          {"response_note", Nullable(referral.response_note)},
          {"accepted_case_id", Nullable(referral.accepted_case_id)},
          {"version", referral.version},
          {"created_at", referral.created_at},
          {"updated_at", referral.updated_at}};
}

}  // namespace

Result<json::object> CaseService::Refer(const auth::Context& context, const json::object& body) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  JsonReader reader(body);
  reader.RejectUnknown({"person_id", "to_unit_id", "service_type", "reason", "urgency", "case_id", "from_unit_id"});
  cases::Referral referral;
  referral.person_id = reader.RequiredInt("person_id");
  referral.to_unit_id = reader.RequiredInt("to_unit_id");
  referral.service_type = reader.RequiredString("service_type", 1, 64);
  referral.reason = reader.RequiredString("reason", 1, 4000);
  referral.urgency = OneOf(reader, "urgency", kUrgencies);
  referral.case_id = reader.OptionalInt("case_id");
  const auto from_unit = reader.OptionalInt("from_unit_id");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  auto type = catalog_.Type(referral.service_type);
  if (!type) return Fail(Error::Validation({{"service_type", "not_found"}}));
  const int days = referral.urgency == "urgent" ? type->type.response_days.urgent
                   : referral.urgency == "high" ? type->type.response_days.high
                                                : type->type.response_days.normal;
  const TimePoint now = Now();
  referral.sent_at = referral.created_at = referral.updated_at = FormatTime(now);
  // Urgent referrals with no days to spare are due the same day, within 8 hours.
  referral.respond_by =
      FormatTime(now + (days == 0 ? std::chrono::hours(8) : std::chrono::hours(24) * static_cast<long>(days)));
  referral.sent_by = *context.principal.staff_id;
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    referral.from_unit_id = from_unit.value_or(context.principal.unit_id);
    if (referral.case_id) {
      auto record = store_.FindCase(sql, *referral.case_id);
      if (!record || record->person_id != referral.person_id) {
        return Fail(Error::Validation({{"case_id", "not_found"}}));
      }
      referral.from_unit_id = record->unit_id;
    }
    if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesWrite, referral.from_unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (referral.to_unit_id == referral.from_unit_id) return Fail(Error::Validation({{"to_unit_id", "same_unit"}}));
    if (!store_.Provides(sql, referral.service_type, referral.to_unit_id)) {
      return Fail(Error::Validation({{"to_unit_id", "not_provided_here"}}));
    }
    if (auto person = RequireActivePerson(sql, database_.dialect(), referral.person_id, "person_id"); !person) {
      return Fail(person.error());
    }
    store_.InsertReferral(sql, referral);
    if (referral.case_id) {
      CaseEvent event{.case_id = *referral.case_id,
                      .action = "refer",
                      .actor_id = context.principal.staff_id,
                      .at = referral.sent_at,
                      .note = referral.reason,
                      .data = json::object{{"referral_id", referral.id}, {"to_unit_id", referral.to_unit_id}}};
      store_.InsertEvent(sql, event);
    }
    audit_.Append(sql, context.actor,
                  {"referral.send", "referral", std::to_string(referral.id),
                   json::object{{"person_id", referral.person_id},
                                {"to_unit_id", referral.to_unit_id},
                                {"urgency", referral.urgency}}});
    return ReferralJson(referral);
  });
}

Result<json::object> CaseService::Referrals(const auth::Context& context, const std::string& box,
                                            std::optional<std::string> state, std::optional<long long> after_id,
                                            int limit) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    const bool incoming = box == "in";
    const auto units =
        auth::UnitsInScope(sql, context.principal, incoming ? perm::kReferralsRespond : perm::kCasesRead);
    auto rows = store_.Referrals(sql, units, incoming, state, after_id, limit + 1);
    const bool more = static_cast<int>(rows.size()) > limit;
    if (more) rows.resize(static_cast<size_t>(limit));
    json::array items;
    for (const auto& referral : rows) items.push_back(ReferralJson(referral));
    return json::object{{"items", std::move(items)},
                        {"next_cursor", more ? json::value(std::to_string(rows.back().id)) : json::value(nullptr)}};
  });
}

Result<json::object> CaseService::Referral(const auth::Context& context, long long id) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto referral = store_.FindReferral(sql, id);
    if (!referral) return Fail(Error::NotFound("referral " + std::to_string(id)));
    const bool sender = auth::AllowsAt(sql, context.principal, perm::kCasesRead, referral->from_unit_id);
    const bool receiver = auth::AllowsAt(sql, context.principal, perm::kReferralsRespond, referral->to_unit_id) ||
                          auth::AllowsAt(sql, context.principal, perm::kCasesRead, referral->to_unit_id);
    if (!sender && !receiver) {
      return Fail(auth::RequireAt(sql, context.principal, perm::kCasesRead, referral->from_unit_id).error());
    }
    return ReferralJson(*referral);
  });
}

Result<json::object> CaseService::AnswerReferral(const auth::Context& context, long long id, const std::string& action,
                                                 const json::object& body) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  JsonReader reader(body);
  reader.RejectUnknown({"note", "version"});
  const auto note = reader.OptionalString("note", 0, 4000);
  const long long version = reader.RequiredInt("version");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto referral = store_.FindReferral(sql, id);
    if (!referral) return Fail(Error::NotFound("referral " + std::to_string(id)));
    const ReferralFacts facts{.reason_given = note && !note->empty()};
    auto step = cases::Referrals().Find(*cases::Referrals().Parse(referral->state), action, facts);
    if (!step) return Fail(step.error());
    const long long unit = action == "withdraw" ? referral->from_unit_id : referral->to_unit_id;
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, unit); !allowed) {
      return Fail(allowed.error());
    }
    if (referral->version != version) return Fail(Error::Conflict(referral->version));
    const std::string now = FormatTime(Now());
    referral->state = std::string(cases::Referrals().Name(step->to));
    referral->responded_by = context.principal.staff_id;
    referral->responded_at = now;
    referral->response_note = note;
    referral->updated_at = now;
    if (action == "accept") {
      auto type = catalog_.Type(referral->service_type);
      if (!type) return Fail(Error::Internal("service type " + referral->service_type + " is missing"));
      const cases::Case opened = OpenCase(sql, context, type->type, referral->person_id, referral->to_unit_id,
                                          json::object{{"referral_id", referral->id}}, note);
      referral->accepted_case_id = opened.id;
    }
    if (!store_.UpdateReferral(sql, *referral, version)) return Fail(Error::Conflict(referral->version));
    ++referral->version;
    if (referral->case_id) {
      CaseEvent event{.case_id = *referral->case_id,
                      .action = "referral_" + action,
                      .actor_id = context.principal.staff_id,
                      .at = now,
                      .note = note,
                      .data = json::object{{"referral_id", id}, {"to_unit_id", referral->to_unit_id}}};
      store_.InsertEvent(sql, event);
    }
    audit_.Append(
        sql, context.actor,
        {"referral." + action, "referral", std::to_string(id),
         json::object{{"state", referral->state}, {"accepted_case_id", Nullable(referral->accepted_case_id)}}});
    return ReferralJson(*referral);
  });
}

// ---- Home pages ----

namespace {

constexpr int kWorkListLimit = 50;

json::object CaseItem(const cases::Case& record, const std::string& today) {
  json::object item{{"case_id", record.id},
                    {"reference", record.reference},
                    {"person_id", record.person_id},
                    {"unit_id", record.unit_id},
                    {"service_type", record.service_type},
                    {"state", record.state},
                    {"worker_id", Nullable(record.worker_id)},
                    {"risk_level", Nullable(record.risk_level)},
                    {"next_review_on", Nullable(record.next_review_on)},
                    {"opened_at", record.opened_at}};
  if (record.next_review_on) item["overdue"] = *record.next_review_on < today;
  return item;
}

json::object PlanItem(const PlanWaiting& plan) {
  return {{"plan_id", plan.plan_id},
          {"plan_version", plan.plan_version},
          {"state", plan.state},
          {"since", plan.updated_at},
          {"case_id", plan.case_id},
          {"reference", plan.reference},
          {"worker_id", Nullable(plan.worker_id)}};
}

/// Whole days from an ISO time to now.
long long DaysSince(const std::string& time) {
  const auto from = ParseTime(time);
  if (!from) return 0;
  return std::chrono::duration_cast<std::chrono::hours>(Now() - *from).count() / 24;
}

}  // namespace

Result<json::object> CaseService::Work(const auth::Context& context) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  const long long me = *context.principal.staff_id;
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    const std::string today = Today();
    const std::string soon = AddDays(today, 14);
    auto cases_of = [&](CaseFilter filter) {
      json::array items;
      filter.limit = kWorkListLimit;
      for (const auto& record : store_.Cases(sql, filter)) items.push_back(CaseItem(record, today));
      return items;
    };
    auto plans_of = [&](const std::string& state, const std::vector<long long>& units,
                        std::optional<long long> worker) {
      json::array items;
      for (const auto& plan : store_.PlansWaiting(sql, state, units, worker, kWorkListLimit)) {
        items.push_back(PlanItem(plan));
      }
      return items;
    };
    json::object worker;
    worker["active_cases"] = cases_of(CaseFilter{.worker_id = me, .state = "active"});
    worker["reviews_due"] = cases_of(CaseFilter{.worker_id = me, .review_before = soon});
    worker["plans_returned"] = plans_of("returned", {}, me);
    worker["plan_drafts"] = plans_of("draft", {}, me);
    json::array intakes;
    for (const auto& intake : store_.DraftIntakes(sql, me, kWorkListLimit)) intakes.push_back(IntakeJson(intake));
    worker["intake_drafts"] = std::move(intakes);

    json::array to_answer;
    const auto respond_units = auth::UnitsInScope(sql, context.principal, perm::kReferralsRespond);
    for (const auto& referral : store_.Referrals(sql, respond_units, true, "sent", std::nullopt, kWorkListLimit)) {
      to_answer.push_back(ReferralJson(referral));
    }
    json::object out{{"today", today}, {"worker", std::move(worker)}, {"referrals_to_answer", std::move(to_answer)}};

    const auto team = auth::UnitsInScope(sql, context.principal, perm::kCasesSupervise);
    if (team.empty()) {
      out["supervisor"] = nullptr;
      return out;
    }
    json::object supervisor;
    json::array unallocated;
    for (const auto& record :
         store_.Cases(sql, CaseFilter{.unit_ids = team, .state = "unallocated", .limit = kWorkListLimit})) {
      json::object item = CaseItem(record, today);
      item["waiting_days"] = DaysSince(record.opened_at);
      unallocated.push_back(std::move(item));
    }
    supervisor["unallocated"] = std::move(unallocated);
    supervisor["plans_to_approve"] = plans_of("submitted", team, std::nullopt);
    supervisor["closures_to_approve"] = cases_of(CaseFilter{.unit_ids = team, .state = "closure_requested"});
    supervisor["overdue_reviews"] = cases_of(CaseFilter{.unit_ids = team, .review_before = today});
    supervisor["high_risk"] = cases_of(CaseFilter{.unit_ids = team, .risk_level = "high"});
    json::array overdue_referrals;
    for (bool incoming : {false, true}) {
      for (const auto& referral : store_.Referrals(sql, team, incoming, "sent", std::nullopt, kWorkListLimit)) {
        if (referral.respond_by < FormatTime(Now())) overdue_referrals.push_back(ReferralJson(referral));
      }
    }
    supervisor["overdue_referrals"] = std::move(overdue_referrals);
    out["supervisor"] = std::move(supervisor);
    return out;
  });
}

Result<json::object> CaseService::Caseloads(const auth::Context& context, long long unit_id) {
  const auto types = catalog_.Types();
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesSupervise, unit_id); !allowed) {
      return Fail(allowed.error());
    }
    std::map<long long, Caseload> loads;
    std::vector<long long> order;
    for (const auto& row : store_.CaseloadRows(sql, unit_id)) {
      auto [entry, added] =
          loads.try_emplace(row.staff_id, Caseload{.staff_id = row.staff_id, .display_name = row.display_name});
      if (added) order.push_back(row.staff_id);
      if (!row.service_type) continue;
      double weight = 1;
      for (const auto& type : types) {
        if (type.type.code == *row.service_type) weight = type.type.caseload_weight;
      }
      entry->second.cases += row.cases;
      entry->second.high_risk += row.high_risk;
      // A high-risk case weighs twice its type's weight.
      entry->second.weighted += weight * static_cast<double>(row.cases + row.high_risk);
    }
    json::array items;
    for (long long staff_id : order) {
      const Caseload& load = loads.at(staff_id);
      items.push_back(json::object{{"staff_id", load.staff_id},
                                   {"display_name", load.display_name},
                                   {"open_cases", load.cases},
                                   {"high_risk", load.high_risk},
                                   {"weighted", load.weighted}});
    }
    return json::object{{"unit_id", unit_id}, {"items", std::move(items)}};
  });
}

// ---- Notes ----

namespace {

/// Sensitive notes are for their author, the case worker and those who supervise cases at the unit.
bool MaySeeSensitive(soci::session& sql, const auth::Context& context, const cases::Case& record,
                     const CaseNote& note) {
  const auto staff = context.principal.staff_id;
  if (staff && (*staff == note.author_id || record.worker_id == staff)) return true;
  return auth::AllowsAt(sql, context.principal, perm::kCasesSupervise, record.unit_id);
}

}  // namespace

Result<json::object> CaseService::Notes(const auth::Context& context, long long case_id) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto record = store_.FindCase(sql, case_id);
    if (!record) return Fail(Error::NotFound("case " + std::to_string(case_id)));
    if (auto allowed = RequireCaseRead(sql, context, *record); !allowed) return Fail(allowed.error());
    json::array items;
    long long withheld = 0;
    for (const auto& note : store_.Notes(sql, case_id)) {
      if (note.sensitive && !MaySeeSensitive(sql, context, *record, note)) {
        ++withheld;
        continue;
      }
      items.push_back(NoteJson(note));
    }
    return json::object{{"items", std::move(items)}, {"sensitive_withheld", withheld}};
  });
}

Result<json::object> CaseService::AddNote(const auth::Context& context, long long case_id, const json::object& body) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  JsonReader reader(body);
  reader.RejectUnknown({"contact_at", "kind", "body", "participants", "sensitive", "corrects_id"});
  CaseNote note;
  note.case_id = case_id;
  const std::string contact = reader.RequiredString("contact_at", 1, 40);
  note.kind = OneOf(reader, "kind", kNoteKinds);
  note.body = reader.RequiredString("body", 1, 20000);
  note.participants = reader.OptionalStringArray("participants").value_or(std::vector<std::string>{});
  note.sensitive = reader.OptionalBool("sensitive").value_or(false);
  note.corrects_id = reader.OptionalInt("corrects_id");
  if (!contact.empty()) {
    const auto parsed = ParseTime(contact);
    if (!parsed) {
      reader.Add("contact_at", "invalid_format", {{"hint", "2026-11-23T09:30:00Z"}});
    } else if (*parsed > Now() + std::chrono::minutes(5)) {
      reader.Add("contact_at", "in_future");
    } else {
      note.contact_at = FormatTime(*parsed);
    }
  }
  if (note.participants.size() > 30) reader.Add("participants", "out_of_range", {{"min", "0"}, {"max", "30"}});
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  note.author_id = *context.principal.staff_id;
  note.created_at = FormatTime(Now());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto record = store_.FindCase(sql, case_id);
    if (!record) return Fail(Error::NotFound("case " + std::to_string(case_id)));
    if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesWrite, record->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (record->state == "closed" || record->state == "transferred") {
      return Fail(Error::Make(Canonical::kFailedPrecondition, "invalid_transition", "notes on an ended case"));
    }
    // A supervision note is the supervisor's record of looking at the case: it dismisses their high-risk alerts.
    long long acknowledged = 0;
    if (note.kind == "supervision") {
      if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesSupervise, record->unit_id); !allowed) {
        return Fail(allowed.error());
      }
      acknowledged = store_.AcknowledgeRiskAlerts(sql, note.author_id, case_id, note.created_at);
    }
    if (note.corrects_id) {
      auto corrected = store_.FindNote(sql, *note.corrects_id);
      if (!corrected || corrected->case_id != case_id) return Fail(Error::Validation({{"corrects_id", "not_found"}}));
      // A correction of a sensitive note stays sensitive.
      note.sensitive = note.sensitive || corrected->sensitive;
    }
    store_.InsertNote(sql, note);
    audit_.Append(sql, context.actor,
                  {note.corrects_id ? "case_note.correct" : "case_note.add", "case", std::to_string(case_id),
                   json::object{{"note_id", note.id},
                                {"kind", note.kind},
                                {"sensitive", note.sensitive},
                                {"alerts_acknowledged", acknowledged}}});
    return NoteJson(note);
  });
}

}  // namespace welfare::cases

// ---- Assessments ----

namespace welfare::cases {

Result<json::object> CaseService::Assessments(const auth::Context& context, long long case_id) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto record = store_.FindCase(sql, case_id);
    if (!record) return Fail(Error::NotFound("case " + std::to_string(case_id)));
    if (auto allowed = RequireCaseRead(sql, context, *record); !allowed) return Fail(allowed.error());
    json::array items;
    for (const auto& assessment : store_.Assessments(sql, case_id)) items.push_back(AssessmentJson(assessment));
    return json::object{{"items", std::move(items)}};
  });
}

Result<json::object> CaseService::StartAssessment(const auth::Context& context, long long case_id,
                                                  const json::object& body) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  JsonReader reader(body);
  reader.RejectUnknown({"tool"});
  cases::Assessment assessment;
  assessment.case_id = case_id;
  assessment.tool = reader.RequiredString("tool", 1, 64);
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto record = store_.FindCase(sql, case_id);
    if (!record) return Fail(Error::NotFound("case " + std::to_string(case_id)));
    if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesWrite, record->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto open = RequireActiveCase(*record); !open) return Fail(open.error());
    auto type = catalog_.Type(record->service_type);
    if (!type || std::ranges::find(type->type.assessment_tools, assessment.tool) == type->type.assessment_tools.end()) {
      return Fail(Error::Validation({{"tool", "not_found"}}));
    }
    auto form = catalog_.Form(assessment.tool);
    if (!form) return Fail(Error::Validation({{"tool", "not_found"}}));
    assessment.form_version = form->version;
    assessment.author_id = *context.principal.staff_id;
    assessment.created_at = assessment.updated_at = FormatTime(Now());
    store_.InsertAssessment(sql, assessment);
    audit_.Append(sql, context.actor,
                  {"assessment.start", "case", std::to_string(case_id),
                   json::object{{"assessment_id", assessment.id},
                                {"tool", assessment.tool},
                                {"form_version", assessment.form_version}}});
    return AssessmentJson(assessment);
  });
}

Result<json::object> CaseService::SaveAssessment(const auth::Context& context, long long id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"answers", "assessed_on", "version"});
  const long long version = reader.RequiredInt("version");
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto assessment = store_.FindAssessment(sql, id);
    if (!assessment) return Fail(Error::NotFound("assessment " + std::to_string(id)));
    auto record = store_.FindCase(sql, assessment->case_id);
    auto step = cases::Assessments().Find(*cases::Assessments().Parse(assessment->state), "save", {});
    if (!step) return Fail(step.error());
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, record->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto open = RequireActiveCase(*record); !open) return Fail(open.error());
    if (auto read = ReadAnswers(reader, body, catalog_, assessment->tool, assessment->form_version, "assessed_on",
                                assessment->assessed_on, assessment->answers, assessment->computed,
                                forms::Completeness::kDraft);
        !read) {
      return Fail(read.error());
    }
    if (assessment->version != version) return Fail(Error::Conflict(assessment->version));
    assessment->updated_at = FormatTime(Now());
    if (!store_.UpdateAssessment(sql, *assessment, version)) return Fail(Error::Conflict(assessment->version));
    ++assessment->version;
    audit_.Append(sql, context.actor,
                  {"assessment.save", "case", std::to_string(record->id), json::object{{"assessment_id", id}}});
    return AssessmentJson(*assessment);
  });
}

Result<json::object> CaseService::CompleteAssessment(const auth::Context& context, long long id,
                                                     const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"answers", "assessed_on", "version"});
  const long long version = reader.RequiredInt("version");
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto assessment = store_.FindAssessment(sql, id);
    if (!assessment) return Fail(Error::NotFound("assessment " + std::to_string(id)));
    auto record = store_.FindCase(sql, assessment->case_id);
    auto step = cases::Assessments().Find(*cases::Assessments().Parse(assessment->state), "complete", {});
    if (!step) return Fail(step.error());
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, record->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto open = RequireActiveCase(*record); !open) return Fail(open.error());
    if (auto read = ReadAnswers(reader, body, catalog_, assessment->tool, assessment->form_version, "assessed_on",
                                assessment->assessed_on, assessment->answers, assessment->computed,
                                forms::Completeness::kComplete);
        !read) {
      return Fail(read.error());
    }
    if (assessment->version != version) return Fail(Error::Conflict(assessment->version));
    const std::string now = FormatTime(Now());
    assessment->state = std::string(cases::Assessments().Name(step->to));
    assessment->completed_at = now;
    if (!assessment->assessed_on) assessment->assessed_on = now.substr(0, 10);
    assessment->updated_at = now;
    auto type = catalog_.Type(record->service_type);
    bool alert = false;
    if (type && type->type.risk && type->type.risk->tool == assessment->tool) {
      if (const auto* level = assessment->computed.if_contains(type->type.risk->level); level && level->is_string()) {
        assessment->risk_level = std::string(level->get_string());
        const auto& alerting = type->type.risk->alert_levels;
        alert = std::ranges::find(alerting, *assessment->risk_level) != alerting.end();
      }
    }
    if (!store_.UpdateAssessment(sql, *assessment, version)) return Fail(Error::Conflict(assessment->version));
    ++assessment->version;
    if (assessment->risk_level) {
      const long long case_version = record->version;
      const std::optional<std::string> previous = record->risk_level;
      record->risk_level = assessment->risk_level;
      record->updated_at = now;
      if (!store_.UpdateCase(sql, *record, case_version)) return Fail(Error::Conflict(record->version));
      CaseEvent event{.case_id = record->id,
                      .action = "risk_assessed",
                      .actor_id = context.principal.staff_id,
                      .at = now,
                      .data = json::object{{"assessment_id", id},
                                           {"risk_level", *assessment->risk_level},
                                           {"previous_risk_level", Nullable(previous)}}};
      store_.InsertEvent(sql, event);
    }
    if (alert) {
      registry::PersonStore persons(database_.dialect());
      const json::object params{{"reference", record->reference},
                                {"risk_level", *assessment->risk_level},
                                {"person_id", record->person_id},
                                {"assessment_id", id}};
      for (long long supervisor : store_.Supervisors(sql, auth::UnitAncestry(sql, record->unit_id))) {
        registry::Alert raised{.staff_id = supervisor,
                               .kind = "case_high_risk",
                               .record_type = "case",
                               .record_id = std::to_string(record->id),
                               .params = json::serialize(params),
                               .created_at = now};
        (void)persons.InsertAlert(sql, raised);
      }
    }
    audit_.Append(sql, context.actor,
                  {"assessment.complete", "case", std::to_string(record->id),
                   json::object{{"assessment_id", id},
                                {"tool", assessment->tool},
                                {"risk_level", Nullable(assessment->risk_level)},
                                {"alert", alert}}});
    return AssessmentJson(*assessment);
  });
}

// ---- Service plans ----

namespace {

/// Checks a plan's content against the service type's plan domains and interventions.
Status CheckPlanContent(const json::object& content, const ServiceType& type) {
  FieldErrors errors;
  for (const auto& [key, value] : content) {
    if (key != "summary" && key != "goals") errors.Add("content." + std::string(key), "unknown_field");
  }
  if (const auto* summary = content.if_contains("summary");
      summary && !summary->is_null() && (!summary->is_string() || Utf8Length(summary->get_string()) > 4000)) {
    errors.Add("content.summary", "too_long", {{"max", "4000"}});
  }
  const auto* goals = content.if_contains("goals");
  if (goals != nullptr && !goals->is_array()) errors.Add("content.goals", "invalid_type", {{"expected", "array"}});
  if (goals != nullptr && goals->is_array()) {
    if (goals->get_array().size() > 30) errors.Add("content.goals", "out_of_range", {{"min", "0"}, {"max", "30"}});
    auto choices = [](const std::vector<Choice>& list) {
      std::string text;
      for (const auto& choice : list) text += (text.empty() ? "" : ", ") + choice.value;
      return text;
    };
    auto known = [](const std::vector<Choice>& list, std::string_view value) {
      return std::ranges::any_of(list, [&](const Choice& choice) { return choice.value == value; });
    };
    for (size_t goal_idx = 0; goal_idx < goals->get_array().size(); ++goal_idx) {
      const std::string path = "content.goals." + std::to_string(goal_idx);
      const auto& goal = goals->get_array()[goal_idx];
      if (!goal.is_object()) {
        errors.Add(path, "invalid_type", {{"expected", "object"}});
        continue;
      }
      JsonReader reader(goal.get_object());
      reader.RejectUnknown({"domain", "goal", "interventions", "responsible", "target_date"});
      const std::string domain = reader.RequiredString("domain", 1, 64);
      if (!domain.empty() && !known(type.plan_domains, domain)) {
        reader.Add("domain", "invalid_choice", {{"choices", choices(type.plan_domains)}});
      }
      (void)reader.RequiredString("goal", 1, 2000);
      for (const auto& intervention :
           reader.OptionalStringArray("interventions").value_or(std::vector<std::string>{})) {
        if (!known(type.interventions, intervention)) {
          reader.Add("interventions", "invalid_choice", {{"choices", choices(type.interventions)}});
        }
      }
      (void)reader.OptionalString("responsible", 0, 200);
      (void)DayField(reader, "target_date", std::nullopt);
      if (auto valid = reader.Finish(); !valid) {
        for (const auto& field : valid.error().fields) errors.Add(path + "." + field.field, field.code, field.params);
      }
    }
  }
  return errors.Finish();
}

size_t GoalCount(const json::object& content) {
  const auto* goals = content.if_contains("goals");
  return goals != nullptr && goals->is_array() ? goals->get_array().size() : 0;
}

}  // namespace

Result<json::object> CaseService::Plans(const auth::Context& context, long long case_id) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto record = store_.FindCase(sql, case_id);
    if (!record) return Fail(Error::NotFound("case " + std::to_string(case_id)));
    if (auto allowed = RequireCaseRead(sql, context, *record); !allowed) return Fail(allowed.error());
    std::map<long long, json::array> exchanges;
    for (const auto& comment : store_.PlanComments(sql, case_id)) {
      exchanges[comment.plan_id].push_back(json::object{{"action", comment.action},
                                                        {"comment", Nullable(comment.comment)},
                                                        {"author_id", comment.author_id},
                                                        {"at", comment.at}});
    }
    json::array items;
    for (const auto& plan : store_.Plans(sql, case_id)) {
      json::object item = PlanJson(plan);
      item["exchange"] = std::move(exchanges[plan.id]);
      items.push_back(std::move(item));
    }
    return json::object{{"items", std::move(items)}};
  });
}

Result<json::object> CaseService::StartPlan(const auth::Context& context, long long case_id) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto record = store_.FindCase(sql, case_id);
    if (!record) return Fail(Error::NotFound("case " + std::to_string(case_id)));
    if (auto allowed = auth::RequireAt(sql, context.principal, perm::kCasesWrite, record->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto open = RequireActiveCase(*record); !open) return Fail(open.error());
    const auto plans = store_.Plans(sql, case_id);
    ServicePlan plan;
    plan.case_id = case_id;
    plan.plan_version = 1;
    for (const auto& earlier : plans) {
      if (earlier.state == "draft" || earlier.state == "submitted" || earlier.state == "returned") {
        return Fail(Error::Make(Canonical::kFailedPrecondition, "plan_in_progress"));
      }
      plan.plan_version = earlier.plan_version + 1;
      if (earlier.state == "approved") {
        plan.content = earlier.content;
        plan.review_on = earlier.review_on;
      }
    }
    if (plan.content.empty()) plan.content = json::object{{"summary", ""}, {"goals", json::array{}}};
    plan.author_id = *context.principal.staff_id;
    plan.created_at = plan.updated_at = FormatTime(Now());
    store_.InsertPlan(sql, plan);
    audit_.Append(sql, context.actor,
                  {"plan.start", "case", std::to_string(case_id),
                   json::object{{"plan_id", plan.id}, {"plan_version", plan.plan_version}}});
    return PlanJson(plan);
  });
}

Result<json::object> CaseService::SavePlan(const auth::Context& context, long long plan_id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"content", "review_on", "version"});
  const long long version = reader.RequiredInt("version");
  const auto review_on = DayField(reader, "review_on", std::nullopt, Today());
  json::object content;
  if (const auto* given = body.if_contains("content"); given == nullptr || !given->is_object()) {
    reader.Add("content", "invalid_type", {{"expected", "object"}});
  } else {
    content = given->as_object();
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto plan = store_.FindPlan(sql, plan_id);
    if (!plan) return Fail(Error::NotFound("plan " + std::to_string(plan_id)));
    auto record = store_.FindCase(sql, plan->case_id);
    auto step = cases::Plans().Find(*cases::Plans().Parse(plan->state), "save", {});
    if (!step) return Fail(step.error());
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, record->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto open = RequireActiveCase(*record); !open) return Fail(open.error());
    auto type = catalog_.Type(record->service_type);
    if (!type) return Fail(Error::Internal("service type " + record->service_type + " is missing"));
    if (auto valid = CheckPlanContent(content, type->type); !valid) return Fail(valid.error());
    if (plan->version != version) return Fail(Error::Conflict(plan->version));
    plan->content = content;
    plan->review_on = review_on;
    plan->updated_at = FormatTime(Now());
    if (!store_.UpdatePlan(sql, *plan, version)) return Fail(Error::Conflict(plan->version));
    ++plan->version;
    audit_.Append(sql, context.actor,
                  {"plan.save", "case", std::to_string(record->id),
                   json::object{{"plan_id", plan_id}, {"goals", GoalCount(content)}}});
    return PlanJson(*plan);
  });
}

Result<json::object> CaseService::DecidePlan(const auth::Context& context, long long plan_id, const std::string& action,
                                             const json::object& body) {
  if (!context.principal.staff_id) return Fail(NeedsStaff());
  JsonReader reader(body);
  reader.RejectUnknown({"comment", "version"});
  const auto comment = reader.OptionalString("comment", 0, 4000);
  const long long version = reader.RequiredInt("version");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto plan = store_.FindPlan(sql, plan_id);
    if (!plan) return Fail(Error::NotFound("plan " + std::to_string(plan_id)));
    auto record = store_.FindCase(sql, plan->case_id);
    const PlanFacts facts{.goals = GoalCount(plan->content), .comment_given = comment && !comment->empty()};
    auto step = cases::Plans().Find(*cases::Plans().Parse(plan->state), action, facts);
    if (!step) return Fail(step.error());
    if (auto allowed = auth::RequireAt(sql, context.principal, step->permission, record->unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto open = RequireActiveCase(*record); !open) return Fail(open.error());
    if (plan->version != version) return Fail(Error::Conflict(plan->version));
    const std::string now = FormatTime(Now());
    plan->state = std::string(cases::Plans().Name(step->to));
    if (action == "submit") {
      plan->submitted_at = now;
    } else {
      plan->decided_by = context.principal.staff_id;
      plan->decided_at = now;
    }
    plan->updated_at = now;
    if (!store_.UpdatePlan(sql, *plan, version)) return Fail(Error::Conflict(plan->version));
    ++plan->version;
    if (action == "approve") {
      for (auto earlier : store_.Plans(sql, plan->case_id)) {
        if (earlier.id == plan->id || earlier.state != "approved") continue;
        const long long earlier_version = earlier.version;
        earlier.state = std::string(cases::Plans().Name(PlanState::kSuperseded));
        earlier.updated_at = now;
        (void)store_.UpdatePlan(sql, earlier, earlier_version);
      }
      if (plan->review_on) {
        const long long case_version = record->version;
        record->next_review_on = plan->review_on;
        record->updated_at = now;
        if (!store_.UpdateCase(sql, *record, case_version)) return Fail(Error::Conflict(record->version));
      }
    }
    PlanComment entry{
        .plan_id = plan_id, .action = action, .comment = comment, .author_id = *context.principal.staff_id, .at = now};
    store_.InsertPlanComment(sql, entry);
    CaseEvent event{.case_id = record->id,
                    .action = "plan_" + action,
                    .actor_id = context.principal.staff_id,
                    .at = now,
                    .note = comment,
                    .data = json::object{{"plan_id", plan_id}, {"plan_version", plan->plan_version}}};
    store_.InsertEvent(sql, event);
    audit_.Append(sql, context.actor,
                  {"plan." + action, "case", std::to_string(record->id),
                   json::object{{"plan_id", plan_id}, {"plan_version", plan->plan_version}}});
    return PlanJson(*plan);
  });
}

}  // namespace welfare::cases
