// Registry linkage: the Fellegi–Sunter duplicate finder, and the synthetic population it is measured on.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "bench/registry/population.hpp"
#include "registry/identity.hpp"
#include "registry/linkage.hpp"
#include "registry/text.hpp"

namespace welfare::registry::linkage_test {
namespace {

using bench::GeneratedRecord;

/// A record as the registry would pass it to the linkage, built from readable text.
class PersonBuilder {
 public:
  explicit PersonBuilder(long long id) { record_.id = id; }
  PersonBuilder& Chinese(std::string_view name) {
    record_.chinese_key = ChineseKey(name);
    return *this;
  }
  PersonBuilder& English(std::string_view family, std::string_view given) {
    record_.family_en = LatinKey(family);
    record_.given_en = LatinKey(given);
    return *this;
  }
  PersonBuilder& Sex(std::string sex) {
    record_.sex = std::move(sex);
    return *this;
  }
  PersonBuilder& Born(std::string date) {
    record_.birth_date = std::move(date);
    return *this;
  }
  PersonBuilder& Document(std::string key) {
    record_.ids.push_back(std::move(key));
    return *this;
  }
  PersonBuilder& Phone(std::string_view phone) {
    record_.phones.push_back(PhoneKey(phone));
    return *this;
  }
  PersonBuilder& District(std::string district) {
    record_.district = std::move(district);
    return *this;
  }
  [[nodiscard]] LinkageRecord Build() const { return record_; }

 private:
  LinkageRecord record_;
};

/// A generated record normalised the way linkage_bench does it.
LinkageRecord FromGenerated(const GeneratedRecord& record, long long id) {
  LinkageRecord out;
  out.id = id;
  if (!record.chinese_name.empty()) out.chinese_key = ChineseKey(record.chinese_name);
  for (const auto& alias : record.aliases)
    out.alias_keys.push_back(HasCjk(alias) ? ChineseKey(alias) : LatinKey(alias));
  out.family_en = LatinKey(record.family_name_en);
  out.given_en = LatinKey(record.given_names_en);
  if (record.sex != "unknown") out.sex = record.sex;
  out.birth_date = record.birth_precision == "estimated" ? record.birth_date.substr(0, 4) : record.birth_date;
  if (!record.id_type.empty()) {
    const auto canonical = CanonicalDocumentNumber(record.id_type, record.id_number, nullptr);
    const std::string kind = record.id_type == "birth_cert" ? "hkid" : record.id_type;
    if (canonical) out.ids.push_back(kind + ":" + *canonical);
  }
  if (!record.phone.empty()) out.phones.push_back(PhoneKey(record.phone));
  out.district = record.district;
  return out;
}

/// A generated population (the background the EM estimates from), with its truth by record id.
struct Population {
  std::vector<LinkageRecord> records;
  std::vector<long long> person_of;  // by id - 1
  long long true_pairs = 0;
};

Population MakePopulation(long long count, unsigned long long seed) {
  bench::PopulationOptions options;
  options.records = count;
  options.seed = seed;
  Population population;
  const auto summary = bench::GeneratePopulation(options, [&](const GeneratedRecord& record) {
    population.records.push_back(FromGenerated(record, static_cast<long long>(population.records.size()) + 1));
    population.person_of.push_back(record.person_key);
  });
  population.true_pairs = summary.true_pairs;
  return population;
}

const Population& Background() {
  static const Population population = MakePopulation(4000, 11);
  return population;
}

bool Linked(const LinkageResult& result, long long left, long long right) {
  return std::ranges::any_of(result.pairs, [&](const LinkagePair& pair) {
    return pair.left_id == std::min(left, right) && pair.right_id == std::max(left, right);
  });
}

bool Has(const std::vector<std::string>& agreements, std::string_view agreement) {
  return std::ranges::find(agreements, agreement) != agreements.end();
}

/// True when a field agrees exactly, whatever the frequency bucket of the name ("chinese_name:exact_rare").
bool HasExact(const std::vector<std::string>& agreements, std::string_view field) {
  const std::string prefix = std::string(field) + ":exact";
  return std::ranges::any_of(agreements, [&](const std::string& agreement) { return agreement.starts_with(prefix); });
}

/// The background plus the given records (ids from 1,000,000 up), linked.
LinkageResult LinkWithBackground(const std::vector<LinkageRecord>& extra) {
  std::vector<LinkageRecord> records = Background().records;
  records.insert(records.end(), extra.begin(), extra.end());
  return FindDuplicates(records, LinkageOptions{});
}

TEST(LinkageFindDuplicates, LinksObviousDuplicates) {
  const auto original = PersonBuilder(1'000'001)
                            .Chinese("陳大文")
                            .English("CHAN", "Tai Man")
                            .Sex("male")
                            .Born("1980-05-12")
                            .Document("hkid:A1234563")
                            .Phone("9123 4567")
                            .District("Kwun Tong")
                            .Build();
  const auto again = PersonBuilder(1'000'002)
                         .Chinese("陈 大文")
                         .English("Chan", "Tai-man")
                         .Sex("male")
                         .Born("1980-05-12")
                         .Phone("+852 91234567")
                         .District("Kwun Tong")
                         .Build();
  const auto result = LinkWithBackground({original, again});
  ASSERT_TRUE(Linked(result, 1'000'001, 1'000'002));
  const auto pair =
      std::ranges::find_if(result.pairs, [](const LinkagePair& found) { return found.left_id == 1'000'001; });
  EXPECT_GE(pair->probability, 0.9);
  EXPECT_TRUE(HasExact(pair->agreements, "chinese_name"));
  EXPECT_TRUE(HasExact(pair->agreements, "english_name"));
  EXPECT_TRUE(Has(pair->agreements, "birth_date:exact"));
  EXPECT_TRUE(Has(pair->agreements, "phone:agree"));
  EXPECT_TRUE(Has(pair->agreements, "document:missing"));
}

TEST(LinkageFindDuplicates, SameCommonNameDifferentBirthDatesAreNotLinked) {
  const auto one = PersonBuilder(1'000'001)
                       .Chinese("陳美玲")
                       .English("CHAN", "Mei Ling")
                       .Sex("female")
                       .Born("1975-03-02")
                       .Document("hkid:E3344556")
                       .Phone("61234567")
                       .District("Sha Tin")
                       .Build();
  const auto other = PersonBuilder(1'000'002)
                         .Chinese("陳美玲")
                         .English("CHAN", "Mei Ling")
                         .Sex("female")
                         .Born("1988-11-20")
                         .Phone("98765432")
                         .District("Sha Tin")
                         .Build();
  const auto result = LinkWithBackground({one, other});
  EXPECT_FALSE(Linked(result, 1'000'001, 1'000'002));
  const auto scored = ScorePair(one, other, result.model);
  EXPECT_LT(scored.probability, 0.5);
  EXPECT_TRUE(Has(scored.agreements, "birth_date:disagree"));
}

TEST(LinkageFindDuplicates, RomanisationVariantsAreLinked) {
  const auto hong_kong = PersonBuilder(1'000'001)
                             .Chinese("張志明")
                             .English("CHEUNG", "Chi Ming")
                             .Sex("male")
                             .Born("1960-01-15")
                             .District("Wong Tai Sin")
                             .Build();
  const auto wade_giles = PersonBuilder(1'000'002)
                              .English("CHANG", "Chi-ming")
                              .Sex("male")
                              .Born("1960-01-15")
                              .District("Wong Tai Sin")
                              .Build();
  const auto pinyin =
      PersonBuilder(1'000'003).Chinese("张志明").English("ZHANG", "Chiming").Sex("male").Born("1960-01-15").Build();
  const auto result = LinkWithBackground({hong_kong, wade_giles, pinyin});
  EXPECT_TRUE(Linked(result, 1'000'001, 1'000'002));
  EXPECT_TRUE(Linked(result, 1'000'001, 1'000'003));
  const auto scored = ScorePair(hong_kong, wade_giles, result.model);
  EXPECT_TRUE(Has(scored.agreements, "english_name:variant"));
}

TEST(LinkageFindDuplicates, BirthDateRecordingErrorsStillLink) {
  const auto original = PersonBuilder(1'000'001)
                            .Chinese("黃秀英")
                            .English("WONG", "Sau Ying")
                            .Sex("female")
                            .Born("1948-03-07")
                            .Document("hkid:C1112223")
                            .District("Eastern")
                            .Build();
  const auto swapped = PersonBuilder(1'000'002)
                           .Chinese("黃秀英")
                           .English("WONG", "Sau Ying")
                           .Sex("female")
                           .Born("1948-07-03")
                           .District("Eastern")
                           .Build();
  const auto year_only = PersonBuilder(1'000'003)
                             .Chinese("黄秀英")
                             .English("WONG", "Sauying")
                             .Sex("female")
                             .Born("1948")
                             .District("Eastern")
                             .Build();
  const auto result = LinkWithBackground({original, swapped, year_only});
  EXPECT_TRUE(Linked(result, 1'000'001, 1'000'002));
  EXPECT_TRUE(Has(ScorePair(original, swapped, result.model).agreements, "birth_date:close"));
  EXPECT_TRUE(Has(ScorePair(original, year_only, result.model).agreements, "birth_date:partial"));
}

TEST(LinkageFindDuplicates, EmRecoversMAboveUForNamesAndDates) {
  const auto result = FindDuplicates(Background().records, LinkageOptions{});
  ASSERT_EQ(result.model.fields.size(), 9U);
  EXPECT_GT(result.model.iterations, 0);
  EXPECT_GT(result.model.lambda, 0.0);
  EXPECT_LT(result.model.lambda, 0.5);
  std::map<std::string, std::map<std::string, LinkageLevel>> levels;
  for (const auto& field : result.model.fields) {
    for (const auto& level : field.levels) levels[field.name][level.name] = level;
  }
  for (const std::string field : {"chinese_name", "english_name"}) {
    EXPECT_GT(levels[field]["exact_rare"].m, levels[field]["exact_rare"].u) << field;
    EXPECT_GT(levels[field]["exact_uncommon"].m, levels[field]["exact_uncommon"].u) << field;
    EXPECT_GT(levels[field]["exact_rare"].Weight(), levels[field]["exact_uncommon"].Weight()) << field;
    EXPECT_LT(levels[field]["disagree"].m, levels[field]["disagree"].u) << field;
  }
  EXPECT_GT(levels["birth_date"]["exact"].m, levels["birth_date"]["exact"].u);
  EXPECT_GT(levels["birth_date"]["close"].m, levels["birth_date"]["close"].u);
  EXPECT_LT(levels["birth_date"]["disagree"].m, levels["birth_date"]["disagree"].u);
  // Once the Chinese names agree, the same sex says almost nothing more.
  EXPECT_LT(levels["sex|same_chinese"]["agree"].Weight(), 0.5);
  EXPECT_GT(levels["document"]["agree"].m, levels["document"]["agree"].u);
  EXPECT_GT(levels["document"]["agree"].Weight(), 5.0);
  EXPECT_NE(result.model.Describe().find("birth_date"), std::string::npos);
}

TEST(LinkageFindDuplicates, GeneratedPopulationReachesHighF1) {
  const Population population = MakePopulation(20000, 5);
  ASSERT_GT(population.true_pairs, 1500);
  const auto result = FindDuplicates(population.records, LinkageOptions{});
  long long correct = 0;
  for (const auto& pair : result.pairs) {
    if (population.person_of[static_cast<size_t>(pair.left_id - 1)] ==
        population.person_of[static_cast<size_t>(pair.right_id - 1)]) {
      ++correct;
    }
  }
  ASSERT_FALSE(result.pairs.empty());
  const double precision = static_cast<double>(correct) / static_cast<double>(result.pairs.size());
  const double recall = static_cast<double>(correct) / static_cast<double>(population.true_pairs);
  const double f1 = 2 * precision * recall / (precision + recall);
  EXPECT_GE(precision, 0.93);
  EXPECT_GE(recall, 0.90);
  EXPECT_GE(f1, 0.93) << "precision " << precision << ", recall " << recall;
  EXPECT_EQ(result.passes.size(), 9U);  // eight blocking passes and the birth-date sample for EM
  EXPECT_GT(result.comparisons, population.true_pairs);
}

TEST(LinkageFindDuplicates, ResultIsTheSameWithOneOrTwoThreads) {
  LinkageOptions one_thread;
  one_thread.threads = 1;
  const auto single = FindDuplicates(Background().records, one_thread);
  const auto multiple = FindDuplicates(Background().records, LinkageOptions{});
  ASSERT_EQ(single.pairs.size(), multiple.pairs.size());
  EXPECT_EQ(single.comparisons, multiple.comparisons);
  for (size_t pair_idx = 0; pair_idx < single.pairs.size(); ++pair_idx) {
    EXPECT_EQ(single.pairs[pair_idx].left_id, multiple.pairs[pair_idx].left_id);
    EXPECT_EQ(single.pairs[pair_idx].right_id, multiple.pairs[pair_idx].right_id);
  }
}

TEST(LinkageFindDuplicates, LargeBlocksAreSkippedAndCounted) {
  std::vector<LinkageRecord> records;
  for (long long id = 1; id <= 30; ++id) {
    records.push_back(PersonBuilder(id).Chinese("陳大文").Born("1980").Build());
  }
  LinkageOptions options;
  options.max_block_size = 10;
  const auto result = FindDuplicates(records, options);
  EXPECT_GE(result.skipped_blocks, 1U);
}

TEST(LinkageScorePair, ExplainsWithTheStartingModelWhenGivenNone) {
  const auto left = PersonBuilder(1).Chinese("李嘉欣").English("LEE", "Ka Yan").Born("1990-02-28").Build();
  const auto right = PersonBuilder(2).Chinese("李嘉欣").English("LI", "Jiaxin").Born("1990-02").Build();
  const auto scored = ScorePair(left, right, LinkageModel{});
  EXPECT_EQ(scored.left_id, 1);
  EXPECT_EQ(scored.right_id, 2);
  EXPECT_TRUE(HasExact(scored.agreements, "chinese_name"));
  EXPECT_TRUE(Has(scored.agreements, "english_name:surname_only"));
  EXPECT_TRUE(Has(scored.agreements, "birth_date:partial"));
  EXPECT_TRUE(Has(scored.agreements, "sex:missing"));
  EXPECT_GT(scored.weight, 0.0);
}

// ---------------------------------------------------------------------------------------------------------
// The population generator.

TEST(LinkagePopulation, IsDeterministicForASeed) {
  bench::PopulationOptions options;
  options.records = 500;
  options.seed = 3;
  const auto first = bench::GeneratePopulation(options);
  const auto second = bench::GeneratePopulation(options);
  ASSERT_EQ(first.size(), 500U);
  ASSERT_EQ(second.size(), 500U);
  for (size_t record_idx = 0; record_idx < first.size(); ++record_idx) {
    std::string left;
    std::string right;
    bench::AppendPersonsCsvRow(left, first[record_idx]);
    bench::AppendPersonsCsvRow(right, second[record_idx]);
    ASSERT_EQ(left, right);
  }
  options.seed = 4;
  const auto other = bench::GeneratePopulation(options);
  EXPECT_NE(other[0].chinese_name + other[1].chinese_name, first[0].chinese_name + first[1].chinese_name);
}

TEST(LinkagePopulation, RecordsAreValidAndTheTruthAddsUp) {
  bench::PopulationOptions options;
  options.records = 5000;
  options.seed = 8;
  const auto records = bench::GeneratePopulation(options);
  ASSERT_EQ(records.size(), 5000U);
  std::map<long long, int> per_person;
  std::set<std::string> documents_of_first_records;
  long long duplicates = 0;
  for (const auto& record : records) {
    ++per_person[record.person_key];
    duplicates += record.duplicate ? 1 : 0;
    EXPECT_TRUE(record.sex == "male" || record.sex == "female" || record.sex == "unknown");
    EXPECT_TRUE(record.region == "HK" || record.region == "TW");
    if (!record.id_type.empty()) {
      std::string problem;
      EXPECT_TRUE(CanonicalDocumentNumber(record.id_type, record.id_number, &problem).has_value())
          << record.id_type << " " << record.id_number << " " << problem;
    }
    if (record.id_type == "twid" && record.sex != "unknown") {
      EXPECT_EQ(record.id_number[1], record.sex == "male" ? '1' : '2') << record.id_number;
    }
    if (!record.duplicate && !record.id_type.empty()) {
      EXPECT_TRUE(documents_of_first_records.insert(record.id_type + record.id_number).second)
          << "two people share " << record.id_number;
    }
    if (!record.duplicate) {
      EXPECT_FALSE(record.household_role.empty());
    }
  }
  EXPECT_EQ(duplicates, 500);
  long long pairs = 0;
  for (const auto& [person, count] : per_person) pairs += static_cast<long long>(count) * (count - 1) / 2;
  EXPECT_GE(pairs, duplicates);
}

TEST(LinkagePopulation, CsvRowsQuoteAndJoin) {
  GeneratedRecord record;
  record.external_ref = "R1";
  record.street = "Flat 5, 12/F";
  record.aliases = {"Peter", "阿文"};
  record.languages = {"yue", "en"};
  record.building = "say \"hi\"";
  std::string row;
  bench::AppendPersonsCsvRow(row, record);
  EXPECT_NE(row.find("\"Flat 5, 12/F\""), std::string::npos) << row;
  EXPECT_NE(row.find("Peter|阿文"), std::string::npos) << row;
  EXPECT_NE(row.find("yue|en"), std::string::npos) << row;
  EXPECT_NE(row.find("\"say \"\"hi\"\"\""), std::string::npos) << row;
  EXPECT_EQ(std::ranges::count(bench::PersonsCsvHeader(), ','), 20);
}

TEST(LinkagePopulation, WadeGilesAsOnTaiwanPassports) {
  EXPECT_EQ(bench::WadeGiles("zhang"), "chang");
  EXPECT_EQ(bench::WadeGiles("xie"), "hsieh");
  EXPECT_EQ(bench::WadeGiles("cai"), "tsai");
  EXPECT_EQ(bench::WadeGiles("guo"), "kuo");
  EXPECT_EQ(bench::WadeGiles("zhi"), "chih");
  EXPECT_EQ(bench::WadeGiles("rong"), "jung");
  EXPECT_EQ(bench::WadeGiles("qiong"), "chiung");
  EXPECT_EQ(bench::WadeGiles("he"), "ho");
  EXPECT_EQ(bench::WadeGiles("luo"), "lo");
  EXPECT_EQ(bench::WadeGiles("jian"), "chien");
  EXPECT_EQ(bench::WadeGiles("lv"), "lu");
}

}  // namespace
}  // namespace welfare::registry::linkage_test
