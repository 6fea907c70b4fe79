/// \file Fellegi–Sunter record linkage: finds the records of one list that are probably the same person.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace welfare::registry {

/// One person as the linkage compares them (all text already normalised by the caller).
struct LinkageRecord {
  long long id = 0;
  std::string chinese_key;              ///< ChineseKey(chinese name); empty when none
  std::vector<std::string> alias_keys;  ///< ChineseKey / LatinKey forms of aliases (optional)
  std::string family_en;                ///< LatinKey(family name)
  std::string given_en;                 ///< LatinKey(given names joined, no spaces)
  std::string sex;                      ///< "male", "female" or ""
  std::string birth_date;               ///< "YYYY-MM-DD", "YYYY-MM", "YYYY" or ""
  /// Document keys "kind:<number hash>": equal keys are the same document; two different numbers of a kind kept
  /// for life ("hkid", "twid") disagree; other kinds ("passport", "other") are compared only for agreement.
  std::vector<std::string> ids;
  std::vector<std::string> phones;  ///< digits, compare the last 8
  std::string district;             ///< district code or name
};

/// How FindDuplicates blocks, estimates and decides.
struct LinkageOptions {
  double threshold_probability = 0.9;  ///< pairs at or above this posterior probability are reported
  size_t max_block_size = 500;         ///< blocks with more records are skipped (and counted)
  int em_iterations = 30;              ///< upper bound; EM stops earlier once the parameters settle
  unsigned threads = 2;                ///< comparison threads (0: one per core)
  double em_tolerance = 1e-5;          ///< largest change of any m or λ that counts as settled
  size_t u_sample_pairs = 1000000;     ///< random pairs that give u (at most 20 per record)
  size_t training_pairs = 2000000;     ///< pairs born on the same day compared to estimate the names' m
  unsigned long long seed = 42;        ///< for the random pairs, so that a run can be repeated
};

/// One pair of records the model scores, with why: each field's comparison level ("birth_date:exact").
struct LinkagePair {
  long long left_id = 0;                ///< the smaller id
  long long right_id = 0;               ///< the larger id
  double weight = 0;                    ///< Σ log2(m/u) over the fields present on both records (and the document)
  double probability = 0;               ///< posterior probability that the two records are one person
  std::vector<std::string> agreements;  ///< "field:level" for every field, missing ones as "field:missing"
};

/// One comparison level of one field: how often it is seen among matches (m) and non-matches (u).
struct LinkageLevel {
  std::string name;  ///< "exact_rare", "variant", "disagree"…
  double m = 0;      ///< P(level | same person)
  double u = 0;      ///< P(level | different people), from random pairs
  double pairs = 0;  ///< candidate pairs at this level (0 for a model that was not estimated)
  /// log2(m/u), the weight this level adds to a pair.
  [[nodiscard]] double Weight() const;
};

/// One compared field and its levels. A value missing on either side is a level of its own, "missing", which weighs 0
/// except for the document, where it means that the two records' documents cannot be compared (the registry keeps
/// a person's second record without a registered number, so that is evidence; its m and u are estimated).
/// After the seven fields come two rows used when the Chinese names agree exactly: "english_name|same_chinese"
/// and "sex|same_chinese" (the same m, but u among people who share a Chinese name).
struct LinkageField {
  std::string name;                  ///< "chinese_name", "english_name", "birth_date"…
  std::vector<LinkageLevel> levels;  ///< best agreement first, "disagree" last
};

/// The m and u probabilities of every field and level, and the prior probability of a match.
struct LinkageModel {
  std::vector<LinkageField> fields;  ///< in the engine's fixed order
  double lambda = 0;                 ///< P(match) of two records taken at random
  int iterations = 0;                ///< EM iterations run (0: starting values)
  bool converged = false;            ///< EM settled before the iteration limit
  /// Records per name for the names that are not rare (ChineseKey, or "en:" + family_en + "|" + given_en), so
  /// that ScorePair weighs an agreeing name by how common it is, as FindDuplicates did.
  std::unordered_map<std::string, unsigned> name_counts;
  /// A table of the model for logs and benchmarks: one line per field and level with m, u and weight.
  [[nodiscard]] std::string Describe() const;
};

/// The starting values of the model, used before EM and by ScorePair when given an empty model.
[[nodiscard]] LinkageModel DefaultLinkageModel();

/// Figures of one blocking pass (a key that candidate pairs must share).
struct LinkageBlockingPass {
  std::string name;            ///< "document", "phone", "chinese_name+year"…
  size_t blocks = 0;           ///< blocks with two or more records
  size_t skipped_blocks = 0;   ///< blocks larger than max_block_size, not compared
  size_t skipped_records = 0;  ///< records in those blocks
  size_t comparisons = 0;      ///< pairs first compared in this pass (a pair shared by passes counts once);
                               ///< for the EM sample, the sampled pairs
};

/// What FindDuplicates found, with the model and the work it took.
struct LinkageResult {
  std::vector<LinkagePair> pairs;  ///< at or above the threshold, ordered by left_id then right_id
  LinkageModel model;
  size_t blocks = 0;          ///< compared blocks over all passes
  size_t skipped_blocks = 0;  ///< blocks skipped for their size over all passes
  size_t comparisons = 0;     ///< distinct candidate pairs compared
  std::vector<LinkageBlockingPass> passes;
  double seconds = 0;             ///< wall time of the whole run
  double prepare_seconds = 0;     ///< per-record keys and codes
  double blocking_seconds = 0;    ///< block building
  double comparison_seconds = 0;  ///< comparison vectors of the candidate pairs (threads)
  double estimation_seconds = 0;  ///< the EM sessions' pairs (threads), the u sample and EM
  double output_seconds = 0;      ///< pairs above the threshold, explained and sorted
};

/// Finds the pairs of records that are probably the same person: blocking passes give candidate pairs, each
/// pair gets a comparison vector, u comes from random pairs, EM estimates m and λ from the counts of the
/// vectors (in sessions that leave out the fields the session's pairs were chosen by), and the pairs whose
/// posterior probability reaches the threshold are returned. `progress` (called on the calling thread)
/// reports compared block pairs out of all block pairs.
[[nodiscard]] LinkageResult FindDuplicates(const std::vector<LinkageRecord>& records, const LinkageOptions& options,
                                           const std::function<void(long long done, long long total)>& progress = {});

/// Scores one pair with a given model (used to explain a pair in the review screen); an empty model means
/// DefaultLinkageModel().
[[nodiscard]] LinkagePair ScorePair(const LinkageRecord& left, const LinkageRecord& right, const LinkageModel& model);

}  // namespace welfare::registry
