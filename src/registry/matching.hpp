/// \file Finding a person: what a query says, the search keys it looks up, and how a candidate scores.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/dates.hpp"
#include "registry/person.hpp"

namespace welfare::registry {

/// What is known about the person being looked for, from the search box or a registration form.
struct MatchQuery {
  std::vector<std::string> chinese_terms;  ///< ChineseKey of each Chinese name (or part of one)
  std::vector<std::string> latin_words;    ///< LatinKey of each English name word, in the order typed
  /// English family and given names when they are known apart (registration); else empty.
  std::optional<std::string> family_en;
  std::optional<std::string> given_en;
  std::optional<PartialDate> birth_date;
  std::vector<std::string> phone_keys;       ///< last 8 digits
  std::vector<std::string> document_texts;   ///< canonical numbers typed into the search box
  std::vector<std::string> document_hashes;  ///< keyed hashes to look up (filled by the service)
  std::optional<std::string> district;
  std::optional<std::string> sex;

  [[nodiscard]] bool Empty() const {
    return chinese_terms.empty() && latin_words.empty() && !birth_date && phone_keys.empty() &&
           document_texts.empty() && document_hashes.empty();
  }
};

/// Reads the one search box: an identity number, dates, phone numbers, Chinese and English name parts.
[[nodiscard]] MatchQuery ParseSearchText(std::string_view text);

/// The query a registration form makes (names, aliases, date of birth, phones, district, sex).
[[nodiscard]] MatchQuery QueryFromPerson(const Person& person);

/// The 64-bit search keys of a person's names (with aliases) and date of birth, stored for lookup.
[[nodiscard]] std::vector<long long> PersonSearchKeys(const Person& person);
/// The search keys a query looks up; a person shares at least one with every query that should find them.
[[nodiscard]] std::vector<long long> QuerySearchKeys(const MatchQuery& query);
/// The surname + date of birth keys of the dates near the query's (NearDates), to find a person whose date was
/// recorded a few days off, with day and month swapped or two digits transposed.
[[nodiscard]] std::vector<long long> QueryNearDateKeys(const MatchQuery& query);

/// Why a candidate scored: one field and how well it agreed ("birth_date", "near").
struct MatchReason {
  std::string field;
  std::string level;
};

/// A candidate's score (0–100) and the reasons for it.
struct MatchScore {
  int score = 0;
  std::vector<MatchReason> reasons;
  bool document_match = false;
};

/// Scores a candidate against a query. `document_match` says the identity number lookup found them;
/// `phone_match`, when given, says whether a phone of theirs is one of the query's (from the phone index, so that
/// the contacts need not be loaded); otherwise it is read from `candidate.contacts`.
[[nodiscard]] MatchScore ScoreCandidate(const MatchQuery& query, const Person& candidate, bool document_match,
                                        std::optional<bool> phone_match = std::nullopt);

/// Scores at or above this are shown as likely the same person when registering.
inline constexpr int kLikelyDuplicateScore = 45;

}  // namespace welfare::registry
