// Forms as data: reading definitions (every problem reported with its path), checking answers, computed values,
// and the state machine helper.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "forms/form.hpp"
#include "workflow/state_machine.hpp"

namespace welfare {
namespace {
namespace json = boost::json;

json::value Label(std::string_view text) { return json::object{{"zh", "中" + std::string(text)}, {"en", text}}; }

/// A small risk assessment: two scored questions, a follow-up required when there was an injury, a section shown
/// only for school-age children, a score and a level raised by immediate danger.
json::value RiskForm() {
  return json::object{
      {"code", "risk_check"},
      {"version", 2},
      {"title", Label("Risk check")},
      {"sections",
       json::array{
           json::object{
               {"id", "safety"},
               {"title", Label("Safety")},
               {"fields",
                json::array{
                    json::object{
                        {"id", "injury"},
                        {"type", "choice"},
                        {"label", Label("Injury")},
                        {"required", true},
                        {"options",
                         json::array{json::object{{"value", "none"}, {"label", Label("None")}},
                                     json::object{{"value", "minor"}, {"label", Label("Minor")}, {"score", 3}},
                                     json::object{{"value", "serious"}, {"label", Label("Serious")}, {"score", 8}}}}},
                    json::object{{"id", "injury_detail"},
                                 {"type", "textarea"},
                                 {"label", Label("Describe the injury")},
                                 {"max_length", 20},
                                 {"required_if", json::object{{"field", "injury"}, {"not_in", {"none"}}}}},
                    json::object{{"id", "immediate_danger"},
                                 {"type", "boolean"},
                                 {"label", Label("Immediate danger")},
                                 {"score_if_true", 5}},
                    json::object{{"id", "age"}, {"type", "integer"}, {"label", Label("Age")}, {"min", 0}, {"max", 17}},
                    json::object{
                        {"id", "seen_on"}, {"type", "date"}, {"label", Label("Seen on")}, {"not_in_future", true}},
                    json::object{
                        {"id", "concerns"},
                        {"type", "multi_choice"},
                        {"label", Label("Concerns")},
                        {"max", 2},
                        {"options",
                         json::array{
                             json::object{{"value", "food"}, {"label", Label("Food")}, {"score", 1}},
                             json::object{{"value", "school"}, {"label", Label("School")}, {"score", 2}},
                             json::object{{"value", "housing"}, {"label", Label("Housing")}, {"score", 4}}}}}}}},
           json::object{
               {"id", "school"},
               {"title", Label("School")},
               {"visible_if", json::object{{"field", "age"}, {"at_least", 6}}},
               {"fields",
                json::array{json::object{
                    {"id", "school_name"}, {"type", "text"}, {"label", Label("School")}, {"required", true}}}}}}},
      {"computed",
       json::array{json::object{{"id", "score"},
                                {"kind", "sum"},
                                {"label", Label("Score")},
                                {"fields", {"injury", "immediate_danger", "concerns"}}},
                   json::object{
                       {"id", "level"},
                       {"kind", "level"},
                       {"label", Label("Level")},
                       {"source", "score"},
                       {"bands", json::array{json::object{{"from", 0}, {"value", "low"}, {"label", Label("Low")}},
                                             json::object{{"from", 5}, {"value", "medium"}, {"label", Label("Medium")}},
                                             json::object{{"from", 10}, {"value", "high"}, {"label", Label("High")}}}},
                       {"overrides", json::array{json::object{
                                         {"when", json::object{{"field", "immediate_danger"}, {"equals", true}}},
                                         {"value", "high"}}}}}}}};
}

forms::FormDefinition Parsed() {
  auto form = forms::ParseDefinition(RiskForm());
  EXPECT_TRUE(form) << (form ? "" : form.error().fields.front().field);
  return *form;
}

std::set<std::string> Codes(const Error& error) {
  std::set<std::string> codes;
  for (const auto& field : error.fields) codes.insert(field.field + ":" + field.code);
  return codes;
}

TEST(FormDefinition, ReadsAndWritesTheSameShape) {
  const auto form = Parsed();
  EXPECT_EQ(form.code, "risk_check");
  EXPECT_EQ(form.version, 2);
  ASSERT_EQ(form.sections.size(), 2U);
  EXPECT_EQ(form.sections[0].fields[0].options[2].score, 8);
  const auto again = forms::ParseDefinition(forms::DefinitionJson(form));
  ASSERT_TRUE(again);
  EXPECT_EQ(forms::DefinitionJson(*again), forms::DefinitionJson(form));
}

TEST(FormDefinition, ReportsEveryProblemWithItsPath) {
  json::value broken = RiskForm();
  auto& object = broken.as_object();
  object["version"] = 0;
  auto& safety = object["sections"].as_array()[0].as_object()["fields"].as_array();
  safety[0].as_object()["type"] = "dropdown";
  safety[1].as_object()["label"] = json::object{{"zh", "說明"}};
  safety[2].as_object()["id"] = "injury";  // taken
  safety[3].as_object()["required_if"] = json::object{{"field", "nowhere"}, {"equals", 1}};
  object["computed"].as_array()[1].as_object()["overrides"].as_array()[0].as_object()["value"] = "extreme";
  const auto form = forms::ParseDefinition(broken);
  ASSERT_FALSE(form);
  const auto codes = Codes(form.error());
  EXPECT_TRUE(codes.contains("version:out_of_range"));
  EXPECT_TRUE(codes.contains("sections.0.fields.0.type:invalid_choice"));
  EXPECT_TRUE(codes.contains("sections.0.fields.1.label.en:required"));
  EXPECT_TRUE(codes.contains("sections.0.fields.2.id:taken"));
  EXPECT_TRUE(codes.contains("sections.0.fields.3.required_if.field:not_found"));
  EXPECT_TRUE(codes.contains("computed.1.overrides.0.value:invalid_choice"));
}

TEST(FormFill, ComputesTheScoreAndTheLevel) {
  const auto form = Parsed();
  auto filled = forms::Fill(
      form, json::object{{"injury", "minor"}, {"injury_detail", " bruise "}, {"concerns", {"school", "school"}}},
      forms::Completeness::kComplete, "2026-11-23");
  ASSERT_TRUE(filled);
  EXPECT_EQ(filled->computed.at("score").as_double(), 5.0);
  EXPECT_EQ(filled->computed.at("level").as_string(), "medium");
  EXPECT_EQ(filled->answers.at("injury_detail").as_string(), "bruise");
  EXPECT_EQ(filled->answers.at("concerns").as_array().size(), 1U);  // the same choice once
}

TEST(FormFill, AnOverrideRaisesTheLevelButNeverLowersIt) {
  const auto form = Parsed();
  auto danger = forms::Fill(form, json::object{{"injury", "none"}, {"immediate_danger", true}},
                            forms::Completeness::kComplete, "2026-11-23");
  ASSERT_TRUE(danger);
  EXPECT_EQ(danger->computed.at("score").as_double(), 5.0);
  EXPECT_EQ(danger->computed.at("level").as_string(), "high");
  auto high = forms::Fill(
      form, json::object{{"injury", "serious"}, {"injury_detail", "burn"}, {"concerns", {"food", "school"}}},
      forms::Completeness::kComplete, "2026-11-23");
  ASSERT_TRUE(high);
  EXPECT_EQ(high->computed.at("score").as_double(), 11.0);
  EXPECT_EQ(high->computed.at("level").as_string(), "high");
}

TEST(FormFill, RequiredAndRequiredIfHoldOnlyForACompleteForm) {
  const auto form = Parsed();
  const json::object answers{{"injury", "serious"}};
  auto complete = forms::Fill(form, answers, forms::Completeness::kComplete, "2026-11-23");
  ASSERT_FALSE(complete);
  EXPECT_EQ(Codes(complete.error()), std::set<std::string>{"data.injury_detail:required"});
  EXPECT_TRUE(forms::Fill(form, answers, forms::Completeness::kDraft, "2026-11-23"));
  auto empty = forms::Fill(form, json::object{}, forms::Completeness::kComplete, "2026-11-23");
  ASSERT_FALSE(empty);
  // An unanswered question equals nothing, so "not none" holds and the detail is asked for too.
  EXPECT_EQ(Codes(empty.error()), (std::set<std::string>{"data.injury:required", "data.injury_detail:required"}));
}

TEST(FormFill, AHiddenSectionIsNotRequiredAndMayNotBeAnswered) {
  const auto form = Parsed();
  auto young = forms::Fill(form, json::object{{"injury", "none"}, {"age", 4}, {"school_name", "Sunrise"}},
                           forms::Completeness::kDraft, "2026-11-23");
  ASSERT_FALSE(young);
  EXPECT_EQ(Codes(young.error()), std::set<std::string>{"data.school_name:not_applicable"});
  auto older =
      forms::Fill(form, json::object{{"injury", "none"}, {"age", 9}}, forms::Completeness::kComplete, "2026-11-23");
  ASSERT_FALSE(older);
  EXPECT_EQ(Codes(older.error()), std::set<std::string>{"data.school_name:required"});
}

TEST(FormFill, RefusesWrongValuesWithStableCodes) {
  const auto form = Parsed();
  auto filled = forms::Fill(form,
                            json::object{{"injury", "fatal"},
                                         {"injury_detail", "more than twenty characters here"},
                                         {"immediate_danger", "yes"},
                                         {"age", 18},
                                         {"seen_on", "2026-11-24"},
                                         {"concerns", {"food", "school", "housing"}},
                                         {"colour", "red"}},
                            forms::Completeness::kDraft, "2026-11-23", "answers.");
  ASSERT_FALSE(filled);
  EXPECT_EQ(Codes(filled.error()),
            (std::set<std::string>{"answers.injury:invalid_choice", "answers.injury_detail:too_long",
                                   "answers.immediate_danger:invalid_type", "answers.age:out_of_range",
                                   "answers.seen_on:in_future", "answers.concerns:out_of_range",
                                   "answers.colour:unknown_field"}));
  auto bad_date = forms::Fill(form, json::object{{"seen_on", "2026-02-30"}, {"age", 2.5}}, forms::Completeness::kDraft,
                              "2026-11-23");
  ASSERT_FALSE(bad_date);
  EXPECT_EQ(Codes(bad_date.error()), (std::set<std::string>{"data.seen_on:invalid_date", "data.age:invalid_type"}));
}

enum class Door { kClosed, kOpen, kLocked };
struct DoorRecord {
  bool has_key = false;
};

Status NeedsKey(const DoorRecord& door) {
  if (door.has_key) return {};
  return Fail(Error::Make(Canonical::kFailedPrecondition, "key_missing"));
}

TEST(StateMachine, FindsAllowedStepsAndExplainsRefusals) {
  const workflow::StateMachine<Door, DoorRecord> doors(
      "door", {"closed", "open", "locked"},
      {{Door::kClosed, "open", Door::kOpen, "doors.use"},
       {Door::kOpen, "close", Door::kClosed, "doors.use"},
       {Door::kClosed, "lock", Door::kLocked, "doors.lock", NeedsKey},
       {Door::kLocked, "unlock", Door::kClosed, "doors.lock", NeedsKey}});
  auto open = doors.Find(Door::kClosed, "open", {});
  ASSERT_TRUE(open);
  EXPECT_EQ(open->to, Door::kOpen);
  EXPECT_EQ(open->permission, "doors.use");
  auto refused = doors.Find(Door::kOpen, "lock", {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "invalid_transition");
  EXPECT_EQ(refused.error().extra.at("state").as_string(), "open");
  EXPECT_EQ(refused.error().extra.at("allowed_actions"), (json::array{"close"}));
  auto guarded = doors.Find(Door::kClosed, "lock", {});
  ASSERT_FALSE(guarded);
  EXPECT_EQ(guarded.error().code, "key_missing");
  EXPECT_TRUE(doors.Find(Door::kClosed, "lock", DoorRecord{.has_key = true}));
  EXPECT_EQ(doors.Parse("locked"), Door::kLocked);
  EXPECT_FALSE(doors.Parse("ajar"));
  EXPECT_EQ(doors.Actions().size(), 4U);
  EXPECT_EQ(doors.States().size(), 3U);
}

}  // namespace
}  // namespace welfare
