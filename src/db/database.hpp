/// \file The database: a connection pool over SQLite or PostgreSQL, transactions, and dialect differences.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <soci/soci.h>

#include "core/error.hpp"

namespace welfare::db {

/// The two supported database engines.
enum class Dialect { kSqlite, kPostgresql };

/// Where the database is: parsed from `sqlite://path` or `postgresql://...`.
struct Location {
  Dialect dialect = Dialect::kSqlite;
  std::string soci_backend;    ///< "sqlite3" or "postgresql"
  std::string connect_string;  ///< what the SOCI backend expects
  std::string display;         ///< safe to print: no password
};

/// Parses a database URL; an invalid_argument error names what is wrong.
[[nodiscard]] Result<Location> ParseDatabaseUrl(std::string_view url);

/// Pool figures for /metrics.
struct PoolStats {
  size_t size = 0;
  size_t in_use = 0;
  unsigned long long leases = 0;
  unsigned long long wait_microseconds = 0;
};

/// A connection pool with the session settings each engine needs.
class Database {
 public:
  /// Opens `pool_size` connections; throws soci::soci_error when the database cannot be reached.
  Database(Location location, size_t pool_size);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  [[nodiscard]] Dialect dialect() const { return location_.dialect; }
  [[nodiscard]] const Location& location() const { return location_; }
  [[nodiscard]] PoolStats Stats() const;

  /// A connection leased from the pool for the lifetime of the object.
  class Lease {
   public:
    explicit Lease(Database& database);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    soci::session& operator*() { return *session_; }
    soci::session* operator->() { return session_.get(); }

   private:
    Database& database_;
    std::unique_ptr<soci::session> session_;
  };

  /// Runs `work` in a read-write transaction: committed when it returns a value, rolled back on an
  /// error or exception.
  ///
  /// On SQLite (one writer at a time, and each commit waits for an fsync) writers that arrive while another
  /// commit is under way share the next transaction, each in a savepoint of its own: a group commit. A writer's
  /// error or exception rolls back its own savepoint only; `Write` returns once the group's COMMIT is durable, and
  /// throws if that COMMIT fails. A `Write` nested in another on the same thread runs in the enclosing
  /// transaction (a savepoint), so it commits or rolls back with it.
  template <class T>
  [[nodiscard]] Result<T> Write(const std::function<Result<T>(soci::session&)>& work) {
    if (location_.dialect == Dialect::kSqlite) {
      std::optional<Result<T>> result;
      WriteInGroup([&](soci::session& sql) {
        result.emplace(work(sql));
        return result->has_value();
      });
      return std::move(*result);
    }
    Lease lease(*this);
    return RunInTransaction<T>(*lease, /*write=*/true, work);
  }
  /// Runs `work` in a read-only transaction (a consistent snapshot).
  template <class T>
  [[nodiscard]] Result<T> Read(const std::function<Result<T>(soci::session&)>& work) {
    Lease lease(*this);
    return RunInTransaction<T>(*lease, /*write=*/false, work);
  }

  /// Begins a transaction on `sql` with this dialect's statement.
  void Begin(soci::session& sql, bool write) const;
  /// Executes SQL text that may hold several statements (migrations, set-up).
  void ExecuteScript(soci::session& sql, const std::string& script) const;

 private:
  template <class T>
  Result<T> RunInTransaction(soci::session& sql, bool write, const std::function<Result<T>(soci::session&)>& work) {
    Begin(sql, write);
    try {
      Result<T> result = work(sql);
      if (result) {
        sql << "COMMIT";
      } else {
        sql << "ROLLBACK";
      }
      return result;
    } catch (...) {
      try {
        sql << "ROLLBACK";
      } catch (...) {  // the connection may be gone; the exception below says why
      }
      throw;
    }
  }

  /// SQLite's group commit (see Write): runs `work` in a savepoint of the group's transaction, keeping its
  /// changes when it returns true and rolling them back when it returns false or throws.
  void WriteInGroup(const std::function<bool(soci::session&)>& work);
  struct CommitGroup;
  /// Leads `group`: waits for the previous group's commit, begins the transaction, lets the members run.
  void BeginGroup(CommitGroup& group);
  /// Leads `group` to its end: stops new members joining, waits for the joined ones, commits.
  void CommitGroupWork(const std::shared_ptr<CommitGroup>& group);

  /// SQLite: copies the write-ahead log into the database file in the background (a passive checkpoint, which
  /// blocks neither readers nor writers) instead of in whichever request's commit crosses the auto-checkpoint
  /// size, where it held a handler thread for the length of a database file fsync.
  void CheckpointLoop(const std::stop_token& stop);

  friend class Lease;
  Location location_;
  std::timed_mutex writer_;                  ///< held by the leader of the group whose transaction is open
  std::mutex groups_mutex_;                  ///< guards open_group_ and every group's counters
  std::condition_variable groups_changed_;   ///< a group began, a member finished, or a group ended
  std::shared_ptr<CommitGroup> open_group_;  ///< the group new writers join, if any
  std::unique_ptr<soci::session> checkpointer_;
  std::jthread checkpoint_thread_;
  std::unique_ptr<soci::connection_pool> pool_;
  size_t pool_size_;
  std::atomic<size_t> in_use_{0};
  std::atomic<unsigned long long> leases_{0};
  std::atomic<unsigned long long> wait_microseconds_{0};
};

/// True when the exception is a unique-constraint violation (both engines).
[[nodiscard]] bool IsUniqueViolation(const soci::soci_error& error);

}  // namespace welfare::db
