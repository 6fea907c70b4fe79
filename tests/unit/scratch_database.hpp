/// \file A SQLite database of its own for one test case, in a fresh directory removed afterwards.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "db/database.hpp"
#include "db/migrations.hpp"

namespace welfare::testing {

/// Made in SetUp (named after the running test), gone with the fixture.
class ScratchDatabase {
 public:
  /// `prefix` names the directory; `migrate` applies every migration; `pool` is the connection count.
  explicit ScratchDatabase(const std::string& prefix, bool migrate = true, size_t pool = 2) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("welfare-" + prefix + "-" + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    database_ = std::make_unique<db::Database>(*db::ParseDatabaseUrl("sqlite://" + (dir_ / "t.db").string()), pool);
    if (migrate) (void)db::ApplyMigrations(*database_);
  }
  ~ScratchDatabase() {
    database_.reset();
    std::filesystem::remove_all(dir_);
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  db::Database& operator*() { return *database_; }
  db::Database* operator->() { return database_.get(); }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<db::Database> database_;
};

}  // namespace welfare::testing
