// Case management configuration: the shipped forms and service types read cleanly, and loading them is versioned
// (the same content adds nothing, a change adds a version, a change made through the API is left in place).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>

#include "audit/audit_log.hpp"
#include "auth/unit_service.hpp"
#include "cases/catalog.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "scratch_database.hpp"

namespace welfare::cases {
namespace {
namespace json = boost::json;

const std::filesystem::path kShipped = std::filesystem::path(WELFARE_SOURCE_DIR) / "config";

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    audit_ = std::make_unique<audit::AuditLog>(*database_);
    auth::UnitService units(*database_, *audit_);
    for (const char* code : {"SWD", "SWD-EW", "SWD-KC", "IFSC-EAST", "IFSC-KC", "HUALIEN", "HUALIEN-CITY", "JIAN",
                             "NGO-CARE", "NGO-CARE-NEC"}) {
      auto unit = database_->Write<auth::Unit>([&](soci::session& sql) {
        return units.CreateTrusted(sql, actor_,
                                   auth::Unit{.kind = "ngo", .code = code, .name_zh = code, .name_en = code});
      });
      ASSERT_TRUE(unit.has_value()) << code;
    }
    catalog_ = std::make_unique<Catalog>(*database_, *audit_);
  }
  void TearDown() override {
    catalog_.reset();
    audit_.reset();
  }

  /// A copy of the shipped configuration to change.
  std::filesystem::path CopyShipped() {
    const auto copy = database_.dir() / "config";
    std::filesystem::copy(kShipped, copy, std::filesystem::copy_options::recursive);
    return copy;
  }

  static void Rewrite(const std::filesystem::path& file, const std::function<void(json::object&)>& change) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    json::value value = json::parse(text);
    change(value.as_object());
    std::ofstream(file) << json::serialize(value);
  }

  audit::Actor actor_{.request_id = "test", .client_ip = "127.0.0.1"};
  testing::ScratchDatabase database_{"catalog"};
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, TheShippedConfigurationLoadsOnceAndThenAddsNothing) {
  auto first = catalog_->LoadDirectory(kShipped, actor_);
  ASSERT_TRUE(first) << (first ? ""
                         : first.error().fields.empty()
                             ? first.error().code
                             : first.error().fields.front().field + " " + first.error().fields.front().code);
  EXPECT_GE(first->added.size(), 12U);
  EXPECT_TRUE(first->unchanged.empty());
  auto second = catalog_->LoadDirectory(kShipped, actor_);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->added.empty());
  EXPECT_EQ(second->unchanged.size(), first->added.size());

  EXPECT_GE(catalog_->Types().size(), 5U);
  auto protection = catalog_->Type("child_protection");
  ASSERT_TRUE(protection);
  ASSERT_TRUE(protection->type.risk.has_value());
  EXPECT_EQ(protection->unit_ids.size(), 2U);
  auto tool = catalog_->Form(protection->type.risk->tool);
  ASSERT_TRUE(tool);
  const forms::Computed* level = tool->FindComputed(protection->type.risk->level);
  ASSERT_NE(level, nullptr);
  EXPECT_EQ(level->kind, forms::Computed::Kind::kLevel);
  for (const auto& alert : protection->type.risk->alert_levels) {
    EXPECT_TRUE(std::ranges::any_of(level->bands, [&](const forms::Band& band) { return band.value == alert; }));
  }
  auto residential = catalog_->Type("residential_care");
  ASSERT_TRUE(residential);
  ASSERT_TRUE(residential->type.waitlist.has_value());
  EXPECT_FALSE(residential->type.waitlist->priority.empty());
}

TEST_F(CatalogTest, AChangedFileAddsAVersionAndKeepsTheOldOne) {
  const auto config = CopyShipped();
  ASSERT_TRUE(catalog_->LoadDirectory(config, actor_));
  Rewrite(config / "forms" / "family_needs.json",
          [](json::object& form) { form["title"].as_object()["en"] = "Family needs assessment (revised)"; });
  auto report = catalog_->LoadDirectory(config, actor_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->added, std::vector<std::string>{"form family_needs: version 2"});
  auto latest = catalog_->Form("family_needs");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(latest->title.en, "Family needs assessment (revised)");
  auto first = catalog_->Form("family_needs", 1);
  ASSERT_TRUE(first);
  EXPECT_NE(first->title.en, latest->title.en);
  EXPECT_FALSE(catalog_->Form("family_needs", 3));
}

TEST_F(CatalogTest, AVersionChangedThroughTheApiIsNotOverwrittenByTheFile) {
  const auto config = CopyShipped();
  ASSERT_TRUE(catalog_->LoadDirectory(config, actor_));
  {
    db::Database::Lease sql(*database_);
    *sql << "UPDATE form_definitions SET source = 'api' WHERE code = 'family_needs'";
  }
  Rewrite(config / "forms" / "family_needs.json",
          [](json::object& form) { form["title"].as_object()["en"] = "Shipped later"; });
  auto report = catalog_->LoadDirectory(config, actor_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->added.empty());
  ASSERT_EQ(report->kept.size(), 1U);
  EXPECT_EQ(catalog_->Form("family_needs")->version, 1);
}

TEST_F(CatalogTest, EveryProblemOfEveryFileIsReportedAndNothingIsStored) {
  const auto config = CopyShipped();
  Rewrite(config / "forms" / "family_needs.json", [](json::object& form) { form["sections"] = json::array{}; });
  Rewrite(config / "service-types" / "child_protection.json", [](json::object& type) {
    type["units"] = json::array{"NOWHERE"};
    type["review_interval_days"] = 1;
  });
  std::ofstream(config / "forms" / "broken.json") << "{not json";
  auto report = catalog_->LoadDirectory(config, actor_);
  ASSERT_FALSE(report);
  std::set<std::string> problems;
  for (const auto& field : report.error().fields) problems.insert(field.field + " " + field.code);
  EXPECT_TRUE(problems.contains("forms/family_needs.json: sections required"));
  EXPECT_TRUE(problems.contains("service-types/child_protection.json: review_interval_days out_of_range"));
  EXPECT_TRUE(problems.contains("forms/broken.json malformed_json"));
  EXPECT_TRUE(catalog_->Forms().empty());
  EXPECT_TRUE(catalog_->Types().empty());
}

}  // namespace
}  // namespace welfare::cases
