// Case management through the API: the configuration (forms and service types, versioned).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "helpers.hpp"

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

}  // namespace
}  // namespace welfare::testing
