/// \file The SQL of duplicate handling: candidate pairs in the review queue, merges and their undoing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "db/database.hpp"
#include "registry/matching.hpp"

namespace welfare::registry {

/// A pair of records that may be the same person.
struct DuplicatePair {
  long long id = 0;
  long long left_id = 0;
  long long right_id = 0;
  double weight = 0;
  double probability = 0;
  std::string agreements;  ///< JSON array of "field:level"
  std::string source;      ///< batch, registration, import
  std::string status;      ///< open, merged, distinct, deferred
  std::optional<long long> job_id;
  std::optional<std::string> note;
  std::string created_at;
  std::optional<long long> decided_by;
  std::optional<std::string> decided_at;
  long long version = 1;
};

/// One merge: which rows moved from the merged record to the survivor, so that it can be undone.
struct MergeRecord {
  long long id = 0;
  long long survivor_id = 0;
  long long merged_id = 0;
  std::optional<long long> pair_id;
  std::string reason;
  std::string moved;  ///< JSON: {"table": [row ids], "added_names": [...], "survivor_before": {...}, ...}
  std::optional<long long> merged_by;
  std::string merged_at;
  std::optional<long long> undone_by;
  std::optional<std::string> undone_at;
};

/// An open pair for the review queue from a search score (registration overrides, imports).
[[nodiscard]] DuplicatePair PairFromScore(long long left_id, long long right_id, const MatchScore& score,
                                          const std::string& source, const std::optional<std::string>& note,
                                          const std::string& now);

/// The tables whose rows follow a person when records are merged (column person_id).
[[nodiscard]] const std::vector<std::string>& PersonOwnedTables();

/// Duplicate and merge statements for one dialect.
class DuplicateStore {
 public:
  explicit DuplicateStore(db::Dialect dialect) : dialect_(dialect) {}

  /// Adds a pair unless it is already queued (either order); returns whether it was added.
  bool InsertPair(soci::session& sql, DuplicatePair& pair);
  [[nodiscard]] std::optional<DuplicatePair> FindPair(soci::session& sql, long long id);
  [[nodiscard]] std::optional<DuplicatePair> FindPairOf(soci::session& sql, long long left_id, long long right_id);
  /// Pairs with a status whose records are both still active, most probable first, paged by (probability, id).
  [[nodiscard]] std::vector<DuplicatePair> Pairs(soci::session& sql, const std::string& status,
                                                 std::optional<std::pair<double, long long>> after, int limit);
  /// How many pairs have a status with both records still active (the pairs `Pairs` lists).
  [[nodiscard]] long long CountPairs(soci::session& sql, const std::string& status);
  /// Sets a pair's status when its version matches; false on a conflict.
  [[nodiscard]] bool DecidePair(soci::session& sql, long long id, long long version, const std::string& status,
                                const std::optional<std::string>& note, std::optional<long long> decided_by,
                                const std::string& now);

  /// Ids of the person's rows in a table (column person_id).
  [[nodiscard]] std::vector<long long> OwnedRows(soci::session& sql, const std::string& table, long long person_id);
  /// Moves rows (by id) of a table from one person to another; returns how many moved.
  long long MoveRows(soci::session& sql, const std::string& table, const std::string& column,
                     const std::vector<long long>& ids, long long from_person, long long to_person);
  /// Relationship ids where the person is on the given side (person_id or related_id).
  [[nodiscard]] std::vector<long long> RelationshipRows(soci::session& sql, const std::string& column,
                                                        long long person_id);
  /// True when a relationship links the two persons.
  [[nodiscard]] bool Related(soci::session& sql, long long left_id, long long right_id);
  void DeleteNames(soci::session& sql, const std::vector<long long>& ids);
  void SetStatus(soci::session& sql, long long person_id, const std::string& status,
                 std::optional<long long> merged_into, const std::string& now);

  long long InsertMerge(soci::session& sql, MergeRecord& merge);
  [[nodiscard]] std::optional<MergeRecord> FindMerge(soci::session& sql, long long id);
  /// Merges where the person was the survivor or the merged record, newest first.
  [[nodiscard]] std::vector<MergeRecord> MergesOf(soci::session& sql, long long person_id);
  void MarkUndone(soci::session& sql, long long merge_id, std::optional<long long> undone_by, const std::string& now);

 private:
  db::Dialect dialect_;
};

}  // namespace welfare::registry
