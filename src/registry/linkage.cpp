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

enum class ChineseLevel : uint8_t { kExact, kAlias, kGivenOnly, kSimilar, kDisagree, kMissing };
enum class EnglishLevel : uint8_t { kExact, kVariant, kSwapped, kAlias, kSurnameOnly, kDisagree, kMissing };
enum class BirthLevel : uint8_t { kExact, kClose, kPartial, kSameYear, kDisagree, kMissing };
enum class AgreeLevel : uint8_t { kAgree, kDisagree, kMissing };

constexpr std::array<std::string_view, 5> kChineseLevelNames = {"exact", "alias", "given_only", "similar",
                                                                 "disagree"};
constexpr std::array<std::string_view, 6> kEnglishLevelNames = {"exact", "variant",      "swapped",
                                                                "alias", "surname_only", "disagree"};
constexpr std::array<std::string_view, 5> kBirthLevelNames = {"exact", "close", "partial", "same_year", "disagree"};
constexpr std::array<std::string_view, 2> kAgreeLevelNames = {"agree", "disagree"};

struct FieldSpec {
  std::string_view name;
  std::span<const std::string_view> levels;  // without "missing"
  std::span<const double> start_m;           // starting m per level
  std::span<const double> start_u;           // starting u per level (replaced by the random-pair sample)
};

constexpr std::array<double, 5> kChineseStartM = {0.85, 0.01, 0.01, 0.06, 0.07};
constexpr std::array<double, 5> kChineseStartU = {0.005, 0.0005, 0.005, 0.02, 0.9695};
constexpr std::array<double, 6> kEnglishStartM = {0.70, 0.15, 0.03, 0.02, 0.05, 0.05};
constexpr std::array<double, 6> kEnglishStartU = {0.002, 0.002, 0.0002, 0.0002, 0.05, 0.9456};
constexpr std::array<double, 5> kBirthStartM = {0.80, 0.06, 0.06, 0.03, 0.05};
constexpr std::array<double, 5> kBirthStartU = {0.0001, 0.0005, 0.001, 0.01, 0.9884};
constexpr std::array<double, 2> kSexStartM = {0.98, 0.02};
constexpr std::array<double, 2> kSexStartU = {0.5, 0.5};
constexpr std::array<double, 2> kDocumentStartM = {0.99, 0.01};
constexpr std::array<double, 2> kDocumentStartU = {0.0001, 0.9999};
constexpr std::array<double, 2> kPhoneStartM = {0.75, 0.25};
constexpr std::array<double, 2> kPhoneStartU = {0.001, 0.999};
constexpr std::array<double, 2> kDistrictStartM = {0.85, 0.15};
constexpr std::array<double, 2> kDistrictStartU = {0.1, 0.9};

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

// ---------------------------------------------------------------------------------------------------------
// Records reduced to codes.

enum class Precision : uint8_t { kNone, kYear, kYearMonth, kFull };

struct DocumentKey {
  uint64_t type = 0;
  uint64_t value = 0;
};

struct Prepared {
  uint64_t chinese = 0;
  uint64_t chinese_surname = 0;
  uint64_t chinese_given = 0;
  uint64_t family = 0;
  uint64_t given = 0;
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
    const std::string_view type = colon == std::string::npos ? std::string_view{} : std::string_view(document).substr(0, colon);
    set.documents.push_back({HashText(type), HashText(document)});
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
void AppendShifted(std::vector<T>& into, const std::vector<T>& from) {
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
    AppendShifted(all.records, share.records);
    AppendShifted(all.classes, share.classes);
    AppendShifted(all.aliases, share.aliases);
    AppendShifted(all.documents, share.documents);
    AppendShifted(all.phones, share.phones);
    share = PreparedSet{};
  }
  return all;
}

// ---------------------------------------------------------------------------------------------------------
// Comparison of two prepared records.

bool SortedIntersect(std::span<const uint64_t> left, std::span<const uint64_t> right) {
  size_t left_idx = 0;
  size_t right_idx = 0;
  while (left_idx < left.size() && right_idx < right.size()) {
    if (left[left_idx] == right[right_idx]) return true;
    if (left[left_idx] < right[right_idx]) ++left_idx;
    else ++right_idx;
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
    if (left.chinese == right.chinese) return ChineseLevel::kExact;
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
    if (left.family == right.family && left.given == right.given) return EnglishLevel::kExact;
    if (left.family != 0 && left.given != 0 && left.family == right.given && left.given == right.family) {
      return EnglishLevel::kSwapped;
    }
    const LinkageRecord& left_record = records_[left_idx];
    const LinkageRecord& right_record = records_[right_idx];
    const bool alias = Contains(set_.Aliases(right), left.given) || Contains(set_.Aliases(left), right.given);
    const bool same_surname = left.family != 0 && right.family != 0 &&
                              (left.family == right.family ||
                               SortedIntersect(set_.Classes(left), set_.Classes(right)) ||
                               JaroWinkler(left_record.family_en, right_record.family_en) >= 0.9);
    if (!same_surname) return alias && (left.family == 0 || right.family == 0) ? EnglishLevel::kAlias
                                                                                 : EnglishLevel::kDisagree;
    if (left.given != 0 && right.given != 0 &&
        (left.given == right.given || JaroWinkler(left_record.given_en, right_record.given_en) >= 0.9)) {
      return EnglishLevel::kVariant;
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

  /// Documents of one kind with different numbers disagree; documents of different kinds say nothing.
  [[nodiscard]] AgreeLevel CompareDocuments(const Prepared& left, const Prepared& right) const {
    bool comparable = false;
    for (const DocumentKey& left_document : set_.Documents(left)) {
      for (const DocumentKey& right_document : set_.Documents(right)) {
        if (left_document.value == right_document.value) return AgreeLevel::kAgree;
        comparable = comparable || left_document.type == right_document.type;
      }
    }
    return comparable ? AgreeLevel::kDisagree : AgreeLevel::kMissing;
  }

  std::span<const LinkageRecord> records_;
  const PreparedSet& set_;
};

// ---------------------------------------------------------------------------------------------------------
// Blocking passes: each gives a record zero or more keys; records that share a key form a block.

constexpr std::array<std::string_view, 8> kPassNames = {
    "document",           "phone",          "chinese_name+year", "chinese_given+year_month",
    "surname+year_month", "given_en+birth_date", "surname+given_en",  "chinese_name",
};
constexpr size_t kPassCount = kPassNames.size();

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
  Blocking(const PreparedSet& set, size_t max_block_size) {
    const size_t count = set.records.size();
    std::vector<uint64_t> scratch;
    for (size_t pass = 0; pass < kPassCount; ++pass) {
      PassIndex& index = passes_[pass];
      LinkageBlockingPass& stats = stats_[pass];
      stats.name = kPassNames[pass];
      index.offsets.resize(count + 1);
      std::vector<KeyEntry> entries;
      entries.reserve(count);
      for (size_t record_idx = 0; record_idx < count; ++record_idx) {
        index.offsets[record_idx] = static_cast<uint32_t>(index.keys.size());
        scratch.clear();
        PassKeys(pass, set, set.records[record_idx], scratch);
        std::ranges::sort(scratch);
        scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
        for (const uint64_t key : scratch) {
          index.keys.push_back(key);
          entries.push_back({key, static_cast<uint32_t>(record_idx)});
        }
      }
      index.offsets[count] = static_cast<uint32_t>(index.keys.size());
      std::ranges::sort(entries);
      index.members.reserve(entries.size());
      for (const KeyEntry& entry : entries) index.members.push_back(entry.record);
      size_t run_start = 0;
      while (run_start < entries.size()) {
        size_t run_end = run_start + 1;
        while (run_end < entries.size() && entries[run_end].key == entries[run_start].key) ++run_end;
        const size_t size = run_end - run_start;
        if (size > max_block_size) {
          index.skipped.push_back(entries[run_start].key);
          ++stats.skipped_blocks;
          stats.skipped_records += size;
        } else if (size >= 2) {
          blocks_.push_back({entries[run_start].key, static_cast<uint64_t>(size) * (size - 1) / 2,
                             static_cast<uint32_t>(pass), static_cast<uint32_t>(run_start),
                             static_cast<uint32_t>(size)});
          ++stats.blocks;
        }
        run_start = run_end;
      }
      // entries were sorted by key, so the skipped keys are sorted too
    }
    // The largest blocks first, so that the threads finish together.
    std::ranges::sort(blocks_, [](const Block& left, const Block& right) { return left.pairs > right.pairs; });
  }

  [[nodiscard]] const std::vector<Block>& Blocks() const { return blocks_; }
  [[nodiscard]] std::span<const uint32_t> Members(const Block& block) const {
    return {passes_[block.pass].members.data() + block.start, block.size};
  }
  [[nodiscard]] std::array<LinkageBlockingPass, kPassCount>& Stats() { return stats_; }

  /// True when this block is where the pair is compared: no earlier pass and no smaller key of this pass
  /// (in a block that was not skipped) holds both records.
  [[nodiscard]] bool Owns(const Block& block, uint32_t left, uint32_t right) const {
    for (uint32_t pass = 0; pass < block.pass; ++pass) {
      if (FirstSharedKey(pass, left, right) != 0) return false;
    }
    return FirstSharedKey(block.pass, left, right) == block.key;
  }

private:
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
};

// ---------------------------------------------------------------------------------------------------------
// Estimation.

struct StoredPair {
  uint32_t left;
  uint32_t right;
  uint32_t pattern;
};

struct Parameters {
  std::array<std::vector<double>, kFieldCount> m;
  std::array<std::vector<double>, kFieldCount> u;
  double lambda = 0.01;
};

Parameters StartingParameters() {
  Parameters parameters;
  for (size_t field = 0; field < kFieldCount; ++field) {
    parameters.m[field].assign(kFields[field].start_m.begin(), kFields[field].start_m.end());
    parameters.u[field].assign(kFields[field].start_u.begin(), kFields[field].start_u.end());
  }
  return parameters;
}

/// Replaces the starting u of each field by its level frequencies among random pairs (almost all of which are
/// different people), smoothed so that no level has u = 0.
void StartUFromRandomPairs(const Comparer& comparer, size_t count, size_t samples, unsigned long long seed,
                           Parameters& parameters) {
  if (count < 2 || samples == 0) return;
  std::array<std::vector<double>, kFieldCount> tallies;
  for (size_t field = 0; field < kFieldCount; ++field) tallies[field].assign(kFields[field].levels.size(), 0.0);
  uint64_t state = seed;
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
  }
  for (size_t field = 0; field < kFieldCount; ++field) {
    double total = 0;
    for (const double tally : tallies[field]) total += tally;
    if (total < 100) continue;
    const double levels = static_cast<double>(tallies[field].size());
    for (size_t level = 0; level < tallies[field].size(); ++level) {
      parameters.u[field][level] = (tallies[field][level] + 0.5) / (total + 0.5 * levels);
    }
  }
}

struct PatternCount {
  uint32_t pattern;
  double count;
  Levels levels;
};

double LogOdds(const Parameters& parameters, const Levels& levels) {
  double log_odds = std::log(parameters.lambda) - std::log1p(-parameters.lambda);
  for (size_t field = 0; field < kFieldCount; ++field) {
    if (IsMissing(field, levels[field])) continue;
    log_odds += std::log(parameters.m[field][levels[field]]) - std::log(parameters.u[field][levels[field]]);
  }
  return log_odds;
}

double Logistic(double log_odds) {
  if (log_odds > 0) return 1.0 / (1.0 + std::exp(-log_odds));
  const double odds = std::exp(log_odds);
  return odds / (1.0 + odds);
}

/// EM over the distinct comparison vectors. Returns the iterations run; sets `converged`.
int RunEm(const std::vector<PatternCount>& patterns, int max_iterations, double tolerance, Parameters& parameters,
          bool& converged) {
  constexpr double kFloor = 1e-9;
  constexpr double kPseudoCount = 0.01;
  converged = false;
  double total = 0;
  for (const PatternCount& pattern : patterns) total += pattern.count;
  if (total <= 0) return 0;
  int iteration = 0;
  while (iteration < max_iterations) {
    ++iteration;
    std::array<std::vector<double>, kFieldCount> m_tally;
    std::array<std::vector<double>, kFieldCount> u_tally;
    for (size_t field = 0; field < kFieldCount; ++field) {
      m_tally[field].assign(kFields[field].levels.size(), kPseudoCount);
      u_tally[field].assign(kFields[field].levels.size(), kPseudoCount);
    }
    double matches = 0;
    for (const PatternCount& pattern : patterns) {
      const double posterior = Logistic(LogOdds(parameters, pattern.levels));
      const double match_share = pattern.count * posterior;
      const double non_match_share = pattern.count - match_share;
      matches += match_share;
      for (size_t field = 0; field < kFieldCount; ++field) {
        const uint8_t level = pattern.levels[field];
        if (IsMissing(field, level)) continue;
        m_tally[field][level] += match_share;
        u_tally[field][level] += non_match_share;
      }
    }
    double change = 0;
    for (size_t field = 0; field < kFieldCount; ++field) {
      double m_total = 0;
      double u_total = 0;
      for (size_t level = 0; level < m_tally[field].size(); ++level) {
        m_total += m_tally[field][level];
        u_total += u_tally[field][level];
      }
      for (size_t level = 0; level < m_tally[field].size(); ++level) {
        const double m = std::max(m_tally[field][level] / m_total, kFloor);
        const double u = std::max(u_tally[field][level] / u_total, kFloor);
        change = std::max({change, std::abs(m - parameters.m[field][level]), std::abs(u - parameters.u[field][level])});
        parameters.m[field][level] = m;
        parameters.u[field][level] = u;
      }
    }
    const double lambda = std::clamp(matches / total, kFloor, 1.0 - kFloor);
    change = std::max(change, std::abs(lambda - parameters.lambda));
    parameters.lambda = lambda;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return iteration;
}

LinkageModel ToModel(const Parameters& parameters, const std::vector<uint64_t>& counts) {
  LinkageModel model;
  model.lambda = parameters.lambda;
  for (size_t field = 0; field < kFieldCount; ++field) {
    LinkageField out{std::string(kFields[field].name), {}};
    for (size_t level = 0; level < kFields[field].levels.size(); ++level) {
      out.levels.push_back({std::string(kFields[field].levels[level]), parameters.m[field][level],
                            parameters.u[field][level], 0.0});
    }
    out.levels.push_back({"missing", 1.0, 1.0, 0.0});
    model.fields.push_back(std::move(out));
  }
  for (uint32_t pattern = 0; pattern < counts.size(); ++pattern) {
    if (counts[pattern] == 0) continue;
    const Levels levels = Decode(pattern);
    for (size_t field = 0; field < kFieldCount; ++field) {
      model.fields[field].levels[levels[field]].pairs += static_cast<double>(counts[pattern]);
    }
  }
  return model;
}

/// True when a model has this engine's fields and levels (so that it can score a comparison vector).
bool ModelFits(const LinkageModel& model) {
  if (model.fields.size() != kFieldCount || model.lambda <= 0 || model.lambda >= 1) return false;
  for (size_t field = 0; field < kFieldCount; ++field) {
    if (model.fields[field].levels.size() < kFields[field].levels.size()) return false;
  }
  return true;
}

double PatternWeight(const LinkageModel& model, const Levels& levels) {
  double weight = 0;
  for (size_t field = 0; field < kFieldCount; ++field) {
    if (IsMissing(field, levels[field])) continue;
    weight += model.fields[field].levels[levels[field]].Weight();
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

}  // namespace
}  // namespace welfare::registry::linkage_detail

namespace welfare::registry {

double LinkageLevel::Weight() const {
  if (m <= 0 || u <= 0) return 0;
  return std::log2(m / u);
}

std::string LinkageModel::Describe() const {
  std::string out = fmt::format("lambda {:.6f}, EM {} iterations{}\n", lambda, iterations,
                                iterations == 0 ? " (starting values)" : (converged ? ", converged" : ", not converged"));
  out += fmt::format("  {:<14} {:<13} {:>10} {:>10} {:>8} {:>12}\n", "field", "level", "m", "u", "weight", "pairs");
  for (const LinkageField& field : fields) {
    for (const LinkageLevel& level : field.levels) {
      if (level.name == "missing") {
        out += fmt::format("  {:<14} {:<13} {:>10} {:>10} {:>8} {:>12.0f}\n", field.name, level.name, "-", "-", "0",
                           level.pairs);
        continue;
      }
      out += fmt::format("  {:<14} {:<13} {:>10.6f} {:>10.6f} {:>+8.2f} {:>12.0f}\n", field.name, level.name, level.m,
                         level.u, level.Weight(), level.pairs);
    }
  }
  return out;
}

LinkageModel DefaultLinkageModel() {
  using namespace linkage_detail;
  Parameters parameters = StartingParameters();
  parameters.lambda = 0.01;
  return ToModel(parameters, {});
}

LinkageResult FindDuplicates(const std::vector<LinkageRecord>& records, const LinkageOptions& options,
                             const std::function<void(long long done, long long total)>& progress) {
  using namespace linkage_detail;
  const auto run_start = Clock::now();
  LinkageResult result;
  const unsigned threads = options.threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : options.threads;

  auto phase_start = Clock::now();
  const PreparedSet set = PrepareAll(records, threads);
  const Comparer comparer(records, set);
  result.prepare_seconds = SecondsSince(phase_start);

  phase_start = Clock::now();
  Blocking blocking(set, std::max<size_t>(options.max_block_size, 2));
  result.blocking_seconds = SecondsSince(phase_start);

  // Comparison: each thread takes the next block, compares the pairs that block owns and keeps their
  // comparison vectors; the counts of the vectors are what EM needs.
  phase_start = Clock::now();
  const std::vector<Block>& blocks = blocking.Blocks();
  long long total_block_pairs = 0;
  for (const Block& block : blocks) total_block_pairs += static_cast<long long>(block.pairs);
  std::atomic<size_t> next_block{0};
  std::atomic<long long> done_pairs{0};
  std::atomic<unsigned> running{threads};
  std::vector<std::vector<StoredPair>> thread_pairs(threads);
  std::vector<std::vector<uint64_t>> thread_counts(threads, std::vector<uint64_t>(kPatternCount, 0));
  std::vector<std::array<size_t, kPassCount>> thread_pass_comparisons(threads);
  std::vector<std::thread> workers;
  for (unsigned thread_idx = 0; thread_idx < threads; ++thread_idx) {
    workers.emplace_back([&, thread_idx] {
      auto& pairs = thread_pairs[thread_idx];
      auto& counts = thread_counts[thread_idx];
      auto& pass_comparisons = thread_pass_comparisons[thread_idx];
      pass_comparisons.fill(0);
      for (size_t block_idx = next_block.fetch_add(1); block_idx < blocks.size();
           block_idx = next_block.fetch_add(1)) {
        const Block& block = blocks[block_idx];
        const std::span<const uint32_t> members = blocking.Members(block);
        for (size_t first = 0; first + 1 < members.size(); ++first) {
          for (size_t second = first + 1; second < members.size(); ++second) {
            const uint32_t left = std::min(members[first], members[second]);
            const uint32_t right = std::max(members[first], members[second]);
            if (left == right || !blocking.Owns(block, left, right)) continue;
            const uint32_t pattern = Encode(comparer.Compare(left, right));
            ++counts[pattern];
            ++pass_comparisons[block.pass];
            pairs.push_back({left, right, pattern});
          }
        }
        done_pairs.fetch_add(static_cast<long long>(block.pairs), std::memory_order_relaxed);
      }
      running.fetch_sub(1);
    });
  }
  while (progress && running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    progress(done_pairs.load(std::memory_order_relaxed), total_block_pairs);
  }
  for (auto& worker : workers) worker.join();
  if (progress) progress(total_block_pairs, total_block_pairs);

  std::vector<uint64_t> counts(kPatternCount, 0);
  auto& pass_stats = blocking.Stats();
  for (unsigned thread_idx = 0; thread_idx < threads; ++thread_idx) {
    for (uint32_t pattern = 0; pattern < kPatternCount; ++pattern) counts[pattern] += thread_counts[thread_idx][pattern];
    for (size_t pass = 0; pass < kPassCount; ++pass) {
      pass_stats[pass].comparisons += thread_pass_comparisons[thread_idx][pass];
    }
  }
  thread_counts.clear();
  for (const LinkageBlockingPass& pass : pass_stats) {
    result.passes.push_back(pass);
    result.blocks += pass.blocks;
    result.skipped_blocks += pass.skipped_blocks;
    result.comparisons += pass.comparisons;
  }
  result.comparison_seconds = SecondsSince(phase_start);

  // Estimation: u starts from random pairs, m from typical recording error rates; EM then fits m, u and λ to
  // the counts of the comparison vectors of the candidate pairs.
  phase_start = Clock::now();
  Parameters parameters = StartingParameters();
  StartUFromRandomPairs(comparer, records.size(), options.u_sample_pairs, options.seed, parameters);
  std::vector<PatternCount> patterns;
  for (uint32_t pattern = 0; pattern < kPatternCount; ++pattern) {
    if (counts[pattern] != 0) patterns.push_back({pattern, static_cast<double>(counts[pattern]), Decode(pattern)});
  }
  bool converged = false;
  const int iterations = RunEm(patterns, options.em_iterations, options.em_tolerance, parameters, converged);
  result.model = ToModel(parameters, counts);
  result.model.iterations = iterations;
  result.model.converged = converged;
  result.estimation_seconds = SecondsSince(phase_start);

  // Output: the vectors whose posterior reaches the threshold, then the pairs that have them.
  phase_start = Clock::now();
  std::vector<char> accepted(kPatternCount, 0);
  for (const PatternCount& pattern : patterns) {
    const double probability =
        WeightProbability(PatternWeight(result.model, pattern.levels), result.model.lambda);
    accepted[pattern.pattern] = probability >= options.threshold_probability ? 1 : 0;
  }
  for (auto& pairs : thread_pairs) {
    for (const StoredPair& stored : pairs) {
      if (accepted[stored.pattern] == 0) continue;
      result.pairs.push_back(
          MakePair(records[stored.left].id, records[stored.right].id, result.model, Decode(stored.pattern)));
    }
    pairs = {};
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
  const PreparedSet set = PrepareAll(records, 1);
  const Comparer comparer(records, set);
  const Levels levels = comparer.Compare(0, 1);
  if (ModelFits(model)) return MakePair(left.id, right.id, model, levels);
  return MakePair(left.id, right.id, DefaultLinkageModel(), levels);
}

}  // namespace welfare::registry
