// Registry text: Chinese name keys, romanised surnames, identity numbers.
#include <set>

#include <gtest/gtest.h>

#include "registry/csv.hpp"
#include "registry/dates.hpp"
#include "registry/identity.hpp"
#include "registry/matching.hpp"
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

TEST(PartialDates, ReadTheUsualWaysOfWritingADate) {
  EXPECT_EQ(ParsePartialDate("1980-05-12")->text, "1980-05-12");
  EXPECT_EQ(ParsePartialDate("1980/5/12")->text, "1980-05-12");
  EXPECT_EQ(ParsePartialDate("12/05/1980")->text, "1980-05-12");
  EXPECT_EQ(ParsePartialDate("19800512")->text, "1980-05-12");
  EXPECT_EQ(ParsePartialDate("1980-05")->text, "1980-05");
  EXPECT_EQ(ParsePartialDate("1980")->text, "1980");
  EXPECT_FALSE(ParsePartialDate("1980-02-30"));
  EXPECT_FALSE(ParsePartialDate("2023-13-01"));
  EXPECT_FALSE(ParsePartialDate("hello"));
  EXPECT_TRUE(ParsePartialDate("2000-02-29"));
  EXPECT_FALSE(ParsePartialDate("1900-02-29"));
}

TEST(PartialDates, CompareWithTolerance) {
  auto date = [](const char* text) { return ParsePartialDate(text); };
  EXPECT_EQ(CompareDates(date("1980-05-12"), date("1980-05-12")), DateAgreement::kExact);
  EXPECT_EQ(CompareDates(date("1980-05-12"), date("1980-05-15")), DateAgreement::kNear);
  EXPECT_EQ(CompareDates(date("1980-05-12"), date("1980-12-05")), DateAgreement::kNear);  // day and month swapped
  EXPECT_EQ(CompareDates(date("1980-05-12"), date("1980-05-21")), DateAgreement::kNear);  // digits transposed
  EXPECT_EQ(CompareDates(date("1980-05-12"), date("1980-05")), DateAgreement::kCompatible);
  EXPECT_EQ(CompareDates(date("1980-05-12"), date("1980-09-30")), DateAgreement::kSameYear);
  EXPECT_EQ(CompareDates(date("1980-05-12"), date("1975-01-01")), DateAgreement::kDisagree);
  EXPECT_EQ(CompareDates(date("1980-05-12"), std::nullopt), DateAgreement::kMissing);
}

TEST(PartialDates, NearDatesAreExactlyTheNearOnes) {
  const auto date = *ParsePartialDate("1980-05-12");
  const auto near = NearDates(date);
  std::set<std::string> texts;
  for (const auto& other : near) {
    EXPECT_EQ(CompareDates(date, other), DateAgreement::kNear) << other.text;
    texts.insert(other.text);
  }
  EXPECT_EQ(texts.size(), near.size());
  EXPECT_FALSE(texts.contains("1980-05-12"));
  for (const char* expected : {"1980-05-05", "1980-05-19", "1980-12-05", "1980-05-21", "1908-05-12", "1980-50-12"}) {
    EXPECT_EQ(texts.contains(expected), std::string(expected) != "1980-50-12") << expected;
  }
  // Across a month and a leap day.
  const auto leap = NearDates(*ParsePartialDate("2000-03-02"));
  EXPECT_TRUE(std::ranges::any_of(leap, [](const PartialDate& other) { return other.text == "2000-02-29"; }));
  EXPECT_TRUE(NearDates(*ParsePartialDate("1980-05")).empty());
  for (long long days : {-1000000LL, -1LL, 0LL, 3652LL, 11088LL, 60000LL}) {
    const auto [year, month, day] = CivilFromDays(days);
    EXPECT_EQ(DaysFromCivil(year, month, day), days);
  }
}

TEST(SearchText, IsReadIntoItsParts) {
  const auto query = ParseSearchText("陳大文 CHAN Tai-man 12/05/1980 9123 4567 A123456(3)");
  EXPECT_EQ(query.chinese_terms, std::vector<std::string>{ChineseKey("陳大文")});
  EXPECT_EQ(query.latin_words, (std::vector<std::string>{"chan", "tai", "man"}));
  ASSERT_TRUE(query.birth_date);
  EXPECT_EQ(query.birth_date->text, "1980-05-12");
  EXPECT_EQ(query.document_texts, std::vector<std::string>{"A1234563"});
  // A phone number typed in groups is read as one.
  EXPECT_EQ(query.phone_keys, std::vector<std::string>{"91234567"});
  EXPECT_EQ(ParseSearchText("0912 345 678").phone_keys, std::vector<std::string>{"12345678"});
  EXPECT_EQ(ParseSearchText("+852-9123-4567").phone_keys, std::vector<std::string>{"91234567"});
  EXPECT_TRUE(ParseSearchText("   ").Empty());
}

Person Sample() {
  Person person;
  person.id = 7;
  person.chinese_name = "陳大文";
  person.family_name_en = "CHAN";
  person.given_names_en = "Tai Man";
  person.sex = "male";
  person.birth_date = "1980-05-12";
  person.contacts.push_back({1, "mobile", "9123 4567", "91234567"});
  return person;
}

bool SharesAKey(const MatchQuery& query, const Person& person) {
  const auto query_keys = QuerySearchKeys(query);
  const auto person_keys = PersonSearchKeys(person);
  return std::ranges::any_of(query_keys,
                             [&](long long key) { return std::ranges::find(person_keys, key) != person_keys.end(); });
}

TEST(SearchKeys, EveryUsualWayOfTypingTheNameFindsThePerson) {
  const Person person = Sample();
  for (const char* text : {"陳大文", "陈大文", "大文", "陳大", "CHAN Tai Man", "Tai Man Chan", "Chen Taiman",
                           "tan tai-man", "陳 Tai Man", "Chan Tai", "Tai Man"}) {
    EXPECT_TRUE(SharesAKey(ParseSearchText(text), person)) << text;
  }
  EXPECT_FALSE(SharesAKey(ParseSearchText("王小明"), person));
  // A surname with the date of birth finds the person even when the given name is misspelt.
  EXPECT_TRUE(SharesAKey(ParseSearchText("Chan Tia Man 1980-05-12"), person));
  // And with a date a few days off, through the near-date keys.
  const auto near_keys = QueryNearDateKeys(ParseSearchText("Chan Tia Man 1980-05-15"));
  const auto person_keys = PersonSearchKeys(person);
  EXPECT_TRUE(std::ranges::any_of(
      near_keys, [&](long long key) { return std::ranges::find(person_keys, key) != person_keys.end(); }));
  EXPECT_TRUE(QueryNearDateKeys(ParseSearchText("Chan Tai Man")).empty());
}

TEST(ScoreCandidate, ExplainsWhichFieldsAgreed) {
  const Person person = Sample();
  auto score = ScoreCandidate(ParseSearchText("陈大文 1980-05-21"), person, false);
  EXPECT_GE(score.score, kLikelyDuplicateScore);
  ASSERT_EQ(score.reasons.size(), 2u);
  EXPECT_EQ(score.reasons[0].field, "chinese_name");
  EXPECT_EQ(score.reasons[0].level, "exact");
  EXPECT_EQ(score.reasons[1].field, "birth_date");
  EXPECT_EQ(score.reasons[1].level, "near");
  const auto different = ScoreCandidate(ParseSearchText("陳大文 1955-01-01"), person, false);
  EXPECT_LT(different.score, score.score);
  const auto by_phone = ScoreCandidate(ParseSearchText("Chan +852 9123-4567"), person, false);
  EXPECT_TRUE(std::ranges::any_of(by_phone.reasons, [](const MatchReason& reason) { return reason.field == "phone"; }));
  EXPECT_EQ(ScoreCandidate(ParseSearchText("X"), person, true).score, 60);
}

TEST(Csv, ReadsQuotedFieldsLineBreaksAndAByteOrderMark) {
  CsvReader reader("\xEF\xBB\xBF"
                   "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,3");
  EXPECT_EQ(*reader.Next(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(*reader.Next(), (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_EQ(*reader.Next(), (std::vector<std::string>{"1", "", "3"}));
  EXPECT_EQ(reader.line(), 5u);
  EXPECT_FALSE(reader.Next());
  std::string error;
  CsvReader broken("\"never closed,1\n2");
  (void)broken.Next(&error);
  EXPECT_EQ(error, "unclosed_quote");
  EXPECT_EQ(CsvQuote("=SUM(A1)"), "'=SUM(A1)");
  EXPECT_EQ(CsvQuote("a,b"), "\"a,b\"");
}

}  // namespace
}  // namespace welfare::registry
