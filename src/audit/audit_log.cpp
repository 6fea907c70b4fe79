#include "audit/audit_log.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/optional.hpp"
#include "db/rows.hpp"

namespace welfare::audit {
namespace {

using db::FromNullable;
using db::Nullable;

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  fmt::format_to(std::back_inserter(out), "{}={}:{};", name, value.size(), value);
}

template <class T>
std::string OptionalText(const std::optional<T>& value) {
  if (!value) return "-";
  if constexpr (std::is_same_v<T, std::string>) {
    return "'" + *value;
  } else {
    return std::to_string(*value);
  }
}

constexpr const char* kSelectColumns =
    "SELECT id, at, actor_user_id, actor_username, actor_token_id, unit_id, action, record_type, record_id, "
    "request_id, client_ip, changes, prev_hash, hash FROM audit_entries";

/// Output buffers for one row of kSelectColumns, bound once to a statement and refilled by fetch().
struct EntryRow {
  Entry entry;
  boost::optional<long long> actor_user_id, actor_token_id, unit_id;
  boost::optional<std::string> actor_username, record_type, record_id, changes;

  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(entry.id));
    statement.exchange(soci::into(entry.at));
    statement.exchange(soci::into(actor_user_id));
    statement.exchange(soci::into(actor_username));
    statement.exchange(soci::into(actor_token_id));
    statement.exchange(soci::into(unit_id));
    statement.exchange(soci::into(entry.action));
    statement.exchange(soci::into(record_type));
    statement.exchange(soci::into(record_id));
    statement.exchange(soci::into(entry.request_id));
    statement.exchange(soci::into(entry.client_ip));
    statement.exchange(soci::into(changes));
    statement.exchange(soci::into(entry.prev_hash));
    statement.exchange(soci::into(entry.hash));
  }
  [[nodiscard]] Entry Get() const {
    Entry out = entry;
    out.actor_user_id = FromNullable(actor_user_id);
    out.actor_username = FromNullable(actor_username);
    out.actor_token_id = FromNullable(actor_token_id);
    out.unit_id = FromNullable(unit_id);
    out.record_type = FromNullable(record_type);
    out.record_id = FromNullable(record_id);
    out.changes = FromNullable(changes);
    return out;
  }
};

}  // namespace

std::string AuditLog::CanonicalText(const Entry& entry) {
  std::string out;
  AppendField(out, "id", std::to_string(entry.id));
  AppendField(out, "at", entry.at);
  AppendField(out, "actor_user_id", OptionalText(entry.actor_user_id));
  AppendField(out, "actor_username", OptionalText(entry.actor_username));
  AppendField(out, "actor_token_id", OptionalText(entry.actor_token_id));
  AppendField(out, "unit_id", OptionalText(entry.unit_id));
  AppendField(out, "action", entry.action);
  AppendField(out, "record_type", OptionalText(entry.record_type));
  AppendField(out, "record_id", OptionalText(entry.record_id));
  AppendField(out, "request_id", entry.request_id);
  AppendField(out, "client_ip", entry.client_ip);
  AppendField(out, "changes", OptionalText(entry.changes));
  AppendField(out, "prev_hash", entry.prev_hash);
  return out;
}

void AuditLog::Append(soci::session& sql, const Actor& actor, const Event& event) {
  long long last_id = 0;
  std::string last_hash;
  if (database_.dialect() == db::Dialect::kPostgresql) {
    sql << "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1 FOR UPDATE", soci::into(last_id),
        soci::into(last_hash);
  } else {
    sql << "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1", soci::into(last_id), soci::into(last_hash);
  }
  Entry entry;
  entry.id = last_id + 1;
  entry.at = FormatTime(Now());
  entry.actor_user_id = actor.user_id;
  entry.actor_username = actor.username;
  entry.actor_token_id = actor.token_id;
  entry.unit_id = actor.unit_id;
  entry.action = event.action;
  entry.record_type = event.record_type;
  entry.record_id = event.record_id;
  entry.request_id = actor.request_id;
  entry.client_ip = actor.client_ip;
  if (event.changes) entry.changes = boost::json::serialize(*event.changes);
  entry.prev_hash = last_hash;
  entry.hash = Sha256Hex(CanonicalText(entry));

  const auto user_id = Nullable(entry.actor_user_id);
  const auto username = Nullable(entry.actor_username);
  const auto token_id = Nullable(entry.actor_token_id);
  const auto unit_id = Nullable(entry.unit_id);
  const auto record_type = Nullable(entry.record_type);
  const auto record_id = Nullable(entry.record_id);
  const auto changes = Nullable(entry.changes);
  sql << "INSERT INTO audit_entries (id, at, actor_user_id, actor_username, actor_token_id, unit_id, action, "
         "record_type, record_id, request_id, client_ip, changes, prev_hash, hash) VALUES (:id, :at, :uid, :uname, "
         ":tid, :unit, :action, :rtype, :rid, :req, :ip, :changes, :prev, :hash)",
      soci::use(entry.id), soci::use(entry.at), soci::use(user_id), soci::use(username), soci::use(token_id),
      soci::use(unit_id), soci::use(entry.action), soci::use(record_type), soci::use(record_id),
      soci::use(entry.request_id), soci::use(entry.client_ip), soci::use(changes), soci::use(entry.prev_hash),
      soci::use(entry.hash);
  sql << "UPDATE audit_head SET last_id = :id, last_hash = :hash WHERE singleton = 1", soci::use(entry.id),
      soci::use(entry.hash);
}

void AuditLog::AppendNow(const Actor& actor, const Event& event) {
  auto done = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
    Append(sql, actor, event);
    return true;
  });
  (void)done;
}

std::vector<Entry> AuditLog::Search(const Query& query) {
  db::Database::Lease sql(database_);
  // One statement with optional filters: each clause is disabled when its parameter is null.
  const std::string statement = std::string(kSelectColumns) +
                                " WHERE (CAST(:actor AS TEXT) IS NULL OR actor_username = :actor2)"
                                " AND (CAST(:action AS TEXT) IS NULL OR action = :action2)"
                                " AND (CAST(:prefix AS TEXT) IS NULL OR substr(action, 1, :plen) = :prefix2)"
                                " AND (CAST(:rtype AS TEXT) IS NULL OR record_type = :rtype2)"
                                " AND (CAST(:rid AS TEXT) IS NULL OR record_id = :rid2)"
                                " AND (CAST(:from AS TEXT) IS NULL OR at >= :from2)"
                                " AND (CAST(:to AS TEXT) IS NULL OR at < :to2)"
                                " AND (CAST(:before AS BIGINT) IS NULL OR id < :before2)"
                                " ORDER BY id DESC LIMIT :limit";
  const bool is_prefix = query.action && query.action->ends_with('.');
  const auto actor = Nullable(query.actor);
  const auto action = is_prefix ? boost::optional<std::string>() : Nullable(query.action);
  const auto prefix = is_prefix ? Nullable(query.action) : boost::optional<std::string>();
  const int prefix_length = is_prefix ? static_cast<int>(query.action->size()) : 0;
  const auto record_type = Nullable(query.record_type);
  const auto record_id = Nullable(query.record_id);
  const auto from = Nullable(query.from);
  const auto to = Nullable(query.to);
  const auto before = Nullable(query.before_id);
  const int limit = query.limit;
  return db::SelectRows<EntryRow>(*sql, statement, [&](soci::statement& select) {
    select.exchange(soci::use(actor, "actor"));
    select.exchange(soci::use(actor, "actor2"));
    select.exchange(soci::use(action, "action"));
    select.exchange(soci::use(action, "action2"));
    select.exchange(soci::use(prefix, "prefix"));
    select.exchange(soci::use(prefix_length, "plen"));
    select.exchange(soci::use(prefix, "prefix2"));
    select.exchange(soci::use(record_type, "rtype"));
    select.exchange(soci::use(record_type, "rtype2"));
    select.exchange(soci::use(record_id, "rid"));
    select.exchange(soci::use(record_id, "rid2"));
    select.exchange(soci::use(from, "from"));
    select.exchange(soci::use(from, "from2"));
    select.exchange(soci::use(to, "to"));
    select.exchange(soci::use(to, "to2"));
    select.exchange(soci::use(before, "before"));
    select.exchange(soci::use(before, "before2"));
    select.exchange(soci::use(limit, "limit"));
  });
}

Verification AuditLog::Verify(const std::function<void(long long, long long)>& progress) {
  db::Database::Lease sql(database_);
  Verification result;
  long long total = 0;
  *sql << "SELECT COUNT(*) FROM audit_entries", soci::into(total);
  long long head_id = 0;
  std::string head_hash;
  *sql << "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1", soci::into(head_id), soci::into(head_hash);

  std::string expected_prev(64, '0');
  long long expected_id = 1;
  long long after = 0;
  constexpr int kBatch = 5000;
  for (;;) {
    EntryRow row;
    const long long after_id = after;
    const int batch = kBatch;
    soci::statement select(*sql);
    row.Bind(select);
    select.exchange(soci::use(after_id, "after"));
    select.exchange(soci::use(batch, "batch"));
    select.alloc();
    select.prepare(std::string(kSelectColumns) + " WHERE id > :after ORDER BY id LIMIT :batch");
    select.define_and_bind();
    select.execute(false);
    int in_batch = 0;
    while (select.fetch()) {
      ++in_batch;
      const Entry entry = row.Get();
      after = entry.id;
      ++result.entries_checked;
      std::string problem;
      if (entry.id != expected_id) {
        problem = fmt::format("entry {} follows entry {}: entries are missing", entry.id, expected_id - 1);
      } else if (entry.prev_hash != expected_prev) {
        problem = fmt::format("entry {} does not point at the hash of entry {}", entry.id, entry.id - 1);
      } else if (Sha256Hex(CanonicalText(entry)) != entry.hash) {
        problem = fmt::format("entry {} was altered: its content does not match its hash", entry.id);
      }
      if (!problem.empty()) {
        result.ok = false;
        result.first_broken_id = entry.id;
        result.problem = problem;
        return result;
      }
      expected_prev = entry.hash;
      ++expected_id;
    }
    if (progress) progress(result.entries_checked, total);
    if (in_batch < kBatch) break;
  }
  if (head_id != expected_id - 1 || head_hash != expected_prev) {
    result.ok = false;
    result.first_broken_id = expected_id;
    result.problem = fmt::format("the chain ends at entry {} but the head records entry {}: entries were removed",
                                 expected_id - 1, head_id);
  }
  return result;
}

}  // namespace welfare::audit
