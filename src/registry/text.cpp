#include "registry/text.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include <opencc/opencc.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace welfare::registry {
namespace {

const icu::Normalizer2& Nfkc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status) || normalizer == nullptr) throw std::runtime_error("ICU NFKC normaliser unavailable");
  return *normalizer;
}

const icu::Normalizer2& Nfd() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || normalizer == nullptr) throw std::runtime_error("ICU NFD normaliser unavailable");
  return *normalizer;
}

std::string NfkcUtf8(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), text.size()));
  const icu::UnicodeString normal = Nfkc().normalize(source, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  normal.toUTF8String(out);
  return out;
}

/// OpenCC's Traditional→Simplified converter, loaded once (its dictionaries are read-only).
const opencc::SimpleConverter& ToSimplified() {
  static const auto converter = std::make_unique<opencc::SimpleConverter>("t2s.json");
  return *converter;
}

bool IsCjkCodePoint(UChar32 code_point) {
  return (code_point >= 0x4E00 && code_point <= 0x9FFF) || (code_point >= 0x3400 && code_point <= 0x4DBF) ||
         (code_point >= 0x20000 && code_point <= 0x2FA1F) || (code_point >= 0xF900 && code_point <= 0xFAFF);
}

template <class Visit>
void ForEachCodePoint(std::string_view text, Visit&& visit) {
  int32_t offset = 0;
  const auto length = static_cast<int32_t>(text.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  while (offset < length) {
    const int32_t start = offset;
    UChar32 code_point = 0;
    U8_NEXT(bytes, offset, length, code_point);
    visit(code_point, text.substr(static_cast<size_t>(start), static_cast<size_t>(offset - start)));
  }
}

/// Romanised surname → the Chinese surname keys it may stand for; built once from KnownSurnames().
const std::map<std::string, std::vector<std::string>, std::less<>>& RomanisationIndex() {
  static const auto index = [] {
    std::map<std::string, std::vector<std::string>, std::less<>> built;
    for (const auto& surname : KnownSurnames()) {
      for (auto spelling : surname.romanisations) {
        auto& classes = built[std::string(spelling)];
        const std::string key(surname.simplified);
        if (std::ranges::find(classes, key) == classes.end()) classes.push_back(key);
      }
    }
    return built;
  }();
  return index;
}

const std::set<std::string, std::less<>>& CompoundSurnames() {
  static const auto compounds = [] {
    std::set<std::string, std::less<>> built;
    for (const auto& surname : KnownSurnames()) {
      if (CodePoints(surname.simplified).size() > 1) built.insert(std::string(surname.simplified));
    }
    for (const char* extra : {"公孙", "夏侯", "尉迟", "皇甫", "东方", "令狐", "慕容", "端木", "张廖"}) {
      built.insert(extra);
    }
    return built;
  }();
  return compounds;
}

}  // namespace

std::vector<std::string> CodePoints(std::string_view text) {
  std::vector<std::string> points;
  ForEachCodePoint(text, [&](UChar32, std::string_view bytes) { points.emplace_back(bytes); });
  return points;
}

bool HasCjk(std::string_view text) {
  bool found = false;
  ForEachCodePoint(text, [&](UChar32 code_point, std::string_view) { found = found || IsCjkCodePoint(code_point); });
  return found;
}

std::string NormalizeText(std::string_view text) {
  const std::string normal = NfkcUtf8(text);
  std::string out;
  out.reserve(normal.size());
  bool pending_space = false;
  ForEachCodePoint(normal, [&](UChar32 code_point, std::string_view bytes) {
    if (u_isUWhiteSpace(code_point) || code_point < 0x20) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(bytes);
  });
  return out;
}

std::string ChineseKey(std::string_view name) {
  const std::string normal = NfkcUtf8(name);
  std::string kept;
  kept.reserve(normal.size());
  ForEachCodePoint(normal, [&](UChar32 code_point, std::string_view bytes) {
    if (IsCjkCodePoint(code_point) || u_isalnum(code_point)) kept.append(bytes);
  });
  if (kept.empty()) return kept;
  return ToSimplified().Convert(kept);
}

ChineseNameParts SplitChineseName(std::string_view key) {
  const auto points = CodePoints(key);
  if (points.empty()) return {};
  if (points.size() >= 3) {
    const std::string first_two = points[0] + points[1];
    if (CompoundSurnames().contains(first_two)) return {first_two, std::string(key.substr(first_two.size()))};
  }
  if (points.size() == 1) return {points[0], {}};
  return {points[0], std::string(key.substr(points[0].size()))};
}

std::string LatinKey(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), text.size()));
  const icu::UnicodeString folded = Nfd().normalize(Nfkc().normalize(source, status), status);
  std::string out;
  for (int32_t index = 0; index < folded.length(); ++index) {
    const char16_t unit = folded.charAt(index);
    if (unit >= u'A' && unit <= u'Z') out.push_back(static_cast<char>(unit - u'A' + 'a'));
    if ((unit >= u'a' && unit <= u'z') || (unit >= u'0' && unit <= u'9')) out.push_back(static_cast<char>(unit));
  }
  return out;
}

std::vector<std::string> LatinWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  const std::string normal = NfkcUtf8(text);
  auto flush = [&] {
    std::string key = LatinKey(current);
    if (!key.empty()) words.push_back(std::move(key));
    current.clear();
  };
  for (char character : normal) {
    if (character == ' ' || character == '-' || character == ',' || character == '.' || character == '/' ||
        character == '\t') {
      flush();
    } else {
      current.push_back(character);
    }
  }
  flush();
  return words;
}

std::vector<std::string> SurnameClasses(std::string_view surname) {
  if (HasCjk(surname)) return {ChineseKey(surname)};
  const std::string key = LatinKey(surname);
  if (key.empty()) return {};
  const auto& index = RomanisationIndex();
  if (auto found = index.find(key); found != index.end()) return found->second;
  return {"~" + key};
}

double JaroWinkler(std::string_view left_text, std::string_view right_text) {
  const auto left = CodePoints(left_text);
  const auto right = CodePoints(right_text);
  if (left.empty() && right.empty()) return 1.0;
  if (left.empty() || right.empty()) return 0.0;
  const size_t window = std::max<size_t>(std::max(left.size(), right.size()) / 2, 1) - 1;
  std::vector<bool> left_match(left.size(), false);
  std::vector<bool> right_match(right.size(), false);
  size_t matches = 0;
  for (size_t left_idx = 0; left_idx < left.size(); ++left_idx) {
    const size_t from = left_idx > window ? left_idx - window : 0;
    const size_t to = std::min(right.size(), left_idx + window + 1);
    for (size_t right_idx = from; right_idx < to; ++right_idx) {
      if (right_match[right_idx] || left[left_idx] != right[right_idx]) continue;
      left_match[left_idx] = right_match[right_idx] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  size_t transpositions = 0;
  size_t right_idx = 0;
  for (size_t left_idx = 0; left_idx < left.size(); ++left_idx) {
    if (!left_match[left_idx]) continue;
    while (!right_match[right_idx]) ++right_idx;
    if (left[left_idx] != right[right_idx]) ++transpositions;
    ++right_idx;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(left.size()) + m / static_cast<double>(right.size()) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) /
                      3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < left.size() && prefix < right.size() && left[prefix] == right[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

std::string PhoneKey(std::string_view phone) {
  std::string digits;
  for (char character : NfkcUtf8(phone)) {
    if (character >= '0' && character <= '9') digits.push_back(character);
  }
  return digits;
}

}  // namespace welfare::registry
