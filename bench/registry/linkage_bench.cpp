// linkage_bench: generates a population in-process, finds its duplicates with the Fellegi–Sunter engine and
// measures the result against the truth.
//   linkage_bench --persons 1000000 --seed 7 [--threads 2] [--explain 10]
#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/registry/population.hpp"
#include "registry/identity.hpp"
#include "registry/linkage.hpp"
#include "registry/text.hpp"

namespace {

using welfare::bench::GeneratedRecord;
using welfare::registry::LinkageRecord;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// A stable 64-bit hash (FNV-1a) in hex, standing in for the keyed hash the registry stores documents under.
std::string StableHash(std::string_view text) {
  uint64_t hash = 0xCBF29CE484222325ULL;
  for (const char character : text) {
    hash ^= static_cast<unsigned char>(character);
    hash *= 0x100000001B3ULL;
  }
  return fmt::format("{:016x}", hash);
}

/// The record as the registry would hand it to the linkage: every text through the text.hpp normalisers.
LinkageRecord ToLinkageRecord(const GeneratedRecord& record, long long id) {
  namespace registry = welfare::registry;
  LinkageRecord out;
  out.id = id;
  if (!record.chinese_name.empty()) out.chinese_key = registry::ChineseKey(record.chinese_name);
  for (const std::string& alias : record.aliases) {
    out.alias_keys.push_back(registry::HasCjk(alias) ? registry::ChineseKey(alias) : registry::LatinKey(alias));
  }
  out.family_en = registry::LatinKey(record.family_name_en);
  out.given_en = registry::LatinKey(record.given_names_en);
  if (record.sex == "male" || record.sex == "female") out.sex = record.sex;
  // An estimated date says only the year.
  out.birth_date = record.birth_precision == "estimated" ? record.birth_date.substr(0, 4) : record.birth_date;
  if (!record.id_type.empty()) {
    std::string problem;
    if (const auto canonical = registry::CanonicalDocumentNumber(record.id_type, record.id_number, &problem)) {
      // A Hong Kong birth certificate carries the number of the identity card the child gets later.
      const std::string kind = record.id_type == "birth_cert" && record.id_issuer == "HK" ? "hkid" : record.id_type;
      out.ids.push_back(kind + ":" + StableHash(kind + ":" + record.id_issuer + ":" + *canonical));
    }
  }
  if (!record.phone.empty()) out.phones.push_back(registry::PhoneKey(record.phone));
  out.district = record.district;
  return out;
}

long long PeakMemoryKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stoll(line.substr(6));
  }
  return 0;
}

uint64_t PairKey(long long left, long long right) {
  if (left > right) std::swap(left, right);
  return (static_cast<uint64_t>(left) << 32) | static_cast<uint64_t>(right);
}

std::string JoinAgreements(const std::vector<std::string>& agreements) {
  std::string joined;
  for (const std::string& agreement : agreements) {
    if (agreement.ends_with(":missing")) continue;
    if (!joined.empty()) joined += ' ';
    joined += agreement;
  }
  return joined;
}

std::string Describe(const GeneratedRecord& record) {
  return fmt::format("{} | {} {} | {} | {} {} | {} {} | {} | {}", record.chinese_name, record.family_name_en,
                     record.given_names_en, record.sex, record.birth_date, record.birth_precision, record.id_type,
                     record.id_number, record.phone, record.district);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Measures the Fellegi-Sunter duplicate finder on a generated population"};
  welfare::bench::PopulationOptions population;
  welfare::registry::LinkageOptions linkage;
  int explain = 0;
  app.add_option("--persons", population.records, "records to generate (extra records of a person included)")
      ->required()
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", population.seed, "population seed")->default_val(1);
  app.add_option("--duplicate-rate", population.duplicate_rate, "share of extra records")->default_val(0.10);
  app.add_option("--threads", linkage.threads, "comparison threads")->default_val(2);
  app.add_option("--threshold", linkage.threshold_probability, "posterior probability of a match")->default_val(0.9);
  app.add_option("--max-block", linkage.max_block_size, "largest block compared")->default_val(500);
  app.add_option("--explain", explain, "print this many missed and wrong pairs, and the commonest patterns")
      ->default_val(0);
  CLI11_PARSE(app, argc, argv);

  const auto run_start = Clock::now();
  // 1. Generate and normalise, a chunk at a time (normalising on all the threads).
  auto phase_start = Clock::now();
  std::vector<LinkageRecord> records;
  std::vector<uint32_t> person_of;  // truth, by record index
  records.reserve(static_cast<size_t>(population.records));
  person_of.reserve(static_cast<size_t>(population.records));
  std::vector<GeneratedRecord> chunk;
  std::vector<GeneratedRecord> kept;  // only with --explain, to show the records
  const unsigned threads = std::max(1U, linkage.threads);
  auto flush = [&] {
    const size_t base = records.size();
    records.resize(base + chunk.size());
    std::vector<std::thread> workers;
    for (unsigned thread_idx = 0; thread_idx < threads; ++thread_idx) {
      workers.emplace_back([&, thread_idx] {
        for (size_t record_idx = thread_idx; record_idx < chunk.size(); record_idx += threads) {
          records[base + record_idx] =
              ToLinkageRecord(chunk[record_idx], static_cast<long long>(base + record_idx) + 1);
        }
      });
    }
    for (auto& worker : workers) worker.join();
    for (const GeneratedRecord& record : chunk) person_of.push_back(static_cast<uint32_t>(record.person_key));
    if (explain > 0) kept.insert(kept.end(), chunk.begin(), chunk.end());
    chunk.clear();
  };
  const auto summary = welfare::bench::GeneratePopulation(population, [&](const GeneratedRecord& record) {
    chunk.push_back(record);
    if (chunk.size() >= 20000) flush();
  });
  flush();
  chunk.shrink_to_fit();
  const double generate_seconds = SecondsSince(phase_start);

  // 2. Link.
  phase_start = Clock::now();
  long long last_reported = -1;
  const auto result = welfare::registry::FindDuplicates(records, linkage, [&](long long done, long long total) {
    const long long tenth = total == 0 ? 10 : done * 10 / total;
    if (tenth == last_reported) return;
    last_reported = tenth;
    fmt::print(stderr, "  comparing: {} %\n", tenth * 10);
  });
  const double linkage_seconds = SecondsSince(phase_start);

  // 3. Measure.
  phase_start = Clock::now();
  long long correct = 0;
  std::unordered_set<uint64_t> found;
  found.reserve(result.pairs.size() * 2);
  std::vector<const welfare::registry::LinkagePair*> wrong;
  for (const auto& pair : result.pairs) {
    found.insert(PairKey(pair.left_id, pair.right_id));
    if (person_of[static_cast<size_t>(pair.left_id - 1)] == person_of[static_cast<size_t>(pair.right_id - 1)]) {
      ++correct;
    } else {
      wrong.push_back(&pair);
    }
  }
  // The true pairs that were not found: never compared (blocking), or compared and scored below the threshold.
  std::vector<uint32_t> by_person(records.size());
  for (uint32_t record_idx = 0; record_idx < by_person.size(); ++record_idx) by_person[record_idx] = record_idx;
  std::ranges::sort(by_person, [&](uint32_t left, uint32_t right) {
    return std::tie(person_of[left], left) < std::tie(person_of[right], right);
  });
  long long missed_below_threshold = 0;
  long long missed_not_compared = 0;
  std::map<std::string, long long> missed_patterns;
  std::vector<std::pair<uint32_t, uint32_t>> missed_examples;
  for (size_t start = 0; start < by_person.size();) {
    size_t end = start + 1;
    while (end < by_person.size() && person_of[by_person[end]] == person_of[by_person[start]]) ++end;
    for (size_t first = start; first < end; ++first) {
      for (size_t second = first + 1; second < end; ++second) {
        const uint32_t left = by_person[first];
        const uint32_t right = by_person[second];
        if (found.contains(PairKey(left + 1, right + 1))) continue;
        const auto scored = welfare::registry::ScorePair(records[left], records[right], result.model);
        if (scored.probability >= linkage.threshold_probability) {
          ++missed_not_compared;
        } else {
          ++missed_below_threshold;
        }
        if (explain > 0) {
          ++missed_patterns[fmt::format("{}{}",
                                        scored.probability >= linkage.threshold_probability ? "[not compared] " : "",
                                        JoinAgreements(scored.agreements))];
          if (static_cast<int>(missed_examples.size()) < explain) missed_examples.emplace_back(left, right);
        }
      }
    }
    start = end;
  }
  const double evaluate_seconds = SecondsSince(phase_start);

  const auto found_pairs = static_cast<long long>(result.pairs.size());
  const double precision = found_pairs == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(found_pairs);
  const double recall =
      summary.true_pairs == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(summary.true_pairs);
  const double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);

  fmt::print("records               {}\n", summary.records);
  fmt::print("persons               {} in {} households\n", summary.persons, summary.households);
  fmt::print("extra records         {}\n", summary.duplicates);
  fmt::print("true duplicate pairs  {}\n", summary.true_pairs);
  fmt::print("candidate pairs       {} (compared once each)\n", result.comparisons);
  fmt::print("blocks                {} compared, {} skipped (larger than {})\n", result.blocks, result.skipped_blocks,
             linkage.max_block_size);
  for (const auto& pass : result.passes) {
    fmt::print("  {:<26} {:>9} blocks {:>5} skipped ({:>7} records) {:>11} comparisons\n", pass.name, pass.blocks,
               pass.skipped_blocks, pass.skipped_records, pass.comparisons);
  }
  fmt::print("pairs found           {} ({} correct, {} wrong)\n", found_pairs, correct, found_pairs - correct);
  fmt::print("true pairs missed     {} ({} scored below the threshold, {} never compared)\n",
             missed_below_threshold + missed_not_compared, missed_below_threshold, missed_not_compared);
  fmt::print("precision             {:.4f}\n", precision);
  fmt::print("recall                {:.4f}\n", recall);
  fmt::print("F1                    {:.4f}\n", f1);
  fmt::print("model                 {}", result.model.Describe());
  fmt::print("time                  generate + normalise {:.1f} s\n", generate_seconds);
  fmt::print("                      linkage {:.1f} s: prepare {:.1f} s, blocking {:.1f} s, estimation {:.1f} s "
             "(session pairs, u sample, EM), comparison {:.1f} s, output {:.1f} s\n",
             linkage_seconds, result.prepare_seconds, result.blocking_seconds, result.estimation_seconds,
             result.comparison_seconds, result.output_seconds);
  fmt::print("                      evaluation {:.1f} s, total {:.1f} s\n", evaluate_seconds, SecondsSince(run_start));
  fmt::print("peak memory           {:.0f} MiB (VmHWM)\n", static_cast<double>(PeakMemoryKib()) / 1024.0);

  if (explain > 0) {
    std::vector<std::pair<long long, std::string>> commonest;
    for (const auto& [pattern, count] : missed_patterns) commonest.emplace_back(count, pattern);
    std::ranges::sort(commonest, std::greater<>());
    fmt::print("\ncommonest patterns of missed pairs:\n");
    for (size_t pattern_idx = 0; pattern_idx < commonest.size() && pattern_idx < 15; ++pattern_idx) {
      fmt::print("  {:>7}  {}\n", commonest[pattern_idx].first, commonest[pattern_idx].second);
    }
    std::map<std::string, long long> wrong_patterns;
    for (const auto* pair : wrong) ++wrong_patterns[JoinAgreements(pair->agreements)];
    commonest.clear();
    for (const auto& [pattern, count] : wrong_patterns) commonest.emplace_back(count, pattern);
    std::ranges::sort(commonest, std::greater<>());
    fmt::print("commonest patterns of wrong pairs:\n");
    for (size_t pattern_idx = 0; pattern_idx < commonest.size() && pattern_idx < 15; ++pattern_idx) {
      fmt::print("  {:>7}  {}\n", commonest[pattern_idx].first, commonest[pattern_idx].second);
    }
    fmt::print("missed pairs:\n");
    for (const auto& [left, right] : missed_examples) {
      fmt::print("  {}\n  {}\n\n", Describe(kept[left]), Describe(kept[right]));
    }
    fmt::print("wrong pairs:\n");
    for (size_t wrong_idx = 0; wrong_idx < wrong.size() && static_cast<int>(wrong_idx) < explain; ++wrong_idx) {
      fmt::print("  {:.1f}  {}\n  {}\n  {}\n\n", wrong[wrong_idx]->weight, JoinAgreements(wrong[wrong_idx]->agreements),
                 Describe(kept[static_cast<size_t>(wrong[wrong_idx]->left_id - 1)]),
                 Describe(kept[static_cast<size_t>(wrong[wrong_idx]->right_id - 1)]));
    }
  }
  return 0;
}
