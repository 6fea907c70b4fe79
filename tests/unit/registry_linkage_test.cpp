// Registry linkage: the Fellegi–Sunter duplicate finder, how the batch detection reads the registry for it, and the
// synthetic population it is measured on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "audit/audit_log.hpp"
#include "auth/unit_service.hpp"
#include "bench/registry/population.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "registry/detection.hpp"
#include "registry/identity.hpp"
#include "registry/linkage.hpp"
#include "registry/person_store.hpp"
#include "registry/text.hpp"
#include "scratch_database.hpp"

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

/// How the records reach the linkage: as generated, or as the registry holds them, where the server refuses a
/// second record with a registered number (document_registered), so an extra record of a person keeps no document
/// of a kind and number already registered (as load_registry loads them).
enum class Source { kGenerated, kRegistry };

Population MakePopulation(long long count, unsigned long long seed, Source source = Source::kGenerated) {
  bench::PopulationOptions options;
  options.records = count;
  options.seed = seed;
  Population population;
  std::set<std::string> registered;
  const auto summary = bench::GeneratePopulation(options, [&](const GeneratedRecord& record) {
    GeneratedRecord kept = record;
    if (source == Source::kRegistry && !kept.id_type.empty() &&
        !registered
             .insert(kept.id_type + ":" + CanonicalDocumentNumber(kept.id_type, kept.id_number, nullptr).value_or(""))
             .second) {
      kept.id_type.clear();
      kept.id_number.clear();
    }
    population.records.push_back(FromGenerated(kept, static_cast<long long>(population.records.size()) + 1));
    population.person_of.push_back(record.person_key);
  });
  population.true_pairs = summary.true_pairs;
  return population;
}

const Population& Background() {
  static const Population population = MakePopulation(4000, 11);
  return population;
}

/// The background as the registry holds it: no two records share a registered document.
const Population& RegistryBackground() {
  static const Population population = MakePopulation(4000, 11, Source::kRegistry);
  return population;
}

/// The model's levels by field and level name.
std::map<std::string, std::map<std::string, LinkageLevel>> LevelsOf(const LinkageModel& model) {
  std::map<std::string, std::map<std::string, LinkageLevel>> levels;
  for (const auto& field : model.fields) {
    for (const auto& level : field.levels) levels[field.name][level.name] = level;
  }
  return levels;
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
  auto levels = LevelsOf(result.model);
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

TEST(LinkageDocuments, DisagreeingNumbersWeighTheSameWhetherOrNotDuplicatesKeepTheirDocuments) {
  // As generated, records of one person share their document; in the registry they never do (the second record was
  // registered without it), so nothing there shows how often records of one person disagree: the weight of two
  // different numbers is fixed at log2(0.01 / u), u ≈ 1, either way.
  const auto generated = LevelsOf(FindDuplicates(Background().records, LinkageOptions{}).model);
  const auto registry = LevelsOf(FindDuplicates(RegistryBackground().records, LinkageOptions{}).model);
  for (const auto* levels : {&generated, &registry}) {
    EXPECT_NEAR(levels->at("document").at("disagree").Weight(), std::log2(0.01), 0.1);
  }
  EXPECT_GT(generated.at("document").at("agree").Weight(), 10.0);
  // In the registry a pair whose documents cannot be compared is a little more likely one person, as generated a
  // little less (two records of one person more often have documents of one kind than two records at random).
  EXPECT_GT(registry.at("document").at("missing").Weight(), 0.0);
  EXPECT_LT(generated.at("document").at("missing").Weight(), registry.at("document").at("missing").Weight());
}

TEST(LinkageDocuments, TwoIdentityCardNumbersSetTwinsApart) {
  const auto twin = [](long long id, std::string_view chinese, std::string_view given, std::string document) {
    auto builder = PersonBuilder(id)
                       .Chinese(chinese)
                       .English("HO", given)
                       .Sex("female")
                       .Born("2015-11-09")
                       .Phone("2651 1278")
                       .District("Yuen Long");
    if (!document.empty()) builder.Document(std::move(document));
    return builder.Build();
  };
  const auto model = FindDuplicates(RegistryBackground().records, LinkageOptions{}).model;
  const auto without = ScorePair(twin(1, "何曉彤", "Hiu Tung", ""), twin(2, "何若金", "Yeuk Kam", ""), model);
  const auto with =
      ScorePair(twin(1, "何曉彤", "Hiu Tung", "hkid:Y1234567"), twin(2, "何若金", "Yeuk Kam", "hkid:Y7654321"), model);
  EXPECT_TRUE(Has(without.agreements, "document:missing"));
  EXPECT_TRUE(Has(with.agreements, "document:disagree"));
  EXPECT_LT(with.weight, without.weight - 6.0);
  EXPECT_LT(with.probability, without.probability);
}

TEST(LinkageDocuments, PassportsAndOtherDocumentsOnlyAgree) {
  // A passport is issued again with a new number, and "other" holds many kinds: two different numbers say nothing.
  const auto person = [](long long id, std::string document) {
    return PersonBuilder(id).Chinese("陳大文").Born("1980-05-12").Document(std::move(document)).Build();
  };
  const LinkageModel model;
  EXPECT_TRUE(Has(ScorePair(person(1, "passport:K1"), person(2, "passport:K2"), model).agreements, "document:missing"));
  EXPECT_TRUE(Has(ScorePair(person(1, "other:M1"), person(2, "other:M2"), model).agreements, "document:missing"));
  EXPECT_TRUE(Has(ScorePair(person(1, "passport:K1"), person(2, "passport:K1"), model).agreements, "document:agree"));
  EXPECT_TRUE(Has(ScorePair(person(1, "hkid:A1"), person(2, "hkid:A2"), model).agreements, "document:disagree"));
  EXPECT_TRUE(Has(ScorePair(person(1, "hkid:A1"), person(2, "twid:A2"), model).agreements, "document:missing"));
}

TEST(LinkageDetection, HongKongBirthCertificatesAreComparedAsIdentityCards) {
  // A Hong Kong birth certificate carries the number of the identity card the child is issued later.
  EXPECT_EQ(LinkageDocumentKind("birth_cert", ""), "hkid");
  EXPECT_EQ(LinkageDocumentKind("birth_cert", "HK"), "hkid");
  EXPECT_EQ(LinkageDocumentKind("birth_cert", "HKSAR"), "hkid");
  EXPECT_EQ(LinkageDocumentKind("birth_cert", "Hong Kong SAR"), "hkid");
  EXPECT_EQ(LinkageDocumentKind("birth_cert", "中華人民共和國香港特別行政區"), "hkid");
  EXPECT_EQ(LinkageDocumentKind("birth_cert", "TW"), "birth_cert");
  EXPECT_EQ(LinkageDocumentKind("birth_cert", "台灣"), "birth_cert");
  EXPECT_EQ(LinkageDocumentKind("hkid", ""), "hkid");
  EXPECT_EQ(LinkageDocumentKind("twid", "TW"), "twid");
  EXPECT_EQ(LinkageDocumentKind("passport", "HK"), "passport");
}

TEST(LinkageDetection, EstimatedBirthDatesAreComparedByTheYear) {
  EXPECT_EQ(LinkageBirthDate("1940-07-01", "estimated"), "1940");
  EXPECT_EQ(LinkageBirthDate("1940-07-01", "full"), "1940-07-01");
  EXPECT_EQ(LinkageBirthDate("1975-03", "year_month"), "1975-03");
  EXPECT_EQ(LinkageBirthDate("", ""), "");
  const auto person = [](long long id, std::string_view born, std::string_view precision) {
    return PersonBuilder(id).Chinese("何亞妹").Born(LinkageBirthDate(born, precision)).Build();
  };
  const LinkageModel model;
  EXPECT_TRUE(Has(ScorePair(person(1, "1940-07-01", "estimated"), person(2, "1940-03-15", "full"), model).agreements,
                  "birth_date:partial"));
  EXPECT_TRUE(
      Has(ScorePair(person(1, "1940-07-01", "estimated"), person(2, "1941-07-01", "estimated"), model).agreements,
          "birth_date:disagree"));
}

/// A migrated SQLite registry with one unit, for reading it as the detection job does.
class LinkageRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    audit_ = std::make_unique<audit::AuditLog>(*database_);
    auth::UnitService units(*database_, *audit_);
    auto unit = database_->Write<auth::Unit>([&](soci::session& sql) {
      return units.CreateTrusted(
          sql, audit::Actor{.request_id = "test", .client_ip = "127.0.0.1"},
          auth::Unit{.kind = "service_unit", .code = "IFSC", .name_zh = "中心", .name_en = "Centre"});
    });
    ASSERT_TRUE(unit.has_value());
    unit_id_ = unit->id;
  }
  void TearDown() override { audit_.reset(); }

  /// Registers a person with one document (its number hash given) and returns the id.
  long long Register(std::string chinese_name, std::string birth_date, std::string precision, std::string doc_type,
                     std::string number_hash, std::optional<std::string> issuer) {
    Person person;
    person.chinese_name = std::move(chinese_name);
    person.birth_date = std::move(birth_date);
    person.birth_precision = std::move(precision);
    person.registered_unit_id = unit_id_;
    person.documents.push_back({.doc_type = std::move(doc_type),
                                .number_sealed = "sealed",
                                .number_hash = std::move(number_hash),
                                .number_masked = "masked",
                                .issuer = std::move(issuer)});
    auto id = database_->Write<long long>([&](soci::session& sql) -> Result<long long> {
      return PersonStore(database_->dialect()).Insert(sql, person, FormatTime(Now()));
    });
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }

  std::vector<LinkageRecord> Load() {
    auto records = database_->Read<std::vector<LinkageRecord>>(
        [](soci::session& sql) -> Result<std::vector<LinkageRecord>> { return LoadLinkageRecords(sql); });
    EXPECT_TRUE(records.has_value());
    return records.value_or(std::vector<LinkageRecord>{});
  }

  testing::ScratchDatabase database_{"linkage"};
  std::unique_ptr<audit::AuditLog> audit_;
  long long unit_id_ = 0;
};

TEST_F(LinkageRegistryTest, ReadsBirthCertificatesAndEstimatedDatesAsTheEngineComparesThem) {
  const long long parent = Register("石國華", "1995-09-18", "full", "hkid", "hash-parent", "HK");
  const long long child = Register("石國華", "2018-04-01", "full", "birth_cert", "hash-child", "香港");
  const long long child_again = Register("石國華", "2018-04-01", "full", "hkid", "hash-child", std::nullopt);
  const long long elder = Register("何亞妹", "1940-07-01", "estimated", "birth_cert", "hash-elder", "TW");
  const auto records = Load();
  ASSERT_EQ(records.size(), 4U);
  std::map<long long, LinkageRecord> by_id;
  for (const auto& record : records) by_id[record.id] = record;
  EXPECT_EQ(by_id[child].ids, std::vector<std::string>{"hkid:hash-child"});
  EXPECT_EQ(by_id[child_again].ids, std::vector<std::string>{"hkid:hash-child"});
  EXPECT_EQ(by_id[elder].ids, std::vector<std::string>{"birth_cert:hash-elder"});
  EXPECT_EQ(by_id[elder].birth_date, "1940");
  EXPECT_EQ(by_id[parent].birth_date, "1995-09-18");
  const LinkageModel model;
  EXPECT_TRUE(Has(ScorePair(by_id[child], by_id[child_again], model).agreements, "document:agree"));
  EXPECT_TRUE(Has(ScorePair(by_id[parent], by_id[child], model).agreements, "document:disagree"));
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
