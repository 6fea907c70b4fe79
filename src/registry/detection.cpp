#include "registry/detection.hpp"

#include <chrono>
#include <string_view>
#include <unordered_map>

#include <boost/json/serialize.hpp>

#include "core/time.hpp"
#include "db/optional.hpp"
#include "registry/duplicate_store.hpp"
#include "registry/text.hpp"

namespace welfare::registry {
namespace {

namespace json = boost::json;

/// Pairs are written in transactions of this many.
constexpr size_t kWriteBatch = 5000;

/// True when a document's issuer is Hong Kong or not given (the registry's documents are Hong Kong's unless
/// they say otherwise): "HK", "HKSAR", "Hong Kong", "香港", "中華人民共和國香港特別行政區"…
bool IssuedInHongKong(std::string_view issuer) {
  const std::string normalised = NormalizeText(issuer);
  if (normalised.empty() || normalised.find("香港") != std::string::npos) return true;
  std::string latin;
  for (const auto& word : LatinWords(normalised)) latin += word;
  return latin == "hk" || latin == "hksar" || latin.starts_with("hongkong");
}

}  // namespace

std::string LinkageDocumentKind(std::string_view doc_type, std::string_view issuer) {
  if (doc_type == "birth_cert" && IssuedInHongKong(issuer)) return "hkid";
  return std::string(doc_type);
}

std::string LinkageBirthDate(std::string_view birth_date, std::string_view precision) {
  if (precision == "estimated") return std::string(birth_date.substr(0, 4));
  return std::string(birth_date);
}

std::vector<LinkageRecord> LoadLinkageRecords(soci::session& sql) {
  std::vector<LinkageRecord> records;
  std::unordered_map<long long, size_t> index;
  {
    long long id = 0;
    boost::optional<std::string> chinese_key, family, given, birth, precision;
    std::string sex;
    soci::statement select =
        (sql.prepare << "SELECT id, chinese_key, family_name_en, given_names_en, sex, birth_date, birth_precision "
                        "FROM persons WHERE status = 'active' ORDER BY id",
         soci::into(id), soci::into(chinese_key), soci::into(family), soci::into(given), soci::into(sex),
         soci::into(birth), soci::into(precision));
    select.execute(false);
    while (select.fetch()) {
      LinkageRecord record;
      record.id = id;
      record.chinese_key = chinese_key.value_or("");
      record.family_en = family ? LatinKey(*family) : "";
      if (given) {
        for (const auto& word : LatinWords(*given)) record.given_en += word;
      }
      record.sex = sex == "unknown" ? "" : sex;
      record.birth_date = LinkageBirthDate(birth.value_or(""), precision.value_or(""));
      index.emplace(id, records.size());
      records.push_back(std::move(record));
    }
  }
  auto each = [&](const std::string& text, auto&& take) {
    long long person_id = 0;
    boost::optional<std::string> first, second, third;
    soci::statement select =
        (sql.prepare << text, soci::into(person_id), soci::into(first), soci::into(second), soci::into(third));
    select.execute(false);
    while (select.fetch()) {
      if (const auto found = index.find(person_id); found != index.end())
        take(records[found->second], first, second, third);
    }
  };
  each("SELECT person_id, chinese_name, family_name_en, given_names_en FROM person_names",
       [](LinkageRecord& record, const auto& chinese, const auto& family, const auto& given) {
         if (chinese) record.alias_keys.push_back(ChineseKey(*chinese));
         if (family || given) record.alias_keys.push_back(LatinKey(family.value_or("") + given.value_or("")));
       });
  // The number hash does not depend on the kind, so a Hong Kong birth certificate and the identity card with its
  // number give one key.
  each("SELECT person_id, doc_type, number_hash, issuer FROM person_documents",
       [](LinkageRecord& record, const auto& type, const auto& hash, const auto& issuer) {
         record.ids.push_back(LinkageDocumentKind(type.value_or(""), issuer.value_or("")) + ":" + hash.value_or(""));
       });
  each("SELECT person_id, phone_key, NULL, NULL FROM person_contacts WHERE phone_key IS NOT NULL",
       [](LinkageRecord& record, const auto& phone, const auto&, const auto&) { record.phones.push_back(*phone); });
  each("SELECT person_id, district, NULL, NULL FROM person_addresses WHERE district IS NOT NULL",
       [](LinkageRecord& record, const auto& district, const auto&, const auto&) {
         record.district = NormalizeText(*district);
       });
  return records;
}

Result<json::object> DetectDuplicates(db::Database& database, audit::AuditLog& audit, const audit::Actor& actor,
                                      const LinkageOptions& options, std::optional<long long> job_id,
                                      const std::function<void(long long, long long)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  auto records = database.Read<std::vector<LinkageRecord>>(
      [](soci::session& sql) -> Result<std::vector<LinkageRecord>> { return LoadLinkageRecords(sql); });
  if (!records) return Fail(records.error());
  const double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const LinkageResult result = FindDuplicates(*records, options, progress);
  DuplicateStore store(database.dialect());
  long long queued = 0;
  for (size_t first = 0; first < result.pairs.size(); first += kWriteBatch) {
    auto written = database.Write<long long>([&](soci::session& sql) -> Result<long long> {
      const std::string now = FormatTime(Now());
      long long added = 0;
      for (size_t pair_idx = first; pair_idx < std::min(result.pairs.size(), first + kWriteBatch); ++pair_idx) {
        const auto& found = result.pairs[pair_idx];
        json::array agreements;
        for (const auto& agreement : found.agreements) agreements.push_back(json::value(agreement));
        DuplicatePair pair;
        pair.left_id = found.left_id;
        pair.right_id = found.right_id;
        pair.weight = found.weight;
        pair.probability = found.probability;
        pair.agreements = json::serialize(agreements);
        pair.source = "batch";
        pair.status = "open";
        pair.job_id = job_id;
        pair.created_at = now;
        if (store.InsertPair(sql, pair)) ++added;
      }
      return added;
    });
    if (!written) return Fail(written.error());
    queued += *written;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  json::object summary{{"persons", records->size()},
                       {"comparisons", result.comparisons},
                       {"skipped_blocks", result.skipped_blocks},
                       {"pairs_found", result.pairs.size()},
                       {"pairs_queued", queued},
                       {"load_seconds", load_seconds},
                       {"linkage_seconds", result.seconds},
                       {"seconds", seconds},
                       {"em_iterations", result.model.iterations},
                       {"lambda", result.model.lambda}};
  audit.AppendNow(actor, {"duplicate.detect", "job", job_id ? std::to_string(*job_id) : std::string("cli"), summary});
  return summary;
}

}  // namespace welfare::registry
