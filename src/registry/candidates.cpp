#include "registry/candidates.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace welfare::registry {

namespace {

using CandidateClock = std::chrono::steady_clock;

double MillisecondsSince(CandidateClock::time_point start) {
  return std::chrono::duration<double, std::milli>(CandidateClock::now() - start).count();
}

/// The points a district agreement adds (see ScoreCandidate).
constexpr int kDistrictPoints = 5;
constexpr double kDocumentWeight = 1000.0;
constexpr double kNearDateFactor = 0.5;
constexpr int kNearDatePostingLimit = 5000;

/// The weight of sharing one posting list of `size` persons: 1 for the broadest list ranked, more the rarer.
double Rarity(size_t size) {
  return 1.0 + std::log2(static_cast<double>(kPostingLimit) / static_cast<double>(std::max<size_t>(size, 1)));
}

bool Better(const ScoredCandidate& left, const ScoredCandidate& right) {
  return left.score.score != right.score.score ? left.score.score > right.score.score
                                               : left.person.id < right.person.id;
}

}  // namespace

CandidateResult FindScoredCandidates(soci::session& sql, PersonStore& store, const MatchQuery& query, int limit,
                                     int min_score, std::optional<long long> exclude_id) {
  CandidateResult result;
  auto started = CandidateClock::now();

  // 1. Index lookups, each list weighted by its rarity.
  std::unordered_map<long long, double> weights;
  std::unordered_set<long long> by_document;
  std::unordered_set<long long> by_phone;
  bool phones_complete = true;
  std::optional<std::vector<long long>> narrowest_broad;
  bool narrowest_is_phone = false;
  const auto documents = store.ByDocumentHash(sql, query.document_hashes);
  result.stats.lookups += static_cast<int>(query.document_hashes.size());
  for (long long id : documents) {
    by_document.insert(id);
    weights[id] += kDocumentWeight;
  }
  auto add_postings = [&](std::vector<long long> ids, bool phone) {
    ++result.stats.lookups;
    if (static_cast<int>(ids.size()) > kPostingLimit) {
      if (phone) phones_complete = false;
      if (!narrowest_broad || narrowest_broad->size() > ids.size()) {
        narrowest_broad = std::move(ids);
        narrowest_is_phone = phone;
      }
      return;
    }
    if (ids.empty()) return;
    const double weight = Rarity(ids.size());
    for (long long id : ids) {
      weights[id] += weight;
      if (phone) by_phone.insert(id);
    }
  };
  for (auto& ids : store.PostingsEach(sql, QuerySearchKeys(query), kPostingLimit + 1))
    add_postings(std::move(ids), false);
  // Dates near the one given, with the surname: in one statement, at half the weight of the date itself.
  if (const auto near_keys = QueryNearDateKeys(query); !near_keys.empty()) {
    ++result.stats.lookups;
    std::unordered_map<long long, std::vector<long long>> near_postings;
    for (const auto& [key, id] : store.PostingsOf(sql, near_keys, kNearDatePostingLimit))
      near_postings[key].push_back(id);
    for (const auto& [key, ids] : near_postings) {
      if (static_cast<int>(ids.size()) > kPostingLimit) continue;
      const double weight = kNearDateFactor * Rarity(ids.size());
      for (long long id : ids) weights[id] += weight;
    }
  }
  const bool has_name = !query.chinese_terms.empty() || !query.latin_words.empty();
  if (query.birth_date && query.birth_date->day != 0 && !has_name) {
    add_postings(store.BornOn(sql, query.birth_date->text, kPostingLimit + 1), false);
  }
  for (const auto& phone : query.phone_keys) add_postings(store.ByPhone(sql, phone, kPostingLimit + 1), true);
  if (weights.empty() && narrowest_broad) {
    result.truncated = true;
    for (size_t id_idx = 0; id_idx < static_cast<size_t>(kPostingLimit); ++id_idx) {
      const long long id = (*narrowest_broad)[id_idx];
      weights[id] = 1.0;
      if (narrowest_is_phone) by_phone.insert(id);
    }
  } else if (narrowest_broad) {
    result.truncated = weights.size() < static_cast<size_t>(limit);
  }
  if (exclude_id) weights.erase(*exclude_id);
  result.stats.posted = static_cast<int>(weights.size());
  result.stats.lookup_ms = MillisecondsSince(started);

  // 2. The heaviest persons: main row and names, scored.
  started = CandidateClock::now();
  std::vector<std::pair<long long, double>> ranked(weights.begin(), weights.end());
  auto heavier = [](const auto& left, const auto& right) {
    return left.second != right.second ? left.second > right.second : left.first < right.first;
  };
  if (ranked.size() > static_cast<size_t>(kRankedCandidates)) {
    std::ranges::nth_element(ranked, ranked.begin() + kRankedCandidates, heavier);
    ranked.resize(kRankedCandidates);
  }
  std::vector<long long> ids;
  ids.reserve(ranked.size());
  for (const auto& [id, weight] : ranked) ids.push_back(id);
  std::vector<Person> persons = store.LoadMain(sql, ids);
  std::vector<Person*> all;
  for (auto& person : persons) all.push_back(&person);
  const bool need_contacts = !phones_complete && !query.phone_keys.empty();
  store.LoadParts(sql, all, PersonStore::kNames | (need_contacts ? PersonStore::kContacts : 0U));
  result.stats.load_ms += MillisecondsSince(started);

  started = CandidateClock::now();
  auto score = [&](const Person& person) {
    const std::optional<bool> phone = need_contacts ? std::nullopt : std::optional<bool>(by_phone.contains(person.id));
    return ScoreCandidate(query, person, by_document.contains(person.id), phone);
  };
  std::vector<ScoredCandidate> scored;
  scored.reserve(persons.size());
  for (auto& person : persons) {
    MatchScore match = score(person);
    scored.push_back({std::move(person), std::move(match)});
  }
  result.stats.scored = static_cast<int>(scored.size());
  auto shown = [&](const ScoredCandidate& candidate, int points) {
    return candidate.score.score >= points || candidate.score.document_match;
  };
  std::ranges::sort(scored, Better);
  result.stats.score_ms += MillisecondsSince(started);

  // 3. Addresses: the district may lift persons into the results; the results show their district.
  std::unordered_set<long long> with_addresses;
  auto load_addresses = [&](const std::vector<ScoredCandidate*>& candidates) {
    std::vector<Person*> targets;
    for (auto* candidate : candidates) {
      if (with_addresses.insert(candidate->person.id).second) targets.push_back(&candidate->person);
    }
    if (targets.empty()) return;
    const auto load_started = CandidateClock::now();
    store.LoadParts(sql, targets, PersonStore::kAddresses);
    result.stats.load_ms += MillisecondsSince(load_started);
  };
  if (query.district) {
    int bar = min_score;
    int passing = 0;
    for (const auto& candidate : scored) {
      if (shown(candidate, min_score) && ++passing == limit) {
        bar = std::max(min_score, candidate.score.score);
        break;
      }
    }
    std::vector<ScoredCandidate*> contenders;
    for (auto& candidate : scored) {
      if (shown(candidate, bar - kDistrictPoints)) contenders.push_back(&candidate);
    }
    load_addresses(contenders);
    const auto rescore_started = CandidateClock::now();
    for (auto* candidate : contenders) candidate->score = score(candidate->person);
    std::ranges::sort(scored, Better);
    result.stats.score_ms += MillisecondsSince(rescore_started);
  }
  std::erase_if(scored, [&](const ScoredCandidate& candidate) { return !shown(candidate, min_score); });
  if (scored.size() > static_cast<size_t>(limit)) scored.resize(static_cast<size_t>(limit));
  std::vector<ScoredCandidate*> results;
  for (auto& candidate : scored) results.push_back(&candidate);
  load_addresses(results);
  result.stats.with_addresses = static_cast<int>(with_addresses.size());
  result.hits = std::move(scored);
  return result;
}

}  // namespace welfare::registry
