// Fellegi–Sunter record linkage. The records are first reduced to compact codes (64-bit hashes of the keys,
// parsed dates), blocking passes group them by shared keys, each candidate pair is compared once (by the
// first pass and block that holds it) into an integer-coded comparison vector, and EM runs on the counts of
// the distinct vectors rather than on the pairs.
#include "registry/linkage.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <span>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "registry/text.hpp"

namespace welfare::registry::linkage_detail {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// ---------------------------------------------------------------------------------------------------------
// Hashing: every key is a 64-bit hash; 0 means "none".

uint64_t Mix(uint64_t value) {
  value ^= value >> 30;
  value *= 0xBF58476D1CE4E5B9ULL;
  value ^= value >> 27;
  value *= 0x94D049BB133111EBULL;
  value ^= value >> 31;
  return value;
}

uint64_t NonZero(uint64_t hash) { return hash == 0 ? 1 : hash; }

uint64_t HashText(std::string_view text) {
  uint64_t hash = 0xCBF29CE484222325ULL;
  for (const char character : text) {
    hash ^= static_cast<unsigned char>(character);
    hash *= 0x100000001B3ULL;
  }
  return NonZero(Mix(hash));
}

uint64_t Combine(uint64_t seed, uint64_t value) {
  return NonZero(Mix(seed ^ (value + 0x9E3779B97F4A7C15ULL + (seed << 6) + (seed >> 2))));
}

// ---------------------------------------------------------------------------------------------------------
// Fields and their comparison levels. The level "missing" (either side has no value) is always the last
// index of a field, is not estimated and weighs 0.

constexpr size_t kChineseField = 0;
constexpr size_t kEnglishField = 1;
constexpr size_t kBirthField = 2;
constexpr size_t kSexField = 3;
constexpr size_t kDocumentField = 4;
constexpr size_t kPhoneField = 5;
constexpr size_t kDistrictField = 6;
constexpr size_t kFieldCount = 7;

// Exact agreement on a name is split by how many records carry that name (term frequency): a shared rare
// name says much more than a shared 陳志明.
enum class ChineseLevel : uint8_t {
  kExactRare,
  kExactUncommon,
  kExactCommon,
  kExactFrequent,
  kAlias,
  kGivenOnly,
  kSimilar,
  kDisagree,
  kMissing,
};
enum class EnglishLevel : uint8_t {
  kExactRare,
  kExactUncommon,
  kExactCommon,
  kExactFrequent,
  kVariant,
  kSimilar,
  kSwapped,
  kAlias,
  kSurnameOnly,
  kDisagree,
  kMissing,
};
enum class BirthLevel : uint8_t { kExact, kClose, kPartial, kSameYear, kDisagree, kMissing };
enum class AgreeLevel : uint8_t { kAgree, kDisagree, kMissing };

/// The frequency buckets of exact name agreement: records carrying the name, at most.
constexpr std::array<uint32_t, 3> kFrequencyLimits = {5, 50, 500};
constexpr size_t kFrequencyBuckets = kFrequencyLimits.size() + 1;

uint8_t FrequencyBucket(uint32_t records_with_name) {
  for (size_t bucket = 0; bucket < kFrequencyLimits.size(); ++bucket) {
    if (records_with_name <= kFrequencyLimits[bucket]) return static_cast<uint8_t>(bucket);
  }
  return static_cast<uint8_t>(kFrequencyLimits.size());
}

constexpr std::array<std::string_view, 8> kChineseLevelNames = {
    "exact_rare", "exact_uncommon", "exact_common", "exact_frequent", "alias", "given_only", "similar", "disagree"};
constexpr std::array<std::string_view, 10> kEnglishLevelNames = {
    "exact_rare", "exact_uncommon", "exact_common", "exact_frequent", "variant",
    "similar",    "swapped",        "alias",        "surname_only",   "disagree"};
constexpr std::array<std::string_view, 5> kBirthLevelNames = {"exact", "close", "partial", "same_year", "disagree"};
constexpr std::array<std::string_view, 2> kAgreeLevelNames = {"agree", "disagree"};

struct FieldSpec {
  std::string_view name;
  std::span<const std::string_view> levels;  // without "missing"
  std::span<const double> start_m;           // starting m per level
  std::span<const double> start_u;           // u before the random pairs and the name frequencies replace it
};

constexpr std::array<double, 8> kChineseStartM = {0.40, 0.25, 0.15, 0.10, 0.005, 0.005, 0.05, 0.04};
constexpr std::array<double, 8> kChineseStartU = {1e-6, 1e-5, 1e-4, 5e-4, 2e-6, 0.002, 0.0006, 0.996882};
constexpr std::array<double, 10> kEnglishStartM = {0.30, 0.20, 0.15, 0.10, 0.12, 0.03, 0.03, 0.01, 0.01, 0.05};
constexpr std::array<double, 10> kEnglishStartU = {1e-6, 1e-5, 1e-4, 5e-4, 1e-4, 1e-4, 2e-6, 4e-6, 0.05, 0.949083};
constexpr std::array<double, 5> kBirthStartM = {0.80, 0.09, 0.07, 0.02, 0.02};
constexpr std::array<double, 5> kBirthStartU = {3e-5, 5e-4, 1e-4, 0.0115, 0.98787};
constexpr std::array<double, 2> kSexStartM = {0.99, 0.01};
constexpr std::array<double, 2> kSexStartU = {0.5, 0.5};
// The document field is not left to EM as the other fields are.
// - EM cannot learn m(disagree) where it matters. The registry refuses a second record with a registered
//   number (document_registered), so the records of one person it holds do not agree on a number, and the
//   pairs that disagree are nearly all different people who agree on everything else (twins, a parent and a
//   child of one name); EM takes them into its match class and learns that a disagreeing number means
//   nothing (m(disagree) ≈ 1). Where records of one person do agree, EM learns how rare a wrong number is
//   in that data (about 2e-5, −15.7, in the generated population, whose numbers are never mistyped): the
//   data's own error rate, not a bound to rely on in the next registry.
// - So m(disagree) is fixed. kDocumentDisagreeM is the probability that two records of one person, both
//   with a document of one lifelong kind, carry different numbers: a number mistyped in a way its check
//   digit does not catch (the HKID's mod-11 check catches every single wrong character and every swap of
//   neighbours, the Taiwan ID's mod-10 check every single wrong digit), a relative's number entered on the
//   wrong record, a wrong number carried over from another system. One in a hundred is at the cautious
//   end: with u(disagree) ≈ 1 a disagreeing number weighs log2(0.01) ≈ −6.6, enough to part twins and
//   namesakes of one household who share a date of birth, a phone and an address, not enough to overrule a
//   pair that agrees on the other fields.
// - Whether two records' documents can be compared at all is estimated, and is evidence: see
//   Parameters::document_compared_m.
constexpr double kDocumentDisagreeM = 0.01;
constexpr std::array<double, 2> kDocumentStartM = {1.0 - kDocumentDisagreeM, kDocumentDisagreeM};
constexpr std::array<double, 2> kDocumentStartU = {1e-6, 0.999999};
constexpr std::array<double, 2> kPhoneStartM = {0.80, 0.20};
constexpr std::array<double, 2> kPhoneStartU = {1e-6, 0.999999};
constexpr std::array<double, 2> kDistrictStartM = {0.90, 0.10};
constexpr std::array<double, 2> kDistrictStartU = {0.05, 0.95};

constexpr std::array<FieldSpec, kFieldCount> kFields = {{
    {"chinese_name", kChineseLevelNames, kChineseStartM, kChineseStartU},
    {"english_name", kEnglishLevelNames, kEnglishStartM, kEnglishStartU},
    {"birth_date", kBirthLevelNames, kBirthStartM, kBirthStartU},
    {"sex", kAgreeLevelNames, kSexStartM, kSexStartU},
    {"document", kAgreeLevelNames, kDocumentStartM, kDocumentStartU},
    {"phone", kAgreeLevelNames, kPhoneStartM, kPhoneStartU},
    {"district", kAgreeLevelNames, kDistrictStartM, kDistrictStartU},
}};

/// Levels of a field including "missing".
constexpr size_t Radix(size_t field) { return kFields[field].levels.size() + 1; }

constexpr std::array<uint32_t, kFieldCount> MakeStrides() {
  std::array<uint32_t, kFieldCount> strides{};
  uint32_t stride = 1;
  for (size_t field = kFieldCount; field-- > 0;) {
    strides[field] = stride;
    stride *= static_cast<uint32_t>(Radix(field));
  }
  return strides;
}
constexpr std::array<uint32_t, kFieldCount> kStrides = MakeStrides();
constexpr uint32_t kPatternCount = kStrides[0] * static_cast<uint32_t>(Radix(0));

using Levels = std::array<uint8_t, kFieldCount>;

uint32_t Encode(const Levels& levels) {
  uint32_t pattern = 0;
  for (size_t field = 0; field < kFieldCount; ++field) pattern += levels[field] * kStrides[field];
  return pattern;
}

Levels Decode(uint32_t pattern) {
  Levels levels{};
  for (size_t field = 0; field < kFieldCount; ++field) {
    levels[field] = static_cast<uint8_t>(pattern / kStrides[field] % Radix(field));
  }
  return levels;
}

bool IsMissing(size_t field, uint8_t level) { return level == kFields[field].levels.size(); }

/// True when a missing value is evidence: two records whose documents cannot be compared (see
/// Parameters::document_compared_m). Every other field's missing level weighs 0.
bool MissingWeighs(size_t field) { return field == kDocumentField; }

/// True for the exact levels of a name field (one per frequency bucket, first).
bool IsExactName(uint8_t level) { return level < kFrequencyBuckets; }

// ---------------------------------------------------------------------------------------------------------
// Records reduced to codes.

enum class Precision : uint8_t { kNone, kYear, kYearMonth, kFull };

struct DocumentKey {
  uint64_t type = 0;  // 0 for a kind whose numbers are compared only for agreement
  uint64_t value = 0;
};

/// True for the document kinds whose number a person keeps for life, so that two different numbers of the
/// kind say "two people": identity cards. Passports are issued again with a new number, and "other" holds
/// many kinds, so their numbers only agree or say nothing.
bool IsLifelongDocumentKind(std::string_view kind) { return kind == "hkid" || kind == "twid"; }

struct Prepared {
  uint64_t chinese = 0;
  uint64_t chinese_surname = 0;
  uint64_t chinese_given = 0;
  uint64_t family = 0;
  uint64_t given = 0;
  uint64_t english = 0;  // family and given together
  uint64_t district = 0;
  uint32_t classes_begin = 0;
  uint32_t aliases_begin = 0;
  uint32_t documents_begin = 0;
  uint32_t phones_begin = 0;
  uint8_t classes_count = 0;
  uint8_t aliases_count = 0;
  uint8_t documents_count = 0;
  uint8_t phones_count = 0;
  int32_t day_number = 0;
  int16_t year = 0;
  uint8_t month = 0;
  uint8_t day = 0;
  Precision precision = Precision::kNone;
  uint8_t sex = 0;  // 0 unknown, 1 male, 2 female
  uint8_t chinese_length = 0;
  uint8_t chinese_bucket = 0;  // frequency bucket of the Chinese name
  uint8_t english_bucket = 0;  // frequency bucket of the English name
};

struct PreparedSet {
  std::vector<Prepared> records;
  std::vector<uint64_t> classes;  // surname classes of the English family name, sorted per record
  std::vector<uint64_t> aliases;  // sorted per record
  std::vector<DocumentKey> documents;
  std::vector<uint64_t> phones;  // last eight digits

  [[nodiscard]] std::span<const uint64_t> Classes(const Prepared& record) const {
    return {classes.data() + record.classes_begin, record.classes_count};
  }
  [[nodiscard]] std::span<const uint64_t> Aliases(const Prepared& record) const {
    return {aliases.data() + record.aliases_begin, record.aliases_count};
  }
  [[nodiscard]] std::span<const DocumentKey> Documents(const Prepared& record) const {
    return {documents.data() + record.documents_begin, record.documents_count};
  }
  [[nodiscard]] std::span<const uint64_t> Phones(const Prepared& record) const {
    return {phones.data() + record.phones_begin, record.phones_count};
  }
};

size_t CountCodePoints(std::string_view text) {
  return static_cast<size_t>(
      std::ranges::count_if(text, [](char byte) { return (static_cast<unsigned char>(byte) & 0xC0) != 0x80; }));
}

bool ParseDigits(std::string_view text, int& value) {
  if (text.empty()) return false;
  value = 0;
  for (const char character : text) {
    if (character < '0' || character > '9') return false;
    value = value * 10 + (character - '0');
  }
  return true;
}

void ParseBirthDate(std::string_view text, Prepared& out) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() < 4 || !ParseDigits(text.substr(0, 4), year) || year == 0) return;
  out.year = static_cast<int16_t>(year);
  out.precision = Precision::kYear;
  if (text.size() < 7 || text[4] != '-' || !ParseDigits(text.substr(5, 2), month) || month < 1 || month > 12) return;
  out.month = static_cast<uint8_t>(month);
  out.precision = Precision::kYearMonth;
  if (text.size() < 10 || text[7] != '-' || !ParseDigits(text.substr(8, 2), day)) return;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return;
  out.day = static_cast<uint8_t>(day);
  out.day_number = std::chrono::sys_days{date}.time_since_epoch().count();
  out.precision = Precision::kFull;
}

uint8_t ClampCount(size_t count) { return static_cast<uint8_t>(std::min<size_t>(count, 255)); }

template <class T>
void SortUnique(std::vector<T>& values, size_t from) {
  std::sort(values.begin() + static_cast<std::ptrdiff_t>(from), values.end());
  values.erase(std::unique(values.begin() + static_cast<std::ptrdiff_t>(from), values.end()), values.end());
}

void PrepareInto(const LinkageRecord& record, PreparedSet& set) {
  Prepared out;
  if (!record.chinese_key.empty()) {
    out.chinese = HashText(record.chinese_key);
    out.chinese_length = ClampCount(CountCodePoints(record.chinese_key));
    const ChineseNameParts parts = SplitChineseName(record.chinese_key);
    out.chinese_surname = HashText(parts.surname);
    if (!parts.given.empty()) out.chinese_given = HashText(parts.given);
  }
  if (!record.family_en.empty()) out.family = HashText(record.family_en);
  if (!record.given_en.empty()) out.given = HashText(record.given_en);
  if (out.family != 0 || out.given != 0) out.english = Combine(out.family + 1, out.given);
  if (!record.district.empty()) out.district = HashText(record.district);
  if (record.sex == "male") out.sex = 1;
  if (record.sex == "female") out.sex = 2;
  ParseBirthDate(record.birth_date, out);

  out.classes_begin = static_cast<uint32_t>(set.classes.size());
  if (!record.family_en.empty()) {
    for (const std::string& surname_class : SurnameClasses(record.family_en)) {
      set.classes.push_back(HashText(surname_class));
    }
  }
  SortUnique(set.classes, out.classes_begin);
  out.classes_count = ClampCount(set.classes.size() - out.classes_begin);

  out.aliases_begin = static_cast<uint32_t>(set.aliases.size());
  for (const std::string& alias : record.alias_keys) {
    if (!alias.empty()) set.aliases.push_back(HashText(alias));
  }
  SortUnique(set.aliases, out.aliases_begin);
  out.aliases_count = ClampCount(set.aliases.size() - out.aliases_begin);

  out.documents_begin = static_cast<uint32_t>(set.documents.size());
  for (const std::string& document : record.ids) {
    if (document.empty()) continue;
    const size_t colon = document.find(':');
    const std::string_view type =
        colon == std::string::npos ? std::string_view{} : std::string_view(document).substr(0, colon);
    set.documents.push_back({IsLifelongDocumentKind(type) ? HashText(type) : 0, HashText(document)});
  }
  out.documents_count = ClampCount(set.documents.size() - out.documents_begin);

  out.phones_begin = static_cast<uint32_t>(set.phones.size());
  for (const std::string& phone : record.phones) {
    std::string digits;
    for (const char character : phone) {
      if (character >= '0' && character <= '9') digits.push_back(character);
    }
    if (digits.empty()) continue;
    set.phones.push_back(HashText(std::string_view(digits).substr(digits.size() > 8 ? digits.size() - 8 : 0)));
  }
  SortUnique(set.phones, out.phones_begin);
  out.phones_count = ClampCount(set.phones.size() - out.phones_begin);
  set.records.push_back(out);
}

template <class T>
void AppendAll(std::vector<T>& into, const std::vector<T>& from) {
  into.insert(into.end(), from.begin(), from.end());
}

/// Prepares the records on `threads` threads, each a contiguous share, then joins the shares.
PreparedSet PrepareAll(const std::vector<LinkageRecord>& records, unsigned threads) {
  const size_t count = records.size();
  threads = std::max(1U, std::min<unsigned>(threads, static_cast<unsigned>(std::max<size_t>(count / 1000, 1))));
  std::vector<PreparedSet> shares(threads);
  std::vector<std::thread> workers;
  for (unsigned share_idx = 0; share_idx < threads; ++share_idx) {
    workers.emplace_back([&, share_idx] {
      const size_t begin = count * share_idx / threads;
      const size_t end = count * (share_idx + 1) / threads;
      PreparedSet& share = shares[share_idx];
      share.records.reserve(end - begin);
      for (size_t record_idx = begin; record_idx < end; ++record_idx) PrepareInto(records[record_idx], share);
    });
  }
  for (auto& worker : workers) worker.join();
  PreparedSet all = std::move(shares[0]);
  for (size_t share_idx = 1; share_idx < shares.size(); ++share_idx) {
    PreparedSet& share = shares[share_idx];
    const auto classes_offset = static_cast<uint32_t>(all.classes.size());
    const auto aliases_offset = static_cast<uint32_t>(all.aliases.size());
    const auto documents_offset = static_cast<uint32_t>(all.documents.size());
    const auto phones_offset = static_cast<uint32_t>(all.phones.size());
    for (Prepared& record : share.records) {
      record.classes_begin += classes_offset;
      record.aliases_begin += aliases_offset;
      record.documents_begin += documents_offset;
      record.phones_begin += phones_offset;
    }
    AppendAll(all.records, share.records);
    AppendAll(all.classes, share.classes);
    AppendAll(all.aliases, share.aliases);
    AppendAll(all.documents, share.documents);
    AppendAll(all.phones, share.phones);
    share = PreparedSet{};
  }
  return all;
}

/// u of the exact levels of one name field: P(two random records share a name of that frequency bucket),
/// among records that have the field.
using ExactU = std::array<double, kFrequencyBuckets>;

/// Counts how many records carry each name, sets each record's frequency bucket, and returns the exact u of
/// each bucket: Σ n(n-1) over the names of the bucket / N(N-1) over the records that have the field.
template <class Key, class Bucket>
ExactU AssignFrequencyBuckets(std::vector<Prepared>& records, Key key_of, Bucket bucket_of,
                              std::vector<uint32_t>& records_with_name) {
  std::vector<uint64_t> keys;
  keys.reserve(records.size());
  for (const Prepared& record : records) {
    if (key_of(record) != 0) keys.push_back(key_of(record));
  }
  std::ranges::sort(keys);
  ExactU exact_u{};
  const double with_field = static_cast<double>(keys.size());
  size_t run_start = 0;
  while (run_start < keys.size()) {
    size_t run_end = run_start + 1;
    while (run_end < keys.size() && keys[run_end] == keys[run_start]) ++run_end;
    const double count = static_cast<double>(run_end - run_start);
    if (with_field >= 2) {
      exact_u[FrequencyBucket(static_cast<uint32_t>(run_end - run_start))] +=
          count * (count - 1) / (with_field * (with_field - 1));
    }
    run_start = run_end;
  }
  records_with_name.assign(records.size(), 0);
  for (size_t record_idx = 0; record_idx < records.size(); ++record_idx) {
    const uint64_t key = key_of(records[record_idx]);
    if (key == 0) continue;
    const auto [first, last] = std::ranges::equal_range(keys, key);
    records_with_name[record_idx] = static_cast<uint32_t>(last - first);
    bucket_of(records[record_idx]) = FrequencyBucket(records_with_name[record_idx]);
  }
  return exact_u;
}

/// The key under which LinkageModel::name_counts keeps an English name.
std::string EnglishNameKey(const LinkageRecord& record) { return "en:" + record.family_en + "|" + record.given_en; }

struct NameFrequencies {
  ExactU chinese{};
  ExactU english{};
  std::unordered_map<std::string, unsigned> counts;  // the names that are not rare
};

NameFrequencies AssignNameFrequencies(const std::vector<LinkageRecord>& records, PreparedSet& set) {
  NameFrequencies frequencies;
  std::vector<uint32_t> chinese_counts;
  std::vector<uint32_t> english_counts;
  frequencies.chinese = AssignFrequencyBuckets(
      set.records, [](const Prepared& record) { return record.chinese; },
      [](Prepared& record) -> uint8_t& { return record.chinese_bucket; }, chinese_counts);
  frequencies.english = AssignFrequencyBuckets(
      set.records, [](const Prepared& record) { return record.english; },
      [](Prepared& record) -> uint8_t& { return record.english_bucket; }, english_counts);
  for (size_t record_idx = 0; record_idx < records.size(); ++record_idx) {
    if (set.records[record_idx].chinese_bucket > 0) {
      frequencies.counts.try_emplace(records[record_idx].chinese_key, chinese_counts[record_idx]);
    }
    if (set.records[record_idx].english_bucket > 0) {
      frequencies.counts.try_emplace(EnglishNameKey(records[record_idx]), english_counts[record_idx]);
    }
  }
  return frequencies;
}

/// The frequency bucket of a record's names from a model's name counts (names not in them are rare).
void BucketsFromCounts(const LinkageRecord& record, const std::unordered_map<std::string, unsigned>& counts,
                       Prepared& prepared) {
  const auto chinese = counts.find(record.chinese_key);
  prepared.chinese_bucket = chinese == counts.end() ? 0 : FrequencyBucket(chinese->second);
  const auto english = counts.find(EnglishNameKey(record));
  prepared.english_bucket = english == counts.end() ? 0 : FrequencyBucket(english->second);
}

// ---------------------------------------------------------------------------------------------------------
// Comparison of two prepared records.

bool SortedIntersect(std::span<const uint64_t> left, std::span<const uint64_t> right) {
  size_t left_idx = 0;
  size_t right_idx = 0;
  while (left_idx < left.size() && right_idx < right.size()) {
    if (left[left_idx] == right[right_idx]) return true;
    if (left[left_idx] < right[right_idx])
      ++left_idx;
    else
      ++right_idx;
  }
  return false;
}

bool Contains(std::span<const uint64_t> sorted, uint64_t value) {
  return value != 0 && std::binary_search(sorted.begin(), sorted.end(), value);
}

/// Decodes one UTF-8 code point starting at `offset` and advances it (the bytes are compared, not decoded).
std::string_view NextCodePoint(std::string_view text, size_t& offset) {
  const size_t start = offset++;
  while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) ++offset;
  return text.substr(start, offset - start);
}

/// True when two texts of the same length in code points differ in exactly one code point.
bool OneSubstitutionApart(std::string_view left, std::string_view right) {
  size_t left_offset = 0;
  size_t right_offset = 0;
  int differences = 0;
  while (left_offset < left.size() && right_offset < right.size()) {
    if (NextCodePoint(left, left_offset) != NextCodePoint(right, right_offset)) ++differences;
    if (differences > 1) return false;
  }
  return left_offset == left.size() && right_offset == right.size() && differences == 1;
}

/// The eight digits YYYYMMDD of a full date.
std::array<int, 8> DateDigits(const Prepared& record) {
  const int packed = record.year * 10000 + record.month * 100 + record.day;
  std::array<int, 8> digits{};
  int rest = packed;
  for (size_t digit_idx = 8; digit_idx-- > 0;) {
    digits[digit_idx] = rest % 10;
    rest /= 10;
  }
  return digits;
}

/// True when two full dates differ by two neighbouring digits swapped (1985-03-12 / 1958-03-12).
bool DigitsTransposed(const Prepared& left, const Prepared& right) {
  const auto left_digits = DateDigits(left);
  const auto right_digits = DateDigits(right);
  for (size_t digit_idx = 0; digit_idx + 1 < 8; ++digit_idx) {
    if (left_digits[digit_idx] == right_digits[digit_idx]) continue;
    if (left_digits[digit_idx] != right_digits[digit_idx + 1] || left_digits[digit_idx + 1] != right_digits[digit_idx])
      return false;
    for (size_t rest_idx = digit_idx + 2; rest_idx < 8; ++rest_idx) {
      if (left_digits[rest_idx] != right_digits[rest_idx]) return false;
    }
    return true;
  }
  return false;
}

class Comparer {
 public:
  Comparer(std::span<const LinkageRecord> records, const PreparedSet& set) : records_(records), set_(set) {}

  [[nodiscard]] Levels Compare(uint32_t left_idx, uint32_t right_idx) const {
    const Prepared& left = set_.records[left_idx];
    const Prepared& right = set_.records[right_idx];
    Levels levels{};
    levels[kChineseField] = static_cast<uint8_t>(CompareChinese(left_idx, right_idx, left, right));
    levels[kEnglishField] = static_cast<uint8_t>(CompareEnglish(left_idx, right_idx, left, right));
    levels[kBirthField] = static_cast<uint8_t>(CompareBirth(left, right));
    levels[kSexField] = static_cast<uint8_t>(CompareCodes(left.sex, right.sex));
    levels[kDocumentField] = static_cast<uint8_t>(CompareDocuments(left, right));
    levels[kPhoneField] = static_cast<uint8_t>(CompareSets(set_.Phones(left), set_.Phones(right)));
    levels[kDistrictField] = static_cast<uint8_t>(CompareCodes(left.district, right.district));
    return levels;
  }

 private:
  [[nodiscard]] ChineseLevel CompareChinese(uint32_t left_idx, uint32_t right_idx, const Prepared& left,
                                            const Prepared& right) const {
    if (left.chinese == 0 || right.chinese == 0) return ChineseLevel::kMissing;
    if (left.chinese == right.chinese) return static_cast<ChineseLevel>(left.chinese_bucket);
    if (Contains(set_.Aliases(right), left.chinese) || Contains(set_.Aliases(left), right.chinese)) {
      return ChineseLevel::kAlias;
    }
    if (left.chinese_given != 0 && left.chinese_given == right.chinese_given) return ChineseLevel::kGivenOnly;
    const std::string_view left_key = records_[left_idx].chinese_key;
    const std::string_view right_key = records_[right_idx].chinese_key;
    if (left.chinese_length == right.chinese_length && OneSubstitutionApart(left_key, right_key)) {
      return ChineseLevel::kSimilar;
    }
    if (left.chinese_length >= 4 && right.chinese_length >= 4 && JaroWinkler(left_key, right_key) >= 0.9) {
      return ChineseLevel::kSimilar;
    }
    return ChineseLevel::kDisagree;
  }

  [[nodiscard]] EnglishLevel CompareEnglish(uint32_t left_idx, uint32_t right_idx, const Prepared& left,
                                            const Prepared& right) const {
    if ((left.family == 0 && left.given == 0) || (right.family == 0 && right.given == 0)) {
      return EnglishLevel::kMissing;
    }
    if (left.family == right.family && left.given == right.given) {
      return static_cast<EnglishLevel>(left.english_bucket);
    }
    if (left.family != 0 && left.given != 0 && left.family == right.given && left.given == right.family) {
      return EnglishLevel::kSwapped;
    }
    const LinkageRecord& left_record = records_[left_idx];
    const LinkageRecord& right_record = records_[right_idx];
    const bool alias = Contains(set_.Aliases(right), left.given) || Contains(set_.Aliases(left), right.given);
    const bool same_surname =
        left.family != 0 && right.family != 0 &&
        (left.family == right.family || SortedIntersect(set_.Classes(left), set_.Classes(right)) ||
         JaroWinkler(left_record.family_en, right_record.family_en) >= 0.9);
    if (!same_surname)
      return alias && (left.family == 0 || right.family == 0) ? EnglishLevel::kAlias : EnglishLevel::kDisagree;
    if (left.given != 0 && left.given == right.given) return EnglishLevel::kVariant;
    if (left.given != 0 && right.given != 0 && JaroWinkler(left_record.given_en, right_record.given_en) >= 0.9) {
      return EnglishLevel::kSimilar;
    }
    if (alias) return EnglishLevel::kAlias;
    return EnglishLevel::kSurnameOnly;
  }

  [[nodiscard]] static BirthLevel CompareBirth(const Prepared& left, const Prepared& right) {
    if (left.precision == Precision::kNone || right.precision == Precision::kNone) return BirthLevel::kMissing;
    if (left.precision == Precision::kFull && right.precision == Precision::kFull) {
      if (left.day_number == right.day_number) return BirthLevel::kExact;
      const bool swapped_day_month = left.year == right.year && left.month == right.day && left.day == right.month;
      if (std::abs(left.day_number - right.day_number) <= 7 || swapped_day_month || DigitsTransposed(left, right)) {
        return BirthLevel::kClose;
      }
      return left.year == right.year ? BirthLevel::kSameYear : BirthLevel::kDisagree;
    }
    if (left.year != right.year) return BirthLevel::kDisagree;
    const Precision shared = std::min(left.precision, right.precision);
    if (shared == Precision::kYear || left.month == right.month) return BirthLevel::kPartial;
    return BirthLevel::kSameYear;
  }

  [[nodiscard]] static AgreeLevel CompareCodes(uint64_t left, uint64_t right) {
    if (left == 0 || right == 0) return AgreeLevel::kMissing;
    return left == right ? AgreeLevel::kAgree : AgreeLevel::kDisagree;
  }

  [[nodiscard]] static AgreeLevel CompareSets(std::span<const uint64_t> left, std::span<const uint64_t> right) {
    if (left.empty() || right.empty()) return AgreeLevel::kMissing;
    return SortedIntersect(left, right) ? AgreeLevel::kAgree : AgreeLevel::kDisagree;
  }

  /// The same document agrees; documents of one lifelong kind with different numbers disagree; documents of
  /// different kinds, or two passports or "other" documents with different numbers, say nothing.
  [[nodiscard]] AgreeLevel CompareDocuments(const Prepared& left, const Prepared& right) const {
    bool comparable = false;
    for (const DocumentKey& left_document : set_.Documents(left)) {
      for (const DocumentKey& right_document : set_.Documents(right)) {
        if (left_document.value == right_document.value) return AgreeLevel::kAgree;
        comparable = comparable || (left_document.type != 0 && left_document.type == right_document.type);
      }
    }
    return comparable ? AgreeLevel::kDisagree : AgreeLevel::kMissing;
  }

  std::span<const LinkageRecord> records_;
  const PreparedSet& set_;
};

// ---------------------------------------------------------------------------------------------------------
// Blocking passes: each gives a record zero or more keys; records that share a key form a block. The last
// pass is for estimation only: a sample of the pairs born on the same day, whose names are (for the
// non-matches) as unrelated as random pairs' are, so EM can learn the names' m from them.

constexpr std::array<std::string_view, 9> kPassNames = {
    "document",
    "phone",
    "chinese_name+year",
    "chinese_given+year_month",
    "surname+year_month",
    "given_en+birth_date",
    "surname+given_en",
    "chinese_name",
    "birth_date (EM sample)",
};
constexpr size_t kPassCount = kPassNames.size();
constexpr size_t kTrainingPass = kPassCount - 1;  // compared for EM only, never reported as candidates
constexpr size_t kChineseNamePass = 7;

void PassKeys(size_t pass, const PreparedSet& set, const Prepared& record, std::vector<uint64_t>& keys) {
  const uint64_t salt = Mix(pass + 1);
  const bool has_year_month = record.precision >= Precision::kYearMonth;
  const uint64_t year_month = static_cast<uint64_t>(record.year) * 100 + record.month;
  switch (pass) {
  case 0:
    for (const DocumentKey& document : set.Documents(record)) keys.push_back(Combine(salt, document.value));
    break;
  case 1:
    for (const uint64_t phone : set.Phones(record)) keys.push_back(Combine(salt, phone));
    break;
  case 2:
    if (record.chinese != 0 && record.precision != Precision::kNone) {
      keys.push_back(Combine(Combine(salt, record.chinese), static_cast<uint64_t>(record.year)));
    }
    break;
  case 3:
    if (record.chinese_given != 0 && has_year_month) {
      keys.push_back(Combine(Combine(salt, record.chinese_given), year_month));
    }
    break;
  case 4:
    if (!has_year_month) break;
    for (const uint64_t surname_class : set.Classes(record)) {
      keys.push_back(Combine(Combine(salt, surname_class), year_month));
    }
    if (record.chinese_surname != 0) keys.push_back(Combine(Combine(salt, record.chinese_surname), year_month));
    break;
  case 5:
    if (record.given != 0 && record.precision == Precision::kFull) {
      keys.push_back(Combine(Combine(salt, record.given), static_cast<uint64_t>(record.day_number)));
    }
    break;
  case 6:
    if (record.given == 0) break;
    for (const uint64_t surname_class : set.Classes(record)) {
      keys.push_back(Combine(Combine(salt, surname_class), record.given));
    }
    break;
  case 7:
    if (record.chinese != 0) keys.push_back(Combine(salt, record.chinese));
    break;
  case kTrainingPass:
    if (record.precision == Precision::kFull) {
      keys.push_back(Combine(salt, static_cast<uint64_t>(static_cast<uint32_t>(record.day_number))));
    }
    break;
  default:
    break;
  }
}

struct PassIndex {
  std::vector<uint32_t> offsets;  // per record into keys
  std::vector<uint64_t> keys;     // sorted per record
  std::vector<uint64_t> skipped;  // keys of skipped blocks, sorted
  std::vector<uint32_t> members;  // record indexes grouped by key
};

struct Block {
  uint64_t key = 0;
  uint64_t pairs = 0;
  uint32_t pass = 0;
  uint32_t start = 0;
  uint32_t size = 0;
};

struct KeyEntry {
  uint64_t key;
  uint32_t record;
  auto operator<=>(const KeyEntry&) const = default;
};

class Blocking {
 public:
  Blocking(const PreparedSet& set, size_t max_block_size, size_t training_pairs) {
    const size_t count = set.records.size();
    std::vector<uint64_t> scratch;
    for (size_t pass = 0; pass < kPassCount; ++pass) {
      PassIndex& index = passes_[pass];
      LinkageBlockingPass& stats = stats_[pass];
      stats.name = kPassNames[pass];
      const bool training = pass == kTrainingPass;
      if (!training) index.offsets.resize(count + 1);
      std::vector<KeyEntry> entries;
      entries.reserve(count);
      for (size_t record_idx = 0; record_idx < count; ++record_idx) {
        if (!training) index.offsets[record_idx] = static_cast<uint32_t>(index.keys.size());
        scratch.clear();
        PassKeys(pass, set, set.records[record_idx], scratch);
        std::ranges::sort(scratch);
        scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
        for (const uint64_t key : scratch) {
          if (!training) index.keys.push_back(key);
          entries.push_back({key, static_cast<uint32_t>(record_idx)});
        }
      }
      if (!training) index.offsets[count] = static_cast<uint32_t>(index.keys.size());
      std::ranges::sort(entries);
      index.members.reserve(entries.size());
      for (const KeyEntry& entry : entries) index.members.push_back(entry.record);
      std::vector<Block> pass_blocks;
      size_t run_start = 0;
      while (run_start < entries.size()) {
        size_t run_end = run_start + 1;
        while (run_end < entries.size() && entries[run_end].key == entries[run_start].key) ++run_end;
        const size_t size = run_end - run_start;
        const uint64_t pairs = static_cast<uint64_t>(size) * (size - 1) / 2;
        if (training) all_training_pairs_ += pairs;
        if (size > max_block_size) {
          index.skipped.push_back(entries[run_start].key);  // sorted, as the entries are
          ++stats.skipped_blocks;
          stats.skipped_records += size;
        } else if (size >= 2) {
          pass_blocks.push_back({entries[run_start].key, pairs, static_cast<uint32_t>(pass),
                                 static_cast<uint32_t>(run_start), static_cast<uint32_t>(size)});
        }
        run_start = run_end;
      }
      if (training) SampleTrainingBlocks(pass_blocks, training_pairs);
      stats.blocks = pass_blocks.size();
      blocks_.insert(blocks_.end(), pass_blocks.begin(), pass_blocks.end());
    }
    // The largest blocks first, so that the threads finish together.
    std::ranges::sort(blocks_, [](const Block& left, const Block& right) { return left.pairs > right.pairs; });
  }

  [[nodiscard]] const std::vector<Block>& Blocks() const { return blocks_; }
  [[nodiscard]] std::span<const uint32_t> Members(const Block& block) const {
    return {passes_[block.pass].members.data() + block.start, block.size};
  }
  [[nodiscard]] const std::array<LinkageBlockingPass, kPassCount>& Stats() const { return stats_; }
  /// Pairs of records born on the same day, in all the training pass's blocks (sampled or not).
  [[nodiscard]] uint64_t AllTrainingPairs() const { return all_training_pairs_; }
  /// Pairs in the sampled training blocks.
  [[nodiscard]] uint64_t SampledTrainingPairs() const { return sampled_training_pairs_; }

  /// True when this block is where the pair is compared: no earlier pass and no smaller key of this pass
  /// (in a block that was not skipped) holds both records.
  [[nodiscard]] bool Owns(const Block& block, uint32_t left, uint32_t right) const {
    for (uint32_t pass = 0; pass < block.pass; ++pass) {
      if (FirstSharedKey(pass, left, right) != 0) return false;
    }
    return FirstSharedKey(block.pass, left, right) == block.key;
  }

 private:
  /// Keeps about `target` pairs of the training blocks, choosing whole blocks by their key's hash.
  void SampleTrainingBlocks(std::vector<Block>& blocks, size_t target) {
    uint64_t total = 0;
    for (const Block& block : blocks) total += block.pairs;
    const uint64_t stride = target == 0 ? 0 : std::max<uint64_t>(1, (total + target - 1) / target);
    std::erase_if(blocks, [&](const Block& block) { return stride == 0 || Mix(block.key) % stride != 0; });
    for (const Block& block : blocks) sampled_training_pairs_ += block.pairs;
  }

  [[nodiscard]] uint64_t FirstSharedKey(uint32_t pass, uint32_t left, uint32_t right) const {
    const PassIndex& index = passes_[pass];
    const uint64_t* left_key = index.keys.data() + index.offsets[left];
    const uint64_t* left_end = index.keys.data() + index.offsets[left + 1];
    const uint64_t* right_key = index.keys.data() + index.offsets[right];
    const uint64_t* right_end = index.keys.data() + index.offsets[right + 1];
    while (left_key != left_end && right_key != right_end) {
      if (*left_key < *right_key) {
        ++left_key;
      } else if (*right_key < *left_key) {
        ++right_key;
      } else {
        if (!std::ranges::binary_search(index.skipped, *left_key)) return *left_key;
        ++left_key;
        ++right_key;
      }
    }
    return 0;
  }

  std::array<PassIndex, kPassCount> passes_;
  std::array<LinkageBlockingPass, kPassCount> stats_;
  std::vector<Block> blocks_;
  uint64_t all_training_pairs_ = 0;
  uint64_t sampled_training_pairs_ = 0;
};

// ---------------------------------------------------------------------------------------------------------
// Estimation. u comes from random pairs (almost all different people) and, for exact name agreement, from
// the name frequencies; it stays fixed. m is estimated by EM in two sessions, each on pairs selected by
// agreeing on some fields, with those fields (and the ones that go with them) left out of the likelihood,
// because among such pairs they agree by construction:
//   - pairs with the same Chinese name (the chinese_name blocks) give m of birth date, phone and district,
//     and the share of matches that agree on a document (Parameters::document_compared_m); their
//     non-matches also give u of the English name and of sex among people whose Chinese names agree (the
//     same Chinese name mostly means the same romanisation and the same sex, so those agreements add little
//     once the Chinese names agree);
//   - pairs born on the same day (the training sample) give m of the names and of sex.
// λ, the share of matches among all pairs, follows from the second session: the matches among the
// same-birthday pairs, scaled up by how many pairs share a birthday and by m(birth_date exact).

/// Model rows after the seven fields: the English name and sex when the Chinese names agree exactly.
constexpr size_t kEnglishSameChineseRow = kFieldCount;
constexpr size_t kSexSameChineseRow = kFieldCount + 1;
constexpr size_t kModelRows = kFieldCount + 2;

struct StoredPair {
  uint32_t left;
  uint32_t right;
  uint32_t pattern;
};

struct Parameters {
  std::array<std::vector<double>, kFieldCount> m;
  std::array<std::vector<double>, kFieldCount> u;
  std::vector<double> english_u_same_chinese;
  std::vector<double> sex_u_same_chinese;
  /// How often the documents of two records can be compared (they share a document, or have documents of one
  /// lifelong kind) among matches (m) and among random pairs (u). m[kDocumentField] and u[kDocumentField] are
  /// the shares of agree and disagree among the pairs that can be compared, so a level's probability is
  /// compared × m[level] and "missing" (cannot be compared) is 1 − compared. u is counted in random pairs. Among
  /// matches, EM (in the same-Chinese-name session) estimates the share that agree; the share that disagree is
  /// kDocumentDisagreeM × document_compared_u (before the registry's rule, two records of one person carry
  /// documents of one kind as often as two records taken at random do, and then differ with probability
  /// kDocumentDisagreeM), so a disagreement weighs log2(kDocumentDisagreeM / u(disagree | compared)) whatever
  /// EM finds; the other matches cannot be compared. That makes "missing" evidence where it is: the registry
  /// refuses a second record with a registered number, so the records of one person it holds can seldom be
  /// compared (one was registered without the document), while two people with identity cards of one kind can.
  double document_compared_m = 0.5;
  double document_compared_u = 0.5;
  double lambda = 1e-6;

  /// Sets the document's m from the share of matches that agree on a document (see document_compared_m).
  void SetDocumentM(double agree_share) {
    const double disagree_share = kDocumentDisagreeM * document_compared_u;
    const double agree = std::clamp(agree_share, 1e-9, 1.0 - disagree_share - 1e-9);
    document_compared_m = agree + disagree_share;
    m[kDocumentField] = {agree / document_compared_m, disagree_share / document_compared_m};
  }

  /// m of a field's level in the context of the whole comparison vector: once the Chinese names agree, the
  /// English names' exact levels count as one (a common Chinese name goes with a common English one).
  [[nodiscard]] double M(size_t field, const Levels& levels) const {
    if (field == kEnglishField && IsExactName(levels[kChineseField]) && IsExactName(levels[field])) {
      return ExactSum(m[kEnglishField]);
    }
    if (field == kDocumentField) {
      return IsMissing(field, levels[field]) ? 1.0 - document_compared_m
                                             : document_compared_m * m[field][levels[field]];
    }
    return m[field][levels[field]];
  }

  /// u of a field's level in the context of the whole comparison vector.
  [[nodiscard]] double U(size_t field, const Levels& levels) const {
    if (IsExactName(levels[kChineseField])) {
      if (field == kEnglishField) {
        return IsExactName(levels[field]) ? ExactSum(english_u_same_chinese) : english_u_same_chinese[levels[field]];
      }
      if (field == kSexField) return sex_u_same_chinese[levels[field]];
    }
    if (field == kDocumentField) {
      return IsMissing(field, levels[field]) ? 1.0 - document_compared_u
                                             : document_compared_u * u[field][levels[field]];
    }
    return u[field][levels[field]];
  }

  static double ExactSum(const std::vector<double>& values) {
    double sum = 0;
    for (size_t level = 0; level < kFrequencyBuckets; ++level) sum += values[level];
    return sum;
  }
};

using FieldMask = std::array<bool, kFieldCount>;

Parameters StartingParameters() {
  Parameters parameters;
  for (size_t field = 0; field < kFieldCount; ++field) {
    parameters.m[field].assign(kFields[field].start_m.begin(), kFields[field].start_m.end());
    parameters.u[field].assign(kFields[field].start_u.begin(), kFields[field].start_u.end());
  }
  parameters.english_u_same_chinese = {0.05, 0.2, 0.3, 0.3, 0.05, 0.01, 0.001, 0.001, 0.05, 0.038};
  parameters.sex_u_same_chinese = {0.97, 0.03};
  return parameters;
}

/// Sets u of each field to its level frequencies among random pairs, smoothed so that no level has u = 0;
/// the exact levels of the names take their u from the name frequencies instead (random pairs rarely share
/// a rare name, so a sample could not measure it).
void EstimateU(const Comparer& comparer, size_t count, size_t samples, unsigned long long seed,
               const NameFrequencies& frequencies, Parameters& parameters) {
  if (count < 2 || samples == 0) return;
  std::array<std::vector<double>, kFieldCount> tallies;
  for (size_t field = 0; field < kFieldCount; ++field) tallies[field].assign(kFields[field].levels.size(), 0.0);
  uint64_t state = seed;
  double compared_pairs = 0;
  double documents_compared = 0;
  for (size_t sample_idx = 0; sample_idx < samples; ++sample_idx) {
    state += 0x9E3779B97F4A7C15ULL;
    const uint64_t random = Mix(state);
    const auto left = static_cast<uint32_t>((random & 0xFFFFFFFFULL) % count);
    const auto right = static_cast<uint32_t>((random >> 32) % count);
    if (left == right) continue;
    const Levels levels = comparer.Compare(left, right);
    for (size_t field = 0; field < kFieldCount; ++field) {
      if (!IsMissing(field, levels[field])) tallies[field][levels[field]] += 1.0;
    }
    compared_pairs += 1;
    if (!IsMissing(kDocumentField, levels[kDocumentField])) documents_compared += 1;
  }
  if (compared_pairs >= 100) parameters.document_compared_u = (documents_compared + 0.5) / (compared_pairs + 1.0);
  parameters.SetDocumentM(parameters.document_compared_m * parameters.m[kDocumentField][0]);
  for (size_t field = 0; field < kFieldCount; ++field) {
    const bool name = field == kChineseField || field == kEnglishField;
    const ExactU* exact = field == kChineseField ? &frequencies.chinese : &frequencies.english;
    double exact_total = 0;
    double sampled_total = 0;
    double smoothed_levels = 0;
    for (size_t level = 0; level < tallies[field].size(); ++level) {
      if (name && IsExactName(static_cast<uint8_t>(level))) {
        exact_total += (*exact)[level];
        continue;
      }
      sampled_total += tallies[field][level];
      smoothed_levels += 1;
    }
    if (sampled_total < 100) continue;
    for (size_t level = 0; level < tallies[field].size(); ++level) {
      if (name && IsExactName(static_cast<uint8_t>(level))) {
        parameters.u[field][level] = std::max((*exact)[level], 1e-12);
        continue;
      }
      parameters.u[field][level] =
          (1.0 - exact_total) * (tallies[field][level] + 0.5) / (sampled_total + 0.5 * smoothed_levels);
    }
  }
}

struct PatternCount {
  uint32_t pattern;
  double count;
  Levels levels;
};

std::vector<PatternCount> PatternCounts(const std::vector<uint64_t>& counts) {
  std::vector<PatternCount> patterns;
  for (uint32_t pattern = 0; pattern < counts.size(); ++pattern) {
    if (counts[pattern] != 0) patterns.push_back({pattern, static_cast<double>(counts[pattern]), Decode(pattern)});
  }
  return patterns;
}

double Logistic(double log_odds) {
  if (log_odds > 0) return 1.0 / (1.0 + std::exp(-log_odds));
  const double odds = std::exp(log_odds);
  return odds / (1.0 + odds);
}

/// P(match) of a comparison vector, counting only the `used` fields.
double Posterior(const Parameters& parameters, const Levels& levels, const FieldMask& used, double lambda) {
  double log_odds = std::log(lambda) - std::log1p(-lambda);
  for (size_t field = 0; field < kFieldCount; ++field) {
    if (!used[field] || (IsMissing(field, levels[field]) && !MissingWeighs(field))) continue;
    log_odds += std::log(parameters.M(field, levels)) - std::log(parameters.U(field, levels));
  }
  return Logistic(log_odds);
}

struct EmOutcome {
  int iterations = 0;
  bool converged = false;
  double lambda = 0;  // share of matches among the session's pairs
};

/// EM over the distinct comparison vectors of one session: m of the `estimated` fields and the session's λ;
/// u stays fixed; fields outside `used` are left out of the likelihood. The document field's m, when
/// estimated, is set from the share of matches that agree (Parameters::SetDocumentM).
EmOutcome RunEmSession(const std::vector<PatternCount>& patterns, const FieldMask& used, const FieldMask& estimated,
                       int max_iterations, double tolerance, Parameters& parameters) {
  constexpr double kFloor = 1e-9;
  constexpr double kPseudoCount = 0.01;
  EmOutcome outcome;
  double total = 0;
  for (const PatternCount& pattern : patterns) total += pattern.count;
  if (total <= 0) return outcome;
  double lambda = 0.01;
  while (outcome.iterations < max_iterations) {
    ++outcome.iterations;
    std::array<std::vector<double>, kFieldCount> m_tally;
    for (size_t field = 0; field < kFieldCount; ++field) {
      m_tally[field].assign(kFields[field].levels.size(), kPseudoCount);
    }
    double matches = 0;
    double documents_agree = kPseudoCount;
    for (const PatternCount& pattern : patterns) {
      const double match_share = pattern.count * Posterior(parameters, pattern.levels, used, lambda);
      matches += match_share;
      if (pattern.levels[kDocumentField] == static_cast<uint8_t>(AgreeLevel::kAgree)) documents_agree += match_share;
      for (size_t field = 0; field < kFieldCount; ++field) {
        const uint8_t level = pattern.levels[field];
        if (estimated[field] && !IsMissing(field, level)) m_tally[field][level] += match_share;
      }
    }
    double change = 0;
    for (size_t field = 0; field < kFieldCount; ++field) {
      if (!estimated[field] || field == kDocumentField) continue;
      double m_total = 0;
      for (const double tally : m_tally[field]) m_total += tally;
      for (size_t level = 0; level < m_tally[field].size(); ++level) {
        const double m = std::max(m_tally[field][level] / m_total, kFloor);
        change = std::max(change, std::abs(m - parameters.m[field][level]));
        parameters.m[field][level] = m;
      }
    }
    if (estimated[kDocumentField]) {
      const double compared_before = parameters.document_compared_m;
      parameters.SetDocumentM(documents_agree / (matches + 2 * kPseudoCount));
      change = std::max(change, std::abs(parameters.document_compared_m - compared_before));
    }
    const double next_lambda = std::clamp(matches / total, kFloor, 1.0 - kFloor);
    change = std::max(change, std::abs(next_lambda - lambda));
    lambda = next_lambda;
    if (change < tolerance) {
      outcome.converged = true;
      break;
    }
  }
  outcome.lambda = lambda;
  return outcome;
}

/// u of the English name and of sex among the non-matches of a same-Chinese-name session.
void EstimateUGivenSameChinese(const std::vector<PatternCount>& patterns, const FieldMask& used, double lambda,
                               Parameters& parameters) {
  std::vector<double> english(kFields[kEnglishField].levels.size(), 0.5);
  std::vector<double> sex(kFields[kSexField].levels.size(), 0.5);
  double english_total = 0.5 * static_cast<double>(english.size());
  double sex_total = 0.5 * static_cast<double>(sex.size());
  for (const PatternCount& pattern : patterns) {
    const double non_match = pattern.count * (1.0 - Posterior(parameters, pattern.levels, used, lambda));
    if (!IsMissing(kEnglishField, pattern.levels[kEnglishField])) {
      english[pattern.levels[kEnglishField]] += non_match;
      english_total += non_match;
    }
    if (!IsMissing(kSexField, pattern.levels[kSexField])) {
      sex[pattern.levels[kSexField]] += non_match;
      sex_total += non_match;
    }
  }
  if (english_total < 100 || sex_total < 100) return;  // too few to say; keep the starting values
  for (double& share : english) share /= english_total;
  for (double& share : sex) share /= sex_total;
  parameters.english_u_same_chinese = std::move(english);
  parameters.sex_u_same_chinese = std::move(sex);
}

LinkageModel ToModel(const Parameters& parameters) {
  LinkageModel model;
  model.lambda = parameters.lambda;
  auto add = [&](std::string name, size_t field, const std::vector<double>& u, bool collapse_exact) {
    LinkageField out{std::move(name), {}};
    const bool document = field == kDocumentField;
    const double compared_m = document ? parameters.document_compared_m : 1.0;
    const double compared_u = document ? parameters.document_compared_u : 1.0;
    for (size_t level = 0; level < kFields[field].levels.size(); ++level) {
      const bool collapsed = collapse_exact && IsExactName(static_cast<uint8_t>(level));
      const double level_m = collapsed ? Parameters::ExactSum(parameters.m[field]) : parameters.m[field][level];
      double level_u = collapsed ? Parameters::ExactSum(u) : u[level];
      if (level_u <= 1e-12) level_u = level_m;  // a name frequency bucket no name falls in: it weighs nothing
      out.levels.push_back(
          {std::string(kFields[field].levels[level]), compared_m * level_m, compared_u * level_u, 0.0});
    }
    out.levels.push_back({"missing", document ? 1.0 - compared_m : 1.0, document ? 1.0 - compared_u : 1.0, 0.0});
    model.fields.push_back(std::move(out));
  };
  for (size_t field = 0; field < kFieldCount; ++field) {
    add(std::string(kFields[field].name), field, parameters.u[field], false);
  }
  add("english_name|same_chinese", kEnglishField, parameters.english_u_same_chinese, true);
  add("sex|same_chinese", kSexField, parameters.sex_u_same_chinese, false);
  return model;
}

/// The model row that scores a field in the context of the whole comparison vector.
size_t ModelRow(size_t field, const Levels& levels) {
  if (IsExactName(levels[kChineseField])) {
    if (field == kEnglishField) return kEnglishSameChineseRow;
    if (field == kSexField) return kSexSameChineseRow;
  }
  return field;
}

void CountPairs(const std::vector<uint64_t>& counts, LinkageModel& model) {
  for (uint32_t pattern = 0; pattern < counts.size(); ++pattern) {
    if (counts[pattern] == 0) continue;
    const Levels levels = Decode(pattern);
    for (size_t field = 0; field < kFieldCount; ++field) {
      model.fields[ModelRow(field, levels)].levels[levels[field]].pairs += static_cast<double>(counts[pattern]);
    }
  }
}

/// True when a model has this engine's rows and levels (so that it can score a comparison vector).
bool ModelFits(const LinkageModel& model) {
  if (model.fields.size() != kModelRows || model.lambda <= 0 || model.lambda >= 1) return false;
  for (size_t row = 0; row < kModelRows; ++row) {
    const size_t field = row == kEnglishSameChineseRow ? kEnglishField : (row == kSexSameChineseRow ? kSexField : row);
    if (model.fields[row].levels.size() < Radix(field)) return false;
  }
  return true;
}

double PatternWeight(const LinkageModel& model, const Levels& levels) {
  double weight = 0;
  for (size_t field = 0; field < kFieldCount; ++field) {
    if (IsMissing(field, levels[field]) && !MissingWeighs(field)) continue;
    weight += model.fields[ModelRow(field, levels)].levels[levels[field]].Weight();
  }
  return weight;
}

double WeightProbability(double weight, double lambda) {
  return Logistic(weight * std::log(2.0) + std::log(lambda) - std::log1p(-lambda));
}

std::vector<std::string> Agreements(const Levels& levels) {
  std::vector<std::string> agreements;
  agreements.reserve(kFieldCount);
  for (size_t field = 0; field < kFieldCount; ++field) {
    const std::string_view level =
        IsMissing(field, levels[field]) ? std::string_view("missing") : kFields[field].levels[levels[field]];
    agreements.push_back(fmt::format("{}:{}", kFields[field].name, level));
  }
  return agreements;
}

LinkagePair MakePair(long long first_id, long long second_id, const LinkageModel& model, const Levels& levels) {
  LinkagePair pair;
  pair.left_id = std::min(first_id, second_id);
  pair.right_id = std::max(first_id, second_id);
  pair.weight = PatternWeight(model, levels);
  pair.probability = WeightProbability(pair.weight, model.lambda);
  pair.agreements = Agreements(levels);
  return pair;
}

// ---------------------------------------------------------------------------------------------------------
// Running blocks on threads.

/// Per-thread results of a run over blocks.
struct ThreadTally {
  std::vector<StoredPair> pairs;   // accepted candidate pairs
  std::vector<uint64_t> counts;    // candidate pairs (or same-name pairs) per comparison vector
  std::vector<uint64_t> training;  // same-birthday pairs per comparison vector
  std::array<size_t, kPassCount> pass_comparisons{};
};

/// Runs `work(tally, block)` over the blocks on `threads` threads (each takes the next block), reporting
/// progress from the calling thread.
template <class Work>
void RunBlocks(const std::vector<Block>& blocks, std::vector<ThreadTally>& tallies, long long done_before,
               long long total, const std::function<void(long long, long long)>& progress, Work work) {
  std::atomic<size_t> next_block{0};
  std::atomic<long long> done_pairs{done_before};
  std::atomic<size_t> running{tallies.size()};
  std::vector<std::thread> workers;
  for (ThreadTally& tally : tallies) {
    workers.emplace_back([&] {
      for (size_t block_idx = next_block.fetch_add(1); block_idx < blocks.size(); block_idx = next_block.fetch_add(1)) {
        work(tally, blocks[block_idx]);
        done_pairs.fetch_add(static_cast<long long>(blocks[block_idx].pairs), std::memory_order_relaxed);
      }
      running.fetch_sub(1);
    });
  }
  while (progress && running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    progress(done_pairs.load(std::memory_order_relaxed), total);
  }
  for (auto& worker : workers) worker.join();
}

std::vector<uint64_t> SumCounts(std::vector<ThreadTally>& tallies, std::vector<uint64_t> ThreadTally::*member) {
  std::vector<uint64_t> sum(kPatternCount, 0);
  for (ThreadTally& tally : tallies) {
    const std::vector<uint64_t>& counts = tally.*member;
    for (size_t pattern = 0; pattern < counts.size(); ++pattern) sum[pattern] += counts[pattern];
    tally.*member = {};
  }
  return sum;
}

}  // namespace
}  // namespace welfare::registry::linkage_detail

namespace welfare::registry {

double LinkageLevel::Weight() const {
  if (m <= 0 || u <= 0) return 0;
  return std::log2(m / u);
}

std::string LinkageModel::Describe() const {
  std::string out =
      fmt::format("lambda {:.3g} (P(match) of two records), EM {} iterations{}\n", lambda, iterations,
                  iterations == 0 ? " (starting values)" : (converged ? ", converged" : ", not converged"));
  out += fmt::format("  {:<26} {:<15} {:>10} {:>10} {:>8} {:>12}\n", "field", "level", "m", "u", "weight", "pairs");
  for (const LinkageField& field : fields) {
    for (const LinkageLevel& level : field.levels) {
      if (level.name == "missing" && level.m == 1.0 && level.u == 1.0) {
        out += fmt::format("  {:<26} {:<15} {:>10} {:>10} {:>8} {:>12.0f}\n", field.name, level.name, "-", "-", "0",
                           level.pairs);
        continue;
      }
      out += fmt::format("  {:<26} {:<15} {:>10.3g} {:>10.3g} {:>+8.2f} {:>12.0f}\n", field.name, level.name, level.m,
                         level.u, level.Weight(), level.pairs);
    }
  }
  return out;
}

LinkageModel DefaultLinkageModel() {
  using namespace linkage_detail;
  return ToModel(StartingParameters());
}

LinkageResult FindDuplicates(const std::vector<LinkageRecord>& records, const LinkageOptions& options,
                             const std::function<void(long long done, long long total)>& progress) {
  using namespace linkage_detail;
  const auto run_start = Clock::now();
  LinkageResult result;
  const unsigned threads = options.threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : options.threads;

  auto phase_start = Clock::now();
  PreparedSet set = PrepareAll(records, threads);
  NameFrequencies frequencies = AssignNameFrequencies(records, set);
  const Comparer comparer(records, set);
  result.prepare_seconds = SecondsSince(phase_start);

  phase_start = Clock::now();
  const Blocking blocking(set, std::max<size_t>(options.max_block_size, 2), options.training_pairs);
  std::vector<Block> estimation_blocks;  // every pair: the same-birthday sample and the same-Chinese-name blocks
  std::vector<Block> candidate_blocks;   // the pairs each block owns
  long long estimation_pairs = 0;
  long long candidate_pairs = 0;
  for (const Block& block : blocking.Blocks()) {
    if (block.pass == kTrainingPass || block.pass == kChineseNamePass) {
      estimation_blocks.push_back(block);
      estimation_pairs += static_cast<long long>(block.pairs);
    }
    if (block.pass != kTrainingPass) {
      candidate_blocks.push_back(block);
      candidate_pairs += static_cast<long long>(block.pairs);
    }
  }
  const long long total_pairs = estimation_pairs + candidate_pairs;
  result.blocking_seconds = SecondsSince(phase_start);

  // Estimation: compare the session pairs, take u from random pairs and the name frequencies, run EM.
  phase_start = Clock::now();
  std::vector<ThreadTally> tallies(threads);
  for (ThreadTally& tally : tallies) {
    tally.counts.assign(kPatternCount, 0);
    tally.training.assign(kPatternCount, 0);
  }
  RunBlocks(estimation_blocks, tallies, 0, total_pairs, progress, [&](ThreadTally& tally, const Block& block) {
    auto& histogram = block.pass == kTrainingPass ? tally.training : tally.counts;
    const std::span<const uint32_t> members = blocking.Members(block);
    for (size_t first = 0; first + 1 < members.size(); ++first) {
      for (size_t second = first + 1; second < members.size(); ++second) {
        if (members[first] == members[second]) continue;
        ++histogram[Encode(comparer.Compare(members[first], members[second]))];
      }
    }
    if (block.pass == kTrainingPass) tally.pass_comparisons[block.pass] += block.pairs;
  });
  const std::vector<uint64_t> same_name_counts = SumCounts(tallies, &ThreadTally::counts);
  const std::vector<uint64_t> training_counts = SumCounts(tallies, &ThreadTally::training);

  Parameters parameters = StartingParameters();
  // A small file needs fewer random pairs to show its agreement rates (and would repeat pairs anyway).
  const size_t u_samples = std::min(options.u_sample_pairs, std::max<size_t>(20000, 20 * records.size()));
  EstimateU(comparer, records.size(), u_samples, options.seed, frequencies, parameters);
  const FieldMask not_names = {false, false, true, false, true, true, true};
  const auto same_name_patterns = PatternCounts(same_name_counts);
  const EmOutcome name_session =
      RunEmSession(same_name_patterns, not_names, not_names, options.em_iterations, options.em_tolerance, parameters);
  EstimateUGivenSameChinese(same_name_patterns, not_names, name_session.lambda, parameters);
  const FieldMask not_birth = {true, true, false, true, true, true, true};
  const FieldMask names_and_sex = {true, true, false, true, false, false, false};
  const EmOutcome birth_session = RunEmSession(PatternCounts(training_counts), not_birth, names_and_sex,
                                               options.em_iterations, options.em_tolerance, parameters);
  const double all_pairs = static_cast<double>(records.size()) * (static_cast<double>(records.size()) - 1) / 2;
  const double same_birthday_matches =
      birth_session.lambda * static_cast<double>(blocking.AllTrainingPairs()) /
      std::max(parameters.m[kBirthField][static_cast<size_t>(BirthLevel::kExact)], 0.05);
  if (all_pairs > 0 && blocking.SampledTrainingPairs() > 0) {
    parameters.lambda = std::clamp(same_birthday_matches / all_pairs, 1e-12, 0.5);
  }
  result.model = ToModel(parameters);
  result.model.name_counts = std::move(frequencies.counts);
  result.model.iterations = name_session.iterations + birth_session.iterations;
  result.model.converged = name_session.converged && birth_session.converged;
  std::vector<char> accepted(kPatternCount, 0);
  for (uint32_t pattern = 0; pattern < kPatternCount; ++pattern) {
    const double probability = WeightProbability(PatternWeight(result.model, Decode(pattern)), result.model.lambda);
    accepted[pattern] = probability >= options.threshold_probability ? 1 : 0;
  }
  result.estimation_seconds = SecondsSince(phase_start);

  // Comparison: each candidate pair once (in the first pass and block that holds it); only the pairs whose
  // comparison vector reaches the threshold are kept, the others only counted.
  phase_start = Clock::now();
  for (ThreadTally& tally : tallies) tally.counts.assign(kPatternCount, 0);
  RunBlocks(candidate_blocks, tallies, estimation_pairs, total_pairs, progress,
            [&](ThreadTally& tally, const Block& block) {
              const std::span<const uint32_t> members = blocking.Members(block);
              for (size_t first = 0; first + 1 < members.size(); ++first) {
                for (size_t second = first + 1; second < members.size(); ++second) {
                  const uint32_t left = std::min(members[first], members[second]);
                  const uint32_t right = std::max(members[first], members[second]);
                  if (left == right || !blocking.Owns(block, left, right)) continue;
                  const uint32_t pattern = Encode(comparer.Compare(left, right));
                  ++tally.counts[pattern];
                  ++tally.pass_comparisons[block.pass];
                  if (accepted[pattern] != 0) tally.pairs.push_back({left, right, pattern});
                }
              }
            });
  if (progress) progress(total_pairs, total_pairs);
  const std::vector<uint64_t> counts = SumCounts(tallies, &ThreadTally::counts);
  CountPairs(counts, result.model);
  auto pass_stats = blocking.Stats();
  for (const ThreadTally& tally : tallies) {
    for (size_t pass = 0; pass < kPassCount; ++pass) pass_stats[pass].comparisons += tally.pass_comparisons[pass];
  }
  for (size_t pass = 0; pass < kPassCount; ++pass) {
    result.passes.push_back(pass_stats[pass]);
    if (pass == kTrainingPass) continue;
    result.blocks += pass_stats[pass].blocks;
    result.skipped_blocks += pass_stats[pass].skipped_blocks;
    result.comparisons += pass_stats[pass].comparisons;
  }
  result.comparison_seconds = SecondsSince(phase_start);

  phase_start = Clock::now();
  for (ThreadTally& tally : tallies) {
    for (const StoredPair& stored : tally.pairs) {
      result.pairs.push_back(
          MakePair(records[stored.left].id, records[stored.right].id, result.model, Decode(stored.pattern)));
    }
    tally.pairs = {};
  }
  std::ranges::sort(result.pairs, [](const LinkagePair& left, const LinkagePair& right) {
    return std::tie(left.left_id, left.right_id) < std::tie(right.left_id, right.right_id);
  });
  result.output_seconds = SecondsSince(phase_start);
  result.seconds = SecondsSince(run_start);
  return result;
}

LinkagePair ScorePair(const LinkageRecord& left, const LinkageRecord& right, const LinkageModel& model) {
  using namespace linkage_detail;
  const std::vector<LinkageRecord> records = {left, right};
  PreparedSet set = PrepareAll(records, 1);
  for (size_t record_idx = 0; record_idx < records.size(); ++record_idx) {
    BucketsFromCounts(records[record_idx], model.name_counts, set.records[record_idx]);
  }
  const Comparer comparer(records, set);
  const Levels levels = comparer.Compare(0, 1);
  if (ModelFits(model)) return MakePair(left.id, right.id, model, levels);
  return MakePair(left.id, right.id, DefaultLinkageModel(), levels);
}

}  // namespace welfare::registry
