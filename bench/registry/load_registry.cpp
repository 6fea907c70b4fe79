// load_registry: generates a population and bulk-loads it into a migrated registry database (SQLite or PostgreSQL,
// the URL the server takes) with exactly the rows the server writes for a registration, then writes the query set
// and the registration bodies that search_bench sends, and the truth (which loaded records are one person).
//   load_registry --database sqlite:///tmp/x/welfare.db --secret-key-file /tmp/x/secret.key --persons 5000000
//                 --queries /tmp/x/queries.jsonl --registrations /tmp/x/registrations.jsonl [--truth /tmp/x/truth.csv]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <semaphore>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <soci/soci.h>

#include "audit/audit_log.hpp"
#include "auth/unit_service.hpp"
#include "bench/registry/population.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "registry/identity.hpp"
#include "registry/matching.hpp"
#include "registry/person_service.hpp"
#include "registry/person_store.hpp"
#include "registry/text.hpp"

namespace {

namespace json = boost::json;
namespace registry = welfare::registry;
using welfare::bench::GeneratedRecord;
using welfare::db::Dialect;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// The tables a registration writes, in the order they are loaded.
const std::vector<std::string>& LoadedTables() {
  static const std::vector<std::string> tables = {"persons",           "person_names",     "person_documents",
                                                  "person_contacts",   "person_addresses", "involvements",
                                                  "person_search_keys"};
  return tables;
}

// --- Column batches: one INSERT per table and batch --------------------------------------------------------------

/// One column of a batch: 64-bit integers or text, with NULLs.
struct Column {
  std::string name;
  bool is_int = false;
  std::vector<long long> ints;
  std::vector<std::string> texts;
  std::vector<soci::indicator> nulls;
};

/// PostgreSQL array literal quoting of one text element.
void AppendArrayText(std::string& out, const std::string& value) {
  out.push_back('"');
  for (const char character : value) {
    if (character == '"' || character == '\\') out.push_back('\\');
    out.push_back(character);
  }
  out.push_back('"');
}

/// Rows of one table, inserted together: SOCI vector `use` on SQLite (one sqlite3_step per row, in process);
/// on PostgreSQL, where SOCI's vector `use` sends one PQexecPrepared per row, the columns are bound as arrays and
/// unnested by one INSERT ... SELECT (one round trip per batch).
class TableBatch {
 public:
  TableBatch(std::string table, std::vector<std::pair<std::string, bool>> columns) : table_(std::move(table)) {
    for (auto& [name, is_int] : columns) columns_.push_back(Column{name, is_int, {}, {}, {}});
  }

  TableBatch& Int(long long value) { return Put(value, true); }
  TableBatch& Int(std::optional<long long> value) { return value ? Put(*value, true) : Put(0LL, false); }
  TableBatch& Text(const std::string& value) { return Put(value, true); }
  TableBatch& Text(const std::optional<std::string>& value) {
    return value ? Put(*value, true) : Put(std::string(), false);
  }
  TableBatch& Null() { return columns_[next_].is_int ? Put(0LL, false) : Put(std::string(), false); }

  [[nodiscard]] size_t Rows() const { return columns_.front().nulls.size(); }
  [[nodiscard]] long long Inserted() const { return inserted_; }
  [[nodiscard]] const std::string& Table() const { return table_; }

  void Flush(soci::session& sql, Dialect dialect) {
    if (Rows() == 0) return;
    std::string names;
    for (const auto& column : columns_) names += (names.empty() ? "" : ", ") + column.name;
    if (dialect == Dialect::kSqlite) {
      std::string values;
      for (size_t column_idx = 0; column_idx < columns_.size(); ++column_idx) {
        values += (column_idx == 0 ? ":c" : ", :c") + std::to_string(column_idx);
      }
      soci::statement insert(sql);
      for (auto& column : columns_) {
        if (column.is_int) {
          insert.exchange(soci::use(column.ints, column.nulls));
        } else {
          insert.exchange(soci::use(column.texts, column.nulls));
        }
      }
      insert.alloc();
      insert.prepare("INSERT INTO " + table_ + " (" + names + ") VALUES (" + values + ")");
      insert.define_and_bind();
      insert.execute(true);
    } else {
      std::vector<std::string> arrays;
      std::string unnest;
      for (size_t column_idx = 0; column_idx < columns_.size(); ++column_idx) {
        const Column& column = columns_[column_idx];
        std::string array = "{";
        for (size_t row_idx = 0; row_idx < column.nulls.size(); ++row_idx) {
          if (row_idx > 0) array.push_back(',');
          if (column.nulls[row_idx] == soci::i_null) {
            array += "NULL";
          } else if (column.is_int) {
            array += std::to_string(column.ints[row_idx]);
          } else {
            AppendArrayText(array, column.texts[row_idx]);
          }
        }
        array.push_back('}');
        arrays.push_back(std::move(array));
        unnest += fmt::format("{}CAST(:c{} AS {}[])", column_idx == 0 ? "" : ", ", column_idx,
                              column.is_int ? "bigint" : "text");
      }
      soci::statement insert(sql);
      for (auto& array : arrays) insert.exchange(soci::use(array));
      insert.alloc();
      insert.prepare("INSERT INTO " + table_ + " (" + names + ") SELECT * FROM unnest(" + unnest + ")");
      insert.define_and_bind();
      insert.execute(true);
    }
    inserted_ += static_cast<long long>(Rows());
    for (auto& column : columns_) {
      column.ints.clear();
      column.texts.clear();
      column.nulls.clear();
    }
  }

 private:
  template <class T>
  TableBatch& Put(T value, bool present) {
    Column& column = columns_[next_];
    if constexpr (std::is_same_v<T, long long>) {
      column.ints.push_back(value);
    } else {
      column.texts.push_back(std::move(value));
    }
    column.nulls.push_back(present ? soci::i_ok : soci::i_null);
    next_ = (next_ + 1) % columns_.size();
    return *this;
  }

  std::string table_;
  std::vector<Column> columns_;
  size_t next_ = 0;
  long long inserted_ = 0;
};

// --- A bounded queue and the conversion stage ---------------------------------------------------------------------

template <class T>
class BlockingQueue {
 public:
  explicit BlockingQueue(size_t capacity) : capacity_(capacity) {}
  void Push(T item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }
  /// nullopt once closed and drained.
  std::optional<T> Pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  size_t capacity_;
  std::deque<T> items_;
  bool closed_ = false;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
};

/// A generated record as a registration form: the same mapping as a row of a registry import file.
json::object RegistrationBody(const GeneratedRecord& record) {
  json::object body;
  auto set = [&](const char* field, const std::string& value) {
    if (!value.empty()) body[field] = value;
  };
  set("chinese_name", record.chinese_name);
  set("family_name_en", record.family_name_en);
  set("given_names_en", record.given_names_en);
  set("birth_date", record.birth_date);
  set("death_date", record.death_date);
  body["sex"] = record.sex.empty() ? "unknown" : record.sex;
  if (record.birth_precision == "estimated") body["birth_precision"] = "estimated";
  json::array languages;
  for (const auto& language : record.languages) languages.emplace_back(language);
  body["languages"] = std::move(languages);
  json::array names;
  for (const auto& alias : record.aliases) {
    names.push_back(registry::HasCjk(alias) ? json::object{{"kind", "alias"}, {"chinese_name", alias}}
                                            : json::object{{"kind", "alias"}, {"given_names_en", alias}});
  }
  if (!names.empty()) body["names"] = std::move(names);
  if (!record.id_number.empty()) {
    json::object document{{"doc_type", record.id_type}, {"number", record.id_number}};
    if (!record.id_issuer.empty()) document["issuer"] = record.id_issuer;
    body["documents"] = json::array{std::move(document)};
  }
  json::array contacts;
  if (!record.phone.empty()) contacts.push_back(json::object{{"kind", "mobile"}, {"value", record.phone}});
  if (!record.email.empty()) contacts.push_back(json::object{{"kind", "email"}, {"value", record.email}});
  if (!contacts.empty()) body["contacts"] = std::move(contacts);
  if (!record.region.empty() || !record.district.empty() || !record.street.empty() || !record.building.empty()) {
    json::object address{{"kind", "residential"}};
    if (!record.region.empty()) address["region"] = record.region;
    if (!record.district.empty()) address["district"] = record.district;
    if (!record.street.empty()) address["street"] = record.street;
    if (!record.building.empty()) address["building"] = record.building;
    body["addresses"] = json::array{std::move(address)};
  }
  return body;
}

/// One record after the server's own validation and normalisation (PersonService::PersonFromBody).
struct Converted {
  GeneratedRecord record;
  json::object body;
  std::optional<registry::Person> person;
  std::string problem;
};

struct Batch {
  long long sequence = 0;
  std::vector<GeneratedRecord> records;
};

// --- The query set -------------------------------------------------------------------------------------------------

/// One search of the query set.
struct Query {
  std::string kind;
  std::string text;
  long long person_key = 0;
};

/// One registration of the registration set.
struct RegistrationCase {
  std::string kind;  ///< new, re_registration
  json::object body;
  long long person_key = 0;
};

/// The first `count` code points of UTF-8 text.
std::string FirstCodePoints(const std::string& text, size_t count) {
  const auto points = registry::CodePoints(text);
  std::string out;
  for (size_t point_idx = 0; point_idx < count && point_idx < points.size(); ++point_idx) out += points[point_idx];
  return out;
}

std::string Rest(const std::string& text, size_t skip) {
  const auto points = registry::CodePoints(text);
  std::string out;
  for (size_t point_idx = skip; point_idx < points.size(); ++point_idx) out += points[point_idx];
  return out;
}

std::string Capitalised(std::string word) {
  for (size_t char_idx = 0; char_idx < word.size(); ++char_idx) {
    const auto character = static_cast<unsigned char>(word[char_idx]);
    word[char_idx] = static_cast<char>(char_idx == 0 ? std::toupper(character) : std::tolower(character));
  }
  return word;
}

std::string Upper(std::string word) {
  for (char& character : word) character = static_cast<char>(std::toupper(static_cast<unsigned char>(character)));
  return word;
}

std::string Lower(std::string word) {
  for (char& character : word) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  return word;
}

/// Builds the searches a front-desk worker types for a person, with the variation of real typing.
class QueryMaker {
 public:
  explicit QueryMaker(unsigned long long seed) : random_(seed) {}

  /// A query of a kind the record allows (the kinds are tried from a weighted draw on).
  std::optional<Query> Make(const GeneratedRecord& record, const registry::Person& person) {
    static const std::vector<std::pair<std::string, double>> kKinds = {{"id_number", 0.13},
                                                                       {"chinese_full", 0.14},
                                                                       {"chinese_simplified", 0.07},
                                                                       {"english_any_order", 0.12},
                                                                       {"english_variant_surname", 0.07},
                                                                       {"name_and_birth_date", 0.13},
                                                                       {"partial_name_and_birth_date", 0.10},
                                                                       {"phone", 0.09},
                                                                       {"phone_spaced", 0.03},
                                                                       {"birth_date_near", 0.09},
                                                                       {"chinese_given_and_birth_date", 0.03}};
    std::vector<double> weights;
    for (const auto& kind : kKinds) weights.push_back(kind.second);
    std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
    const size_t first = pick(random_);
    for (size_t offset = 0; offset < kKinds.size(); ++offset) {
      const std::string& kind = kKinds[(first + offset) % kKinds.size()].first;
      if (auto text = Build(kind, record, person)) return Query{kind, *text, record.person_key};
    }
    return std::nullopt;
  }

 private:
  bool Chance(double probability) { return std::uniform_real_distribution<double>(0, 1)(random_) < probability; }
  size_t Below(size_t upper) { return std::uniform_int_distribution<size_t>(0, upper - 1)(random_); }

  std::optional<std::string> Build(const std::string& kind, const GeneratedRecord& record,
                                   const registry::Person& person) {
    const std::string chinese = person.chinese_name.value_or("");
    const std::string family = person.family_name_en.value_or("");
    const std::string given = person.given_names_en.value_or("");
    const bool full_date = person.birth_date && person.birth_precision == "full";
    if (kind == "id_number") {
      if (person.documents.empty()) return std::nullopt;
      std::string problem;
      const auto canonical = registry::CanonicalDocumentNumber(record.id_type, record.id_number, &problem);
      if (!canonical) return std::nullopt;
      const std::string& type = person.documents.front().doc_type;
      if ((type == "hkid" || type == "birth_cert") && canonical->size() >= 8 && Chance(0.5)) {
        // As printed on the card: A123456(3).
        return canonical->substr(0, canonical->size() - 1) + "(" + canonical->back() + ")";
      }
      return Chance(0.3) ? Lower(*canonical) : *canonical;
    }
    if (kind == "chinese_full") {
      if (chinese.empty()) return std::nullopt;
      if (Chance(0.15)) {
        const size_t surname =
            registry::CodePoints(registry::SplitChineseName(registry::ChineseKey(chinese)).surname).size();
        if (surname > 0 && surname < registry::CodePoints(chinese).size()) {
          return FirstCodePoints(chinese, surname) + " " + Rest(chinese, surname);
        }
      }
      return chinese;
    }
    if (kind == "chinese_simplified") {
      if (chinese.empty()) return std::nullopt;
      return registry::ChineseKey(chinese);
    }
    if (kind == "english_any_order") {
      if (family.empty() || given.empty()) return std::nullopt;
      return EnglishName(family, given);
    }
    if (kind == "english_variant_surname") {
      if (family.empty() || given.empty()) return std::nullopt;
      const std::string key = registry::LatinKey(family);
      std::vector<std::string> others;
      for (const auto& surname : registry::KnownSurnames()) {
        if (std::ranges::find(surname.romanisations, key) == surname.romanisations.end()) continue;
        for (auto spelling : surname.romanisations) {
          if (spelling != key && std::ranges::find(others, std::string(spelling)) == others.end()) {
            others.emplace_back(spelling);
          }
        }
      }
      if (others.empty()) return std::nullopt;
      return EnglishName(Upper(others[Below(others.size())]), given);
    }
    if (kind == "name_and_birth_date" || kind == "birth_date_near") {
      if (!full_date) return std::nullopt;
      std::string date = *person.birth_date;
      if (kind == "birth_date_near") {
        auto near = NearDate(date);
        if (!near) return std::nullopt;
        date = *near;
      }
      std::string name;
      if (!chinese.empty() && (family.empty() || given.empty() || Chance(0.55))) {
        name = chinese;
      } else if (!family.empty() && !given.empty()) {
        name = EnglishName(family, given);
      } else {
        return std::nullopt;
      }
      return Chance(0.5) ? name + " " + TypedDate(date) : TypedDate(date) + " " + name;
    }
    if (kind == "partial_name_and_birth_date") {
      if (!full_date) return std::nullopt;
      std::string part;
      const double draw = std::uniform_real_distribution<double>(0, 1)(random_);
      if (!chinese.empty() && (draw < 0.5 || family.empty())) {
        const size_t surname =
            registry::CodePoints(registry::SplitChineseName(registry::ChineseKey(chinese)).surname).size();
        part = FirstCodePoints(chinese, std::max<size_t>(surname, 1));
      } else if (!family.empty()) {
        part = Chance(0.5) ? Upper(family) : Capitalised(family);
      } else {
        return std::nullopt;
      }
      return part + " " + TypedDate(*person.birth_date);
    }
    if (kind == "chinese_given_and_birth_date") {
      if (!full_date || chinese.empty()) return std::nullopt;
      const size_t surname =
          registry::CodePoints(registry::SplitChineseName(registry::ChineseKey(chinese)).surname).size();
      const std::string rest = Rest(chinese, surname);
      if (rest.empty()) return std::nullopt;
      return rest + " " + TypedDate(*person.birth_date);
    }
    if (kind == "phone" || kind == "phone_spaced") {
      const auto contact =
          std::ranges::find_if(person.contacts, [](const auto& item) { return item.phone_key.has_value(); });
      if (contact == person.contacts.end()) return std::nullopt;
      const std::string digits = registry::PhoneKey(contact->value);
      const bool taiwan = digits.size() == 10 && digits.starts_with("09");
      const std::string local = taiwan ? digits : digits.substr(digits.size() - 8);
      if (kind == "phone_spaced") {
        // "9123 4567" and "0912 345 678": as said aloud, in groups.
        return taiwan ? local.substr(0, 4) + " " + local.substr(4, 3) + " " + local.substr(7)
                      : local.substr(0, 4) + " " + local.substr(4);
      }
      const double draw = std::uniform_real_distribution<double>(0, 1)(random_);
      if (draw < 0.6) return local;
      if (draw < 0.85)
        return taiwan ? local.substr(0, 4) + "-" + local.substr(4, 3) + "-" + local.substr(7)
                      : local.substr(0, 4) + "-" + local.substr(4);
      return taiwan ? "+886" + local.substr(1) : "+852" + local;
    }
    return std::nullopt;
  }

  /// An English name in one of the orders and spellings people type.
  std::string EnglishName(const std::string& family, const std::string& given) {
    const auto words = registry::LatinWords(given);
    std::string spaced, joined;
    for (const auto& word : words) {
      spaced += (spaced.empty() ? "" : " ") + Capitalised(word);
      joined += word;
    }
    const double draw = std::uniform_real_distribution<double>(0, 1)(random_);
    if (draw < 0.35) return Upper(family) + " " + spaced;                     // CHAN Tai Man
    if (draw < 0.60) return spaced + " " + Capitalised(family);               // Tai Man Chan
    if (draw < 0.80) return Lower(family) + " " + Lower(spaced);              // chan tai man
    if (draw < 0.90) return Capitalised(family) + " " + Capitalised(joined);  // Chan Taiman
    std::string hyphened;
    for (const auto& word : words) hyphened += (hyphened.empty() ? Capitalised(word) : "-" + Lower(word));
    return hyphened + " " + Upper(family);  // Tai-man CHAN
  }

  /// A full date as typed: 1948-03-07, 07/03/1948 or 19480307.
  std::string TypedDate(const std::string& iso) {
    const double draw = std::uniform_real_distribution<double>(0, 1)(random_);
    if (draw < 0.5) return iso;
    if (draw < 0.85) return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
    return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
  }

  /// A date close to the real one: a few days off, day and month swapped, or two digits transposed.
  std::optional<std::string> NearDate(const std::string& iso) {
    const int year = std::stoi(iso.substr(0, 4));
    const int month = std::stoi(iso.substr(5, 2));
    const int day = std::stoi(iso.substr(8, 2));
    const double draw = std::uniform_real_distribution<double>(0, 1)(random_);
    if (draw < 0.25 && day <= 12 && day != month) return fmt::format("{:04d}-{:02d}-{:02d}", year, day, month);
    if (draw < 0.45) {
      std::string digits = fmt::format("{:04d}{:02d}{:02d}", year, month, day);
      const size_t at = 4 + Below(3);  // within month and day
      if (digits[at] != digits[at + 1]) {
        std::swap(digits[at], digits[at + 1]);
        const int new_month = std::stoi(digits.substr(4, 2));
        const int new_day = std::stoi(digits.substr(6, 2));
        if (registry::IsCalendarDate(year, new_month, new_day)) {
          return fmt::format("{:04d}-{:02d}-{:02d}", year, new_month, new_day);
        }
      }
    }
    // A few days off.
    const long long days = registry::DaysFromCivil(year, month, day);
    const int shift = static_cast<int>(1 + Below(5)) * (Chance(0.5) ? 1 : -1);
    return CivilFromDays(days + shift);
  }

  static std::string CivilFromDays(long long days) {
    // Howard Hinnant's civil_from_days.
    days += 719468;
    const long long era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long year = static_cast<long long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    return fmt::format("{:04d}-{:02d}-{:02d}", year + (month <= 2 ? 1 : 0), month, day);
  }

  std::mt19937_64 random_;
};

// --- Index handling ------------------------------------------------------------------------------------------------

/// A secondary index of a loaded table, dropped before the load and made again afterwards (a sorted build is
/// much faster than inserting millions of rows into it in random order). Constraint indexes stay.
struct IndexDefinition {
  std::string name;
  std::string definition;
};

std::string TableList() {
  std::string list;
  for (const auto& table : LoadedTables()) list += (list.empty() ? "'" : ", '") + table + "'";
  return list;
}

std::vector<IndexDefinition> SecondaryIndexes(soci::session& sql, Dialect dialect) {
  std::vector<IndexDefinition> indexes;
  std::string name, definition;
  const std::string text =
      dialect == Dialect::kSqlite
          ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (" +
                TableList() + ") ORDER BY name"
          : "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename IN "
            "(" +
                TableList() +
                ") AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) "
                "ORDER BY i.indexname";
  soci::statement select = (sql.prepare << text, soci::into(name), soci::into(definition));
  select.execute(false);
  while (select.fetch()) indexes.push_back({name, definition});
  return indexes;
}

// --- The database size -----------------------------------------------------------------------------------------------

std::string Size(double bytes) {
  if (bytes >= 1024.0 * 1024 * 1024) return fmt::format("{:.2f} GiB", bytes / (1024.0 * 1024 * 1024));
  return fmt::format("{:.0f} MiB", bytes / (1024.0 * 1024));
}

long long PeakMemoryKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stoll(line.substr(6));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Bulk-loads a generated population into a migrated registry database"};
  std::string database_url;
  std::string key_file;
  long long persons = 0;
  unsigned long long seed = 1;
  std::string unit_code = "IFSC-EAST";
  std::string queries_file;
  std::string registrations_file;
  std::string truth_file;
  int query_count = 2400;
  int registration_count = 600;
  int threads = 2;
  int batch_size = 5000;
  long long transaction_size = 250000;
  bool keep_indexes = false;
  bool analyze_sqlite = false;
  app.add_option("--database", database_url, "sqlite://path or postgresql://... (migrated, with the demo units)")
      ->required();
  app.add_option("--secret-key-file", key_file, "the server's key file (documents are sealed and hashed with it)")
      ->required();
  app.add_option("--persons", persons, "person records to load")->required()->check(CLI::PositiveNumber);
  app.add_option("--seed", seed, "population seed");
  app.add_option("--unit", unit_code, "the unit every person is registered at");
  app.add_option("--queries", queries_file, "write the search query set here (JSONL)");
  app.add_option("--query-count", query_count, "searches to write");
  app.add_option("--registrations", registrations_file, "write the registration bodies here (JSONL)");
  app.add_option("--registration-count", registration_count,
                 "registrations to write (new people and re-registrations)");
  app.add_option("--truth", truth_file,
                 "write person_id,person_key of every loaded person here (CSV; records with one key are one person)");
  app.add_option("--threads", threads, "threads that validate and normalise records")->check(CLI::Range(1, 64));
  app.add_option("--batch", batch_size, "rows per INSERT statement")->check(CLI::Range(100, 100000));
  app.add_option("--transaction", transaction_size, "persons per transaction")->check(CLI::PositiveNumber);
  app.add_flag("--keep-indexes", keep_indexes, "insert into the secondary indexes instead of building them afterwards");
  app.add_flag("--analyze-sqlite", analyze_sqlite, "run ANALYZE on SQLite too (the server itself never does)");
  CLI11_PARSE(app, argc, argv);

  const auto run_start = Clock::now();
  welfare::InitCrypto();
  const auto location = welfare::db::ParseDatabaseUrl(database_url);
  if (!location) {
    fmt::print(stderr, "load_registry: {}\n", location.error().internal);
    return 2;
  }
  const Dialect dialect = location->dialect;
  welfare::db::Database database(*location, 1);
  const welfare::SecretKey key = welfare::SecretKey::LoadOrCreate(key_file);
  welfare::audit::AuditLog audit(database);
  welfare::auth::UnitService units(database, audit);
  registry::PersonService service(database, audit, key, units);

  welfare::db::Database::Lease lease(database);
  soci::session& sql = *lease;

  long long unit_id = 0;
  sql << "SELECT id FROM units WHERE code = :code", soci::use(unit_code), soci::into(unit_id);
  if (!sql.got_data()) {
    fmt::print(stderr, "load_registry: no unit {} (run `welfare seed-demo` first)\n", unit_code);
    return 2;
  }
  std::map<std::string, long long> next_id;
  for (const auto& table : LoadedTables()) {
    if (table == "person_search_keys") continue;
    long long max_id = 0;
    soci::indicator null_max = soci::i_ok;
    sql << "SELECT MAX(id) FROM " + table, soci::into(max_id, null_max);
    next_id[table] = (null_max == soci::i_null ? 0 : max_id) + 1;
  }

  // Loader-only session settings: the server's own connections keep their defaults.
  std::vector<std::string> settings;
  if (dialect == Dialect::kSqlite) {
    sql << "PRAGMA synchronous=OFF";
    sql << "PRAGMA cache_size=-2000000";
    sql << "PRAGMA foreign_keys=OFF";
    settings = {"synchronous=OFF", "cache_size 2 GB", "foreign_keys=OFF (rows are consistent by construction)"};
  } else {
    sql << "SET synchronous_commit = off";
    sql << "SET maintenance_work_mem = '1GB'";
    settings = {"synchronous_commit=off", "maintenance_work_mem=1GB"};
    try {
      sql << "SET session_replication_role = replica";
      settings.emplace_back(
          "session_replication_role=replica (no foreign-key triggers; rows are consistent by construction)");
    } catch (const soci::soci_error&) {
      settings.emplace_back("foreign keys checked (not a superuser)");
    }
  }

  std::vector<IndexDefinition> dropped;
  if (!keep_indexes) {
    dropped = SecondaryIndexes(sql, dialect);
    for (const auto& index : dropped) sql << "DROP INDEX " + index.name;
  }

  fmt::print("load_registry: {} persons into {} ({}), registered at {} (unit {}), seed {}\n", persons,
             location->display, dialect == Dialect::kSqlite ? "SQLite" : "PostgreSQL", unit_code, unit_id, seed);
  fmt::print("loader session: {}\n", fmt::join(settings, ", "));
  if (!dropped.empty()) fmt::print("secondary indexes built after the load: {}\n", dropped.size());

  // The population: the first `persons` valid records are loaded, the rest are registrations to send.
  const long long tail = std::max<long long>(2000, 3LL * registration_count);
  welfare::bench::PopulationOptions options;
  // Validation refuses about 0.25 % of the records (an extra record with no name left): 1 % more are generated.
  options.records = persons + persons / 100 + tail;
  options.seed = seed;

  // Which loaded records become searches.
  std::vector<long long> sampled;
  {
    std::mt19937_64 pick(seed * 7919 + 17);
    std::set<long long> chosen;
    const long long wanted = std::min<long long>(query_count, persons);
    while (static_cast<long long>(chosen.size()) < wanted) {
      chosen.insert(std::uniform_int_distribution<long long>(0, persons - 1)(pick));
    }
    sampled.assign(chosen.begin(), chosen.end());
  }

  TableBatch person_rows("persons", {{"id", true},
                                     {"status", false},
                                     {"merged_into", true},
                                     {"chinese_name", false},
                                     {"chinese_key", false},
                                     {"family_name_en", false},
                                     {"given_names_en", false},
                                     {"sex", false},
                                     {"birth_date", false},
                                     {"birth_precision", false},
                                     {"death_date", false},
                                     {"languages", false},
                                     {"protected_address", true},
                                     {"registered_unit_id", true},
                                     {"external_ref", false},
                                     {"version", true},
                                     {"created_at", false},
                                     {"updated_at", false}});
  TableBatch name_rows("person_names", {{"id", true},
                                        {"person_id", true},
                                        {"kind", false},
                                        {"chinese_name", false},
                                        {"family_name_en", false},
                                        {"given_names_en", false},
                                        {"created_at", false}});
  TableBatch document_rows("person_documents", {{"id", true},
                                                {"person_id", true},
                                                {"doc_type", false},
                                                {"number_sealed", false},
                                                {"number_hash", false},
                                                {"number_masked", false},
                                                {"issuer", false},
                                                {"created_at", false}});
  TableBatch contact_rows("person_contacts", {{"id", true},
                                              {"person_id", true},
                                              {"kind", false},
                                              {"value", false},
                                              {"phone_key", false},
                                              {"created_at", false}});
  TableBatch address_rows("person_addresses", {{"id", true},
                                               {"person_id", true},
                                               {"kind", false},
                                               {"region", false},
                                               {"district", false},
                                               {"street", false},
                                               {"building", false},
                                               {"flat", false},
                                               {"created_at", false}});
  TableBatch involvement_rows("involvements", {{"id", true},
                                               {"person_id", true},
                                               {"unit_id", true},
                                               {"kind", false},
                                               {"reference", false},
                                               {"summary", false},
                                               {"worker_id", true},
                                               {"started_on", false},
                                               {"ended_on", false},
                                               {"created_by", true},
                                               {"created_at", false},
                                               {"updated_at", false}});
  std::vector<TableBatch*> batches = {&person_rows,  &name_rows,    &document_rows,
                                      &contact_rows, &address_rows, &involvement_rows};

  // Search keys are kept (16 bytes each) and inserted in key order at the end.
  struct SearchKey {
    long long key;
    long long person_id;
    auto operator<=>(const SearchKey&) const = default;
  };
  std::vector<SearchKey> search_keys;
  search_keys.reserve(static_cast<size_t>(persons) * 10);

  std::vector<uint32_t> person_key_of;  // by load index: the truth, for the expected results
  person_key_of.reserve(static_cast<size_t>(persons));
  std::unordered_set<size_t> documents_seen;
  documents_seen.reserve(static_cast<size_t>(persons));
  std::vector<Query> queries;
  std::vector<Converted> tail_records;
  QueryMaker query_maker(seed * 104729 + 3);
  long long loaded = 0, refused = 0, documents_dropped = 0, next_report = 500000;
  std::map<std::string, long long> refusals;
  size_t next_sample = 0;

  // Stage 1 (this thread): generate; stage 2 (`threads` threads): validate and normalise as the server does;
  // stage 3 (one thread): in file order, assign ids and insert.
  BlockingQueue<Batch> to_convert(static_cast<size_t>(threads) * 2);
  std::counting_semaphore<64> in_flight(static_cast<std::ptrdiff_t>(std::min(threads * 3 + 2, 64)));
  std::mutex done_mutex;
  std::condition_variable done_ready;
  std::map<long long, std::vector<Converted>> done;
  long long total_batches = -1;

  std::vector<std::thread> converters;
  for (int thread_idx = 0; thread_idx < threads; ++thread_idx) {
    converters.emplace_back([&] {
      while (auto batch = to_convert.Pop()) {
        std::vector<Converted> out;
        out.reserve(batch->records.size());
        for (auto& record : batch->records) {
          Converted converted;
          converted.body = RegistrationBody(record);
          auto person = service.PersonFromBody(converted.body);
          if (person) {
            converted.person = std::move(*person);
          } else {
            const auto& error = person.error();
            converted.problem =
                error.fields.empty() ? error.code : error.fields.front().field + ":" + error.fields.front().code;
          }
          converted.record = std::move(record);
          out.push_back(std::move(converted));
        }
        std::lock_guard lock(done_mutex);
        done.emplace(batch->sequence, std::move(out));
        done_ready.notify_all();
      }
    });
  }

  double insert_seconds = 0;
  std::exception_ptr writer_error;
  std::atomic<bool> failed{false};
  std::thread writer([&] {
    try {
      database.Begin(sql, true);
      long long in_transaction = 0;
      auto flush = [&] {
        const auto start = Clock::now();
        for (auto* batch : batches) batch->Flush(sql, dialect);
        insert_seconds += SecondsSince(start);
      };
      for (long long sequence = 0;; ++sequence) {
        std::vector<Converted> converted;
        {
          std::unique_lock lock(done_mutex);
          done_ready.wait(lock,
                          [&] { return done.contains(sequence) || (total_batches >= 0 && sequence >= total_batches); });
          if (!done.contains(sequence)) break;
          converted = std::move(done[sequence]);
          done.erase(sequence);
        }
        in_flight.release();
        if (failed) continue;  // drain, so that the generator is never left waiting
        try {
          const std::string now = welfare::FormatTime(welfare::Now());
          const std::string today = now.substr(0, 10);
          for (auto& item : converted) {
            if (!item.person) {
              ++refused;
              ++refusals[item.problem];
              continue;
            }
            if (loaded >= persons) {
              tail_records.push_back(std::move(item));
              continue;
            }
            registry::Person& person = *item.person;
            person.id = next_id["persons"]++;
            person.external_ref = item.record.external_ref;
            person.registered_unit_id = unit_id;
            // The server refuses a second record with a registered document (document_registered): an extra record
            // of a person is kept without it, as a worker would register them.
            std::erase_if(person.documents, [&](const registry::PersonDocument& document) {
              const bool fresh =
                  documents_seen.insert(std::hash<std::string>{}(document.doc_type + ":" + document.number_hash))
                      .second;
              if (!fresh) ++documents_dropped;
              return !fresh;
            });
            std::optional<std::string> chinese_key;
            if (person.chinese_name) {
              std::string key_text = registry::ChineseKey(*person.chinese_name);
              if (!key_text.empty()) chinese_key = std::move(key_text);
            }
            person_rows.Int(person.id)
                .Text(person.status)
                .Null()
                .Text(person.chinese_name)
                .Text(chinese_key)
                .Text(person.family_name_en)
                .Text(person.given_names_en)
                .Text(person.sex)
                .Text(person.birth_date)
                .Text(person.birth_precision)
                .Text(person.death_date)
                .Text(registry::JoinLanguages(person.languages))
                .Int(person.protected_address ? 1LL : 0LL)
                .Int(unit_id)
                .Text(person.external_ref)
                .Int(1LL)
                .Text(now)
                .Text(now);
            for (const auto& name : person.names) {
              name_rows.Int(next_id["person_names"]++)
                  .Int(person.id)
                  .Text(name.kind)
                  .Text(name.chinese_name)
                  .Text(name.family_name_en)
                  .Text(name.given_names_en)
                  .Text(now);
            }
            for (const auto& document : person.documents) {
              document_rows.Int(next_id["person_documents"]++)
                  .Int(person.id)
                  .Text(document.doc_type)
                  .Text(document.number_sealed)
                  .Text(document.number_hash)
                  .Text(document.number_masked)
                  .Text(document.issuer)
                  .Text(now);
            }
            for (const auto& contact : person.contacts) {
              contact_rows.Int(next_id["person_contacts"]++)
                  .Int(person.id)
                  .Text(contact.kind)
                  .Text(contact.value)
                  .Text(contact.phone_key)
                  .Text(now);
            }
            for (const auto& address : person.addresses) {
              address_rows.Int(next_id["person_addresses"]++)
                  .Int(person.id)
                  .Text(address.kind)
                  .Text(address.region)
                  .Text(address.district)
                  .Text(address.street)
                  .Text(address.building)
                  .Text(address.flat)
                  .Text(now);
            }
            involvement_rows.Int(next_id["involvements"]++)
                .Int(person.id)
                .Int(unit_id)
                .Text(std::string("registration"))
                .Null()
                .Null()
                .Null()
                .Text(today)
                .Null()
                .Null()
                .Text(now)
                .Text(now);
            for (long long search_key : registry::PersonSearchKeys(person))
              search_keys.push_back({search_key, person.id});
            person_key_of.push_back(static_cast<uint32_t>(item.record.person_key));
            if (next_sample < sampled.size() && sampled[next_sample] == loaded) {
              if (auto query = query_maker.Make(item.record, person)) queries.push_back(std::move(*query));
              ++next_sample;
            }
            ++loaded;
            ++in_transaction;
            if (person_rows.Rows() >= static_cast<size_t>(batch_size)) flush();
            if (in_transaction >= transaction_size) {
              flush();
              sql << "COMMIT";
              database.Begin(sql, true);
              in_transaction = 0;
            }
          }
          if (loaded >= next_report && loaded < persons) {
            next_report += 500000;
            fmt::print("  {:>9} persons loaded, {:.0f} s\n", loaded, SecondsSince(run_start));
            std::fflush(stdout);
          }
        } catch (...) {
          writer_error = std::current_exception();
          failed = true;
        }
      }
      if (!failed) {
        flush();
        sql << "COMMIT";
      }
    } catch (...) {
      writer_error = std::current_exception();
      failed = true;
    }
  });

  const auto load_start = Clock::now();
  Batch batch;
  long long sequence = 0;
  auto submit = [&] {
    if (batch.records.empty()) return;
    in_flight.acquire();
    batch.sequence = sequence++;
    to_convert.Push(std::move(batch));
    batch = Batch{};
  };
  const auto summary = welfare::bench::GeneratePopulation(options, [&](const GeneratedRecord& record) {
    if (failed) return;
    batch.records.push_back(record);
    if (batch.records.size() >= 2000) submit();
  });
  submit();
  to_convert.Close();
  for (auto& thread : converters) thread.join();
  {
    std::lock_guard lock(done_mutex);
    if (total_batches < 0) total_batches = sequence;
    done_ready.notify_all();
  }
  // The writer may be waiting for a slot that is never released once it stopped.
  writer.join();
  if (writer_error) {
    try {
      std::rethrow_exception(writer_error);
    } catch (const std::exception& error) {
      fmt::print(stderr, "load_registry: insert failed: {}\n", error.what());
      return 1;
    }
  }
  const double main_seconds = SecondsSince(load_start);

  // Search keys in key order: appended to the end of the index instead of scattered through it.
  const auto keys_start = Clock::now();
  std::ranges::sort(search_keys);
  search_keys.erase(std::unique(search_keys.begin(), search_keys.end()), search_keys.end());
  TableBatch key_rows("person_search_keys", {{"search_key", true}, {"person_id", true}});
  database.Begin(sql, true);
  for (size_t key_idx = 0; key_idx < search_keys.size(); ++key_idx) {
    key_rows.Int(search_keys[key_idx].key).Int(search_keys[key_idx].person_id);
    if (key_rows.Rows() >= static_cast<size_t>(batch_size) * 4) key_rows.Flush(sql, dialect);
    if ((key_idx + 1) % 5000000 == 0) {
      key_rows.Flush(sql, dialect);
      sql << "COMMIT";
      database.Begin(sql, true);
    }
  }
  key_rows.Flush(sql, dialect);
  sql << "COMMIT";
  const double keys_seconds = SecondsSince(keys_start);
  const long long key_count = key_rows.Inserted();
  std::vector<SearchKey>().swap(search_keys);

  const auto index_start = Clock::now();
  for (const auto& index : dropped) sql << index.definition;
  const double index_seconds = SecondsSince(index_start);

  const auto finish_start = Clock::now();
  if (dialect == Dialect::kPostgresql) {
    for (const auto& table : LoadedTables()) {
      if (table == "person_search_keys") continue;
      sql << "SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT COALESCE(MAX(id), 1) FROM " + table +
                 "))";
    }
  }
  {
    // One entry for the whole load, as a registry import writes one for its file.
    welfare::audit::Actor actor;
    actor.username = "load_registry";
    actor.unit_id = unit_id;
    actor.request_id = "load_registry";
    actor.client_ip = "127.0.0.1";
    database.Begin(sql, true);
    audit.Append(
        sql, actor,
        {"person.import", "import", std::string("load_registry"),
         json::object{
             {"rows", loaded}, {"unit_id", unit_id}, {"seed", seed}, {"source", "bench/registry/load_registry"}}});
    sql << "COMMIT";
  }
  std::string analyzed = "no";
  if (dialect == Dialect::kPostgresql) {
    sql << "RESET session_replication_role";
    for (const auto& table : LoadedTables()) sql << "VACUUM (ANALYZE) " + table;
    analyzed = "VACUUM (ANALYZE) of the loaded tables";
  } else {
    if (analyze_sqlite) {
      sql << "ANALYZE";
      analyzed = "ANALYZE";
    }
    sql << "PRAGMA wal_checkpoint(TRUNCATE)";
  }
  const double finish_seconds = SecondsSince(finish_start);
  const double total_seconds = SecondsSince(run_start);

  // Database size.
  double database_bytes = 0;
  if (dialect == Dialect::kSqlite) {
    const std::string connect = location->connect_string;
    const std::string path = connect.substr(3, connect.find(' ') - 3);
    for (const std::string suffix : {"", "-wal", "-shm"}) {
      std::error_code error;
      const auto bytes = std::filesystem::file_size(path + suffix, error);
      if (!error) database_bytes += static_cast<double>(bytes);
    }
  } else {
    long long bytes = 0;
    sql << "SELECT pg_database_size(current_database())", soci::into(bytes);
    database_bytes = static_cast<double>(bytes);
  }

  // Expected results: every loaded record of the person a query or registration is about.
  std::unordered_map<long long, std::vector<long long>> records_of;
  for (const auto& query : queries) records_of[query.person_key];
  std::vector<RegistrationCase> registrations;
  {
    std::mt19937_64 random(seed * 31 + 5);
    std::unordered_set<long long> loaded_keys(person_key_of.begin(), person_key_of.end());
    const int new_quota = registration_count * 2 / 5;
    const int again_quota = registration_count - new_quota;
    int new_count = 0, again_count = 0;
    for (auto& item : tail_records) {
      if (!item.record.duplicate && new_count < new_quota) {
        registrations.push_back({"new", item.body, item.record.person_key});
        ++new_count;
      } else if (item.record.duplicate && loaded_keys.contains(item.record.person_key) && again_count < again_quota) {
        // Most people who come back do not bring their identity card; those who do are found by its number.
        json::object body = item.body;
        if (std::uniform_real_distribution<double>(0, 1)(random) >= 0.3) body.erase("documents");
        registrations.push_back({"re_registration", std::move(body), item.record.person_key});
        records_of[item.record.person_key];
        ++again_count;
      }
    }
  }
  const long long first_person_id = next_id["persons"] - loaded;
  for (size_t load_idx = 0; load_idx < person_key_of.size(); ++load_idx) {
    if (auto found = records_of.find(person_key_of[load_idx]); found != records_of.end()) {
      found->second.push_back(first_person_id + static_cast<long long>(load_idx));
    }
  }
  auto expected_json = [&](long long person_key) {
    json::array ids;
    if (auto found = records_of.find(person_key); found != records_of.end()) {
      for (long long id : found->second) ids.push_back(id);
    }
    return ids;
  };
  if (!truth_file.empty()) {
    std::ofstream out(truth_file, std::ios::binary);
    std::string text = "person_id,person_key\n";
    for (size_t load_idx = 0; load_idx < person_key_of.size(); ++load_idx) {
      text += fmt::format("{},{}\n", first_person_id + static_cast<long long>(load_idx),
                          welfare::bench::PersonKeyText(person_key_of[load_idx]));
      if (text.size() >= (1U << 20)) {
        out << text;
        text.clear();
      }
    }
    out << text;
    if (!out.flush()) {
      fmt::print(stderr, "load_registry: cannot write {}\n", truth_file);
      return 1;
    }
  }
  std::map<std::string, int> query_kinds, registration_kinds;
  if (!queries_file.empty()) {
    std::ofstream out(queries_file);
    for (const auto& query : queries) {
      out << json::serialize(json::object{{"kind", query.kind},
                                          {"q", query.text},
                                          {"person_key", welfare::bench::PersonKeyText(query.person_key)},
                                          {"expected_ids", expected_json(query.person_key)}})
          << '\n';
      ++query_kinds[query.kind];
    }
  }
  if (!registrations_file.empty()) {
    std::ofstream out(registrations_file);
    for (const auto& registration : registrations) {
      json::array expected = registration.kind == "new" ? json::array{} : expected_json(registration.person_key);
      out << json::serialize(json::object{{"kind", registration.kind},
                                          {"person_key", welfare::bench::PersonKeyText(registration.person_key)},
                                          {"expected_ids", std::move(expected)},
                                          {"body", registration.body}})
          << '\n';
      ++registration_kinds[registration.kind];
    }
  }

  const long long rows = key_count + [&] {
    long long sum = 0;
    for (auto* table : batches) sum += table->Inserted();
    return sum;
  }();
  fmt::print("generated             {} records ({} persons in {} households, {} extra records); {} refused by "
             "validation\n",
             summary.records, summary.persons, summary.households, summary.duplicates, refused);
  for (const auto& [problem, count] : refusals) fmt::print("  refused {:>6}  {}\n", count, problem);
  fmt::print("loaded                {} persons (ids {}..{}), {} documents left off extra records (already "
             "registered)\n",
             loaded, first_person_id, first_person_id + loaded - 1, documents_dropped);
  for (auto* table : batches) fmt::print("  {:<20} {:>11} rows\n", table->Table(), table->Inserted());
  fmt::print("  {:<20} {:>11} rows ({:.1f} per person)\n", "person_search_keys", key_count,
             loaded > 0 ? static_cast<double>(key_count) / static_cast<double>(loaded) : 0.0);
  fmt::print("time                  generate + validate + insert {:.1f} s (of which INSERT statements {:.1f} s), "
             "search keys {:.1f} s, indexes {:.1f} s ({}), sequences + audit + {} {:.1f} s\n",
             main_seconds, insert_seconds, keys_seconds, index_seconds, dropped.size(), analyzed, finish_seconds);
  fmt::print("total                 {:.1f} s: {:.0f} persons/s, {:.0f} rows/s ({} rows)\n", total_seconds,
             static_cast<double>(loaded) / total_seconds, static_cast<double>(rows) / total_seconds, rows);
  fmt::print("database size         {}\n", Size(database_bytes));
  fmt::print("peak memory           {:.0f} MiB (VmHWM)\n", static_cast<double>(PeakMemoryKib()) / 1024.0);
  if (!queries_file.empty()) {
    std::string kinds;
    for (const auto& [kind, count] : query_kinds) kinds += fmt::format(" {} {},", kind, count);
    if (!kinds.empty()) kinds.pop_back();
    fmt::print("queries               {} to {}:{}\n", queries.size(), queries_file, kinds);
  }
  if (!truth_file.empty()) {
    fmt::print("truth                 {} loaded records to {} (person_id,person_key)\n", person_key_of.size(),
               truth_file);
  }
  if (!registrations_file.empty()) {
    fmt::print("registrations         {} to {}: {} new, {} re-registrations\n", registrations.size(),
               registrations_file, registration_kinds["new"], registration_kinds["re_registration"]);
  }
  return loaded == persons ? 0 : 1;
}
