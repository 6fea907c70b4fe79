// Registry text: Chinese name keys, romanised surnames, identity numbers.
#include <gtest/gtest.h>

#include "registry/identity.hpp"
#include "registry/text.hpp"

namespace welfare::registry {
namespace {

TEST(ChineseKey, TraditionalSimplifiedAndFullWidthShareOneKey) {
  EXPECT_EQ(ChineseKey("陳大文"), ChineseKey("陈大文"));
  EXPECT_EQ(ChineseKey("陳 大文"), ChineseKey("陈大文"));
  EXPECT_EQ(ChineseKey("黃　美玲"), ChineseKey("黄美玲"));  // ideographic space
  EXPECT_EQ(ChineseKey("歐陽·志明"), ChineseKey("欧阳志明"));
  EXPECT_NE(ChineseKey("陳大文"), ChineseKey("陳大偉"));
}

TEST(ChineseKey, SplitsCompoundSurnames) {
  auto parts = SplitChineseName(ChineseKey("歐陽志明"));
  EXPECT_EQ(parts.surname, ChineseKey("歐陽"));
  EXPECT_EQ(parts.given, ChineseKey("志明"));
  parts = SplitChineseName(ChineseKey("陳大文"));
  EXPECT_EQ(parts.surname, ChineseKey("陳"));
  EXPECT_EQ(parts.given, ChineseKey("大文"));
  parts = SplitChineseName(ChineseKey("歐陽"));  // two characters: surname + given, not a compound
  EXPECT_EQ(parts.given, ChineseKey("陽"));
}

TEST(LatinKey, FoldsCaseSpacingHyphensFullWidthAndDiacritics) {
  EXPECT_EQ(LatinKey("Tai-Man"), "taiman");
  EXPECT_EQ(LatinKey("ＣＨＡＮ"), "chan");
  EXPECT_EQ(LatinKey("Lê"), "le");
  EXPECT_EQ(LatinKey("O'Brien"), "obrien");
  EXPECT_EQ(LatinWords("CHAN, Tai-man"), (std::vector<std::string>{"chan", "tai", "man"}));
}

TEST(SurnameClasses, RomanisationVariantsMeetAtTheChineseSurname) {
  const auto chan = SurnameClasses("Chan");
  const auto chen = SurnameClasses("CHEN");
  const auto tan = SurnameClasses("Tan");
  const std::string chen_key = ChineseKey("陳");
  EXPECT_NE(std::ranges::find(chan, chen_key), chan.end());
  EXPECT_NE(std::ranges::find(chen, chen_key), chen.end());
  EXPECT_NE(std::ranges::find(tan, chen_key), tan.end());
  EXPECT_EQ(SurnameClasses("陳"), std::vector<std::string>{chen_key});
  const auto wong = SurnameClasses("Wong");
  EXPECT_NE(std::ranges::find(wong, ChineseKey("王")), wong.end());
  EXPECT_NE(std::ranges::find(wong, ChineseKey("黃")), wong.end());
  EXPECT_EQ(SurnameClasses("Smith"), std::vector<std::string>{"~smith"});
  EXPECT_EQ(SurnameClasses("Au-Yeung"), std::vector<std::string>{ChineseKey("歐陽")});
}

TEST(JaroWinkler, KnownValues) {
  EXPECT_DOUBLE_EQ(JaroWinkler("martha", "martha"), 1.0);
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.813, 0.001);
  EXPECT_DOUBLE_EQ(JaroWinkler("", "abc"), 0.0);
  EXPECT_GT(JaroWinkler("大文", "大文"), JaroWinkler("大文", "大偉"));
}

TEST(PhoneKey, KeepsDigitsOnly) {
  EXPECT_EQ(PhoneKey("+852 9123-4567"), "85291234567");
  EXPECT_EQ(PhoneKey("０９１２ ３４５ ６７８"), "0912345678");
}

TEST(Hkid, CheckDigits) {
  std::string problem;
  EXPECT_EQ(CanonicalDocumentNumber("hkid", "A123456(3)", &problem), "A1234563");
  EXPECT_EQ(CanonicalDocumentNumber("hkid", "a1234563", &problem), "A1234563");
  EXPECT_FALSE(CanonicalDocumentNumber("hkid", "A123456(4)", &problem));
  EXPECT_EQ(problem, "check_digit");
  EXPECT_FALSE(CanonicalDocumentNumber("hkid", "1234567", &problem));
  EXPECT_EQ(problem, "invalid_format");
  EXPECT_EQ(HkidCheckDigit("A123456"), '3');
  // Two-letter numbers and the 'A' check value.
  for (std::string body : {"AB987654", "XA000000", "C668668", "Z683365"}) {
    const std::string number = body + HkidCheckDigit(body);
    EXPECT_TRUE(HkidCheckDigitValid(number)) << number;
  }
}

TEST(Twid, Checksums) {
  std::string problem;
  EXPECT_EQ(CanonicalDocumentNumber("twid", "a123456789", &problem), "A123456789");
  EXPECT_FALSE(CanonicalDocumentNumber("twid", "A123456788", &problem));
  EXPECT_EQ(problem, "check_digit");
  EXPECT_FALSE(CanonicalDocumentNumber("twid", "A323456789", &problem));
  EXPECT_EQ(problem, "invalid_format");
  EXPECT_EQ(TwidCheckDigit("A12345678"), '9');
  EXPECT_TRUE(TwidChecksumValid(std::string("F23456789") + TwidCheckDigit("F23456789")));
}

TEST(Identity, MasksAndGuesses) {
  EXPECT_EQ(MaskDocumentNumber("A1234563"), "A*****63");
  EXPECT_EQ(GuessDocumentType("A123456(3)"), "hkid");
  EXPECT_EQ(GuessDocumentType("A123456789"), "twid");
  EXPECT_FALSE(GuessDocumentType("hello"));
  EXPECT_TRUE(IsDocumentType("passport"));
  EXPECT_FALSE(IsDocumentType("library_card"));
}

}  // namespace
}  // namespace welfare::registry
