/// \file The API tests' world: a fresh database (SQLite file or PostgreSQL database), the real server
/// binary started on a free loopback port, and the demo accounts.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace welfare::testing {

/// Result of running a command: exit code and what it printed.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};

/// Starts `binary serve` on 127.0.0.1:`port` with this database and key file (and `extra` arguments), logging to
/// `log`, and waits until it is ready; throws with the log when it is not within 60 s. The caller stops it.
[[nodiscard]] pid_t StartWelfareServer(const std::string& binary, const std::string& database_url,
                                       const std::string& key_file, unsigned short port,
                                       const std::vector<std::string>& extra, const std::string& log);

/// The running server of the test process.
class ServerEnvironment {
 public:
  static ServerEnvironment& Get();

  /// Creates the database, migrates, seeds, starts the server; throws with the server's output on failure.
  void SetUp();
  /// Sends SIGTERM, waits; returns the server's exit code.
  int Stop();
  /// Removes what SetUp made.
  void TearDown();

  [[nodiscard]] unsigned short port() const { return port_; }
  [[nodiscard]] const std::string& database_url() const { return database_url_; }
  /// A superuser URL on PostgreSQL (for tampering in tests); the app URL on SQLite.
  [[nodiscard]] const std::string& admin_url() const { return admin_url_; }
  [[nodiscard]] bool postgresql() const { return postgresql_; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] std::string key_file() const { return (dir_ / "secret.key").string(); }

  /// Starts another server on the same database (waits until it is ready); the caller stops it.
  [[nodiscard]] pid_t StartServer(unsigned short port, const std::vector<std::string>& extra,
                                  const std::string& log) const;
  /// Runs the welfare binary with arguments (database and key file added) and captures its output.
  [[nodiscard]] CommandResult Welfare(const std::vector<std::string>& args) const;

 private:
  std::filesystem::path dir_;
  std::string binary_;
  std::string database_url_;
  std::string admin_url_;
  std::string pg_database_;
  bool postgresql_ = false;
  unsigned short port_ = 0;
  pid_t pid_ = -1;
};

/// The libpq connection string of a postgresql:// URL (as the server itself derives it).
[[nodiscard]] std::string PgConnectString(const std::string& url);
/// A free TCP port on 127.0.0.1.
[[nodiscard]] unsigned short FreePort();
/// The current TOTP code of a base32 secret, `offset` steps from now.
[[nodiscard]] std::string CurrentTotp(const std::string& secret, int offset = 0);

}  // namespace welfare::testing
