#include "registry/person_store.hpp"

#include <algorithm>

#include "db/dialect.hpp"
#include "db/optional.hpp"
#include "db/rows.hpp"
#include "registry/matching.hpp"
#include "registry/text.hpp"

namespace welfare::registry {
namespace {

using db::FromNullable;
using db::Nullable;

constexpr const char* kPersonColumns =
    "SELECT id, status, merged_into, chinese_name, family_name_en, given_names_en, sex, birth_date, birth_precision, "
    "death_date, languages, protected_address, registered_unit_id, external_ref, version, created_at, updated_at "
    "FROM persons";

struct PersonRow {
  Person person;
  boost::optional<long long> merged_into;
  boost::optional<std::string> chinese_name, family_name_en, given_names_en, birth_date, birth_precision, death_date,
      external_ref;
  std::string languages;
  int protected_address = 0;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(person.id));
    statement.exchange(soci::into(person.status));
    statement.exchange(soci::into(merged_into));
    statement.exchange(soci::into(chinese_name));
    statement.exchange(soci::into(family_name_en));
    statement.exchange(soci::into(given_names_en));
    statement.exchange(soci::into(person.sex));
    statement.exchange(soci::into(birth_date));
    statement.exchange(soci::into(birth_precision));
    statement.exchange(soci::into(death_date));
    statement.exchange(soci::into(languages));
    statement.exchange(soci::into(protected_address));
    statement.exchange(soci::into(person.registered_unit_id));
    statement.exchange(soci::into(external_ref));
    statement.exchange(soci::into(person.version));
    statement.exchange(soci::into(person.created_at));
    statement.exchange(soci::into(person.updated_at));
  }
  [[nodiscard]] Person Get() const {
    Person out = person;
    out.merged_into = FromNullable(merged_into);
    out.chinese_name = FromNullable(chinese_name);
    out.family_name_en = FromNullable(family_name_en);
    out.given_names_en = FromNullable(given_names_en);
    out.birth_date = FromNullable(birth_date);
    out.birth_precision = FromNullable(birth_precision);
    out.death_date = FromNullable(death_date);
    out.external_ref = FromNullable(external_ref);
    out.languages = SplitLanguages(languages);
    out.protected_address = protected_address != 0;
    return out;
  }
};

struct NameRow {
  long long person_id = 0;
  PersonName name;
  boost::optional<std::string> chinese_name, family_name_en, given_names_en;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(person_id));
    statement.exchange(soci::into(name.id));
    statement.exchange(soci::into(name.kind));
    statement.exchange(soci::into(chinese_name));
    statement.exchange(soci::into(family_name_en));
    statement.exchange(soci::into(given_names_en));
  }
  [[nodiscard]] std::pair<long long, PersonName> Get() const {
    PersonName out = name;
    out.chinese_name = FromNullable(chinese_name);
    out.family_name_en = FromNullable(family_name_en);
    out.given_names_en = FromNullable(given_names_en);
    return {person_id, out};
  }
};

struct DocumentRow {
  long long person_id = 0;
  PersonDocument document;
  boost::optional<std::string> issuer;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(person_id));
    statement.exchange(soci::into(document.id));
    statement.exchange(soci::into(document.doc_type));
    statement.exchange(soci::into(document.number_sealed));
    statement.exchange(soci::into(document.number_hash));
    statement.exchange(soci::into(document.number_masked));
    statement.exchange(soci::into(issuer));
  }
  [[nodiscard]] std::pair<long long, PersonDocument> Get() const {
    PersonDocument out = document;
    out.issuer = FromNullable(issuer);
    return {person_id, out};
  }
};

struct ContactRow {
  long long person_id = 0;
  PersonContact contact;
  boost::optional<std::string> phone_key;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(person_id));
    statement.exchange(soci::into(contact.id));
    statement.exchange(soci::into(contact.kind));
    statement.exchange(soci::into(contact.value));
    statement.exchange(soci::into(phone_key));
  }
  [[nodiscard]] std::pair<long long, PersonContact> Get() const {
    PersonContact out = contact;
    out.phone_key = FromNullable(phone_key);
    return {person_id, out};
  }
};

struct AddressRow {
  long long person_id = 0;
  PersonAddress address;
  boost::optional<std::string> region, district, street, building, flat;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(person_id));
    statement.exchange(soci::into(address.id));
    statement.exchange(soci::into(address.kind));
    statement.exchange(soci::into(region));
    statement.exchange(soci::into(district));
    statement.exchange(soci::into(street));
    statement.exchange(soci::into(building));
    statement.exchange(soci::into(flat));
  }
  [[nodiscard]] std::pair<long long, PersonAddress> Get() const {
    PersonAddress out = address;
    out.region = FromNullable(region);
    out.district = FromNullable(district);
    out.street = FromNullable(street);
    out.building = FromNullable(building);
    out.flat = FromNullable(flat);
    return {person_id, out};
  }
};

struct ConsentRow {
  long long person_id = 0;
  PersonConsent consent;
  boost::optional<long long> unit_id, recorded_by;
  boost::optional<std::string> withdrawn_on, note;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(person_id));
    statement.exchange(soci::into(consent.id));
    statement.exchange(soci::into(unit_id));
    statement.exchange(soci::into(consent.scope));
    statement.exchange(soci::into(consent.given_on));
    statement.exchange(soci::into(withdrawn_on));
    statement.exchange(soci::into(note));
    statement.exchange(soci::into(recorded_by));
    statement.exchange(soci::into(consent.created_at));
  }
  [[nodiscard]] std::pair<long long, PersonConsent> Get() const {
    PersonConsent out = consent;
    out.unit_id = FromNullable(unit_id);
    out.recorded_by = FromNullable(recorded_by);
    out.withdrawn_on = FromNullable(withdrawn_on);
    out.note = FromNullable(note);
    return {person_id, out};
  }
};

struct InvolvementRow {
  Involvement involvement;
  boost::optional<std::string> reference, summary, ended_on;
  boost::optional<long long> worker_id;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(involvement.id));
    statement.exchange(soci::into(involvement.person_id));
    statement.exchange(soci::into(involvement.unit_id));
    statement.exchange(soci::into(involvement.kind));
    statement.exchange(soci::into(reference));
    statement.exchange(soci::into(summary));
    statement.exchange(soci::into(worker_id));
    statement.exchange(soci::into(involvement.started_on));
    statement.exchange(soci::into(ended_on));
    statement.exchange(soci::into(involvement.created_at));
  }
  [[nodiscard]] Involvement Get() const {
    Involvement out = involvement;
    out.reference = FromNullable(reference);
    out.summary = FromNullable(summary);
    out.worker_id = FromNullable(worker_id);
    out.ended_on = FromNullable(ended_on);
    return out;
  }
};

constexpr const char* kInvolvementColumns =
    "SELECT id, person_id, unit_id, kind, reference, summary, worker_id, started_on, ended_on, created_at "
    "FROM involvements";

struct GrantRow {
  BreakGlassGrant grant;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(grant.id));
    statement.exchange(soci::into(grant.person_id));
    statement.exchange(soci::into(grant.staff_id));
    statement.exchange(soci::into(grant.unit_id));
    statement.exchange(soci::into(grant.reason));
    statement.exchange(soci::into(grant.granted_at));
    statement.exchange(soci::into(grant.expires_at));
  }
  [[nodiscard]] BreakGlassGrant Get() const { return grant; }
};

struct AlertRow {
  Alert alert;
  boost::optional<std::string> record_type, record_id, read_at;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(alert.id));
    statement.exchange(soci::into(alert.staff_id));
    statement.exchange(soci::into(alert.kind));
    statement.exchange(soci::into(record_type));
    statement.exchange(soci::into(record_id));
    statement.exchange(soci::into(alert.params));
    statement.exchange(soci::into(alert.created_at));
    statement.exchange(soci::into(read_at));
  }
  [[nodiscard]] Alert Get() const {
    Alert out = alert;
    out.record_type = FromNullable(record_type);
    out.record_id = FromNullable(record_id);
    out.read_at = FromNullable(read_at);
    return out;
  }
};

/// A single-column id query.
std::vector<long long> SelectIds(soci::session& sql, const std::string& text,
                                 const std::function<void(soci::statement&)>& bind) {
  long long id = 0;
  soci::statement select(sql);
  select.exchange(soci::into(id));
  bind(select);
  select.alloc();
  select.prepare(text);
  select.define_and_bind();
  select.execute(false);
  std::vector<long long> ids;
  while (select.fetch()) ids.push_back(id);
  return ids;
}

std::optional<std::string> ChineseKeyOf(const Person& person) {
  if (!person.chinese_name) return std::nullopt;
  std::string key = ChineseKey(*person.chinese_name);
  if (key.empty()) return std::nullopt;
  return key;
}

/// (person, unit) pairs from a two-column query, grouped by person.
std::map<long long, std::set<long long>> SelectPersonUnits(soci::session& sql, const std::string& text,
                                                           const std::string& ids, const std::string& today) {
  long long person_id = 0;
  boost::optional<long long> unit_id;
  soci::statement select = (sql.prepare << text, soci::into(person_id), soci::into(unit_id), soci::use(ids, "ids"),
                            soci::use(today, "today"));
  select.execute(false);
  std::map<long long, std::set<long long>> units;
  while (select.fetch()) units[person_id].insert(unit_id ? *unit_id : 0);
  return units;
}

}  // namespace

std::string JoinLanguages(const std::vector<std::string>& languages) {
  std::string joined;
  for (const auto& language : languages) {
    if (!joined.empty()) joined += ' ';
    joined += language;
  }
  return joined;
}

std::vector<std::string> SplitLanguages(const std::string& stored) {
  std::vector<std::string> languages;
  std::string current;
  for (char character : stored + " ") {
    if (character == ' ') {
      if (!current.empty()) languages.push_back(current);
      current.clear();
    } else {
      current.push_back(character);
    }
  }
  return languages;
}

long long PersonStore::Insert(soci::session& sql, Person& person, const std::string& now) {
  const auto merged_into = Nullable(person.merged_into);
  const auto chinese_name = Nullable(person.chinese_name);
  const auto chinese_key = Nullable(ChineseKeyOf(person));
  const auto family = Nullable(person.family_name_en);
  const auto given = Nullable(person.given_names_en);
  const auto birth_date = Nullable(person.birth_date);
  const auto precision = Nullable(person.birth_precision);
  const auto death_date = Nullable(person.death_date);
  const auto external_ref = Nullable(person.external_ref);
  const std::string languages = JoinLanguages(person.languages);
  const int protected_address = person.protected_address ? 1 : 0;
  sql << "INSERT INTO persons (status, merged_into, chinese_name, chinese_key, family_name_en, given_names_en, sex, "
         "birth_date, birth_precision, death_date, languages, protected_address, registered_unit_id, external_ref, "
         "version, created_at, updated_at) VALUES (:status, :merged, :cn, :ck, :fam, :given, :sex, :birth, :precision, "
         ":death, :languages, :protected, :unit, :ref, 1, :now, :now2) RETURNING id",
      soci::use(person.status), soci::use(merged_into), soci::use(chinese_name), soci::use(chinese_key),
      soci::use(family), soci::use(given), soci::use(person.sex), soci::use(birth_date), soci::use(precision),
      soci::use(death_date), soci::use(languages), soci::use(protected_address), soci::use(person.registered_unit_id),
      soci::use(external_ref), soci::use(now), soci::use(now), soci::into(person.id);
  person.version = 1;
  person.created_at = person.updated_at = now;
  for (auto& name : person.names) InsertName(sql, person.id, name, now);
  for (auto& document : person.documents) InsertDocument(sql, person.id, document, now);
  for (auto& contact : person.contacts) InsertContact(sql, person.id, contact, now);
  for (auto& address : person.addresses) InsertAddress(sql, person.id, address, now);
  ReplaceSearchKeys(sql, person);
  return person.id;
}

std::optional<Person> PersonStore::Find(soci::session& sql, long long id) {
  auto rows = db::SelectRows<PersonRow>(sql, std::string(kPersonColumns) + " WHERE id = :id",
                                        [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<Person> PersonStore::Load(soci::session& sql, long long id) {
  auto person = Find(sql, id);
  if (!person) return std::nullopt;
  LoadParts(sql, {&*person}, kAllParts);
  return person;
}

std::vector<Person> PersonStore::LoadMain(soci::session& sql, const std::vector<long long>& ids) {
  if (ids.empty()) return {};
  const std::string list = db::IdListValue(dialect_, ids);
  return db::SelectRows<PersonRow>(
      sql, std::string(kPersonColumns) + " WHERE status = 'active' AND " + db::IdListCondition(dialect_, "id", "ids"),
      [&](soci::statement& s) { s.exchange(soci::use(list, "ids")); });
}

std::vector<Person> PersonStore::LoadForMatching(soci::session& sql, const std::vector<long long>& ids) {
  auto persons = LoadMain(sql, ids);
  std::vector<Person*> all;
  for (auto& person : persons) all.push_back(&person);
  LoadParts(sql, all, kNames | kContacts | kAddresses);
  return persons;
}

void PersonStore::LoadParts(soci::session& sql, const std::vector<Person*>& persons, unsigned parts) {
  if (persons.empty() || parts == 0) return;
  std::map<long long, Person*> by_id;
  std::vector<long long> ids;
  for (Person* person : persons) {
    by_id[person->id] = person;
    ids.push_back(person->id);
  }
  const std::string list = db::IdListValue(dialect_, ids);
  auto bind = [&](soci::statement& s) { s.exchange(soci::use(list, "ids")); };
  const std::string where = " WHERE " + db::IdListCondition(dialect_, "person_id", "ids") + " ORDER BY id";
  if ((parts & kNames) != 0) {
    for (auto& [person_id, name] : db::SelectRows<NameRow>(
             sql, "SELECT person_id, id, kind, chinese_name, family_name_en, given_names_en FROM person_names" + where,
             bind)) {
      by_id[person_id]->names.push_back(name);
    }
  }
  if ((parts & kContacts) != 0) {
    for (auto& [person_id, contact] : db::SelectRows<ContactRow>(
             sql, "SELECT person_id, id, kind, value, phone_key FROM person_contacts" + where, bind)) {
      by_id[person_id]->contacts.push_back(contact);
    }
  }
  if ((parts & kAddresses) != 0) {
    for (auto& [person_id, address] : db::SelectRows<AddressRow>(
             sql, "SELECT person_id, id, kind, region, district, street, building, flat FROM person_addresses" + where,
             bind)) {
      by_id[person_id]->addresses.push_back(address);
    }
  }
  if ((parts & kDocuments) != 0) {
    for (auto& [person_id, document] : db::SelectRows<DocumentRow>(
             sql,
             "SELECT person_id, id, doc_type, number_sealed, number_hash, number_masked, issuer FROM person_documents" +
                 where,
             bind)) {
      by_id[person_id]->documents.push_back(document);
    }
  }
  if ((parts & kConsents) != 0) {
    for (auto& [person_id, consent] : db::SelectRows<ConsentRow>(
             sql,
             "SELECT person_id, id, unit_id, scope, given_on, withdrawn_on, note, recorded_by, created_at "
             "FROM person_consents" +
                 where,
             bind)) {
      by_id[person_id]->consents.push_back(consent);
    }
  }
}

bool PersonStore::UpdateMain(soci::session& sql, const Person& person, long long expected_version,
                             const std::string& now) {
  const auto chinese_name = Nullable(person.chinese_name);
  const auto chinese_key = Nullable(ChineseKeyOf(person));
  const auto family = Nullable(person.family_name_en);
  const auto given = Nullable(person.given_names_en);
  const auto birth_date = Nullable(person.birth_date);
  const auto precision = Nullable(person.birth_precision);
  const auto death_date = Nullable(person.death_date);
  const auto merged_into = Nullable(person.merged_into);
  const std::string languages = JoinLanguages(person.languages);
  const int protected_address = person.protected_address ? 1 : 0;
  soci::statement update =
      (sql.prepare << "UPDATE persons SET status = :status, merged_into = :merged, chinese_name = :cn, "
                      "chinese_key = :ck, family_name_en = :fam, given_names_en = :given, sex = :sex, "
                      "birth_date = :birth, birth_precision = :precision, death_date = :death, languages = :languages, "
                      "protected_address = :protected, version = version + 1, updated_at = :now "
                      "WHERE id = :id AND version = :version",
       soci::use(person.status), soci::use(merged_into), soci::use(chinese_name), soci::use(chinese_key),
       soci::use(family), soci::use(given), soci::use(person.sex), soci::use(birth_date), soci::use(precision),
       soci::use(death_date), soci::use(languages), soci::use(protected_address), soci::use(now), soci::use(person.id),
       soci::use(expected_version));
  update.execute(true);
  return update.get_affected_rows() == 1;
}

bool PersonStore::Touch(soci::session& sql, long long id, long long expected_version, const std::string& now) {
  soci::statement update = (sql.prepare << "UPDATE persons SET version = version + 1, updated_at = :now "
                                           "WHERE id = :id AND version = :version",
                            soci::use(now), soci::use(id), soci::use(expected_version));
  update.execute(true);
  return update.get_affected_rows() == 1;
}

void PersonStore::ReplaceSearchKeys(soci::session& sql, const Person& person) {
  sql << "DELETE FROM person_search_keys WHERE person_id = :id", soci::use(person.id);
  if (person.status != "active") return;
  std::vector<long long> keys = PersonSearchKeys(person);
  if (keys.empty()) return;
  std::vector<long long> owners(keys.size(), person.id);
  sql << "INSERT INTO person_search_keys (search_key, person_id) VALUES (:key, :person)", soci::use(keys),
      soci::use(owners);
}

long long PersonStore::InsertName(soci::session& sql, long long person_id, PersonName& name, const std::string& now) {
  const auto chinese_name = Nullable(name.chinese_name);
  const auto family = Nullable(name.family_name_en);
  const auto given = Nullable(name.given_names_en);
  sql << "INSERT INTO person_names (person_id, kind, chinese_name, family_name_en, given_names_en, created_at) "
         "VALUES (:person, :kind, :cn, :fam, :given, :now) RETURNING id",
      soci::use(person_id), soci::use(name.kind), soci::use(chinese_name), soci::use(family), soci::use(given),
      soci::use(now), soci::into(name.id);
  return name.id;
}

long long PersonStore::InsertDocument(soci::session& sql, long long person_id, PersonDocument& document,
                                      const std::string& now) {
  const auto issuer = Nullable(document.issuer);
  sql << "INSERT INTO person_documents (person_id, doc_type, number_sealed, number_hash, number_masked, issuer, "
         "created_at) VALUES (:person, :type, :sealed, :hash, :masked, :issuer, :now) RETURNING id",
      soci::use(person_id), soci::use(document.doc_type), soci::use(document.number_sealed),
      soci::use(document.number_hash), soci::use(document.number_masked), soci::use(issuer), soci::use(now),
      soci::into(document.id);
  return document.id;
}

long long PersonStore::InsertContact(soci::session& sql, long long person_id, PersonContact& contact,
                                     const std::string& now) {
  const auto phone_key = Nullable(contact.phone_key);
  sql << "INSERT INTO person_contacts (person_id, kind, value, phone_key, created_at) "
         "VALUES (:person, :kind, :value, :phone, :now) RETURNING id",
      soci::use(person_id), soci::use(contact.kind), soci::use(contact.value), soci::use(phone_key), soci::use(now),
      soci::into(contact.id);
  return contact.id;
}

long long PersonStore::InsertAddress(soci::session& sql, long long person_id, PersonAddress& address,
                                     const std::string& now) {
  const auto region = Nullable(address.region);
  const auto district = Nullable(address.district);
  const auto street = Nullable(address.street);
  const auto building = Nullable(address.building);
  const auto flat = Nullable(address.flat);
  sql << "INSERT INTO person_addresses (person_id, kind, region, district, street, building, flat, created_at) "
         "VALUES (:person, :kind, :region, :district, :street, :building, :flat, :now) RETURNING id",
      soci::use(person_id), soci::use(address.kind), soci::use(region), soci::use(district), soci::use(street),
      soci::use(building), soci::use(flat), soci::use(now), soci::into(address.id);
  return address.id;
}

bool PersonStore::DeletePart(soci::session& sql, const std::string& part, long long person_id, long long part_id) {
  static const std::map<std::string, std::string, std::less<>> kTables = {{"names", "person_names"},
                                                                          {"documents", "person_documents"},
                                                                          {"contacts", "person_contacts"},
                                                                          {"addresses", "person_addresses"}};
  const auto table = kTables.find(part);
  if (table == kTables.end()) return false;
  soci::statement remove = (sql.prepare << "DELETE FROM " + table->second + " WHERE id = :id AND person_id = :person",
                            soci::use(part_id), soci::use(person_id));
  remove.execute(true);
  return remove.get_affected_rows() == 1;
}

std::vector<long long> PersonStore::Postings(soci::session& sql, long long key, int limit) {
  return SelectIds(sql, "SELECT person_id FROM person_search_keys WHERE search_key = :key LIMIT :limit",
                   [&](soci::statement& s) {
                     s.exchange(soci::use(key, "key"));
                     s.exchange(soci::use(limit, "limit"));
                   });
}

std::vector<std::vector<long long>> PersonStore::PostingsEach(soci::session& sql, const std::vector<long long>& keys,
                                                              int limit) {
  std::vector<std::vector<long long>> postings(keys.size());
  if (keys.empty()) return postings;
  if (dialect_ != db::Dialect::kPostgresql) {
    // SQLite runs in the process: a statement per key costs no round trip.
    for (size_t key_idx = 0; key_idx < keys.size(); ++key_idx) postings[key_idx] = Postings(sql, keys[key_idx], limit);
    return postings;
  }
  const std::string list = db::IdListValue(dialect_, keys);
  long long position = 0;
  long long person_id = 0;
  soci::statement select =
      (sql.prepare << "SELECT k.position, p.person_id FROM unnest(CAST(:keys AS bigint[])) WITH ORDINALITY "
                      "AS k(search_key, position) CROSS JOIN LATERAL (SELECT person_id FROM person_search_keys "
                      "WHERE search_key = k.search_key LIMIT :limit) AS p",
       soci::use(list, "keys"), soci::use(limit, "limit"), soci::into(position), soci::into(person_id));
  select.execute(false);
  while (select.fetch()) postings.at(static_cast<size_t>(position - 1)).push_back(person_id);
  return postings;
}

std::vector<std::pair<long long, long long>> PersonStore::PostingsOf(soci::session& sql,
                                                                     const std::vector<long long>& keys, int limit) {
  std::vector<std::pair<long long, long long>> postings;
  if (keys.empty()) return postings;
  const std::string list = db::IdListValue(dialect_, keys);
  long long key = 0;
  long long person_id = 0;
  soci::statement select = (sql.prepare << "SELECT search_key, person_id FROM person_search_keys WHERE " +
                                               db::IdListCondition(dialect_, "search_key", "keys") + " LIMIT :limit",
                            soci::use(list, "keys"), soci::use(limit, "limit"), soci::into(key), soci::into(person_id));
  select.execute(false);
  while (select.fetch()) postings.emplace_back(key, person_id);
  return postings;
}

std::vector<long long> PersonStore::BornOn(soci::session& sql, const std::string& birth_date, int limit) {
  return SelectIds(sql, "SELECT id FROM persons WHERE birth_date = :birth AND status = 'active' LIMIT :limit",
                   [&](soci::statement& s) {
                     s.exchange(soci::use(birth_date, "birth"));
                     s.exchange(soci::use(limit, "limit"));
                   });
}

std::vector<long long> PersonStore::ByPhone(soci::session& sql, const std::string& phone_key, int limit) {
  return SelectIds(sql, "SELECT DISTINCT person_id FROM person_contacts WHERE phone_key = :phone LIMIT :limit",
                   [&](soci::statement& s) {
                     s.exchange(soci::use(phone_key, "phone"));
                     s.exchange(soci::use(limit, "limit"));
                   });
}

std::vector<long long> PersonStore::ByDocumentHash(soci::session& sql, const std::vector<std::string>& hashes) {
  std::vector<long long> found;
  for (const auto& hash : hashes) {
    for (long long id : SelectIds(sql, "SELECT person_id FROM person_documents WHERE number_hash = :hash",
                                  [&](soci::statement& s) { s.exchange(soci::use(hash, "hash")); })) {
      if (std::ranges::find(found, id) == found.end()) found.push_back(id);
    }
  }
  return found;
}

std::optional<long long> PersonStore::DocumentOwner(soci::session& sql, const std::string& doc_type,
                                                    const std::string& hash) {
  auto ids = SelectIds(sql, "SELECT person_id FROM person_documents WHERE doc_type = :type AND number_hash = :hash",
                       [&](soci::statement& s) {
                         s.exchange(soci::use(doc_type, "type"));
                         s.exchange(soci::use(hash, "hash"));
                       });
  if (ids.empty()) return std::nullopt;
  return ids.front();
}

std::map<std::string, long long> PersonStore::ByExternalRefPrefix(soci::session& sql, const std::string& prefix) {
  struct RefRow {
    long long id = 0;
    std::string external_ref;
    void Bind(soci::statement& statement) {
      statement.exchange(soci::into(id));
      statement.exchange(soci::into(external_ref));
    }
    [[nodiscard]] std::pair<std::string, long long> Get() const { return {external_ref, id}; }
  };
  const int length = static_cast<int>(prefix.size());
  std::map<std::string, long long> found;
  for (auto& [ref, id] : db::SelectRows<RefRow>(
           sql, "SELECT id, external_ref FROM persons WHERE substr(external_ref, 1, :length) = :prefix ORDER BY id",
           [&](soci::statement& s) {
             s.exchange(soci::use(length, "length"));
             s.exchange(soci::use(prefix, "prefix"));
           })) {
    found.emplace(std::move(ref), id);
  }
  return found;
}

long long PersonStore::InsertInvolvement(soci::session& sql, Involvement& involvement,
                                         std::optional<long long> created_by, const std::string& now) {
  const auto reference = Nullable(involvement.reference);
  const auto summary = Nullable(involvement.summary);
  const auto worker = Nullable(involvement.worker_id);
  const auto ended_on = Nullable(involvement.ended_on);
  const auto creator = Nullable(created_by);
  sql << "INSERT INTO involvements (person_id, unit_id, kind, reference, summary, worker_id, started_on, ended_on, "
         "created_by, created_at, updated_at) VALUES (:person, :unit, :kind, :ref, :summary, :worker, :started, "
         ":ended, :creator, :now, :now2) RETURNING id",
      soci::use(involvement.person_id), soci::use(involvement.unit_id), soci::use(involvement.kind),
      soci::use(reference), soci::use(summary), soci::use(worker), soci::use(involvement.started_on),
      soci::use(ended_on), soci::use(creator), soci::use(now), soci::use(now), soci::into(involvement.id);
  involvement.created_at = now;
  return involvement.id;
}

std::vector<Involvement> PersonStore::Involvements(soci::session& sql, long long person_id) {
  return db::SelectRows<InvolvementRow>(
      sql, std::string(kInvolvementColumns) + " WHERE person_id = :person ORDER BY started_on DESC, id DESC",
      [&](soci::statement& s) { s.exchange(soci::use(person_id, "person")); });
}

std::optional<Involvement> PersonStore::FindInvolvement(soci::session& sql, long long id) {
  auto rows = db::SelectRows<InvolvementRow>(sql, std::string(kInvolvementColumns) + " WHERE id = :id",
                                             [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

void PersonStore::EndInvolvement(soci::session& sql, long long id, const std::string& ended_on,
                                 const std::string& now) {
  sql << "UPDATE involvements SET ended_on = :ended, updated_at = :now WHERE id = :id", soci::use(ended_on),
      soci::use(now), soci::use(id);
}

std::map<long long, std::set<long long>> PersonStore::ActiveInvolvementUnits(soci::session& sql,
                                                                             const std::vector<long long>& person_ids,
                                                                             const std::string& today) {
  if (person_ids.empty()) return {};
  return SelectPersonUnits(sql,
                           "SELECT person_id, unit_id FROM involvements WHERE " +
                               db::IdListCondition(dialect_, "person_id", "ids") +
                               " AND started_on <= :today AND (ended_on IS NULL OR ended_on > :today)",
                           db::IdListValue(dialect_, person_ids), today);
}

std::map<long long, std::set<long long>> PersonStore::ActiveConsentUnits(soci::session& sql,
                                                                         const std::vector<long long>& person_ids,
                                                                         const std::string& today) {
  if (person_ids.empty()) return {};
  return SelectPersonUnits(sql,
                           "SELECT person_id, unit_id FROM person_consents WHERE " +
                               db::IdListCondition(dialect_, "person_id", "ids") +
                               " AND given_on <= :today AND (withdrawn_on IS NULL OR withdrawn_on > :today)",
                           db::IdListValue(dialect_, person_ids), today);
}

long long PersonStore::InsertConsent(soci::session& sql, long long person_id, PersonConsent& consent,
                                     const std::string& now) {
  const auto unit = Nullable(consent.unit_id);
  const auto withdrawn = Nullable(consent.withdrawn_on);
  const auto note = Nullable(consent.note);
  const auto recorded_by = Nullable(consent.recorded_by);
  sql << "INSERT INTO person_consents (person_id, unit_id, scope, given_on, withdrawn_on, note, recorded_by, "
         "created_at, updated_at) VALUES (:person, :unit, :scope, :given, :withdrawn, :note, :by, :now, :now2) "
         "RETURNING id",
      soci::use(person_id), soci::use(unit), soci::use(consent.scope), soci::use(consent.given_on),
      soci::use(withdrawn), soci::use(note), soci::use(recorded_by), soci::use(now), soci::use(now),
      soci::into(consent.id);
  consent.created_at = now;
  return consent.id;
}

bool PersonStore::WithdrawConsent(soci::session& sql, long long person_id, long long consent_id,
                                  const std::string& withdrawn_on, const std::string& now) {
  soci::statement update = (sql.prepare << "UPDATE person_consents SET withdrawn_on = :withdrawn, updated_at = :now "
                                           "WHERE id = :id AND person_id = :person AND withdrawn_on IS NULL",
                            soci::use(withdrawn_on), soci::use(now), soci::use(consent_id), soci::use(person_id));
  update.execute(true);
  return update.get_affected_rows() == 1;
}

long long PersonStore::InsertBreakGlass(soci::session& sql, BreakGlassGrant& grant) {
  sql << "INSERT INTO break_glass (person_id, staff_id, unit_id, reason, granted_at, expires_at) "
         "VALUES (:person, :staff, :unit, :reason, :granted, :expires) RETURNING id",
      soci::use(grant.person_id), soci::use(grant.staff_id), soci::use(grant.unit_id), soci::use(grant.reason),
      soci::use(grant.granted_at), soci::use(grant.expires_at), soci::into(grant.id);
  return grant.id;
}

std::optional<BreakGlassGrant> PersonStore::ActiveBreakGlass(soci::session& sql, long long staff_id,
                                                             long long person_id, const std::string& now) {
  auto rows = db::SelectRows<GrantRow>(
      sql,
      "SELECT id, person_id, staff_id, unit_id, reason, granted_at, expires_at FROM break_glass "
      "WHERE staff_id = :staff AND person_id = :person AND expires_at > :now ORDER BY expires_at DESC LIMIT 1",
      [&](soci::statement& s) {
        s.exchange(soci::use(staff_id, "staff"));
        s.exchange(soci::use(person_id, "person"));
        s.exchange(soci::use(now, "now"));
      });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::set<long long> PersonStore::BreakGlassPersons(soci::session& sql, long long staff_id,
                                                   const std::vector<long long>& person_ids, const std::string& now) {
  if (person_ids.empty()) return {};
  const std::string list = db::IdListValue(dialect_, person_ids);
  auto ids = SelectIds(sql,
                       "SELECT person_id FROM break_glass WHERE staff_id = :staff AND expires_at > :now AND " +
                           db::IdListCondition(dialect_, "person_id", "ids"),
                       [&](soci::statement& s) {
                         s.exchange(soci::use(staff_id, "staff"));
                         s.exchange(soci::use(now, "now"));
                         s.exchange(soci::use(list, "ids"));
                       });
  return {ids.begin(), ids.end()};
}

long long PersonStore::InsertAlert(soci::session& sql, Alert& alert) {
  const auto record_type = Nullable(alert.record_type);
  const auto record_id = Nullable(alert.record_id);
  sql << "INSERT INTO alerts (staff_id, kind, record_type, record_id, params, created_at) "
         "VALUES (:staff, :kind, :type, :record, :params, :now) RETURNING id",
      soci::use(alert.staff_id), soci::use(alert.kind), soci::use(record_type), soci::use(record_id),
      soci::use(alert.params), soci::use(alert.created_at), soci::into(alert.id);
  return alert.id;
}

std::vector<Alert> PersonStore::Alerts(soci::session& sql, long long staff_id, bool unread_only,
                                       std::optional<long long> before_id, int limit) {
  const long long before = before_id.value_or(std::numeric_limits<long long>::max());
  std::string text = "SELECT id, staff_id, kind, record_type, record_id, params, created_at, read_at FROM alerts "
                     "WHERE staff_id = :staff AND id < :before";
  if (unread_only) text += " AND read_at IS NULL";
  text += " ORDER BY id DESC LIMIT :limit";
  return db::SelectRows<AlertRow>(sql, text, [&](soci::statement& s) {
    s.exchange(soci::use(staff_id, "staff"));
    s.exchange(soci::use(before, "before"));
    s.exchange(soci::use(limit, "limit"));
  });
}

bool PersonStore::MarkAlertRead(soci::session& sql, long long staff_id, long long alert_id, const std::string& now) {
  soci::statement update = (sql.prepare << "UPDATE alerts SET read_at = :now WHERE id = :id AND staff_id = :staff "
                                           "AND read_at IS NULL",
                            soci::use(now), soci::use(alert_id), soci::use(staff_id));
  update.execute(true);
  return update.get_affected_rows() == 1;
}

std::vector<long long> PersonStore::StaffWithRoleAt(soci::session& sql, const std::string& role,
                                                    const std::vector<long long>& unit_ids) {
  if (unit_ids.empty()) return {};
  const std::string list = db::IdListValue(dialect_, unit_ids);
  return SelectIds(sql,
                   "SELECT DISTINCT s.id FROM staff s JOIN role_assignments ra ON ra.staff_id = s.id "
                   "WHERE s.status = 'active' AND ra.role_code = :role AND " +
                       db::IdListCondition(dialect_, "ra.unit_id", "ids"),
                   [&](soci::statement& s) {
                     s.exchange(soci::use(role, "role"));
                     s.exchange(soci::use(list, "ids"));
                   });
}

std::vector<long long> PersonStore::StaffWithRole(soci::session& sql, const std::string& role) {
  return SelectIds(sql,
                   "SELECT DISTINCT s.id FROM staff s JOIN role_assignments ra ON ra.staff_id = s.id "
                   "WHERE s.status = 'active' AND ra.role_code = :role",
                   [&](soci::statement& s) { s.exchange(soci::use(role, "role")); });
}

}  // namespace welfare::registry
