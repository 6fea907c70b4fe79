/// \file Duplicate review and merging: the queue of candidate pairs, side-by-side review, merge and exact undo.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "db/database.hpp"
#include "registry/duplicate_store.hpp"
#include "registry/person_service.hpp"
#include "registry/person_store.hpp"

namespace welfare::registry {

/// A pair with both records as a data steward sees them.
struct PairDetail {
  DuplicatePair pair;
  PersonView left;
  PersonView right;
};

/// Use cases of data stewards (permission persons.merge).
class MergeService {
 public:
  MergeService(db::Database& database, audit::AuditLog& audit, PersonService& persons)
      : database_(database), audit_(audit), persons_(persons), store_(database.dialect()),
        duplicates_(database.dialect()) {}

  /// Pairs with a status (open by default), most probable first; `after` is the cursor "probability:id".
  [[nodiscard]] Result<std::vector<PairDetail>> ListPairs(const auth::Context& context, const std::string& status,
                                                          const std::optional<std::string>& after, int limit);
  /// How many pairs wait for a decision (status open, both records still active): the menu's badge.
  [[nodiscard]] Result<long long> CountOpenPairs(const auth::Context& context);
  /// One pair with both full records; both views are written to the audit trail.
  [[nodiscard]] Result<PairDetail> GetPair(const auth::Context& context, long long id);
  /// Marks a pair distinct (not the same person), deferred, or open again. Body {version, decision, note?}.
  [[nodiscard]] Result<DuplicatePair> Decide(const auth::Context& context, long long id,
                                             const boost::json::object& body);
  /// Merges `merged_id` into `survivor_id`. Body {merged_id, reason, pair_id?, take_from_merged?: [fields]}.
  [[nodiscard]] Result<MergeRecord> Merge(const auth::Context& context, long long survivor_id,
                                          const boost::json::object& body);
  /// Undoes a merge exactly: the rows that moved go back, the merged record is active again. Body {reason}.
  [[nodiscard]] Result<MergeRecord> Undo(const auth::Context& context, long long merge_id,
                                         const boost::json::object& body);
  /// Merges that involved the person, newest first (access as for the record).
  [[nodiscard]] Result<std::vector<MergeRecord>> MergesOf(const auth::Context& context, long long person_id);

  /// Fields of the main record a steward may take from the merged record.
  static const std::vector<std::string>& TakeableFields();

 private:
  db::Database& database_;
  audit::AuditLog& audit_;
  PersonService& persons_;
  PersonStore store_;
  DuplicateStore duplicates_;
};

/// The API form of a pair (without the records) and of a merge.
[[nodiscard]] boost::json::object ToJson(const DuplicatePair& pair);
[[nodiscard]] boost::json::object ToJson(const MergeRecord& merge);

}  // namespace welfare::registry
