// detect_score: measures the pairs a batch duplicate detection (`welfare registry detect-duplicates`) put in the
// review queue against the truth load_registry wrote, and prints the job's own summary.
//   detect_score --database sqlite:///tmp/x/registry.sqlite --truth /tmp/x/truth.csv [--summary /tmp/x/detect.json]
//                [--source batch] [--explain 10] [--model]
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <soci/soci.h>

#include "db/database.hpp"
#include "registry/detection.hpp"

namespace {

namespace json = boost::json;
using welfare::registry::LinkageRecord;

/// person_id → person key (the text of truth.csv's second column), read from `person_id,person_key` lines.
struct Truth {
  std::unordered_map<long long, uint32_t> person_of;  ///< person id → index into keys
  std::vector<std::string> keys;
  long long true_pairs = 0;  ///< pairs of loaded records with one key
};

std::optional<Truth> ReadTruth(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) return std::nullopt;
  Truth truth;
  std::unordered_map<std::string, uint32_t> key_index;
  std::vector<long long> records_of;
  std::string line;
  bool header = true;
  while (std::getline(input, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (header) {
      header = false;
      if (line.starts_with("person_id")) continue;
    }
    if (line.empty()) continue;
    const size_t comma = line.find(',');
    if (comma == std::string::npos) return std::nullopt;
    const long long person_id = std::stoll(line.substr(0, comma));
    std::string key = line.substr(comma + 1);
    auto [found, fresh] = key_index.emplace(key, static_cast<uint32_t>(truth.keys.size()));
    if (fresh) {
      truth.keys.push_back(std::move(key));
      records_of.push_back(0);
    }
    ++records_of[found->second];
    truth.person_of.emplace(person_id, found->second);
  }
  for (const long long count : records_of) truth.true_pairs += count * (count - 1) / 2;
  return truth;
}

uint64_t PairKey(long long left, long long right) {
  if (left > right) std::swap(left, right);
  return (static_cast<uint64_t>(left) << 32) | static_cast<uint64_t>(right);
}

double Number(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr) return 0;
  return value->to_number<double>();
}

/// A record as the detection job saw it (LoadLinkageRecords).
std::string Describe(const LinkageRecord& record) {
  std::string ids;
  for (const auto& id : record.ids) ids += (ids.empty() ? "" : " ") + id.substr(0, id.find(':')) + ":…";
  std::string aliases;
  for (const auto& alias : record.alias_keys) aliases += (aliases.empty() ? "" : " ") + alias;
  std::string phones;
  for (const auto& phone : record.phones) phones += (phones.empty() ? "" : " ") + phone;
  return fmt::format("{:>8} | {} [{}] | {} {} | {} | {} | {} | {} | {}", record.id, record.chinese_key, aliases,
                     record.family_en, record.given_en, record.sex.empty() ? "-" : record.sex,
                     record.birth_date.empty() ? "-" : record.birth_date, ids.empty() ? "no document" : ids,
                     phones.empty() ? "no phone" : phones, record.district);
}

bool ShareAny(const std::vector<std::string>& left, const std::vector<std::string>& right) {
  return std::ranges::any_of(left,
                             [&](const std::string& item) { return std::ranges::find(right, item) != right.end(); });
}

/// The kinds of a record's documents ("hkid" of "hkid:<hash>").
std::vector<std::string> DocumentKinds(const LinkageRecord& record) {
  std::vector<std::string> kinds;
  for (const auto& id : record.ids) kinds.push_back(id.substr(0, id.find(':')));
  return kinds;
}

/// What a pair of records has in common, in a few words (for the breakdown of missed and wrong pairs).
std::string Evidence(const LinkageRecord& left, const LinkageRecord& right) {
  std::vector<std::string> parts;
  if (left.ids.empty() || right.ids.empty()) {
    parts.emplace_back(left.ids.empty() && right.ids.empty() ? "no documents" : "one without document");
  } else {
    parts.emplace_back(ShareAny(left.ids, right.ids)                         ? "same document"
                       : ShareAny(DocumentKinds(left), DocumentKinds(right)) ? "other document"
                                                                             : "documents of other kinds");
  }
  if (!left.chinese_key.empty() && !right.chinese_key.empty())
    parts.emplace_back(left.chinese_key == right.chinese_key ? "same chinese" : "other chinese");
  if (!left.family_en.empty() && !right.family_en.empty())
    parts.emplace_back(left.family_en + left.given_en == right.family_en + right.given_en ? "same english"
                                                                                          : "other english");
  if (!left.birth_date.empty() && !right.birth_date.empty())
    parts.emplace_back(left.birth_date == right.birth_date ? "same birth date" : "other birth date");
  if (!left.phones.empty() && !right.phones.empty())
    parts.emplace_back(ShareAny(left.phones, right.phones) ? "same phone" : "other phone");
  std::string joined;
  for (const auto& part : parts) joined += (joined.empty() ? "" : ", ") + part;
  return joined;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Measures the batch duplicate detection's review queue against the truth of the loaded population"};
  std::string database_url;
  std::string truth_file;
  std::string summary_file;
  std::string source = "batch";
  int explain = 0;
  bool model = false;
  double threshold = 0.9;
  app.add_option("--database", database_url, "sqlite://path or postgresql://... (the database the job ran on)")
      ->required();
  app.add_option("--truth", truth_file, "person_id,person_key CSV (load_registry --truth)")->required();
  app.add_option("--summary", summary_file, "the job's --json output, to print its figures");
  app.add_option("--source", source, "duplicate_pairs.source of the pairs to measure")->default_val("batch");
  app.add_option("--explain", explain,
                 "print this many missed and wrong pairs as the job saw them, and what the pairs have in common")
      ->default_val(0);
  app.add_flag("--model", model,
               "estimate the model again on the records the job read, with its options, and print it (the job keeps "
               "only lambda)");
  app.add_option("--threshold", threshold, "the job's --threshold (for --model)")->default_val(0.9);
  CLI11_PARSE(app, argc, argv);

  if (!summary_file.empty()) {
    std::ifstream input(summary_file, std::ios::binary);
    std::stringstream text;
    text << input.rdbuf();
    json::error_code error;
    const json::value parsed = json::parse(text.str(), error);
    if (error || !parsed.is_object()) {
      fmt::print(stderr, "detect_score: {} holds no JSON summary\n", summary_file);
      return 2;
    }
    const json::object& summary = parsed.as_object();
    const double load = Number(summary, "load_seconds");
    const double linkage = Number(summary, "linkage_seconds");
    const double total = Number(summary, "seconds");
    fmt::print("job records           {:.0f} active persons\n", Number(summary, "persons"));
    fmt::print("job candidate pairs   {:.0f} compared, {:.0f} blocks skipped\n", Number(summary, "comparisons"),
               Number(summary, "skipped_blocks"));
    fmt::print("job pairs             {:.0f} found, {:.0f} newly queued\n", Number(summary, "pairs_found"),
               Number(summary, "pairs_queued"));
    fmt::print("job time              {:.1f} s: load records {:.1f} s, linkage {:.1f} s, queue writes {:.1f} s\n",
               total, load, linkage, total - load - linkage);
    fmt::print("job model             {:.0f} EM iterations, lambda {:.6f}\n", Number(summary, "em_iterations"),
               Number(summary, "lambda"));
  }

  const auto truth = ReadTruth(truth_file);
  if (!truth) {
    fmt::print(stderr, "detect_score: cannot read {} as person_id,person_key\n", truth_file);
    return 2;
  }
  const auto location = welfare::db::ParseDatabaseUrl(database_url);
  if (!location) {
    fmt::print(stderr, "detect_score: {}\n", location.error().internal);
    return 2;
  }
  welfare::db::Database database(*location, 1);
  welfare::db::Database::Lease lease(database);
  soci::session& sql = *lease;

  std::vector<std::pair<long long, long long>> pairs;
  {
    long long left = 0, right = 0;
    soci::statement select = (sql.prepare << "SELECT left_id, right_id FROM duplicate_pairs WHERE source = :source",
                              soci::use(source), soci::into(left), soci::into(right));
    select.execute(false);
    while (select.fetch()) pairs.emplace_back(left, right);
  }

  long long correct = 0, wrong = 0, unknown = 0;
  std::unordered_set<uint64_t> queued;
  queued.reserve(pairs.size() * 2);
  std::vector<std::pair<long long, long long>> wrong_pairs;
  for (const auto& [left, right] : pairs) {
    queued.insert(PairKey(left, right));
    const auto left_person = truth->person_of.find(left);
    const auto right_person = truth->person_of.find(right);
    if (left_person == truth->person_of.end() || right_person == truth->person_of.end()) {
      ++unknown;
    } else if (left_person->second == right_person->second) {
      ++correct;
    } else {
      ++wrong;
      wrong_pairs.emplace_back(left, right);
    }
  }
  // Pairs with a record outside the truth (not loaded by load_registry) count as wrong.
  const auto found = static_cast<long long>(pairs.size());
  const double precision = found == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(found);
  const double recall =
      truth->true_pairs == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(truth->true_pairs);
  const double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);

  fmt::print("truth                 {} records of {} persons, {} true duplicate pairs\n", truth->person_of.size(),
             truth->keys.size(), truth->true_pairs);
  fmt::print("queued pairs          {} (source {}): {} correct, {} wrong, {} with a record not in the truth\n", found,
             source, correct, wrong, unknown);
  fmt::print("true pairs missed     {}\n", truth->true_pairs - correct);
  fmt::print("precision             {:.4f}\n", precision);
  fmt::print("recall                {:.4f}\n", recall);
  fmt::print("F1                    {:.4f}\n", f1);

  if (explain <= 0 && !model) return 0;
  // The records as the job read them.
  std::vector<LinkageRecord> records = welfare::registry::LoadLinkageRecords(sql);
  if (model) {
    // The same engine, options and seed as DetectCommand (its thread count does not change the result).
    welfare::registry::LinkageOptions options;
    options.threshold_probability = threshold;
    options.threads = 2;
    const auto result = welfare::registry::FindDuplicates(records, options, [](long long, long long) {});
    long long same = 0;
    for (const auto& pair : result.pairs) same += queued.contains(PairKey(pair.left_id, pair.right_id)) ? 1 : 0;
    fmt::print("\nmodel estimated again on the {} records the job read: {} pairs at or above {}, {} of them queued\n{}",
               records.size(), result.pairs.size(), threshold, same, result.model.Describe());
  }
  if (explain <= 0) return 0;
  std::unordered_map<long long, size_t> record_of;
  for (size_t record_idx = 0; record_idx < records.size(); ++record_idx)
    record_of.emplace(records[record_idx].id, record_idx);
  std::unordered_map<uint32_t, std::vector<long long>> ids_of;
  for (const auto& [person_id, person] : truth->person_of) ids_of[person].push_back(person_id);
  std::vector<std::pair<long long, long long>> missed;
  for (auto& [person, ids] : ids_of) {
    if (ids.size() < 2) continue;
    std::ranges::sort(ids);
    for (size_t first = 0; first < ids.size(); ++first) {
      for (size_t second = first + 1; second < ids.size(); ++second) {
        if (!queued.contains(PairKey(ids[first], ids[second]))) missed.emplace_back(ids[first], ids[second]);
      }
    }
  }
  std::ranges::sort(missed);
  auto breakdown = [&](const char* title, const std::vector<std::pair<long long, long long>>& list) {
    std::map<std::string, long long> counts;
    long long not_loaded = 0;
    for (const auto& [left, right] : list) {
      const auto left_record = record_of.find(left);
      const auto right_record = record_of.find(right);
      if (left_record == record_of.end() || right_record == record_of.end()) {
        ++not_loaded;
        continue;
      }
      ++counts[Evidence(records[left_record->second], records[right_record->second])];
    }
    std::vector<std::pair<long long, std::string>> commonest;
    for (const auto& [pattern, count] : counts) commonest.emplace_back(count, pattern);
    std::ranges::sort(commonest, std::greater<>());
    fmt::print("\n{} ({}), what the two records have in common:\n", title, list.size());
    for (size_t pattern_idx = 0; pattern_idx < commonest.size() && pattern_idx < 15; ++pattern_idx) {
      fmt::print("  {:>7}  {}\n", commonest[pattern_idx].first, commonest[pattern_idx].second);
    }
    if (not_loaded > 0) fmt::print("  {:>7}  a record not active (not read by the job)\n", not_loaded);
    fmt::print("examples (id | chinese key [aliases] | english | sex | birth | documents | phones | district):\n");
    for (size_t pair_idx = 0; pair_idx < list.size() && static_cast<int>(pair_idx) < explain; ++pair_idx) {
      const auto left_record = record_of.find(list[pair_idx].first);
      const auto right_record = record_of.find(list[pair_idx].second);
      if (left_record == record_of.end() || right_record == record_of.end()) continue;
      fmt::print("  {}\n  {}\n\n", Describe(records[left_record->second]), Describe(records[right_record->second]));
    }
  };
  breakdown("missed true pairs", missed);
  breakdown("wrong pairs", wrong_pairs);
  return 0;
}
