// Case management through the API: the configuration (forms and service types, versioned).
#include <gtest/gtest.h>

#include <chrono>

#include <boost/json.hpp>

#include "helpers.hpp"
#include "person_builder.hpp"

namespace welfare::testing {
namespace {

namespace json = boost::json;

TEST(CaseConfiguration, StaffReadTheShippedFormsAndServiceTypes) {
  Client worker = Worker();
  const auto types = worker.Get("/api/v1/service-types");
  ASSERT_EQ(types.status, 200u) << types.body;
  bool protection = false;
  for (const auto& type : types.Json().at("items").as_array()) {
    if (Text(type, "code") != "child_protection") continue;
    protection = true;
    EXPECT_EQ(Text(type.at("risk"), "tool"), "child_protection_risk");
    EXPECT_FALSE(type.at("unit_ids").as_array().empty());
  }
  EXPECT_TRUE(protection);
  const auto form = worker.Get("/api/v1/forms/child_protection_risk");
  ASSERT_EQ(form.status, 200u) << form.body;
  EXPECT_EQ(Int(form.Json(), "version"), 1);
  EXPECT_FALSE(form.Json().at("sections").as_array().empty());
  EXPECT_EQ(worker.Get("/api/v1/forms/child_protection_risk?version=99").status, 404u);
  EXPECT_EQ(worker.Get("/api/v1/forms/no_such_form").status, 404u);
  EXPECT_EQ(worker.Get("/api/v1/forms/child_protection_risk?version=x").status, 422u);
}

TEST(CaseConfiguration, OnlyAdministratorsChangeAFormAndEachChangeIsANewVersion) {
  Client worker = Worker();
  const auto current = worker.Get("/api/v1/forms/family_needs");
  ASSERT_EQ(current.status, 200u);
  json::object changed = current.Json().as_object();
  changed["title"].as_object()["en"] = "Family needs assessment " + Unique("v");
  EXPECT_EQ(worker.Put("/api/v1/forms/family_needs", changed).status, 403u);

  const auto saved = Admin().Put("/api/v1/forms/family_needs", changed);
  ASSERT_EQ(saved.status, 200u) << saved.body;
  const long long version = Int(saved.Json(), "version");
  EXPECT_EQ(version, Int(current.Json(), "version") + 1);
  const auto again = Admin().Put("/api/v1/forms/family_needs", changed);
  ASSERT_EQ(again.status, 200u);
  EXPECT_EQ(Int(again.Json(), "version"), version);  // the same content adds no version
  const auto old = worker.Get("/api/v1/forms/family_needs?version=" + std::to_string(version - 1));
  ASSERT_EQ(old.status, 200u);
  EXPECT_EQ(old.Json().at("title"), current.Json().at("title"));

  json::object wrong = changed;
  wrong["code"] = "other_form";
  const auto mismatch = Admin().Put("/api/v1/forms/family_needs", wrong);
  EXPECT_EQ(mismatch.status, 422u);
  EXPECT_TRUE(FieldCodes(mismatch).contains("code:path_mismatch"));
  json::object broken = changed;
  broken["sections"] = json::array{};
  broken["title"] = json::object{{"zh", "只有中文"}};
  const auto refused = Admin().Put("/api/v1/forms/family_needs", broken);
  EXPECT_EQ(refused.status, 422u);
  EXPECT_TRUE(FieldCodes(refused).contains("sections:required"));
  EXPECT_TRUE(FieldCodes(refused).contains("title.en:required"));
}

TEST(CaseConfiguration, AServiceTypeNeedsItsFormsAndUnitsToExist) {
  const auto current = Worker().Get("/api/v1/service-types/medical_social");
  ASSERT_EQ(current.status, 200u) << current.body;
  json::object changed = current.Json().as_object();
  changed.erase("unit_ids");
  changed["intake_form"] = "no_such_form";
  changed["units"] = json::array{"NO-SUCH-UNIT"};
  const auto refused = Admin().Put("/api/v1/service-types/medical_social", changed);
  ASSERT_EQ(refused.status, 422u) << refused.body;
  EXPECT_TRUE(FieldCodes(refused).contains("intake_form:not_found"));
  changed["intake_form"] = current.Json().at("intake_form");
  const auto units = Admin().Put("/api/v1/service-types/medical_social", changed);
  ASSERT_EQ(units.status, 422u) << units.body;
  EXPECT_TRUE(FieldCodes(units).contains("units.0:not_found"));
  changed["units"] = json::array{"IFSC-KC", "IFSC-EAST"};
  changed["review_interval_days"] = 45;
  const auto saved = Admin().Put("/api/v1/service-types/medical_social", changed);
  ASSERT_EQ(saved.status, 200u) << saved.body;
  EXPECT_EQ(Int(saved.Json(), "version"), Int(current.Json(), "version") + 1);
  EXPECT_EQ(saved.Json().at("unit_ids").as_array().size(), 2u);
  EXPECT_EQ(Int(Worker().Get("/api/v1/service-types/medical_social").Json(), "review_interval_days"), 45);
}

TEST(CaseConfiguration, TheCommandLineLoadsTheShippedFilesAgainWithoutNewVersions) {
  const auto loaded = ServerEnvironment::Get().Welfare({"config", "load", "--json"});
  ASSERT_EQ(loaded.exit_code, 0) << loaded.output;
  // PostgreSQL's notices (to standard error) may come first.
  const json::value report = json::parse(loaded.output.substr(loaded.output.find('{')));
  EXPECT_TRUE(report.at("added").as_array().empty()) << loaded.output;
  EXPECT_GE(report.at("unchanged").as_array().size() + report.at("kept").as_array().size(), 12u);
  const auto missing = ServerEnvironment::Get().Welfare({"config", "load", "--config-dir", "/nonexistent"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("no configuration directory"), std::string::npos) << missing.output;
}

/// A valid answer to a field of a form definition.
json::value AnswerFor(const json::object& field) {
  const std::string type = Text(field, "type");
  if (type == "choice") return field.at("options").as_array().front().at("value");
  if (type == "multi_choice") return json::array{field.at("options").as_array().front().at("value")};
  if (type == "boolean") return false;
  if (type == "date") return "2026-01-05";
  if (type == "integer" || type == "decimal") return field.contains("min") ? field.at("min") : json::value(1);
  return "answer";
}

/// Completes a record filled on a form (an intake, an assessment): starts from `answers` and lets the server say
/// what is missing or does not apply, until it accepts. `extra` goes into every body. Returns the completed record.
json::value CompleteForm(Client& client, const std::string& path, const std::string& form_code, long long form_version,
                         long long version, json::object answers, const json::object& extra) {
  const auto form = client.Get("/api/v1/forms/" + form_code + "?version=" + std::to_string(form_version));
  std::map<std::string, json::object> fields;
  for (const auto& section : form.Json().at("sections").as_array()) {
    for (const auto& field : section.at("fields").as_array()) fields[Text(field, "id")] = field.as_object();
  }
  for (int round = 0; round < 8; ++round) {
    json::object body = extra;
    body["answers"] = answers;
    body["version"] = version;
    const auto reply = client.Post(path + "/complete", body);
    if (reply.status == 200) return reply.Json();
    if (reply.status != 422) throw std::runtime_error("complete " + path + ": " + reply.body);
    for (const auto& problem : reply.Json().at("errors").as_array()) {
      const std::string field = Text(problem, "field").substr(std::string("answers.").size());
      if (Text(problem, "code") == "required") answers[field] = AnswerFor(fields.at(field));
      if (Text(problem, "code") == "not_applicable") answers.erase(field);
    }
  }
  throw std::runtime_error(path + " never completed");
}

/// Completes an intake with `outcome`.
json::value CompleteIntake(Client& client, const json::value& intake, json::object answers,
                           const std::string& outcome) {
  return CompleteForm(client, "/api/v1/intakes/" + std::to_string(Int(intake, "id")), Text(intake, "form_code"),
                      Int(intake, "form_version"), Int(intake, "version"), std::move(answers),
                      json::object{{"outcome", outcome}, {"outcome_note", "受理"}});
}

/// The demo supervisor of IFSC-EAST.
Client Supervisor() {
  Client supervisor(Port());
  const Reply reply = SignIn(supervisor, "supervisor", "OpenWelfare-supervisor-2026");
  if (reply.status != 200) throw std::runtime_error("supervisor sign-in failed: " + reply.body);
  return supervisor;
}

TEST(CaseWork, FromAnEnquiryToAnAllocatedCaseWithNotes) {
  Client worker = Worker();
  const json::value person = PersonBuilder{}.Create(worker);
  const long long person_id = Int(person, "id");

  // An enquiry by phone, for the person.
  const auto missing = worker.Post("/api/v1/enquiries", json::object{{"channel", "fax"}, {"summary", ""}});
  ASSERT_EQ(missing.status, 422u);
  EXPECT_TRUE(FieldCodes(missing).contains("channel:invalid_choice"));
  EXPECT_TRUE(FieldCodes(missing).contains("summary:required"));
  EXPECT_TRUE(FieldCodes(missing).contains("contact_name:required"));
  const auto enquiry = worker.Post("/api/v1/enquiries", json::object{{"channel", "phone"},
                                                                     {"person_id", person_id},
                                                                     {"service_type", "child_protection"},
                                                                     {"summary", "鄰居來電，擔心孩子獨留家中。"}});
  ASSERT_EQ(enquiry.status, 201u) << enquiry.body;
  EXPECT_EQ(Text(enquiry.Json(), "state"), "open");

  // An intake on the child protection intake form, started from the enquiry.
  const auto nowhere =
      worker.Post("/api/v1/intakes", json::object{{"person_id", person_id}, {"service_type", "residential_care"}});
  ASSERT_EQ(nowhere.status, 422u) << nowhere.body;
  EXPECT_TRUE(FieldCodes(nowhere).contains("service_type:not_provided_here"));
  const auto started = worker.Post("/api/v1/intakes", json::object{{"person_id", person_id},
                                                                   {"service_type", "child_protection"},
                                                                   {"enquiry_id", Int(enquiry.Json(), "id")}});
  ASSERT_EQ(started.status, 201u) << started.body;
  EXPECT_EQ(Text(started.Json(), "form_code"), "child_protection_intake");
  const std::string intake_path = "/api/v1/intakes/" + std::to_string(Int(started.Json(), "id"));
  const auto closed = worker.Get("/api/v1/enquiries/" + std::to_string(Int(enquiry.Json(), "id")));
  EXPECT_EQ(Text(closed.Json(), "state"), "closed");
  EXPECT_EQ(Text(closed.Json(), "outcome"), "intake");

  // A draft may be incomplete but not wrong; an early save does not complete it.
  const auto wrong = worker.Put(intake_path, json::object{{"answers", json::object{{"no_such_question", 1}}},
                                                          {"version", Int(started.Json(), "version")}});
  ASSERT_EQ(wrong.status, 422u);
  EXPECT_TRUE(FieldCodes(wrong).contains("answers.no_such_question:unknown_field"));
  const auto saved = worker.Put(intake_path, json::object{{"answers", json::object{}},
                                                          {"interviewed_on", "2026-01-05"},
                                                          {"version", Int(started.Json(), "version")}});
  ASSERT_EQ(saved.status, 200u) << saved.body;
  const auto stale =
      worker.Put(intake_path, json::object{{"answers", json::object{}}, {"version", Int(started.Json(), "version")}});
  EXPECT_EQ(stale.status, 409u);
  const auto incomplete = worker.Post(
      intake_path + "/complete",
      json::object{{"answers", json::object{}}, {"outcome", "open_case"}, {"version", Int(saved.Json(), "version")}});
  ASSERT_EQ(incomplete.status, 422u);

  // Completed with "open a case": an unallocated case with a reference of the service type.
  const json::value completed = CompleteIntake(worker, saved.Json(), json::object{}, "open_case");
  EXPECT_EQ(Text(completed, "state"), "completed");
  const long long case_id = Int(completed, "case_id");
  const std::string case_path = "/api/v1/cases/" + std::to_string(case_id);
  const auto opened = worker.Get(case_path);
  ASSERT_EQ(opened.status, 200u) << opened.body;
  EXPECT_EQ(Text(opened.Json(), "state"), "unallocated");
  EXPECT_EQ(Text(opened.Json(), "reference").substr(0, 3), "CP-");
  EXPECT_TRUE(opened.Json().at("allowed_actions").as_array().empty());  // a caseworker does not allocate
  const auto again = worker.Post(
      intake_path + "/complete",
      json::object{{"answers", json::object{}}, {"outcome", "end"}, {"version", Int(completed, "version")}});
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(Text(again.Json(), "code"), "invalid_transition");

  // The supervisor sees the caseloads and allocates; a caseworker may not.
  Client supervisor = Supervisor();
  const auto loads = supervisor.Get("/api/v1/units/" + std::to_string(UnitId("IFSC-EAST")) + "/caseloads");
  ASSERT_EQ(loads.status, 200u) << loads.body;
  long long worker_id = 0;
  for (const auto& load : loads.Json().at("items").as_array()) {
    if (Text(load, "display_name") == "社工 張嘉欣") worker_id = Int(load, "staff_id");
  }
  ASSERT_NE(worker_id, 0);
  EXPECT_EQ(worker.Get("/api/v1/units/" + std::to_string(UnitId("IFSC-EAST")) + "/caseloads").status, 403u);
  EXPECT_EQ(worker.Post(case_path + "/allocation", json::object{{"worker_id", worker_id}, {"version", 1}}).status,
            403u);
  const auto allocated = supervisor.Post(
      case_path + "/allocation",
      json::object{{"worker_id", worker_id}, {"reason", "熟悉該區"}, {"version", Int(opened.Json(), "version")}});
  ASSERT_EQ(allocated.status, 200u) << allocated.body;
  EXPECT_EQ(Text(allocated.Json(), "state"), "active");
  EXPECT_FALSE(Text(allocated.Json(), "next_review_on").empty());
  const auto mine = worker.Get("/api/v1/cases?scope=mine&state=active");
  ASSERT_EQ(mine.status, 200u);
  bool listed = false;
  for (const auto& item : mine.Json().at("items").as_array()) listed = listed || Int(item, "id") == case_id;
  EXPECT_TRUE(listed);

  // Notes: a sensitive one is for the worker and the supervisor only; a correction never replaces a note.
  const auto note = worker.Post(case_path + "/notes", json::object{{"contact_at", "2026-01-06T10:00:00Z"},
                                                                   {"kind", "home_visit"},
                                                                   {"participants", json::array{"母親", "孩子"}},
                                                                   {"body", "家訪：孩子在家，母親合作。"}});
  ASSERT_EQ(note.status, 201u) << note.body;
  const auto secret = worker.Post(case_path + "/notes", json::object{{"contact_at", "2026-01-06T11:00:00Z"},
                                                                     {"kind", "phone"},
                                                                     {"sensitive", true},
                                                                     {"body", "母親透露家暴情況。"}});
  ASSERT_EQ(secret.status, 201u);
  const auto correction = worker.Post(case_path + "/notes", json::object{{"contact_at", "2026-01-06T10:00:00Z"},
                                                                         {"kind", "home_visit"},
                                                                         {"corrects_id", Int(note.Json(), "id")},
                                                                         {"body", "更正：家訪時父親亦在場。"}});
  ASSERT_EQ(correction.status, 201u);
  const auto future = worker.Post(
      case_path + "/notes", json::object{{"contact_at", "2099-01-01T00:00:00Z"}, {"kind", "visit"}, {"body", "x"}});
  EXPECT_EQ(future.status, 422u);
  EXPECT_TRUE(FieldCodes(future).contains("contact_at:in_future"));
  EXPECT_TRUE(FieldCodes(future).contains("kind:invalid_choice"));
  const auto seen = supervisor.Get(case_path + "/notes");
  ASSERT_EQ(seen.status, 200u);
  EXPECT_EQ(seen.Json().at("items").as_array().size(), 3u);
  const StaffBuilder colleague_builder = StaffBuilder{}.WithRole("caseworker");
  (void)colleague_builder.Create();
  auto [colleague, colleague_password] = ReadyAccount(colleague_builder);
  const auto colleague_notes = colleague.Get(case_path + "/notes");
  ASSERT_EQ(colleague_notes.status, 200u);
  EXPECT_EQ(colleague_notes.Json().at("items").as_array().size(), 2u);
  EXPECT_EQ(Int(colleague_notes.Json(), "sensitive_withheld"), 1);

  // The history keeps every step.
  const auto history = supervisor.Get(case_path).Json().at("history").as_array();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(Text(history[0], "action"), "open");
  EXPECT_EQ(Text(history[1], "action"), "allocate");

  // A caseworker of an unrelated unit reaches none of it.
  const StaffBuilder stranger_builder = StaffBuilder{}.WithRole("caseworker").WithUnit("IFSC-KC");
  (void)stranger_builder.Create();
  auto [stranger, stranger_password] = ReadyAccount(stranger_builder);
  EXPECT_EQ(stranger.Get(case_path).status, 403u);
  EXPECT_EQ(stranger.Get(case_path + "/notes").status, 403u);
  EXPECT_EQ(stranger
                .Post(case_path + "/notes",
                      json::object{{"contact_at", "2026-01-06T10:00:00Z"}, {"kind", "phone"}, {"body", "x"}})
                .status,
            403u);
  EXPECT_EQ(stranger.Get(intake_path).status, 403u);
  EXPECT_EQ(stranger.Get("/api/v1/enquiries/" + std::to_string(Int(enquiry.Json(), "id"))).status, 403u);
  const auto theirs = stranger.Get("/api/v1/cases?scope=unit");
  ASSERT_EQ(theirs.status, 200u);
  for (const auto& item : theirs.Json().at("items").as_array()) EXPECT_NE(Int(item, "id"), case_id);
}

/// A new person's child protection case at IFSC-EAST, allocated by the supervisor to the demo worker.
json::value AllocatedCase(Client& worker, Client& supervisor) {
  const json::value person = PersonBuilder{}.Create(worker);
  const auto started = worker.Post(
      "/api/v1/intakes", json::object{{"person_id", Int(person, "id")}, {"service_type", "child_protection"}});
  if (started.status != 201) throw std::runtime_error("start intake: " + started.body);
  const json::value intake = CompleteIntake(worker, started.Json(), json::object{}, "open_case");
  const std::string path = "/api/v1/cases/" + std::to_string(Int(intake, "case_id"));
  const json::value opened = supervisor.Get(path).Json();
  long long worker_id = 0;
  const auto loads = supervisor.Get("/api/v1/units/" + std::to_string(UnitId("IFSC-EAST")) + "/caseloads");
  for (const auto& load : loads.Json().at("items").as_array()) {
    if (Text(load, "display_name") == "社工 張嘉欣") worker_id = Int(load, "staff_id");
  }
  const auto allocated = supervisor.Post(path + "/allocation",
                                         json::object{{"worker_id", worker_id}, {"version", Int(opened, "version")}});
  if (allocated.status != 200) throw std::runtime_error("allocate: " + allocated.body);
  return allocated.Json();
}

TEST(CaseWork, APlanIsReturnedWithCommentsThenApprovedAndLocked) {
  Client worker = Worker();
  Client supervisor = Supervisor();
  const json::value record = AllocatedCase(worker, supervisor);
  const std::string case_path = "/api/v1/cases/" + std::to_string(Int(record, "id"));
  const json::value type = worker.Get("/api/v1/service-types/child_protection").Json();
  const std::string domain = Text(type.at("plan_domains").as_array().front(), "value");
  const std::string intervention = Text(type.at("interventions").as_array().front(), "value");

  const auto draft = worker.Post(case_path + "/plans", json::object{});
  ASSERT_EQ(draft.status, 201u) << draft.body;
  EXPECT_EQ(Int(draft.Json(), "plan_version"), 1);
  const auto second = worker.Post(case_path + "/plans", json::object{});
  EXPECT_EQ(second.status, 409u);
  EXPECT_EQ(Text(second.Json(), "code"), "plan_in_progress");
  const std::string plan_path = "/api/v1/plans/" + std::to_string(Int(draft.Json(), "id"));
  const auto empty = worker.Post(plan_path + "/submit", json::object{{"version", Int(draft.Json(), "version")}});
  EXPECT_EQ(empty.status, 409u);
  EXPECT_EQ(Text(empty.Json(), "code"), "plan_needs_goal");

  const auto bad = worker.Put(
      plan_path,
      json::object{
          {"content", json::object{{"goals", json::array{json::object{{"domain", "space_travel"}, {"goal", ""}}}}}},
          {"version", Int(draft.Json(), "version")}});
  ASSERT_EQ(bad.status, 422u);
  EXPECT_TRUE(FieldCodes(bad).contains("content.goals.0.domain:invalid_choice"));
  EXPECT_TRUE(FieldCodes(bad).contains("content.goals.0.goal:required"));
  const json::object content{{"summary", "確保兒童安全"},
                             {"goals", json::array{json::object{{"domain", domain},
                                                                {"goal", "每週家訪，確認兒童安全"},
                                                                {"interventions", json::array{intervention}},
                                                                {"responsible", "社工"}}}}};
  const auto saved = worker.Put(
      plan_path,
      json::object{{"content", content}, {"review_on", "2099-06-30"}, {"version", Int(draft.Json(), "version")}});
  ASSERT_EQ(saved.status, 200u) << saved.body;
  const auto submitted = worker.Post(plan_path + "/submit", json::object{{"version", Int(saved.Json(), "version")}});
  ASSERT_EQ(submitted.status, 200u) << submitted.body;
  EXPECT_EQ(Text(submitted.Json(), "state"), "submitted");
  EXPECT_EQ(worker.Post(plan_path + "/approve", json::object{{"version", Int(submitted.Json(), "version")}}).status,
            403u);
  const auto silent =
      supervisor.Post(plan_path + "/return", json::object{{"version", Int(submitted.Json(), "version")}});
  EXPECT_EQ(silent.status, 409u);
  EXPECT_EQ(Text(silent.Json(), "code"), "comment_required");
  const auto returned =
      supervisor.Post(plan_path + "/return",
                      json::object{{"comment", "請加入學校聯絡"}, {"version", Int(submitted.Json(), "version")}});
  ASSERT_EQ(returned.status, 200u) << returned.body;
  EXPECT_EQ(Text(returned.Json(), "state"), "returned");

  json::object revised = content;
  revised["goals"].as_array().push_back(
      json::object{{"domain", domain}, {"goal", "與學校社工每月聯絡"}, {"interventions", json::array{}}});
  const auto resaved = worker.Put(
      plan_path,
      json::object{{"content", revised}, {"review_on", "2099-06-30"}, {"version", Int(returned.Json(), "version")}});
  ASSERT_EQ(resaved.status, 200u) << resaved.body;
  const auto resubmitted =
      worker.Post(plan_path + "/submit", json::object{{"version", Int(resaved.Json(), "version")}});
  ASSERT_EQ(resubmitted.status, 200u);
  const auto approved = supervisor.Post(
      plan_path + "/approve", json::object{{"comment", "同意"}, {"version", Int(resubmitted.Json(), "version")}});
  ASSERT_EQ(approved.status, 200u) << approved.body;
  EXPECT_EQ(Text(approved.Json(), "state"), "approved");
  EXPECT_EQ(Text(supervisor.Get(case_path).Json(), "next_review_on"), "2099-06-30");

  // Locked: an approved version is never saved again; changes go into the next version, a copy.
  const auto locked =
      worker.Put(plan_path, json::object{{"content", content}, {"version", Int(approved.Json(), "version")}});
  EXPECT_EQ(locked.status, 409u);
  EXPECT_EQ(Text(locked.Json(), "code"), "invalid_transition");
  const auto next = worker.Post(case_path + "/plans", json::object{});
  ASSERT_EQ(next.status, 201u);
  EXPECT_EQ(Int(next.Json(), "plan_version"), 2);
  EXPECT_EQ(next.Json().at("content").at("goals").as_array().size(), 2u);

  // The whole exchange is kept.
  const auto plans = worker.Get(case_path + "/plans");
  ASSERT_EQ(plans.status, 200u);
  const auto& exchange = plans.Json().at("items").as_array().front().at("exchange").as_array();
  ASSERT_EQ(exchange.size(), 4u);
  EXPECT_EQ(Text(exchange[0], "action"), "submit");
  EXPECT_EQ(Text(exchange[1], "action"), "return");
  EXPECT_EQ(Text(exchange[1], "comment"), "請加入學校聯絡");
  EXPECT_EQ(Text(exchange[3], "action"), "approve");
}

TEST(CaseWork, AHighRiskAssessmentAlertsTheSupervisorAtOnce) {
  Client worker = Worker();
  Client supervisor = Supervisor();
  const json::value record = AllocatedCase(worker, supervisor);
  const std::string case_path = "/api/v1/cases/" + std::to_string(Int(record, "id"));
  const auto unknown = worker.Post(case_path + "/assessments", json::object{{"tool", "elderly_needs"}});
  EXPECT_EQ(unknown.status, 422u);
  EXPECT_TRUE(FieldCodes(unknown).contains("tool:not_found"));
  const auto started = worker.Post(case_path + "/assessments", json::object{{"tool", "child_protection_risk"}});
  ASSERT_EQ(started.status, 201u) << started.body;

  // An answer that the tool's level overrides to high, whatever the score.
  const json::value form = worker.Get("/api/v1/forms/child_protection_risk").Json();
  json::object answers;
  for (const auto& computed : form.at("computed").as_array()) {
    if (Text(computed, "kind") != "level" || !computed.as_object().contains("overrides")) continue;
    for (const auto& raise : computed.at("overrides").as_array()) {
      const auto& when = raise.at("when").as_object();
      if (Text(raise, "value") == "high" && when.contains("equals") && answers.empty()) {
        answers[Text(when, "field")] = when.at("equals");
      }
    }
  }
  ASSERT_FALSE(answers.empty());
  const std::string path = "/api/v1/assessments/" + std::to_string(Int(started.Json(), "id"));
  const json::value done = CompleteForm(worker, path, "child_protection_risk", Int(started.Json(), "form_version"),
                                        Int(started.Json(), "version"), answers, json::object{});
  EXPECT_EQ(Text(done, "state"), "completed");
  EXPECT_EQ(Text(done, "risk_level"), "high");
  EXPECT_EQ(Text(worker.Get(case_path).Json(), "risk_level"), "high");
  EXPECT_EQ(worker.Put(path, json::object{{"answers", json::object{}}, {"version", Int(done, "version")}}).status,
            409u);

  const auto alerts = supervisor.Get("/api/v1/alerts?unread=true");
  ASSERT_EQ(alerts.status, 200u) << alerts.body;
  bool raised = false;
  for (const auto& alert : alerts.Json().at("items").as_array()) {
    raised = raised ||
             (Text(alert, "kind") == "case_high_risk" && Text(alert, "record_id") == std::to_string(Int(record, "id")));
  }
  EXPECT_TRUE(raised);

  // The supervisor's note of having looked at the case is what dismisses the alert; workers do not write those.
  const json::object supervision{
      {"contact_at", "2026-01-06T12:00:00Z"}, {"kind", "supervision"}, {"body", "已與社工商討安全計劃，即日家訪。"}};
  EXPECT_EQ(worker.Post(case_path + "/notes", supervision).status, 403u);
  ASSERT_EQ(supervisor.Post(case_path + "/notes", supervision).status, 201u);
  const auto after = supervisor.Get("/api/v1/alerts?unread=true");
  for (const auto& alert : after.Json().at("items").as_array()) {
    EXPECT_FALSE(Text(alert, "kind") == "case_high_risk" &&
                 Text(alert, "record_id") == std::to_string(Int(record, "id")));
  }
  const auto listed = worker.Get(case_path + "/assessments");
  ASSERT_EQ(listed.status, 200u);
  EXPECT_EQ(listed.Json().at("items").as_array().size(), 1u);
}

TEST(CaseWork, ClosureIsAskedForApprovedOrReturnedAndACaseCanBeReopened) {
  Client worker = Worker();
  Client supervisor = Supervisor();
  const json::value record = AllocatedCase(worker, supervisor);
  const std::string case_path = "/api/v1/cases/" + std::to_string(Int(record, "id"));
  const json::value type = worker.Get("/api/v1/service-types/child_protection").Json();
  const std::string reason = Text(type.at("closure_reasons").as_array().front(), "value");
  long long version = Int(record, "version");

  const auto draft = worker.Post(case_path + "/plans", json::object{});
  ASSERT_EQ(draft.status, 201u);
  const auto bare = worker.Post(case_path + "/request-closure", json::object{{"version", version}});
  EXPECT_EQ(bare.status, 409u);
  EXPECT_EQ(Text(bare.Json(), "code"), "closure_details_required");
  const auto unknown =
      worker.Post(case_path + "/request-closure",
                  json::object{{"closure_reason", "bored"}, {"closing_summary", "完成"}, {"version", version}});
  EXPECT_EQ(unknown.status, 422u);
  EXPECT_TRUE(FieldCodes(unknown).contains("closure_reason:invalid_choice"));
  EXPECT_EQ(worker.Post(case_path + "/approve-closure", json::object{{"version", version}}).status, 403u);
  const auto asked =
      worker.Post(case_path + "/request-closure",
                  json::object{{"closure_reason", reason}, {"closing_summary", "目標已達成。"}, {"version", version}});
  ASSERT_EQ(asked.status, 200u) << asked.body;
  EXPECT_EQ(Text(asked.Json(), "state"), "closure_requested");
  const auto silent =
      supervisor.Post(case_path + "/return-closure", json::object{{"version", Int(asked.Json(), "version")}});
  EXPECT_EQ(silent.status, 409u);
  EXPECT_EQ(Text(silent.Json(), "code"), "comment_required");
  const auto back =
      supervisor.Post(case_path + "/return-closure",
                      json::object{{"comment", "請先完成最後一次家訪"}, {"version", Int(asked.Json(), "version")}});
  ASSERT_EQ(back.status, 200u);
  EXPECT_EQ(Text(back.Json(), "state"), "active");
  const auto again =
      worker.Post(case_path + "/request-closure", json::object{{"closure_reason", reason},
                                                               {"closing_summary", "已完成最後家訪，目標已達成。"},
                                                               {"version", Int(back.Json(), "version")}});
  ASSERT_EQ(again.status, 200u);
  const auto closed =
      supervisor.Post(case_path + "/approve-closure", json::object{{"version", Int(again.Json(), "version")}});
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(Text(closed.Json(), "state"), "closed");
  EXPECT_FALSE(Text(closed.Json(), "closed_at").empty());
  const auto late = worker.Post(case_path + "/notes",
                                json::object{{"contact_at", "2026-01-06T10:00:00Z"}, {"kind", "phone"}, {"body", "x"}});
  EXPECT_EQ(late.status, 409u);
  EXPECT_EQ(
      worker.Post(case_path + "/request-closure", json::object{{"version", Int(closed.Json(), "version")}}).status,
      409u);

  // Nothing more is written on a closed case: no plan saved, no assessment started.
  const auto closed_plan =
      worker.Put("/api/v1/plans/" + std::to_string(Int(draft.Json(), "id")),
                 json::object{{"content", json::object{}}, {"version", Int(draft.Json(), "version")}});
  EXPECT_EQ(closed_plan.status, 409u);
  EXPECT_EQ(Text(closed_plan.Json(), "record_kind"), "case");
  EXPECT_EQ(worker.Post(case_path + "/assessments", json::object{{"tool", "child_protection_risk"}}).status, 409u);
  const auto unexplained =
      supervisor.Post(case_path + "/reopen", json::object{{"version", Int(closed.Json(), "version")}});
  EXPECT_EQ(unexplained.status, 422u);
  const auto reopened = supervisor.Post(
      case_path + "/reopen", json::object{{"reason", "再次接獲舉報"}, {"version", Int(closed.Json(), "version")}});
  ASSERT_EQ(reopened.status, 200u) << reopened.body;
  EXPECT_EQ(Text(reopened.Json(), "state"), "unallocated");
  EXPECT_TRUE(reopened.Json().at("worker_id").is_null());
  const auto history = supervisor.Get(case_path);
  std::vector<std::string> actions;
  for (const auto& event : history.Json().at("history").as_array()) actions.push_back(Text(event, "action"));
  EXPECT_EQ(actions, (std::vector<std::string>{"open", "allocate", "request_closure", "return_closure",
                                               "request_closure", "approve_closure", "reopen"}));
  EXPECT_NE(std::ranges::find(history.Json().at("allowed_actions").as_array(), json::value("allocate")),
            history.Json().at("allowed_actions").as_array().end());
}

TEST(CaseWork, AReferralIsAnsweredByTheReceivingUnitAndOnlyAcceptanceExtendsAccess) {
  Client worker = Worker();
  Client supervisor = Supervisor();
  const json::value record = AllocatedCase(worker, supervisor);
  const long long case_id = Int(record, "id");
  const std::string case_path = "/api/v1/cases/" + std::to_string(case_id);
  const json::object referral_body{{"person_id", Int(record, "person_id")},
                                   {"to_unit_id", UnitId("IFSC-KC")},
                                   {"service_type", "child_protection"},
                                   {"reason", "家庭遷往九龍城，需由當區中心跟進。"},
                                   {"urgency", "high"},
                                   {"case_id", case_id}};
  json::object elsewhere = referral_body;
  elsewhere["to_unit_id"] = UnitId("NGO-CARE-NEC");
  const auto refused = worker.Post("/api/v1/referrals", elsewhere);
  ASSERT_EQ(refused.status, 422u) << refused.body;
  EXPECT_TRUE(FieldCodes(refused).contains("to_unit_id:not_provided_here"));
  json::object vague = referral_body;
  vague["urgency"] = "whenever";
  vague.erase("reason");
  const auto unclear = worker.Post("/api/v1/referrals", vague);
  EXPECT_TRUE(FieldCodes(unclear).contains("urgency:invalid_choice"));
  EXPECT_TRUE(FieldCodes(unclear).contains("reason:required"));
  const auto sent = worker.Post("/api/v1/referrals", referral_body);
  ASSERT_EQ(sent.status, 201u) << sent.body;
  EXPECT_EQ(Text(sent.Json(), "state"), "sent");
  EXPECT_FALSE(sent.Json().at("overdue").as_bool());
  const std::string referral_path = "/api/v1/referrals/" + std::to_string(Int(sent.Json(), "id"));
  const auto outbox = worker.Get("/api/v1/referrals?box=out&state=sent");
  ASSERT_EQ(outbox.status, 200u);
  EXPECT_EQ(Int(outbox.Json().at("items").as_array().front(), "id"), Int(sent.Json(), "id"));

  // The receiving unit sees the referral, not the case, until it accepts.
  const StaffBuilder kc_builder = StaffBuilder{}.WithRole("supervisor").WithUnit("IFSC-KC");
  (void)kc_builder.Create();
  auto [kc, kc_password] = ReadyAccount(kc_builder);
  const auto inbox = kc.Get("/api/v1/referrals?box=in");
  ASSERT_EQ(inbox.status, 200u);
  bool listed = false;
  for (const auto& item : inbox.Json().at("items").as_array())
    listed = listed || Int(item, "id") == Int(sent.Json(), "id");
  EXPECT_TRUE(listed);
  EXPECT_EQ(kc.Get(referral_path).status, 200u);
  EXPECT_EQ(kc.Get(case_path).status, 403u);
  EXPECT_EQ(worker.Post(referral_path + "/accept", json::object{{"version", Int(sent.Json(), "version")}}).status,
            403u);
  const auto silent = kc.Post(referral_path + "/decline", json::object{{"version", Int(sent.Json(), "version")}});
  EXPECT_EQ(silent.status, 409u);
  EXPECT_EQ(Text(silent.Json(), "code"), "reason_required");
  const auto accepted = kc.Post(referral_path + "/accept",
                                json::object{{"note", "本中心接手"}, {"version", Int(sent.Json(), "version")}});
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  EXPECT_EQ(Text(accepted.Json(), "state"), "accepted");
  const long long new_case = Int(accepted.Json(), "accepted_case_id");
  const auto theirs = kc.Get("/api/v1/cases/" + std::to_string(new_case));
  ASSERT_EQ(theirs.status, 200u) << theirs.body;
  EXPECT_EQ(Text(theirs.Json(), "state"), "unallocated");
  EXPECT_EQ(Int(theirs.Json(), "unit_id"), UnitId("IFSC-KC"));
  // From the acceptance the referring case is readable there, and only readable.
  EXPECT_EQ(kc.Get(case_path).status, 200u);
  EXPECT_EQ(kc.Get(case_path + "/notes").status, 200u);
  EXPECT_TRUE(kc.Get(case_path).Json().at("allowed_actions").as_array().empty());
  EXPECT_EQ(kc.Post(case_path + "/notes",
                    json::object{{"contact_at", "2026-01-06T10:00:00Z"}, {"kind", "phone"}, {"body", "x"}})
                .status,
            403u);
  EXPECT_EQ(worker.Get("/api/v1/cases/" + std::to_string(new_case)).status, 403u);
  EXPECT_EQ(worker.Post(referral_path + "/withdraw", json::object{{"version", Int(accepted.Json(), "version")}}).status,
            409u);
  // The sender sees the answer.
  const auto answered = worker.Get(referral_path);
  EXPECT_EQ(Text(answered.Json(), "state"), "accepted");
  EXPECT_EQ(Text(answered.Json(), "response_note"), "本中心接手");
}

/// YYYY-MM-DD `days` from today (UTC).
std::string DayFromToday(int days) {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) + std::chrono::days(days);
  const std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return text;
}

/// True when `list` (work items) names the id in `key`.
bool Names(const json::value& list, const std::string& key, long long id) {
  return std::ranges::any_of(list.as_array(), [&](const json::value& item) { return Int(item, key) == id; });
}

TEST(CaseWork, HomePagesShowTheWorkTheRecordsCallFor) {
  Client worker = Worker();
  Client supervisor = Supervisor();
  const json::value record = AllocatedCase(worker, supervisor);
  const long long case_id = Int(record, "id");
  const std::string case_path = "/api/v1/cases/" + std::to_string(case_id);
  const json::value type = worker.Get("/api/v1/service-types/child_protection").Json();
  const json::object content{
      {"goals", json::array{json::object{{"domain", Text(type.at("plan_domains").as_array().front(), "value")},
                                         {"goal", "確保安全"}}}}};

  const auto draft = worker.Post(case_path + "/plans", json::object{});
  ASSERT_EQ(draft.status, 201u);
  const std::string plan_path = "/api/v1/plans/" + std::to_string(Int(draft.Json(), "id"));
  const long long plan_id = Int(draft.Json(), "id");
  EXPECT_TRUE(Names(worker.Get("/api/v1/me/work").Json().at("worker").at("plan_drafts"), "plan_id", plan_id));
  const auto saved = worker.Put(
      plan_path,
      json::object{{"content", content}, {"review_on", DayFromToday(7)}, {"version", Int(draft.Json(), "version")}});
  ASSERT_EQ(saved.status, 200u) << saved.body;
  const auto submitted = worker.Post(plan_path + "/submit", json::object{{"version", Int(saved.Json(), "version")}});
  ASSERT_EQ(submitted.status, 200u);

  const auto boss = supervisor.Get("/api/v1/me/work");
  ASSERT_EQ(boss.status, 200u) << boss.body;
  EXPECT_TRUE(Names(boss.Json().at("supervisor").at("plans_to_approve"), "plan_id", plan_id));
  const auto returned = supervisor.Post(
      plan_path + "/return", json::object{{"comment", "請補充"}, {"version", Int(submitted.Json(), "version")}});
  ASSERT_EQ(returned.status, 200u);
  const auto mine = worker.Get("/api/v1/me/work");
  EXPECT_TRUE(Names(mine.Json().at("worker").at("plans_returned"), "plan_id", plan_id));
  EXPECT_FALSE(
      Names(supervisor.Get("/api/v1/me/work").Json().at("supervisor").at("plans_to_approve"), "plan_id", plan_id));
  EXPECT_TRUE(mine.Json().at("supervisor").is_null());
  const auto resubmitted =
      worker.Post(plan_path + "/submit", json::object{{"version", Int(returned.Json(), "version")}});
  const auto approved =
      supervisor.Post(plan_path + "/approve", json::object{{"version", Int(resubmitted.Json(), "version")}});
  ASSERT_EQ(approved.status, 200u) << approved.body;
  // Doing the work cleared the tasks; the approved plan's review date now makes the review due soon.
  const auto after = worker.Get("/api/v1/me/work").Json();
  EXPECT_FALSE(Names(after.at("worker").at("plans_returned"), "plan_id", plan_id));
  EXPECT_TRUE(Names(after.at("worker").at("reviews_due"), "case_id", case_id));
  EXPECT_TRUE(Names(after.at("worker").at("active_cases"), "case_id", case_id));

  // A case nobody is allocated yet waits on the supervisor's page.
  const json::value person = PersonBuilder{}.Create(worker);
  const auto started = worker.Post(
      "/api/v1/intakes", json::object{{"person_id", Int(person, "id")}, {"service_type", "integrated_family"}});
  ASSERT_EQ(started.status, 201u) << started.body;
  EXPECT_TRUE(
      Names(worker.Get("/api/v1/me/work").Json().at("worker").at("intake_drafts"), "id", Int(started.Json(), "id")));
  const json::value intake = CompleteIntake(worker, started.Json(), json::object{}, "open_case");
  const auto waiting = supervisor.Get("/api/v1/me/work").Json().at("supervisor").at("unallocated").as_array();
  const auto found = std::ranges::find_if(
      waiting, [&](const json::value& item) { return Int(item, "case_id") == Int(intake, "case_id"); });
  ASSERT_NE(found, waiting.end());
  EXPECT_EQ(Int(*found, "waiting_days"), 0);
}

}  // namespace
}  // namespace welfare::testing
