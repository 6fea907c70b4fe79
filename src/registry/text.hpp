/// \file Name and text normalisation for matching people: Traditional/Simplified, full-width, romanisation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace welfare::registry {

/// NFKC (full-width letters and digits become half-width), trimmed, inner white space collapsed.
[[nodiscard]] std::string NormalizeText(std::string_view text);

/// The matching key of a Chinese name: NFKC, without spaces or the middle dot, in Simplified
/// characters (OpenCC t2s, many-to-one), so that 陳大文, 陈大文 and ＂陳 大文＂ share one key.
[[nodiscard]] std::string ChineseKey(std::string_view name);

/// A Chinese name key split into surname and given name; compound surnames (歐陽, 司徒…) are known.
struct ChineseNameParts {
  std::string surname;
  std::string given;
};
[[nodiscard]] ChineseNameParts SplitChineseName(std::string_view key);

/// Lower-case ASCII letters of one romanised name part, without spaces, hyphens or apostrophes
/// (diacritics are dropped: "Lê" → "le").
[[nodiscard]] std::string LatinKey(std::string_view text);

/// The words of a romanised name (split on spaces, hyphens, commas and dots), each as LatinKey.
[[nodiscard]] std::vector<std::string> LatinWords(std::string_view text);

/// The surname classes a romanised surname may stand for: the Chinese surname keys it is a
/// common romanisation of (Chan/Chen/Tan → 陈; Wong → 王, 黄), or "~" + the LatinKey when it is
/// not a known Chinese surname. A Chinese surname key is its own class.
[[nodiscard]] std::vector<std::string> SurnameClasses(std::string_view surname);

/// True when the text holds any CJK ideograph.
[[nodiscard]] bool HasCjk(std::string_view text);

/// UTF-8 text split into code points (each as its UTF-8 bytes).
[[nodiscard]] std::vector<std::string> CodePoints(std::string_view text);

/// One known Chinese surname with its common romanisations (Hong Kong, pinyin, Wade–Giles, Southeast Asian).
struct SurnameSpelling {
  std::string_view traditional;
  std::string_view simplified;
  std::vector<std::string_view> romanisations;  ///< lower case, the first is the Hong Kong spelling
};
/// The table behind SurnameClasses, most common surnames first (the population generator uses it too).
[[nodiscard]] const std::vector<SurnameSpelling>& KnownSurnames();

/// Jaro–Winkler similarity of two strings of code points (1 = equal).
[[nodiscard]] double JaroWinkler(std::string_view left, std::string_view right);

/// Digits only (phone numbers: "+852 9123-4567" → "85291234567"); the last 8 digits are what
/// phone matching compares, so country codes do not matter.
[[nodiscard]] std::string PhoneKey(std::string_view phone);

}  // namespace welfare::registry
