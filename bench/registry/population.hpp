/// \file A synthetic population of Hong Kong and Hualien (Taiwan) people for the client registry: records with
/// realistic recording errors on the extra records of one person, and the truth (which records are one person,
/// which household they live in). Deterministic for a seed.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace welfare::bench {

/// How often each recording error happens on an extra record of a person (each independently).
struct RecordingErrorRates {
  double chinese_missing = 0.04;          ///< no Chinese name recorded
  double simplified_chinese = 0.10;       ///< Chinese name typed in Simplified characters (陳 → 陈)
  double chinese_homophone = 0.04;        ///< one given-name character replaced by a homophone (玲 → 鈴)
  double alias_as_name = 0.03;            ///< the English alias or the Chinese nickname recorded as the name
  double english_missing = 0.08;          ///< no English name recorded
  double surname_variant = 0.10;          ///< another romanisation of the same surname (Chan → Chen)
  double english_typo = 0.08;             ///< one letter substituted, deleted, inserted or transposed
  double given_name_spacing = 0.20;       ///< "Tai Man" / "Tai-man" / "Taiman"
  double swapped_english_order = 0.04;    ///< given names in the family name field and the other way round
  double full_width = 0.03;               ///< full-width letters (ＣＨＡＮ) or digits
  double birth_transposed = 0.03;         ///< two neighbouring digits of the date swapped
  double birth_days_off = 0.03;           ///< a few days off
  double birth_day_month_swapped = 0.03;  ///< 1948-03-07 recorded as 1948-07-03
  double birth_year_month_only = 0.04;    ///< only the year and month recorded
  double birth_year_only = 0.02;          ///< only the year recorded
  double birth_missing = 0.04;            ///< no date of birth recorded
  double id_missing = 0.25;               ///< the identity document not recorded
  double phone_changed = 0.15;            ///< a new number
  double phone_missing = 0.10;
  double moved = 0.10;        ///< another district and address
  double sex_unknown = 0.02;  ///< sex recorded as unknown
};

/// What to generate.
struct PopulationOptions {
  long long records = 1000;       ///< records in the file, extra records of a person included
  unsigned long long seed = 1;    ///< the same seed gives the same file
  double duplicate_rate = 0.10;   ///< share of the records that are extra records of a person already in the file
  double hong_kong_share = 0.70;  ///< share of the households in Hong Kong (the others live in Hualien)
  RecordingErrorRates errors;
};

/// One record as the persons.csv columns hold it, with the truth.
struct GeneratedRecord {
  std::string external_ref;  ///< R00000001, R00000002… in file order
  std::string chinese_name;
  std::string family_name_en;
  std::string given_names_en;
  std::vector<std::string> aliases;  ///< an English name ("Peter"), a Chinese nickname ("阿明")
  std::string sex;                   ///< male, female, unknown
  std::string birth_date;            ///< YYYY-MM-DD, YYYY-MM or YYYY; empty when not recorded
  std::string birth_precision;       ///< full, year_month, year, estimated; empty without a date
  std::string death_date;
  std::string id_type;  ///< hkid, twid, passport, birth_cert, other; empty without a document
  std::string id_number;
  std::string id_issuer;
  std::string phone;  ///< as typed: "9123 4567", "+852 9123 4567", "0912-345-678"…
  std::string email;
  std::string region;    ///< HK or TW
  std::string district;  ///< the English name of the district or township
  std::string street;
  std::string building;
  std::vector<std::string> languages;  ///< yue, en, zh, nan, hak, ami…
  std::string household_ref;
  std::string household_role;   ///< head, spouse, child, parent, sibling, other; empty on extra records
  long long person_key = 0;     ///< truth: the real person (records with one key are one person)
  long long household_key = 0;  ///< truth: the household the person lives in
  bool duplicate = false;       ///< an extra record of a person already in the file
};

/// Counts of one generated population.
struct PopulationSummary {
  long long records = 0;
  long long persons = 0;
  long long households = 0;
  long long duplicates = 0;  ///< extra records
  long long true_pairs = 0;  ///< pairs of records that are one person (a person with 3 records gives 3)
};

/// Generates the population record by record into `sink`, in file order, holding only the household sizes and
/// the plan of extra records in memory.
PopulationSummary GeneratePopulation(const PopulationOptions& options,
                                     const std::function<void(const GeneratedRecord&)>& sink);

/// The whole population in memory (for tests and small benchmarks).
[[nodiscard]] std::vector<GeneratedRecord> GeneratePopulation(const PopulationOptions& options);

/// One district or township of the fixed lists.
struct District {
  std::string_view zh_hant;
  std::string_view en;
  double weight;  ///< share of the population, roughly
};
/// The 18 districts of Hong Kong.
[[nodiscard]] const std::vector<District>& HongKongDistricts();
/// The 13 townships of Hualien County.
[[nodiscard]] const std::vector<District>& HualienTownships();

/// Pinyin (without tones, "v" for ü) of one syllable in Wade–Giles as Taiwan passports write it (zhang → chang).
[[nodiscard]] std::string WadeGiles(std::string_view pinyin);

/// The header line of persons.csv (with the line break).
[[nodiscard]] std::string_view PersonsCsvHeader();
/// The header line of truth.csv (with the line break).
[[nodiscard]] std::string_view TruthCsvHeader();
/// Appends one persons.csv line (RFC 4180 quoting).
void AppendPersonsCsvRow(std::string& out, const GeneratedRecord& record);
/// Appends one truth.csv line.
void AppendTruthCsvRow(std::string& out, const GeneratedRecord& record);
/// The person truth key as written in truth.csv ("P0000042"; households are "H0000017").
[[nodiscard]] std::string PersonKeyText(long long person_key);
/// The household truth key as written in truth.csv.
[[nodiscard]] std::string HouseholdKeyText(long long household_key);

}  // namespace welfare::bench
