// The database: SQLite's group commit (writers that arrive together share one commit, each in its own savepoint).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include "db/database.hpp"
#include "scratch_database.hpp"

namespace welfare {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db::Database::Lease sql(*database_);
    *sql << "CREATE TABLE rows (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, value INTEGER NOT NULL UNIQUE)";
  }
  long long Count(const std::string& where = "1=1") {
    db::Database::Lease sql(*database_);
    long long count = 0;
    *sql << "SELECT COUNT(*) FROM rows WHERE " + where, soci::into(count);
    return count;
  }

  testing::ScratchDatabase database_{"db", false, 4};
};

Status Insert(soci::session& sql, int writer, int value) {
  sql << "INSERT INTO rows (writer, value) VALUES (:w, :v)", soci::use(writer), soci::use(value);
  return {};
}

TEST_F(GroupCommitTest, ConcurrentWritersKeepExactlyTheirOwnOutcome) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 40;
  std::atomic<int> kept{0}, refused{0}, thrown{0};
  std::vector<std::thread> threads;
  for (int writer = 0; writer < kThreads; ++writer) {
    threads.emplace_back([&, writer] {
      for (int write = 0; write < kWrites; ++write) {
        const int value = writer * 1000 + write;
        try {
          auto outcome = database_->Write<int>([&](soci::session& sql) -> Result<int> {
            (void)Insert(sql, writer, value);
            std::this_thread::sleep_for(std::chrono::microseconds(200));  // long enough for others to queue
            if (write % 5 == 1) return Fail(Error::Validation({{"value", "refused"}}));
            if (write % 7 == 2) throw std::runtime_error("work failed");
            return value;
          });
          if (outcome) {
            EXPECT_EQ(*outcome, value);
            ++kept;
          } else {
            ++refused;
          }
        } catch (const std::runtime_error& error) {
          EXPECT_STREQ(error.what(), "work failed");
          ++thrown;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int expected_kept = 0;
  for (int write = 0; write < kWrites; ++write) expected_kept += (write % 5 != 1 && write % 7 != 2) ? 1 : 0;
  EXPECT_EQ(kept.load(), kThreads * expected_kept);
  EXPECT_EQ(refused.load() + thrown.load() + kept.load(), kThreads * kWrites);
  // Exactly the kept rows are in the database: a refused or failed writer's row went with its savepoint only.
  EXPECT_EQ(Count(), kThreads * expected_kept);
  EXPECT_EQ(Count("value % 1000 % 5 = 1 OR value % 1000 % 7 = 2"), 0);
  // Writers shared commits: fewer transactions (each leases one connection) than writes.
  EXPECT_LT(database_->Stats().leases, static_cast<unsigned long long>(kThreads * kWrites));
}

TEST_F(GroupCommitTest, AConstraintErrorRollsBackOnlyThatWriter) {
  ASSERT_TRUE(database_->Write<void>([](soci::session& sql) { return Insert(sql, 1, 7); }));
  EXPECT_THROW((void)database_->Write<void>([](soci::session& sql) { return Insert(sql, 2, 7); }), soci::soci_error);
  ASSERT_TRUE(database_->Write<void>([](soci::session& sql) { return Insert(sql, 3, 8); }));
  EXPECT_EQ(Count(), 2);
  EXPECT_EQ(Count("writer = 2"), 0);
}

TEST_F(GroupCommitTest, ANestedWriteCommitsAndRollsBackWithTheEnclosingOne) {
  auto outer = [&](bool keep) {
    return database_->Write<void>([&](soci::session& sql) -> Status {
      (void)Insert(sql, 1, keep ? 1 : 2);
      auto nested = database_->Write<void>([&](soci::session& inner) { return Insert(inner, 2, keep ? 11 : 12); });
      EXPECT_TRUE(nested);
      if (!keep) return Fail(Error::Validation({{"value", "refused"}}));
      return {};
    });
  };
  EXPECT_TRUE(outer(true));
  EXPECT_FALSE(outer(false));
  EXPECT_EQ(Count(), 2);
  EXPECT_EQ(Count("value IN (1, 11)"), 2);
}

}  // namespace
}  // namespace welfare
