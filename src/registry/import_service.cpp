#include "registry/import_service.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <boost/json/serialize.hpp>

#include "auth/permissions.hpp"
#include "auth/policy.hpp"
#include "auth/unit_service.hpp"
#include "core/messages.hpp"
#include "core/time.hpp"
#include "db/optional.hpp"
#include "registry/csv.hpp"
#include "registry/json_values.hpp"
#include "registry/matching.hpp"
#include "registry/text.hpp"

namespace welfare::registry {
namespace {

namespace json = boost::json;

/// Rows sharing a search key with more rows than this are not compared with each other (a common name).
constexpr size_t kMaxBlock = 200;
/// At most this many row problems are listed (the counts are always complete).
constexpr size_t kMaxListed = 2000;

/// One row read from the file.
struct ImportRow {
  size_t line = 0;
  std::string external_ref;
  std::optional<Person> person;
  std::optional<std::string> household_ref;
  std::string household_role = "other";
  std::map<std::string, std::string> field_columns;  ///< request field prefix → CSV column
};

std::vector<std::string> SplitBar(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  for (char character : text + "|") {
    if (character == '|') {
      std::string part = NormalizeText(current);
      if (!part.empty()) parts.push_back(part);
      current.clear();
    } else {
      current.push_back(character);
    }
  }
  return parts;
}

json::object Message(const std::string& code, const std::map<std::string, std::string>& params) {
  return {{"zh-Hant", FieldMessage(code, params, Locale::kZhHant)}, {"en", FieldMessage(code, params, Locale::kEn)}};
}

/// The registration body of a row, and which column each request field came from.
json::object RowBody(const std::map<std::string, std::string>& cells, ImportRow& row) {
  auto cell = [&](const char* column) -> std::string {
    const auto found = cells.find(column);
    return found == cells.end() ? std::string() : found->second;
  };
  json::object body;
  for (const char* column : {"chinese_name", "family_name_en", "given_names_en", "birth_date", "death_date"}) {
    if (!cell(column).empty()) body[column] = cell(column);
  }
  body["sex"] = cell("sex").empty() ? "unknown" : cell("sex");
  if (cell("birth_precision") == "estimated") body["birth_precision"] = "estimated";
  json::array languages;
  for (const auto& language : SplitBar(cell("languages"))) languages.push_back(json::value(language));
  body["languages"] = std::move(languages);
  json::array names;
  for (const auto& alias : SplitBar(cell("aliases"))) {
    names.push_back(HasCjk(alias) ? json::object{{"kind", "alias"}, {"chinese_name", alias}}
                                  : json::object{{"kind", "alias"}, {"given_names_en", alias}});
  }
  if (!names.empty()) body["names"] = std::move(names);
  row.field_columns["names"] = "aliases";
  if (!cell("id_number").empty() || !cell("id_type").empty()) {
    json::object document{{"doc_type", cell("id_type")}, {"number", cell("id_number")}};
    if (!cell("id_issuer").empty()) document["issuer"] = cell("id_issuer");
    body["documents"] = json::array{std::move(document)};
    row.field_columns["documents.0.doc_type"] = "id_type";
    row.field_columns["documents.0.number"] = "id_number";
    row.field_columns["documents.0.issuer"] = "id_issuer";
  }
  json::array contacts;
  if (!cell("phone").empty()) {
    row.field_columns["contacts." + std::to_string(contacts.size())] = "phone";
    contacts.push_back(json::object{{"kind", "mobile"}, {"value", cell("phone")}});
  }
  if (!cell("email").empty()) {
    row.field_columns["contacts." + std::to_string(contacts.size())] = "email";
    contacts.push_back(json::object{{"kind", "email"}, {"value", cell("email")}});
  }
  if (!contacts.empty()) body["contacts"] = std::move(contacts);
  if (!cell("region").empty() || !cell("district").empty() || !cell("street").empty() || !cell("building").empty()) {
    json::object address{{"kind", "residential"}};
    for (const char* column : {"region", "district", "street", "building"}) {
      if (!cell(column).empty()) address[column] = cell(column);
    }
    body["addresses"] = json::array{std::move(address)};
    row.field_columns["addresses.0.street"] = "street";
    row.field_columns["addresses.0.region"] = "region";
    row.field_columns["addresses.0.district"] = "district";
    row.field_columns["addresses.0.building"] = "building";
  }
  return body;
}

/// The CSV column a request field error belongs to.
std::string ColumnOf(const ImportRow& row, const std::string& field) {
  if (const auto found = row.field_columns.find(field); found != row.field_columns.end()) return found->second;
  for (const auto& [prefix, column] : row.field_columns) {
    if (field.starts_with(prefix + ".")) return column;
  }
  if (field.starts_with("names.")) return "aliases";
  return field;
}

json::array ReasonsJson(const MatchScore& score) {
  json::array reasons;
  for (const auto& reason : score.reasons)
    reasons.push_back(json::object{{"field", reason.field}, {"level", reason.level}});
  return reasons;
}

long long MixKey(std::string_view text) { return static_cast<long long>(std::hash<std::string_view>{}(text)); }

}  // namespace

const std::vector<std::string>& ImportColumns() {
  static const std::vector<std::string> columns = {
      "external_ref", "chinese_name",    "family_name_en", "given_names_en", "aliases",   "sex",
      "birth_date",   "birth_precision", "death_date",     "id_type",        "id_number", "id_issuer",
      "phone",        "email",           "region",         "district",       "street",    "building",
      "languages",    "household_ref",   "household_role"};
  return columns;
}

Result<json::object> ImportService::Run(const audit::Actor& actor, const std::string& csv, const ImportOptions& options,
                                        const std::function<void(long long, long long)>& progress) {
  CsvReader reader(csv);
  std::string csv_error;
  json::array errors;
  long long error_count = 0;
  auto add_error = [&](size_t line, const std::string& column, const std::string& code,
                       const std::map<std::string, std::string>& params = {}) {
    ++error_count;
    if (errors.size() < kMaxListed) {
      errors.push_back(
          json::object{{"line", line}, {"column", column}, {"code", code}, {"message", Message(code, params)}});
    }
  };
  // A wrong header row is reported like any other problem of the file, on line 1.
  auto header_report = [&] {
    return json::object{{"rows", 0},
                        {"valid", 0},
                        {"error_count", error_count},
                        {"errors", errors},
                        {"duplicate_count", 0},
                        {"duplicates_in_file", json::array{}},
                        {"duplicates_in_registry", json::array{}},
                        {"registry_checked", false},
                        {"applied", false},
                        {"created", 0},
                        {"households", 0},
                        {"outcome", "errors"}};
  };
  auto header = reader.Next(&csv_error);
  if (!header || !csv_error.empty()) {
    add_error(1, "", "csv_header_missing");
    return header_report();
  }
  std::vector<std::string> columns;
  for (auto& name : *header) columns.push_back(Trim(name));
  std::set<std::string> missing(ImportColumns().begin(), ImportColumns().end());
  for (const auto& column : columns) {
    if (!missing.erase(column)) add_error(1, column, "csv_unknown_column", {{"column", column}});
  }
  for (const auto& column : missing) add_error(1, column, "csv_missing_column", {{"column", column}});
  if (error_count > 0) return header_report();

  // 1. Read and validate every row.
  std::vector<ImportRow> rows;
  std::map<std::string, size_t> seen_refs;
  while (true) {
    csv_error.clear();
    auto record = reader.Next(&csv_error);
    if (!record) break;
    ImportRow row;
    row.line = reader.line();
    if (!csv_error.empty()) {
      add_error(row.line, "", "csv_unclosed_quote");
      rows.push_back(std::move(row));
      break;
    }
    if (record->size() != columns.size()) {
      add_error(row.line, "", "csv_field_count",
                {{"expected", std::to_string(columns.size())}, {"found", std::to_string(record->size())}});
      rows.push_back(std::move(row));
      continue;
    }
    std::map<std::string, std::string> cells;
    for (size_t column_idx = 0; column_idx < columns.size(); ++column_idx) {
      cells[columns[column_idx]] = Trim((*record)[column_idx]);
    }
    row.external_ref = cells["external_ref"];
    if (!row.external_ref.empty()) {
      if (auto [first, fresh] = seen_refs.emplace(row.external_ref, row.line); !fresh) {
        add_error(row.line, "external_ref", "duplicate_in_file", {{"line", std::to_string(first->second)}});
      }
    }
    if (!cells["household_ref"].empty()) row.household_ref = cells["household_ref"];
    if (!cells["household_role"].empty()) row.household_role = cells["household_role"];
    if (row.household_ref && !IsHouseholdRole(row.household_role)) {
      add_error(row.line, "household_role", "invalid_choice",
                {{"choices", "head, spouse, child, parent, sibling, grandparent, grandchild, other"}});
    }
    auto person = persons_.PersonFromBody(RowBody(cells, row));
    if (!person) {
      for (const auto& field : person.error().fields)
        add_error(row.line, ColumnOf(row, field.field), field.code, field.params);
    } else {
      person->external_ref = row.external_ref.empty() ? std::nullopt : std::optional<std::string>(row.external_ref);
      row.person = std::move(*person);
    }
    rows.push_back(std::move(row));
    if (progress && rows.size() % 1000 == 0) progress(static_cast<long long>(rows.size()), 0);
  }
  const long long total = static_cast<long long>(rows.size());
  const long long steps = total * (options.apply ? 3 : 2);

  // 2. Identity numbers: twice in the file, or already in the registry.
  std::unordered_map<std::string, size_t> documents_seen;
  auto checked_documents = database_.Read<bool>([&](soci::session& sql) -> Result<bool> {
    PersonStore store(database_.dialect());
    for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      if (!rows[row_idx].person) continue;
      for (const auto& document : rows[row_idx].person->documents) {
        if (auto [it, fresh] = documents_seen.emplace(document.doc_type + document.number_hash, row_idx); !fresh) {
          add_error(rows[row_idx].line, "id_number", "duplicate_in_file",
                    {{"line", std::to_string(rows[it->second].line)}});
        }
        if (auto owner = store.DocumentOwner(sql, document.doc_type, document.number_hash)) {
          add_error(rows[row_idx].line, "id_number", "document_registered", {{"person_id", std::to_string(*owner)}});
        }
      }
    }
    return true;
  });
  if (!checked_documents) return Fail(checked_documents.error());

  // 3. Likely duplicates inside the file: rows sharing a search key, a phone or a document are compared.
  std::unordered_map<long long, std::vector<size_t>> blocks;
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    if (!rows[row_idx].person) continue;
    const Person& person = *rows[row_idx].person;
    for (long long key : PersonSearchKeys(person)) blocks[key].push_back(row_idx);
    for (const auto& contact : person.contacts) {
      if (contact.phone_key) blocks[MixKey("phone:" + *contact.phone_key)].push_back(row_idx);
    }
  }
  std::set<std::pair<size_t, size_t>> compared;
  json::array in_file;
  std::vector<std::pair<size_t, size_t>> file_pairs;
  std::vector<MatchScore> file_scores;
  for (const auto& [key, members] : blocks) {
    if (members.size() < 2 || members.size() > kMaxBlock) continue;
    for (size_t left_idx = 0; left_idx < members.size(); ++left_idx) {
      for (size_t right_idx = left_idx + 1; right_idx < members.size(); ++right_idx) {
        const auto pair = std::minmax(members[left_idx], members[right_idx]);
        if (!compared.insert(pair).second) continue;
        const Person& earlier = *rows[pair.first].person;
        const Person& later = *rows[pair.second].person;
        MatchScore score = ScoreCandidate(QueryFromPerson(later), earlier, false);
        if (score.score < kLikelyDuplicateScore) continue;
        file_pairs.emplace_back(pair.first, pair.second);
        file_scores.push_back(score);
        if (in_file.size() < kMaxListed) {
          in_file.push_back(json::object{{"line", rows[pair.second].line},
                                         {"other_line", rows[pair.first].line},
                                         {"score", score.score},
                                         {"reasons", ReasonsJson(score)}});
        }
      }
    }
  }
  if (progress) progress(total, steps);

  // 4. Likely duplicates already in the registry.
  json::array in_registry;
  std::vector<std::pair<size_t, SearchHit>> registry_pairs;
  if (options.check_registry) {
    auto checked = database_.Read<bool>([&](soci::session& sql) -> Result<bool> {
      for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
        if (rows[row_idx].person) {
          for (auto& hit : persons_.LikelyDuplicates(sql, *rows[row_idx].person, kLikelyDuplicateScore)) {
            if (in_registry.size() < kMaxListed) {
              in_registry.push_back(json::object{{"line", rows[row_idx].line},
                                                 {"person_id", hit.view.person.id},
                                                 {"score", hit.score.score},
                                                 {"reasons", ReasonsJson(hit.score)}});
            }
            registry_pairs.emplace_back(row_idx, std::move(hit));
          }
        }
        if (progress && row_idx % 200 == 0) progress(total + static_cast<long long>(row_idx), steps);
      }
      return true;
    });
    if (!checked) return Fail(checked.error());
  }

  const long long duplicate_count = static_cast<long long>(file_pairs.size() + registry_pairs.size());
  json::object report{{"rows", total},
                      {"valid", total - static_cast<long long>(std::ranges::count_if(
                                            rows, [](const ImportRow& row) { return !row.person; }))},
                      {"error_count", error_count},
                      {"errors", std::move(errors)},
                      {"duplicate_count", duplicate_count},
                      {"duplicates_in_file", std::move(in_file)},
                      {"duplicates_in_registry", std::move(in_registry)},
                      {"registry_checked", options.check_registry},
                      {"applied", false},
                      {"created", 0},
                      {"households", 0}};
  if (total == 0) {
    report["outcome"] = "empty";
    return report;
  }
  if (error_count > 0) {
    report["outcome"] = "errors";
    return report;
  }
  if (!options.apply) {
    report["outcome"] = duplicate_count > 0 ? "duplicates" : "ready";
    return report;
  }
  if (duplicate_count > 0 && !options.accept_duplicates) {
    report["outcome"] = "duplicates_not_accepted";
    return report;
  }

  // 5. Apply: every row or none.
  auto applied = database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    const std::string now = FormatTime(Now());
    json::object source;
    if (options.import_id) source["import_id"] = *options.import_id;
    std::vector<long long> ids(rows.size(), 0);
    for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      persons_.InsertTrusted(sql, actor, options.staff_id, *rows[row_idx].person, options.unit_id, source);
      ids[row_idx] = rows[row_idx].person->id;
      if (progress && row_idx % 200 == 0) progress(2 * total + static_cast<long long>(row_idx), steps);
    }
    // Households by their key in the file (an earlier import's household is reused).
    std::map<std::string, long long> households;
    long long created_households = 0;
    for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      const auto& ref = rows[row_idx].household_ref;
      if (!ref) continue;
      auto found = households.find(*ref);
      if (found == households.end()) {
        std::optional<long long> existing = families_.HouseholdByRef(sql, *ref);
        if (!existing) {
          Household household;
          household.kind = "living_together";
          household.external_ref = *ref;
          household.created_by_unit = options.unit_id;
          household.created_at = now;
          existing = families_.InsertHousehold(sql, household);
          ++created_households;
        }
        found = households.emplace(*ref, *existing).first;
      }
      HouseholdMember member;
      member.household_id = found->second;
      member.person_id = ids[row_idx];
      member.role = rows[row_idx].household_role;
      families_.InsertMember(sql, member, now);
    }
    // Accepted duplicates go to the data stewards' review queue.
    auto queue = [&](long long left, long long right, const MatchScore& score) {
      DuplicatePair pair = PairFromScore(left, right, score, "import", options.reason, now);
      (void)duplicates_.InsertPair(sql, pair);
    };
    for (size_t pair_idx = 0; pair_idx < file_pairs.size(); ++pair_idx) {
      queue(ids[file_pairs[pair_idx].first], ids[file_pairs[pair_idx].second], file_scores[pair_idx]);
    }
    for (const auto& [row_idx, hit] : registry_pairs) queue(ids[row_idx], hit.view.person.id, hit.score);
    audit_.Append(sql, actor,
                  {"person.import", "import",
                   options.import_id ? std::to_string(*options.import_id) : std::string("cli"),
                   json::object{{"rows", total},
                                {"unit_id", options.unit_id},
                                {"duplicates_accepted", duplicate_count},
                                {"reason", Text(options.reason)},
                                {"registry_checked", options.check_registry}}});
    return json::object{{"created", total}, {"households", created_households}};
  });
  if (!applied) return Fail(applied.error());
  report["applied"] = true;
  report["created"] = applied->at("created");
  report["households"] = applied->at("households");
  report["outcome"] = "applied";
  if (progress) progress(steps, steps);
  return report;
}

Result<json::object>
ImportService::Upload(const auth::Context& context, const std::string& file_name, const std::string& csv,
                      const ImportOptions& options,
                      const std::function<long long(soci::session&, const json::object&)>& enqueue) {
  return database_.Write<json::object>([&](soci::session& sql) -> Result<json::object> {
    if (!auth::FindUnit(sql, options.unit_id)) return Fail(Error::Validation({{"unit_id", "not_found"}}));
    if (auto allowed = auth::RequireAt(sql, context.principal, auth::perm::kPersonsImport, options.unit_id); !allowed) {
      return Fail(allowed.error());
    }
    const std::string now = FormatTime(Now());
    const auto created_by = db::Nullable(context.principal.staff_id);
    long long import_id = 0;
    sql << "INSERT INTO imports (file_name, content, unit_id, created_by, created_at) "
           "VALUES (:name, :content, :unit, :by, :now) RETURNING id",
        soci::use(file_name), soci::use(csv), soci::use(options.unit_id), soci::use(created_by), soci::use(now),
        soci::into(import_id);
    json::object payload{{"import_id", import_id},
                         {"apply", options.apply},
                         {"accept_duplicates", options.accept_duplicates},
                         {"reason", Text(options.reason)},
                         {"unit_id", options.unit_id}};
    if (context.principal.staff_id) payload["staff_id"] = *context.principal.staff_id;
    const long long job_id = enqueue(sql, payload);
    audit_.Append(
        sql, context.actor,
        {"person.import_upload", "import", std::to_string(import_id),
         json::object{{"file_name", file_name}, {"bytes", csv.size()}, {"apply", options.apply}, {"job_id", job_id}}});
    return json::object{{"import_id", import_id}, {"job_id", job_id}};
  });
}

Result<std::string> ImportService::Content(long long import_id) {
  return database_.Read<std::string>([&](soci::session& sql) -> Result<std::string> {
    std::string content;
    sql << "SELECT content FROM imports WHERE id = :id", soci::use(import_id), soci::into(content);
    if (!sql.got_data()) return Fail(Error::NotFound("import " + std::to_string(import_id)));
    return content;
  });
}

}  // namespace welfare::registry
