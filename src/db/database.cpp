#include "db/database.hpp"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace welfare::db {
namespace {

constexpr long long kSqliteCacheKibibytes = -64 * 1024;  // negative: KiB rather than pages
constexpr std::chrono::milliseconds kCheckpointInterval{500};

const soci::backend_factory& Factory(Dialect dialect) {
  return dialect == Dialect::kSqlite ? *soci::factory_sqlite3() : *soci::factory_postgresql();
}

std::string HidePassword(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto at = url.find('@');
  if (scheme_end == std::string_view::npos || at == std::string_view::npos) return std::string(url);
  const auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

/// libpq's keyword form of a postgresql:// URI (SOCI passes the text on with additions, which a URI
/// does not survive); nullopt with libpq's message when it cannot be parsed.
std::optional<std::string> PostgresKeywords(const std::string& url, std::string& problem) {
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &message);
  if (options == nullptr) {
    problem = message != nullptr ? message : "cannot parse the URL";
    PQfreemem(message);
    return std::nullopt;
  }
  std::string out;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr || *option->val == '\0') continue;
    std::string value;
    for (const char* c = option->val; *c != '\0'; ++c) {
      if (*c == '\'' || *c == '\\') value.push_back('\\');
      value.push_back(*c);
    }
    out += (out.empty() ? "" : " ") + std::string(option->keyword) + "='" + value + "'";
  }
  PQconninfoFree(options);
  return out;
}

}  // namespace

Result<Location> ParseDatabaseUrl(std::string_view url) {
  Location location;
  if (url.starts_with("sqlite://")) {
    std::string path(url.substr(9));
    if (path.empty()) {
      return Fail(Error::Make(Canonical::kInvalidArgument, "bad_database_url",
                              "sqlite:// needs a file path, for example sqlite://var/welfare.db"));
    }
    location.dialect = Dialect::kSqlite;
    location.soci_backend = "sqlite3";
    location.connect_string = "db=" + path + " timeout=10";
    location.display = "sqlite://" + path;
    return location;
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    location.dialect = Dialect::kPostgresql;
    location.soci_backend = "postgresql";
    std::string problem;
    const auto keywords = PostgresKeywords(std::string(url), problem);
    if (!keywords) {
      return Fail(Error::Make(Canonical::kInvalidArgument, "bad_database_url",
                              "the PostgreSQL URL cannot be read: " + problem +
                                  " (expected postgresql://user:password@host:port/database)"));
    }
    location.connect_string = *keywords;
    location.display = HidePassword(url);
    return location;
  }
  return Fail(
      Error::Make(Canonical::kInvalidArgument, "bad_database_url",
                  "the database URL must start with sqlite:// or postgresql:// (got '" + HidePassword(url) + "')"));
}

Database::Database(Location location, size_t pool_size)
    : location_(std::move(location)), pool_(std::make_unique<soci::connection_pool>(pool_size)), pool_size_(pool_size) {
  if (location_.dialect == Dialect::kSqlite) {
    const std::string path = location_.connect_string.substr(3, location_.connect_string.find(' ') - 3);
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
  }
  for (size_t index = 0; index < pool_size; ++index) {
    soci::session& sql = pool_->at(index);
    sql.open(Factory(location_.dialect), location_.connect_string);
    if (location_.dialect == Dialect::kSqlite) {
      // WAL keeps readers and the writer apart; FULL makes each commit durable before it returns.
      sql << "PRAGMA journal_mode=WAL";
      sql << "PRAGMA synchronous=FULL";
      sql << "PRAGMA foreign_keys=ON";
      sql << "PRAGMA busy_timeout=10000";
      // A 64 MiB page cache per connection: with the default 2 MiB, large registries spend much of a search in
      // pread. No memory map: after any commit, a connection's next read transaction unmaps the whole map (the
      // pager's reset on a changed WAL), which took 35-190 ms per connection at 2 GiB and put every read that
      // followed a write into the tail (5,000,000 persons: registration p99 147 ms with the map, 29 ms without).
      sql << "PRAGMA mmap_size=0";
      sql << "PRAGMA cache_size=" << kSqliteCacheKibibytes;
      sql << "PRAGMA wal_autocheckpoint=0";  // CheckpointLoop does it
    } else {
      sql << "SET TIME ZONE 'UTC'";
    }
  }
  if (location_.dialect == Dialect::kSqlite) {
    checkpointer_ = std::make_unique<soci::session>(Factory(location_.dialect), location_.connect_string);
    *checkpointer_ << "PRAGMA busy_timeout=1000";
    checkpoint_thread_ = std::jthread([this](const std::stop_token& stop) { CheckpointLoop(stop); });
  }
}

Database::~Database() {
  if (checkpoint_thread_.joinable()) {
    checkpoint_thread_.request_stop();
    checkpoint_thread_.join();
  }
}

void Database::CheckpointLoop(const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, kCheckpointInterval, [] { return false; });
    }
    if (stop.stop_requested()) break;
    try {
      *checkpointer_ << "PRAGMA wal_checkpoint(PASSIVE)";
    } catch (const std::exception&) {  // busy or locked: the next round tries again
    }
  }
  try {
    *checkpointer_ << "PRAGMA wal_checkpoint(PASSIVE)";
  } catch (const std::exception&) {  // the last connection to close checkpoints anyway
  }
}

namespace {

/// The transaction of the group whose work runs on this thread, for a Write nested in another.
thread_local const Database* grouped_database = nullptr;
thread_local soci::session* grouped_session = nullptr;

bool InTransaction(soci::session& sql) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  return sqlite_api::sqlite3_get_autocommit(backend->conn_) == 0;
}

/// Runs `work` in a savepoint on `sql`; true when its changes were kept.
bool RunInSavepoint(soci::session& sql, const std::function<bool(soci::session&)>& work) {
  sql << "SAVEPOINT grouped_write";
  bool keep = false;
  try {
    keep = work(sql);
  } catch (...) {
    // SQLite rolls the whole transaction back after some errors (a full disk, an I/O error): nothing to undo.
    if (InTransaction(sql)) {
      sql << "ROLLBACK TO grouped_write";
      sql << "RELEASE grouped_write";
    }
    throw;
  }
  if (!keep) sql << "ROLLBACK TO grouped_write";
  sql << "RELEASE grouped_write";
  return keep;
}

}  // namespace

struct Database::CommitGroup {
  std::unique_ptr<Lease> lease;  ///< the connection holding the group's transaction, once begun
  size_t joined = 0;             ///< members, the leader included
  size_t finished = 0;           ///< members whose work has run
  bool running = false;          ///< the transaction is open: members may run
  bool closed = false;           ///< no more members
  bool done = false;             ///< committed, or failed with `failure`
  std::exception_ptr failure;    ///< why nothing of the group was committed
  bool holds_writer = false;     ///< the leader holds Database::writer_
  std::mutex turn;               ///< one member's work at a time on the connection
};

void Database::WriteInGroup(const std::function<bool(soci::session&)>& work) {
  if (grouped_database == this) {
    (void)RunInSavepoint(*grouped_session, work);
    return;
  }
  std::shared_ptr<CommitGroup> group;
  bool leader = false;
  {
    std::lock_guard lock(groups_mutex_);
    if (!open_group_ || open_group_->closed) {
      open_group_ = std::make_shared<CommitGroup>();
      leader = true;
    }
    group = open_group_;
    ++group->joined;
  }
  if (leader) {
    BeginGroup(*group);
  } else {
    std::unique_lock lock(groups_mutex_);
    groups_changed_.wait(lock, [&] { return group->running || group->done; });
  }
  std::exception_ptr own_error;
  bool kept = false;
  {
    std::lock_guard turn(group->turn);
    std::unique_lock lock(groups_mutex_);
    const bool broken = static_cast<bool>(group->failure);
    lock.unlock();
    if (broken) {
      own_error = group->failure;
    } else {
      soci::session& sql = **group->lease;
      grouped_database = this;
      grouped_session = &sql;
      try {
        kept = RunInSavepoint(sql, work);
      } catch (...) {
        own_error = std::current_exception();
      }
      grouped_database = nullptr;
      grouped_session = nullptr;
      if (!InTransaction(sql)) {
        // An error rolled back the whole transaction: the members before this one lost their work too.
        lock.lock();
        group->failure = std::make_exception_ptr(
            soci::soci_error("the write was rolled back with its commit group after an error in the database"));
        if (!own_error) own_error = group->failure;
        lock.unlock();
      }
    }
    lock.lock();
    ++group->finished;
  }
  groups_changed_.notify_all();
  if (leader) {
    CommitGroupWork(group);
  } else if (kept && !own_error) {
    std::unique_lock lock(groups_mutex_);
    groups_changed_.wait(lock, [&] { return group->done; });
  }
  if (own_error) std::rethrow_exception(own_error);
  if (kept && group->failure) std::rethrow_exception(group->failure);
}

void Database::BeginGroup(CommitGroup& group) {
  // As long as SQLite's own busy timeout: after that, SQLite's busy handler decides.
  group.holds_writer = writer_.try_lock_for(std::chrono::seconds(10));
  try {
    group.lease = std::make_unique<Lease>(*this);
    Begin(**group.lease, /*write=*/true);
  } catch (...) {
    std::lock_guard lock(groups_mutex_);
    group.failure = std::current_exception();
  }
  {
    std::lock_guard lock(groups_mutex_);
    group.running = true;
  }
  groups_changed_.notify_all();
}

void Database::CommitGroupWork(const std::shared_ptr<CommitGroup>& group) {
  {
    std::unique_lock lock(groups_mutex_);
    group->closed = true;
    if (open_group_ == group) open_group_.reset();
    groups_changed_.wait(lock, [&] { return group->finished == group->joined; });
  }
  if (!group->failure && group->lease) {
    soci::session& sql = **group->lease;
    try {
      sql << "COMMIT";
    } catch (...) {
      std::lock_guard lock(groups_mutex_);
      group->failure = std::current_exception();
    }
    if (InTransaction(sql)) {
      try {
        sql << "ROLLBACK";
      } catch (...) {  // the connection may be gone; the failure above says why
      }
    }
  } else if (group->lease && InTransaction(**group->lease)) {
    try {
      (**group->lease) << "ROLLBACK";
    } catch (...) {  // as above
    }
  }
  group->lease.reset();
  if (group->holds_writer) writer_.unlock();
  {
    std::lock_guard lock(groups_mutex_);
    group->done = true;
  }
  groups_changed_.notify_all();
}

PoolStats Database::Stats() const {
  return PoolStats{pool_size_, in_use_.load(), leases_.load(), wait_microseconds_.load()};
}

Database::Lease::Lease(Database& database) : database_(database) {
  const auto start = std::chrono::steady_clock::now();
  session_ = std::make_unique<soci::session>(*database.pool_);
  const auto waited = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  database.wait_microseconds_ += static_cast<unsigned long long>(waited.count());
  ++database.leases_;
  ++database.in_use_;
}

Database::Lease::~Lease() {
  session_.reset();
  --database_.in_use_;
}

void Database::Begin(soci::session& sql, bool write) const {
  if (location_.dialect == Dialect::kSqlite) {
    sql << (write ? "BEGIN IMMEDIATE" : "BEGIN");
  } else {
    sql << (write ? "BEGIN" : "BEGIN READ ONLY");
  }
}

void Database::ExecuteScript(soci::session& sql, const std::string& script) const {
  if (location_.dialect == Dialect::kSqlite) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    char* message = nullptr;
    if (sqlite_api::sqlite3_exec(backend->conn_, script.c_str(), nullptr, nullptr, &message) != 0) {
      std::string text = message != nullptr ? message : "unknown error";
      sqlite_api::sqlite3_free(message);
      throw soci::soci_error(text);
    }
    return;
  }
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  PGresult* result = PQexec(backend->conn_, script.c_str());
  const auto status = PQresultStatus(result);
  std::string text = PQresultErrorMessage(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw soci::soci_error(text);
}

bool IsUniqueViolation(const soci::soci_error& error) {
  const std::string_view text = error.what();
  return text.find("UNIQUE constraint failed") != std::string_view::npos ||
         text.find("duplicate key value") != std::string_view::npos || text.find("23505") != std::string_view::npos;
}

}  // namespace welfare::db
