/// \file Finding and scoring the persons a query may be about: the database side of search and of the
/// duplicate check, without access rules (the service applies them to what is shown).
#pragma once

#include <optional>
#include <vector>

#include <soci/soci.h>

#include "registry/matching.hpp"
#include "registry/person.hpp"
#include "registry/person_store.hpp"

namespace welfare::registry {

/// A posting list (one search key, date of birth or phone) longer than this is too broad to rank by.
inline constexpr int kPostingLimit = 1000;
/// How many of the best-ranked persons are read (main row and names) and scored.
inline constexpr int kRankedCandidates = 100;

/// A scored candidate; `person` holds the main row and names, and addresses when it is among the results.
struct ScoredCandidate {
  Person person;
  MatchScore score;
};

/// What one search did, for benchmarks and diagnosis.
struct CandidateStats {
  int lookups = 0;         ///< index lookups (documents, keys, date of birth, phones)
  int posted = 0;          ///< distinct persons found by the lookups
  int scored = 0;          ///< persons read and scored
  int with_addresses = 0;  ///< persons whose addresses were read
  double lookup_ms = 0;
  double load_ms = 0;  ///< reading the ranked persons and their parts
  double score_ms = 0;
};

/// The candidates at or above `min_score` (or found by an identity number), best first, at most `limit`.
struct CandidateResult {
  std::vector<ScoredCandidate> hits;
  bool truncated = false;  ///< the query matched too many people to rank them all
  CandidateStats stats;
};

/// Looks the query up and scores the best-ranked persons. `query.document_hashes` must already hold the keyed
/// hashes of the numbers typed.
///
/// 1. Index lookups: identity number hashes, the query's search keys, the date of birth when no name is given,
///    the phones. Each posting list adds a weight to every person on it, larger the rarer the list is
///    (1 + log2(kPostingLimit / size)); an identity number adds 1,000. Lists longer than kPostingLimit are left
///    out; when nothing else is found, the first kPostingLimit persons of the narrowest are used (truncated).
///    Surname + date keys of the dates near a full date of birth (QueryNearDateKeys) count half.
/// 2. The kRankedCandidates heaviest are read (main row and names) and scored. Phone agreement comes from the
///    phone lookups, so contacts are not read unless a phone list was too long.
/// 3. Addresses are read only for the results shown and, when the query names a district, for the persons
///    whose score could reach the results with the district's points; those are scored again.
[[nodiscard]] CandidateResult FindScoredCandidates(soci::session& sql, PersonStore& store, const MatchQuery& query,
                                                   int limit, int min_score, std::optional<long long> exclude_id);

}  // namespace welfare::registry
