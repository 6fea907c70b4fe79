// The audit trail on a real SQLite database: append, search, the append-only triggers, and
// verification that names the first altered entry.
#include <gtest/gtest.h>

#include <filesystem>

#include <soci/soci.h>

#include "audit/audit_log.hpp"
#include "auth/permissions.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "scratch_database.hpp"

namespace welfare::audit {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override { log_ = std::make_unique<AuditLog>(*database_); }
  void TearDown() override { log_.reset(); }

  static Actor Someone(std::string username) {
    return Actor{.user_id = 1, .username = std::move(username), .request_id = "req", .client_ip = "127.0.0.1"};
  }
  void AppendMany(int count) {
    for (int entry_idx = 0; entry_idx < count; ++entry_idx) {
      log_->AppendNow(Someone(entry_idx % 2 ? "amy" : "bob"),
                      Event{.action = entry_idx % 3 ? "staff.update" : "unit.create",
                            .record_type = "staff",
                            .record_id = std::to_string(entry_idx),
                            .changes = boost::json::object{{"n", entry_idx}}});
    }
  }

  testing::ScratchDatabase database_{"audit"};
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditTest, AnUntouchedChainVerifies) {
  AppendMany(25);
  long long last_progress = 0;
  const auto result = log_->Verify([&](long long done, long long) { last_progress = done; });
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.entries_checked, 25);
  EXPECT_EQ(last_progress, 25);
}

TEST_F(AuditTest, SearchFiltersAndPagesNewestFirst) {
  AppendMany(10);
  auto page = log_->Search(Query{.actor = "amy", .limit = 3});
  ASSERT_EQ(page.size(), 3u);
  EXPECT_GT(page[0].id, page[1].id);
  for (const auto& entry : page) EXPECT_EQ(entry.actor_username, "amy");
  const auto next = log_->Search(Query{.actor = "amy", .before_id = page.back().id, .limit = 10});
  EXPECT_EQ(next.size(), 2u);
  EXPECT_EQ(log_->Search(Query{.action = "unit."}).size(), 4u);
  EXPECT_EQ(log_->Search(Query{.record_type = "staff", .record_id = "7"}).size(), 1u);
  EXPECT_TRUE(log_->Search(Query{.to = "2000-01-01"}).empty());
}

TEST_F(AuditTest, EntriesCannotBeChangedOrDeleted) {
  AppendMany(2);
  db::Database::Lease sql(*database_);
  EXPECT_THROW(*sql << "UPDATE audit_entries SET action = 'x' WHERE id = 1", soci::soci_error);
  EXPECT_THROW(*sql << "DELETE FROM audit_entries WHERE id = 1", soci::soci_error);
}

TEST_F(AuditTest, VerificationNamesTheFirstAlteredEntry) {
  AppendMany(12);
  {
    db::Database::Lease sql(*database_);
    // Someone with file access drops the guard and rewrites history.
    *sql << "DROP TRIGGER audit_entries_no_update";
    *sql << "UPDATE audit_entries SET actor_username = 'mallory' WHERE id = 5";
  }
  const auto result = log_->Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_broken_id, 5);
  EXPECT_FALSE(result.problem.empty());
}

TEST_F(AuditTest, VerificationNoticesADeletedEntry) {
  AppendMany(6);
  {
    db::Database::Lease sql(*database_);
    *sql << "DROP TRIGGER audit_entries_no_delete";
    *sql << "DELETE FROM audit_entries WHERE id = 3";
  }
  const auto result = log_->Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_broken_id, 4);
}

TEST_F(AuditTest, ChangesRecordOnlyWhatDiffers) {
  Changes changes;
  changes.Field("name", std::string("a"), std::string("b")).Field("email", std::string("x"), std::string("x"));
  const auto object = changes.Take();
  EXPECT_EQ(object.size(), 1u);
  EXPECT_EQ(object.at("name").at("to").as_string(), "b");
}

TEST_F(AuditTest, RolesGrantOnlyKnownPermissions) {
  db::Database::Lease sql(*database_);
  std::string permission;
  soci::statement statement =
      (sql->prepare << "SELECT DISTINCT permission FROM role_permissions", soci::into(permission));
  statement.execute();
  int count = 0;
  while (statement.fetch()) {
    EXPECT_TRUE(auth::perm::IsKnown(permission)) << permission;
    ++count;
  }
  EXPECT_EQ(count, static_cast<int>(auth::perm::kAll.size()));
}

}  // namespace
}  // namespace welfare::audit
