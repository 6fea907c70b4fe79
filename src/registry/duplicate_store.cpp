#include "registry/duplicate_store.hpp"

#include <algorithm>
#include <limits>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "db/dialect.hpp"
#include "db/optional.hpp"
#include "db/rows.hpp"

namespace welfare::registry {
namespace {

using db::FromNullable;
using db::Nullable;

constexpr const char* kPairColumns =
    "SELECT p.id, p.left_id, p.right_id, p.weight, p.probability, p.agreements, p.source, p.status, p.job_id, p.note, "
    "p.created_at, p.decided_by, p.decided_at, p.version FROM duplicate_pairs p";

struct PairRow {
  DuplicatePair pair;
  boost::optional<long long> job_id, decided_by;
  boost::optional<std::string> note, decided_at;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(pair.id));
    statement.exchange(soci::into(pair.left_id));
    statement.exchange(soci::into(pair.right_id));
    statement.exchange(soci::into(pair.weight));
    statement.exchange(soci::into(pair.probability));
    statement.exchange(soci::into(pair.agreements));
    statement.exchange(soci::into(pair.source));
    statement.exchange(soci::into(pair.status));
    statement.exchange(soci::into(job_id));
    statement.exchange(soci::into(note));
    statement.exchange(soci::into(pair.created_at));
    statement.exchange(soci::into(decided_by));
    statement.exchange(soci::into(decided_at));
    statement.exchange(soci::into(pair.version));
  }
  [[nodiscard]] DuplicatePair Get() const {
    DuplicatePair out = pair;
    out.job_id = FromNullable(job_id);
    out.decided_by = FromNullable(decided_by);
    out.note = FromNullable(note);
    out.decided_at = FromNullable(decided_at);
    return out;
  }
};

constexpr const char* kMergeColumns =
    "SELECT id, survivor_id, merged_id, pair_id, reason, moved, merged_by, merged_at, undone_by, undone_at "
    "FROM person_merges";

struct MergeRow {
  MergeRecord merge;
  boost::optional<long long> pair_id, merged_by, undone_by;
  boost::optional<std::string> undone_at;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(merge.id));
    statement.exchange(soci::into(merge.survivor_id));
    statement.exchange(soci::into(merge.merged_id));
    statement.exchange(soci::into(pair_id));
    statement.exchange(soci::into(merge.reason));
    statement.exchange(soci::into(merge.moved));
    statement.exchange(soci::into(merged_by));
    statement.exchange(soci::into(merge.merged_at));
    statement.exchange(soci::into(undone_by));
    statement.exchange(soci::into(undone_at));
  }
  [[nodiscard]] MergeRecord Get() const {
    MergeRecord out = merge;
    out.pair_id = FromNullable(pair_id);
    out.merged_by = FromNullable(merged_by);
    out.undone_by = FromNullable(undone_by);
    out.undone_at = FromNullable(undone_at);
    return out;
  }
};

std::vector<long long> Ids(soci::session& sql, const std::string& text, long long value) {
  long long id = 0;
  soci::statement select = (sql.prepare << text, soci::into(id), soci::use(value));
  select.execute(false);
  std::vector<long long> ids;
  while (select.fetch()) ids.push_back(id);
  return ids;
}

/// Table and column names come only from this fixed list, never from input.
void CheckIdentifier(const std::string& table, const std::string& column) {
  static const std::vector<std::string> kColumns = {"person_id", "related_id"};
  const auto& tables = PersonOwnedTables();
  if ((std::ranges::find(tables, table) == tables.end() && table != "relationships") ||
      std::ranges::find(kColumns, column) == kColumns.end()) {
    throw std::logic_error("not a person-owned table: " + table + "." + column);
  }
}

}  // namespace

DuplicatePair PairFromScore(long long left_id, long long right_id, const MatchScore& score, const std::string& source,
                            const std::optional<std::string>& note, const std::string& now) {
  boost::json::array agreements;
  for (const auto& reason : score.reasons) agreements.push_back(boost::json::value(reason.field + ":" + reason.level));
  DuplicatePair pair;
  pair.left_id = std::min(left_id, right_id);
  pair.right_id = std::max(left_id, right_id);
  pair.weight = score.score;
  pair.probability = score.score / 100.0;
  pair.agreements = boost::json::serialize(agreements);
  pair.source = source;
  pair.status = "open";
  pair.note = note;
  pair.created_at = now;
  return pair;
}

const std::vector<std::string>& PersonOwnedTables() {
  static const std::vector<std::string> tables = {"person_names",     "person_documents", "person_contacts",
                                                  "person_addresses", "person_consents",  "involvements",
                                                  "break_glass",      "household_members"};
  return tables;
}

bool DuplicateStore::InsertPair(soci::session& sql, DuplicatePair& pair) {
  if (pair.left_id > pair.right_id) std::swap(pair.left_id, pair.right_id);
  if (FindPairOf(sql, pair.left_id, pair.right_id)) return false;
  const auto job_id = Nullable(pair.job_id);
  const auto note = Nullable(pair.note);
  sql << "INSERT INTO duplicate_pairs (left_id, right_id, weight, probability, agreements, source, status, job_id, "
         "note, created_at) VALUES (:l, :r, :w, :p, :a, :source, :status, :job, :note, :now) RETURNING id",
      soci::use(pair.left_id), soci::use(pair.right_id), soci::use(pair.weight), soci::use(pair.probability),
      soci::use(pair.agreements), soci::use(pair.source), soci::use(pair.status), soci::use(job_id), soci::use(note),
      soci::use(pair.created_at), soci::into(pair.id);
  return true;
}

std::optional<DuplicatePair> DuplicateStore::FindPair(soci::session& sql, long long id) {
  auto rows = db::SelectRows<PairRow>(sql, std::string(kPairColumns) + " WHERE p.id = :id",
                                      [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<DuplicatePair> DuplicateStore::FindPairOf(soci::session& sql, long long left_id, long long right_id) {
  const long long low = std::min(left_id, right_id);
  const long long high = std::max(left_id, right_id);
  auto rows = db::SelectRows<PairRow>(sql, std::string(kPairColumns) + " WHERE p.left_id = :l AND p.right_id = :r",
                                      [&](soci::statement& s) {
                                        s.exchange(soci::use(low, "l"));
                                        s.exchange(soci::use(high, "r"));
                                      });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<DuplicatePair> DuplicateStore::Pairs(soci::session& sql, const std::string& status,
                                                 std::optional<std::pair<double, long long>> after, int limit) {
  const double after_probability = after ? after->first : std::numeric_limits<double>::max();
  const long long after_id = after ? after->second : 0;
  const int has_after = after ? 1 : 0;
  return db::SelectRows<PairRow>(
      sql,
      std::string(kPairColumns) +
          " JOIN persons l ON l.id = p.left_id JOIN persons r ON r.id = p.right_id "
          "WHERE p.status = :status AND l.status = 'active' AND r.status = 'active' "
          "AND (:has_after = 0 OR p.probability < :after_p OR (p.probability = :after_p2 AND p.id > :after_id)) "
          "ORDER BY p.probability DESC, p.id LIMIT :limit",
      [&](soci::statement& s) {
        s.exchange(soci::use(status, "status"));
        s.exchange(soci::use(has_after, "has_after"));
        s.exchange(soci::use(after_probability, "after_p"));
        s.exchange(soci::use(after_probability, "after_p2"));
        s.exchange(soci::use(after_id, "after_id"));
        s.exchange(soci::use(limit, "limit"));
      });
}

long long DuplicateStore::CountPairs(soci::session& sql, const std::string& status) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM duplicate_pairs p JOIN persons l ON l.id = p.left_id "
         "JOIN persons r ON r.id = p.right_id WHERE p.status = :status AND l.status = 'active' AND r.status = 'active'",
      soci::use(status), soci::into(count);
  return count;
}

bool DuplicateStore::DecidePair(soci::session& sql, long long id, long long version, const std::string& status,
                                const std::optional<std::string>& note, std::optional<long long> decided_by,
                                const std::string& now) {
  const auto note_value = Nullable(note);
  const auto by = Nullable(decided_by);
  soci::statement update =
      (sql.prepare << "UPDATE duplicate_pairs SET status = :status, note = COALESCE(:note, note), decided_by = :by, "
                      "decided_at = :now, version = version + 1 WHERE id = :id AND version = :version",
       soci::use(status), soci::use(note_value), soci::use(by), soci::use(now), soci::use(id), soci::use(version));
  update.execute(true);
  return update.get_affected_rows() == 1;
}

std::vector<long long> DuplicateStore::OwnedRows(soci::session& sql, const std::string& table, long long person_id) {
  CheckIdentifier(table, "person_id");
  return Ids(sql, "SELECT id FROM " + table + " WHERE person_id = :person ORDER BY id", person_id);
}

long long DuplicateStore::MoveRows(soci::session& sql, const std::string& table, const std::string& column,
                                   const std::vector<long long>& ids, long long from_person, long long to_person) {
  CheckIdentifier(table, column);
  if (ids.empty()) return 0;
  const std::string list = db::IdListValue(dialect_, ids);
  soci::statement update = (sql.prepare << "UPDATE " + table + " SET " + column + " = :to WHERE " + column +
                                               " = :from AND " + db::IdListCondition(dialect_, "id", "ids"),
                            soci::use(to_person, "to"), soci::use(from_person, "from"), soci::use(list, "ids"));
  update.execute(true);
  return update.get_affected_rows();
}

std::vector<long long> DuplicateStore::RelationshipRows(soci::session& sql, const std::string& column,
                                                        long long person_id) {
  CheckIdentifier("relationships", column);
  return Ids(sql, "SELECT id FROM relationships WHERE " + column + " = :person ORDER BY id", person_id);
}

bool DuplicateStore::Related(soci::session& sql, long long left_id, long long right_id) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM relationships WHERE (person_id = :a AND related_id = :b) "
         "OR (person_id = :b2 AND related_id = :a2)",
      soci::use(left_id), soci::use(right_id), soci::use(right_id), soci::use(left_id), soci::into(count);
  return count > 0;
}

void DuplicateStore::DeleteNames(soci::session& sql, const std::vector<long long>& ids) {
  if (ids.empty()) return;
  const std::string list = db::IdListValue(dialect_, ids);
  sql << "DELETE FROM person_names WHERE kind = 'merged' AND " + db::IdListCondition(dialect_, "id", "ids"),
      soci::use(list, "ids");
}

void DuplicateStore::SetStatus(soci::session& sql, long long person_id, const std::string& status,
                               std::optional<long long> merged_into, const std::string& now) {
  const auto into = Nullable(merged_into);
  sql << "UPDATE persons SET status = :status, merged_into = :into, version = version + 1, updated_at = :now "
         "WHERE id = :id",
      soci::use(status), soci::use(into), soci::use(now), soci::use(person_id);
}

long long DuplicateStore::InsertMerge(soci::session& sql, MergeRecord& merge) {
  const auto pair_id = Nullable(merge.pair_id);
  const auto merged_by = Nullable(merge.merged_by);
  sql << "INSERT INTO person_merges (survivor_id, merged_id, pair_id, reason, moved, merged_by, merged_at) "
         "VALUES (:s, :m, :pair, :reason, :moved, :by, :at) RETURNING id",
      soci::use(merge.survivor_id), soci::use(merge.merged_id), soci::use(pair_id), soci::use(merge.reason),
      soci::use(merge.moved), soci::use(merged_by), soci::use(merge.merged_at), soci::into(merge.id);
  return merge.id;
}

std::optional<MergeRecord> DuplicateStore::FindMerge(soci::session& sql, long long id) {
  auto rows = db::SelectRows<MergeRow>(sql, std::string(kMergeColumns) + " WHERE id = :id",
                                       [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<MergeRecord> DuplicateStore::MergesOf(soci::session& sql, long long person_id) {
  return db::SelectRows<MergeRow>(
      sql, std::string(kMergeColumns) + " WHERE survivor_id = :a OR merged_id = :b ORDER BY id DESC",
      [&](soci::statement& s) {
        s.exchange(soci::use(person_id, "a"));
        s.exchange(soci::use(person_id, "b"));
      });
}

void DuplicateStore::MarkUndone(soci::session& sql, long long merge_id, std::optional<long long> undone_by,
                                const std::string& now) {
  const auto by = Nullable(undone_by);
  sql << "UPDATE person_merges SET undone_by = :by, undone_at = :now WHERE id = :id", soci::use(by), soci::use(now),
      soci::use(merge_id);
}

}  // namespace welfare::registry
