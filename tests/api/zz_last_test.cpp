// The last suites of the API tests: they break the audit trail and stop the server, so this file is
// listed last (test suites run in the order they are registered). It also holds main().
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "environment.hpp"

namespace welfare::testing {
namespace {

// The last suites: they break the trail and stop the server.
TEST(ZzTamper, VerifyNamesTheAlteredEntry) {
  auto& environment = ServerEnvironment::Get();
  const auto clean = environment.Welfare({"audit", "verify"});
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  if (environment.postgresql()) {
    soci::session admin(*soci::factory_postgresql(), PgConnectString(environment.admin_url()));
    admin << "ALTER TABLE audit_entries DISABLE TRIGGER USER";
    admin << "UPDATE audit_entries SET actor_username = 'mallory' WHERE id = 7";
    admin << "ALTER TABLE audit_entries ENABLE TRIGGER USER";
  } else {
    soci::session admin(*soci::factory_sqlite3(), (environment.dir() / "welfare.db").string());
    admin << "DROP TRIGGER audit_entries_no_update";
    admin << "UPDATE audit_entries SET actor_username = 'mallory' WHERE id = 7";
  }
  const auto broken = environment.Welfare({"audit", "verify"});
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("entry 7"), std::string::npos) << broken.output;
}

TEST(ZzShutdown, SigtermStopsCleanly) { EXPECT_EQ(ServerEnvironment::Get().Stop(), 0); }

}  // namespace
}  // namespace welfare::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  auto& environment = welfare::testing::ServerEnvironment::Get();
  try {
    environment.SetUp();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "API test set-up failed: %s\n", error.what());
    environment.TearDown();
    return 1;
  }
  const int result = RUN_ALL_TESTS();
  environment.TearDown();
  return result;
}
