#include "registry/person_service.hpp"

#include <algorithm>
#include <regex>

#include <boost/json/serialize.hpp>

#include "auth/permissions.hpp"
#include "auth/policy.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "registry/candidates.hpp"
#include "registry/duplicate_store.hpp"
#include "registry/identity.hpp"
#include "registry/json_values.hpp"
#include "registry/text.hpp"

namespace welfare::registry {
namespace {

namespace json = boost::json;

constexpr int kMinimumSearchScore = 15;
constexpr int kRestrictedHitScore = 40;

std::string Today() { return FormatTime(Now()).substr(0, 10); }

std::string_view AccessName(Access access) {
  switch (access) {
  case Access::kFull:
    return "full";
  case Access::kShared:
    return "shared";
  case Access::kNone:
    return "restricted";
  }
  return "restricted";
}

std::optional<std::string> Cleaned(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  std::string normal = NormalizeText(*value);
  if (normal.empty()) return std::nullopt;
  return normal;
}

/// Reads the array of objects `field`; every element that is not an object is reported.
std::vector<json::object> ObjectArray(const json::object& body, std::string_view field, JsonReader& reader) {
  std::vector<json::object> items;
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) return items;
  if (!value->is_array()) {
    reader.Add(std::string(field), "invalid_type", {{"expected", "array of objects"}});
    return items;
  }
  for (const auto& item : value->as_array()) {
    if (!item.is_object()) {
      reader.Add(std::string(field), "invalid_type", {{"expected", "array of objects"}});
      return {};
    }
    items.push_back(item.as_object());
  }
  return items;
}

/// Reads a nested object with its own reader; its field errors are reported as "field.index.member".
template <class Read>
void ReadNested(JsonReader& outer, const json::object& item, const std::string& prefix, Read&& read) {
  JsonReader inner(item);
  read(inner);
  if (auto status = inner.Finish(); !status) {
    for (const auto& field : status.error().fields) outer.Add(prefix + "." + field.field, field.code, field.params);
  }
}

bool Choice(std::string_view value, std::initializer_list<std::string_view> choices) {
  return std::ranges::find(choices, value) != choices.end();
}

std::string ChoiceList(std::initializer_list<std::string_view> choices) {
  std::string text;
  for (auto choice : choices) text += (text.empty() ? "" : ", ") + std::string(choice);
  return text;
}

void CheckChoice(JsonReader& reader, const std::string& field, const std::string& value,
                 std::initializer_list<std::string_view> choices) {
  if (!Choice(value, choices)) reader.Add(field, "invalid_choice", {{"choices", ChoiceList(choices)}});
}

/// A date field that may be partial; checks it is real and not in the future.
std::optional<PartialDate> ReadDate(JsonReader& reader, const std::string& field,
                                    const std::optional<std::string>& text, bool full_only) {
  if (!text || text->empty()) return std::nullopt;
  auto date = ParsePartialDate(*text);
  if (!date || (full_only && date->day == 0)) {
    reader.Add(field, "invalid_date");
    return std::nullopt;
  }
  if (date->text > Today()) {
    reader.Add(field, "in_future");
    return std::nullopt;
  }
  return date;
}

PersonName ReadName(JsonReader& reader) {
  PersonName name;
  name.kind = reader.OptionalString("kind", 1, 20).value_or("alias");
  CheckChoice(reader, "kind", name.kind, {"alias", "former"});
  name.chinese_name = Cleaned(reader.OptionalString("chinese_name", 0, 40));
  name.family_name_en = Cleaned(reader.OptionalString("family_name_en", 0, 80));
  name.given_names_en = Cleaned(reader.OptionalString("given_names_en", 0, 120));
  if (!name.chinese_name && !name.family_name_en && !name.given_names_en) reader.Add("chinese_name", "name_required");
  return name;
}

DocumentInput ReadDocument(JsonReader& reader) {
  DocumentInput document;
  document.doc_type = reader.RequiredString("doc_type", 1, 20);
  const std::string number = reader.RequiredString("number", 1, 40);
  document.issuer = Cleaned(reader.OptionalString("issuer", 0, 80));
  if (!document.doc_type.empty() && !IsDocumentType(document.doc_type)) {
    reader.Add("doc_type", "invalid_choice", {{"choices", "hkid, twid, passport, birth_cert, other"}});
    return document;
  }
  if (number.empty() || document.doc_type.empty()) return document;
  std::string problem;
  auto canonical = CanonicalDocumentNumber(document.doc_type, number, &problem);
  if (!canonical) {
    if (problem == "invalid_format") {
      reader.Add("number", "invalid_format",
                 {{"hint", document.doc_type == "hkid"   ? "A123456(3)"
                           : document.doc_type == "twid" ? "A123456789"
                                                         : "3–30 letters and digits"}});
    } else {
      reader.Add("number", problem);
    }
    return document;
  }
  document.canonical = *canonical;
  return document;
}

PersonContact ReadContact(JsonReader& reader) {
  PersonContact contact;
  contact.kind = reader.RequiredString("kind", 1, 20);
  contact.value = NormalizeText(reader.RequiredString("value", 1, 120));
  if (!contact.kind.empty()) CheckChoice(reader, "kind", contact.kind, {"mobile", "home", "work", "email", "other"});
  if (contact.value.empty()) return contact;
  if (contact.kind == "email") {
    static const std::regex kEmail(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
    if (!std::regex_match(contact.value, kEmail)) reader.Add("value", "invalid_email");
    return contact;
  }
  const std::string digits = PhoneKey(contact.value);
  if (digits.size() < 8) {
    reader.Add("value", "invalid_phone");
    return contact;
  }
  contact.phone_key = digits.substr(digits.size() - 8);
  return contact;
}

PersonAddress ReadAddress(JsonReader& reader) {
  PersonAddress address;
  address.kind = reader.OptionalString("kind", 1, 20).value_or("residential");
  CheckChoice(reader, "kind", address.kind, {"residential", "correspondence", "other"});
  address.region = Cleaned(reader.OptionalString("region", 0, 80));
  address.district = Cleaned(reader.OptionalString("district", 0, 80));
  address.street = Cleaned(reader.OptionalString("street", 0, 200));
  address.building = Cleaned(reader.OptionalString("building", 0, 200));
  address.flat = Cleaned(reader.OptionalString("flat", 0, 80));
  if (!address.district && !address.street && !address.building) reader.Add("street", "required");
  return address;
}

/// The main fields of a person from a body; `patch` reads only the members present.
void ReadMain(JsonReader& reader, const json::object& body, Person& person, bool patch) {
  auto has = [&](std::string_view field) { return !patch || body.contains(field); };
  if (has("chinese_name")) person.chinese_name = Cleaned(reader.OptionalString("chinese_name", 0, 40));
  if (has("family_name_en")) person.family_name_en = Cleaned(reader.OptionalString("family_name_en", 0, 80));
  if (has("given_names_en")) person.given_names_en = Cleaned(reader.OptionalString("given_names_en", 0, 120));
  if (!person.chinese_name && !person.family_name_en && !person.given_names_en) {
    reader.Add("chinese_name", "name_required");
  }
  if (has("sex")) {
    person.sex = reader.OptionalString("sex", 1, 10).value_or("unknown");
    CheckChoice(reader, "sex", person.sex, {"male", "female", "unknown"});
  }
  if (has("birth_date") || has("birth_precision")) {
    const auto birth_text =
        patch && !body.contains("birth_date") ? person.birth_date : reader.OptionalString("birth_date", 0, 20);
    const auto birth = ReadDate(reader, "birth_date", birth_text, false);
    person.birth_date = birth ? std::optional<std::string>(birth->text) : std::nullopt;
    auto precision = reader.OptionalString("birth_precision", 0, 20);
    if (precision && precision->empty()) precision.reset();
    if (precision) CheckChoice(reader, "birth_precision", *precision, {"full", "year_month", "year", "estimated"});
    if (!birth) {
      person.birth_precision.reset();
    } else if (precision == "estimated") {
      person.birth_precision = "estimated";
    } else {
      person.birth_precision = birth->day != 0 ? "full" : birth->month != 0 ? "year_month" : "year";
    }
  }
  if (has("death_date")) {
    const auto death = ReadDate(reader, "death_date", reader.OptionalString("death_date", 0, 20), true);
    person.death_date = death ? std::optional<std::string>(death->text) : std::nullopt;
  }
  if (person.death_date && person.birth_date && *person.death_date < person.birth_date->substr(0, 4)) {
    reader.Add("death_date", "before_birth");
  }
  if (has("languages")) {
    person.languages = reader.OptionalStringArray("languages").value_or(std::vector<std::string>{});
    static const std::regex kLanguage("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$");
    for (const auto& language : person.languages) {
      if (!std::regex_match(language, kLanguage)) reader.Add("languages", "invalid_language");
    }
  }
  if (has("protected_address")) person.protected_address = reader.OptionalBool("protected_address").value_or(false);
}

json::object ChangesOf(const Person& before, const Person& after) {
  audit::Changes changes;
  changes.Field("chinese_name", Text(before.chinese_name), Text(after.chinese_name))
      .Field("family_name_en", Text(before.family_name_en), Text(after.family_name_en))
      .Field("given_names_en", Text(before.given_names_en), Text(after.given_names_en))
      .Field("sex", before.sex, after.sex)
      .Field("birth_date", Text(before.birth_date), Text(after.birth_date))
      .Field("birth_precision", Text(before.birth_precision), Text(after.birth_precision))
      .Field("death_date", Text(before.death_date), Text(after.death_date))
      .Field("languages", JoinLanguages(before.languages), JoinLanguages(after.languages))
      .Field("protected_address", before.protected_address, after.protected_address);
  return changes.Take();
}

json::object NameJson(const PersonName& name) {
  return {{"id", name.id},
          {"kind", name.kind},
          {"chinese_name", Text(name.chinese_name)},
          {"family_name_en", Text(name.family_name_en)},
          {"given_names_en", Text(name.given_names_en)}};
}

json::object AddressJson(const PersonAddress& address) {
  return {{"id", address.id},
          {"kind", address.kind},
          {"region", Text(address.region)},
          {"district", Text(address.district)},
          {"street", Text(address.street)},
          {"building", Text(address.building)},
          {"flat", Text(address.flat)}};
}

Error PossibleDuplicates(json::array candidates) {
  Error error = Error::Make(Canonical::kConflict, "possible_duplicates");
  error.extra["candidates"] = std::move(candidates);
  return error;
}

Error AccessRestricted(long long id) {
  return Error::Make(Canonical::kPermissionDenied, "access_restricted", "person " + std::to_string(id));
}

}  // namespace

PersonService::PersonService(db::Database& database, audit::AuditLog& audit, const SecretKey& key,
                             auth::UnitService& units)
    : database_(database), audit_(audit), key_(key), units_(units), store_(database.dialect()) {}

std::string PersonService::DocumentHash(const std::string& canonical) const {
  return key_.KeyedHash("doc:" + canonical);
}

PersonService::AccessMap PersonService::Evaluate(soci::session& sql, const auth::Context& context,
                                                 const std::vector<Person>& persons) {
  AccessMap result;
  if (persons.empty()) return result;
  std::vector<long long> ids;
  for (const auto& person : persons) ids.push_back(person.id);
  const std::string today = Today();
  const auto scope_list = auth::UnitsInScope(sql, context.principal, auth::perm::kPersonsRead);
  const std::set<long long> scope(scope_list.begin(), scope_list.end());
  const auto involved = store_.ActiveInvolvementUnits(sql, ids, today);
  const auto consented = store_.ActiveConsentUnits(sql, ids, today);
  std::set<long long> emergency;
  if (context.principal.staff_id && !scope.empty()) {
    emergency = store_.BreakGlassPersons(sql, *context.principal.staff_id, ids, FormatTime(Now()));
  }
  for (const auto& person : persons) {
    Access access = Access::kNone;
    std::string reason;
    std::vector<long long> contacts;
    if (const auto found = involved.find(person.id); found != involved.end()) {
      contacts.assign(found->second.begin(), found->second.end());
      if (std::ranges::any_of(found->second, [&](long long unit) { return scope.contains(unit); })) {
        access = Access::kFull;
        reason = "involvement";
      }
    }
    if (access == Access::kNone && !scope.empty()) {
      if (const auto found = consented.find(person.id); found != consented.end()) {
        if (std::ranges::any_of(found->second, [&](long long unit) { return unit == 0 || scope.contains(unit); })) {
          access = Access::kShared;
          reason = "consent";
        }
      }
    }
    if (access == Access::kNone && emergency.contains(person.id)) {
      access = Access::kShared;
      reason = "emergency";
    }
    if (contacts.empty()) contacts.push_back(person.registered_unit_id);
    result.access[person.id] = access;
    result.reason[person.id] = reason;
    result.contact_units[person.id] = std::move(contacts);
  }
  return result;
}

PersonView PersonService::MakeView(const Person& person, const AccessMap& access) {
  PersonView view;
  view.person = person;
  if (auto found = access.access.find(person.id); found != access.access.end()) view.access = found->second;
  if (auto found = access.reason.find(person.id); found != access.reason.end()) view.access_reason = found->second;
  if (auto found = access.contact_units.find(person.id); found != access.contact_units.end()) {
    view.contact_units = found->second;
  }
  if (view.access != Access::kNone) {
    for (const auto& document : person.documents) {
      if (auto number = key_.Open(document.number_sealed)) view.document_numbers[document.id] = *number;
    }
  }
  return view;
}

json::object PersonService::ToJson(const PersonView& view, Locale /*locale*/) {
  const Person& person = view.person;
  json::array contact_units;
  static const auth::Principal kNobody;
  auto units = units_.List(auth::Context{kNobody, {}, Locale::kZhHant});
  for (long long unit_id : view.contact_units) {
    json::object unit{{"id", unit_id}};
    if (units) {
      for (const auto& known : *units) {
        if (known.id != unit_id) continue;
        unit["code"] = known.code;
        unit["name_zh"] = known.name_zh;
        unit["name_en"] = known.name_en;
      }
    }
    contact_units.push_back(std::move(unit));
  }
  json::object out{{"id", person.id},
                   {"status", person.status},
                   {"merged_into", Int(person.merged_into)},
                   {"access", AccessName(view.access)},
                   {"contact_units", std::move(contact_units)}};
  if (view.access == Access::kNone) return out;
  const bool address_hidden = person.protected_address && view.access != Access::kFull;
  out["access_reason"] = view.access_reason;
  out["emergency_until"] = Text(view.emergency_until);
  out["chinese_name"] = Text(person.chinese_name);
  out["family_name_en"] = Text(person.family_name_en);
  out["given_names_en"] = Text(person.given_names_en);
  out["sex"] = person.sex;
  out["birth_date"] = Text(person.birth_date);
  out["birth_precision"] = Text(person.birth_precision);
  out["death_date"] = Text(person.death_date);
  json::array languages;
  for (const auto& language : person.languages) languages.push_back(json::value(language));
  out["languages"] = std::move(languages);
  out["protected_address"] = person.protected_address;
  out["address_hidden"] = address_hidden;
  out["registered_unit_id"] = person.registered_unit_id;
  json::array names;
  for (const auto& name : person.names) names.push_back(NameJson(name));
  out["names"] = std::move(names);
  json::array documents;
  for (const auto& document : person.documents) {
    const auto number = view.document_numbers.find(document.id);
    documents.push_back(json::object{
        {"id", document.id},
        {"doc_type", document.doc_type},
        {"number", number != view.document_numbers.end() ? json::value(number->second) : json::value(nullptr)},
        {"number_masked", document.number_masked},
        {"issuer", Text(document.issuer)}});
  }
  out["documents"] = std::move(documents);
  json::array contacts;
  json::array addresses;
  if (!address_hidden) {
    for (const auto& contact : person.contacts) {
      contacts.push_back(json::object{{"id", contact.id}, {"kind", contact.kind}, {"value", contact.value}});
    }
    for (const auto& address : person.addresses) addresses.push_back(AddressJson(address));
  }
  out["contacts"] = std::move(contacts);
  out["addresses"] = std::move(addresses);
  json::array consents;
  for (const auto& consent : person.consents) {
    consents.push_back(json::object{{"id", consent.id},
                                    {"unit_id", Int(consent.unit_id)},
                                    {"scope", consent.scope},
                                    {"given_on", consent.given_on},
                                    {"withdrawn_on", Text(consent.withdrawn_on)},
                                    {"note", Text(consent.note)},
                                    {"recorded_by", Int(consent.recorded_by)},
                                    {"created_at", consent.created_at}});
  }
  out["consents"] = std::move(consents);
  out["version"] = person.version;
  out["created_at"] = person.created_at;
  out["updated_at"] = person.updated_at;
  return out;
}

json::object PersonService::BriefJson(const PersonView& view, Locale locale) {
  json::object summary = ToJson(view, locale);
  if (view.access == Access::kNone) return summary;
  // What is needed to pick the right person, not the whole record.
  json::object brief;
  for (const char* field :
       {"id", "status", "merged_into", "access", "access_reason", "contact_units", "chinese_name", "family_name_en",
        "given_names_en", "sex", "birth_date", "birth_precision", "death_date", "registered_unit_id"}) {
    if (const auto* value = summary.if_contains(field)) brief[field] = *value;
  }
  const Person& person = view.person;
  const bool address_hidden = person.protected_address && view.access != Access::kFull;
  json::value district = nullptr;
  if (!address_hidden) {
    for (const auto& address : person.addresses) {
      if (address.district) district = json::value(*address.district);
    }
  }
  brief["district"] = district;
  json::array aliases;
  for (const auto& name : person.names) aliases.push_back(NameJson(name));
  brief["names"] = std::move(aliases);
  return brief;
}

json::object PersonService::HitJson(const SearchHit& hit, Locale locale) {
  json::array reasons;
  for (const auto& reason : hit.score.reasons) {
    reasons.push_back(json::object{{"field", reason.field}, {"level", reason.level}});
  }
  return {{"person", BriefJson(hit.view, locale)}, {"score", hit.score.score}, {"reasons", std::move(reasons)}};
}

std::map<long long, PersonView> PersonService::Views(soci::session& sql, const auth::Context& context,
                                                     const std::vector<long long>& ids) {
  std::map<long long, PersonView> views;
  if (ids.empty()) return views;
  auto persons = store_.LoadForMatching(sql, ids);
  for (long long id : ids) {
    if (std::ranges::none_of(persons, [&](const Person& person) { return person.id == id; })) {
      if (auto other = store_.Find(sql, id)) persons.push_back(*other);  // merged records
    }
  }
  const AccessMap access = Evaluate(sql, context, persons);
  for (const auto& person : persons) views[person.id] = MakeView(person, access);
  return views;
}

Result<SearchOutcome> PersonService::FindCandidates(soci::session& sql, const auth::Context& context, MatchQuery query,
                                                    int limit, int min_score, std::optional<long long> exclude_id) {
  for (const auto& text : query.document_texts) query.document_hashes.push_back(DocumentHash(text));
  CandidateResult found = FindScoredCandidates(sql, store_, query, limit, min_score, exclude_id);
  std::vector<Person> shown;
  for (const auto& hit : found.hits) shown.push_back(hit.person);
  const AccessMap access = Evaluate(sql, context, shown);
  SearchOutcome outcome;
  outcome.truncated = found.truncated;
  for (auto& hit : found.hits) {
    // Outside the need-to-know, only strong matches are shown (and only as "known, contact this unit"), so
    // that a vague query cannot list who the department serves.
    PersonView view = MakeView(hit.person, access);
    if (view.access == Access::kNone && !hit.score.document_match && hit.score.score < kRestrictedHitScore) continue;
    outcome.hits.push_back({std::move(view), std::move(hit.score)});
  }
  return outcome;
}

Result<SearchOutcome> PersonService::Search(const auth::Context& context, const SearchRequest& request) {
  MatchQuery query = ParseSearchText(request.text);
  FieldErrors errors;
  if (request.birth_date && !request.birth_date->empty()) {
    auto date = ParsePartialDate(*request.birth_date);
    if (!date) errors.Add("birth_date", "invalid_date");
    query.birth_date = date;
  }
  if (request.phone && !request.phone->empty()) {
    const std::string digits = PhoneKey(*request.phone);
    if (digits.size() < 8) {
      errors.Add("phone", "invalid_phone");
    } else {
      query.phone_keys.push_back(digits.substr(digits.size() - 8));
    }
  }
  if (request.district && !request.district->empty()) query.district = NormalizeText(*request.district);
  if (auto valid = errors.Finish(); !valid) return Fail(valid.error());
  if (query.Empty()) return Fail(Error::Validation({{"q", "required"}}));
  return database_.Read<SearchOutcome>([&](soci::session& sql) {
    return FindCandidates(sql, context, query, request.limit, kMinimumSearchScore, std::nullopt);
  });
}

namespace {

/// A registration form read into a person, documents still as typed numbers.
struct Registration {
  Person person;
  std::vector<DocumentInput> documents;
  std::optional<long long> unit_id;
  std::optional<std::string> override_reason;
  std::vector<long long> reviewed_ids;
};

Result<Registration> ReadRegistration(const json::object& body, bool allow_override) {
  JsonReader reader(body);
  if (allow_override) {
    reader.RejectUnknown({"chinese_name", "family_name_en", "given_names_en", "sex", "birth_date", "birth_precision",
                          "death_date", "languages", "protected_address", "names", "documents", "contacts", "addresses",
                          "unit_id", "duplicate_override"});
  }
  Registration registration;
  Person& person = registration.person;
  ReadMain(reader, body, person, false);
  registration.unit_id = reader.OptionalInt("unit_id");
  auto each = [&](std::string_view field, auto&& read) {
    const auto items = ObjectArray(body, field, reader);
    for (size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
      ReadNested(reader, items[item_idx], std::string(field) + "." + std::to_string(item_idx),
                 [&](JsonReader& inner) { read(inner); });
    }
  };
  each("names", [&](JsonReader& inner) { person.names.push_back(ReadName(inner)); });
  each("documents", [&](JsonReader& inner) { registration.documents.push_back(ReadDocument(inner)); });
  each("contacts", [&](JsonReader& inner) { person.contacts.push_back(ReadContact(inner)); });
  each("addresses", [&](JsonReader& inner) { person.addresses.push_back(ReadAddress(inner)); });
  for (size_t doc_idx = 0; doc_idx < registration.documents.size(); ++doc_idx) {
    for (size_t other_idx = 0; other_idx < doc_idx; ++other_idx) {
      const auto& left = registration.documents[doc_idx];
      if (!left.canonical.empty() && left.canonical == registration.documents[other_idx].canonical) {
        reader.Add("documents." + std::to_string(doc_idx) + ".number", "duplicate_in_request");
      }
    }
  }
  if (const auto* override_value = body.if_contains("duplicate_override");
      allow_override && override_value != nullptr && !override_value->is_null()) {
    if (!override_value->is_object()) {
      reader.Add("duplicate_override", "invalid_type", {{"expected", "object"}});
    } else {
      ReadNested(reader, override_value->as_object(), "duplicate_override", [&](JsonReader& inner) {
        inner.RejectUnknown({"reason", "reviewed_ids"});
        registration.override_reason = inner.RequiredString("reason", 1, 1000);
        if (registration.override_reason->size() > 0 && Utf8Length(*registration.override_reason) < kMinimumReason) {
          inner.Add("reason", "reason_too_short", {{"min", std::to_string(kMinimumReason)}});
        }
        const auto* ids = override_value->as_object().if_contains("reviewed_ids");
        if (ids == nullptr || !ids->is_array()) {
          inner.Add("reviewed_ids", "invalid_type", {{"expected", "array of integers"}});
          return;
        }
        for (const auto& id : ids->as_array()) {
          if (id.is_int64()) registration.reviewed_ids.push_back(id.as_int64());
        }
      });
    }
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return registration;
}

}  // namespace

Result<SearchOutcome> PersonService::CheckDuplicates(const auth::Context& context, const json::object& body) {
  auto registration = ReadRegistration(body, false);
  if (!registration) return Fail(registration.error());
  Person probe = registration->person;
  for (const auto& document : registration->documents) {
    if (!document.canonical.empty())
      probe.documents.push_back({0, document.doc_type, "", DocumentHash(document.canonical), "", {}});
  }
  return database_.Read<SearchOutcome>(
      [&](soci::session& sql) { return FindCandidates(sql, context, QueryFromPerson(probe), 10, 30, std::nullopt); });
}

void PersonService::SealDocuments(const std::vector<DocumentInput>& inputs, Person& person) const {
  for (const auto& input : inputs) {
    PersonDocument document;
    document.doc_type = input.doc_type;
    document.number_sealed = key_.Seal(input.canonical);
    document.number_hash = DocumentHash(input.canonical);
    document.number_masked = MaskDocumentNumber(input.canonical);
    document.issuer = input.issuer;
    person.documents.push_back(std::move(document));
  }
}

Result<Person> PersonService::PersonFromBody(const json::object& body) {
  auto registration = ReadRegistration(body, false);
  if (!registration) return Fail(registration.error());
  SealDocuments(registration->documents, registration->person);
  return registration->person;
}

void PersonService::InsertTrusted(soci::session& sql, const audit::Actor& actor, std::optional<long long> staff_id,
                                  Person& person, long long unit_id, const json::object& source) {
  const std::string now = FormatTime(Now());
  person.registered_unit_id = unit_id;
  store_.Insert(sql, person, now);
  Involvement involvement;
  involvement.person_id = person.id;
  involvement.unit_id = unit_id;
  involvement.kind = "registration";
  involvement.started_on = Today();
  involvement.worker_id = staff_id;
  store_.InsertInvolvement(sql, involvement, staff_id, now);
  audit::Changes changes;
  changes.Set("chinese_name", Text(person.chinese_name))
      .Set("family_name_en", Text(person.family_name_en))
      .Set("given_names_en", Text(person.given_names_en))
      .Set("sex", person.sex)
      .Set("birth_date", Text(person.birth_date))
      .Set("registered_unit_id", unit_id);
  json::object created = changes.Take();
  json::array documents;
  for (const auto& document : person.documents) {
    documents.push_back(json::object{{"doc_type", document.doc_type}, {"number", document.number_masked}});
  }
  if (!documents.empty()) created["documents"] = json::object{{"to", std::move(documents)}};
  for (const auto& [key, value] : source) created[key] = value;
  audit_.Append(sql, actor, {"person.create", "person", std::to_string(person.id), std::move(created)});
}

std::vector<SearchHit> PersonService::LikelyDuplicates(soci::session& sql, const Person& person, int min_score) {
  static const auth::Principal kNobody;
  const auth::Context context{kNobody, {}, Locale::kZhHant};
  auto found = FindCandidates(sql, context, QueryFromPerson(person), 5, min_score, std::nullopt);
  if (!found) return {};
  return std::move(found->hits);
}

Result<PersonView> PersonService::Create(const auth::Context& context, const json::object& body) {
  auto registration = ReadRegistration(body, true);
  if (!registration) return Fail(registration.error());
  Person& person = registration->person;
  const long long unit_id = registration->unit_id.value_or(context.principal.unit_id);
  SealDocuments(registration->documents, person);
  person.registered_unit_id = unit_id;
  // Numbers already registered are refused; the check runs again under the write lock below.
  auto document_errors = [&](soci::session& sql) -> Status {
    FieldErrors errors;
    for (size_t doc_idx = 0; doc_idx < person.documents.size(); ++doc_idx) {
      const auto& document = person.documents[doc_idx];
      if (auto owner = store_.DocumentOwner(sql, document.doc_type, document.number_hash)) {
        errors.Add("documents." + std::to_string(doc_idx) + ".number", "document_registered",
                   {{"person_id", std::to_string(*owner)}});
      }
    }
    return errors.Finish();
  };
  // The duplicate check reads only, so that a warning (the commonest outcome when someone is registered again)
  // never holds the write lock. A person registered by someone else in between is left to batch detection.
  auto candidates = database_.Read<SearchOutcome>([&](soci::session& sql) -> Result<SearchOutcome> {
    if (auto allowed = auth::RequireAt(sql, context.principal, auth::perm::kPersonsWrite, unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto valid = document_errors(sql); !valid) return Fail(valid.error());
    return FindCandidates(sql, context, QueryFromPerson(person), 10, kLikelyDuplicateScore, std::nullopt);
  });
  if (!candidates) return Fail(candidates.error());
  if (!candidates->hits.empty()) {
    if (!registration->override_reason) {
      json::array shown;
      for (const auto& hit : candidates->hits) shown.push_back(HitJson(hit, context.locale));
      return Fail(PossibleDuplicates(std::move(shown)));
    }
    std::string missing;
    for (const auto& hit : candidates->hits) {
      if (std::ranges::find(registration->reviewed_ids, hit.view.person.id) == registration->reviewed_ids.end()) {
        missing += (missing.empty() ? "" : ", ") + std::to_string(hit.view.person.id);
      }
    }
    if (!missing.empty()) {
      return Fail(
          Error::Validation({{"duplicate_override.reviewed_ids", "candidates_not_reviewed", {{"ids", missing}}}}));
    }
  }
  return database_.Write<PersonView>([&](soci::session& sql) -> Result<PersonView> {
    if (auto allowed = auth::RequireAt(sql, context.principal, auth::perm::kPersonsWrite, unit_id); !allowed) {
      return Fail(allowed.error());
    }
    if (auto valid = document_errors(sql); !valid) return Fail(valid.error());
    const std::string now = FormatTime(Now());
    InsertTrusted(sql, context.actor, context.principal.staff_id, person, unit_id, {});
    if (registration->override_reason && !candidates->hits.empty()) {
      json::array overridden;
      DuplicateStore duplicates(database_.dialect());
      for (const auto& hit : candidates->hits) {
        overridden.push_back(json::object{{"person_id", hit.view.person.id}, {"score", hit.score.score}});
        DuplicatePair pair =
            PairFromScore(person.id, hit.view.person.id, hit.score, "registration", registration->override_reason, now);
        (void)duplicates.InsertPair(sql, pair);
      }
      audit_.Append(sql, context.actor,
                    {"person.duplicate_override", "person", std::to_string(person.id),
                     json::object{{"reason", *registration->override_reason}, {"candidates", std::move(overridden)}}});
    }
    return ViewAfterChange(sql, context, person.id);
  });
}

PersonView PersonService::StewardView(soci::session& sql, long long id) {
  auto person = store_.Load(sql, id);
  if (!person) return PersonView{Person{.id = id}};
  AccessMap access;
  access.access[id] = Access::kShared;
  access.reason[id] = "duplicate_review";
  access.contact_units[id] = {person->registered_unit_id};
  return MakeView(*person, access);
}

Access PersonService::AccessFor(soci::session& sql, const auth::Context& context, const Person& person) {
  return Evaluate(sql, context, {person}).access.at(person.id);
}

Result<PersonView> PersonService::ViewAfterChange(soci::session& sql, const auth::Context& context, long long id) {
  auto person = store_.Load(sql, id);
  if (!person) return Fail(Error::Internal("person vanished after change"));
  return MakeView(*person, Evaluate(sql, context, {*person}));
}

Result<PersonView> PersonService::Get(const auth::Context& context, long long id) {
  auto view = database_.Read<PersonView>([&](soci::session& sql) -> Result<PersonView> {
    auto main = store_.Find(sql, id);
    if (!main) return Fail(Error::NotFound("person " + std::to_string(id)));
    const AccessMap access = Evaluate(sql, context, {*main});
    if (access.access.at(id) == Access::kNone || main->status != "active") return MakeView(*main, access);
    auto person = store_.Load(sql, id);
    PersonView result = MakeView(*person, access);
    if (result.access_reason == "emergency" && context.principal.staff_id) {
      if (auto grant = store_.ActiveBreakGlass(sql, *context.principal.staff_id, id, FormatTime(Now()))) {
        result.emergency_until = grant->expires_at;
      }
    }
    return result;
  });
  if (view && view->access != Access::kNone && view->person.status == "active") {
    audit_.AppendNow(context.actor,
                     {"person.view", "person", std::to_string(id), json::object{{"access", view->access_reason}}});
  }
  return view;
}

Result<Person> PersonService::LoadForChange(soci::session& sql, const auth::Context& context, long long id) {
  auto person = store_.Load(sql, id);
  if (!person) return Fail(Error::NotFound("person " + std::to_string(id)));
  if (person->status != "active") {
    Error error = Error::Make(Canonical::kFailedPrecondition, "record_merged");
    error.extra["merged_into"] = Int(person->merged_into);
    return Fail(std::move(error));
  }
  const AccessMap access = Evaluate(sql, context, {*person});
  if (access.access.at(id) != Access::kFull) return Fail(AccessRestricted(id));
  const auto scope = auth::UnitsInScope(sql, context.principal, auth::perm::kPersonsWrite);
  const auto involved = store_.ActiveInvolvementUnits(sql, {id}, Today());
  const auto units = involved.find(id);
  const bool may_write = units != involved.end() && std::ranges::any_of(units->second, [&](long long unit) {
                           return std::ranges::find(scope, unit) != scope.end();
                         });
  if (!may_write) {
    return Fail(Error::Make(Canonical::kPermissionDenied, "permission_denied", "persons.write at an involved unit"));
  }
  return *person;
}

Result<PersonView> PersonService::Update(const auth::Context& context, long long id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"version", "chinese_name", "family_name_en", "given_names_en", "sex", "birth_date",
                        "birth_precision", "death_date", "languages", "protected_address"});
  const long long version = reader.RequiredInt("version");
  return database_.Write<PersonView>([&](soci::session& sql) -> Result<PersonView> {
    auto current = LoadForChange(sql, context, id);
    if (!current) return Fail(current.error());
    Person next = *current;
    ReadMain(reader, body, next, true);
    if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
    if (version != current->version) return Fail(Error::Conflict(current->version));
    const std::string now = FormatTime(Now());
    if (!store_.UpdateMain(sql, next, version, now)) return Fail(Error::Conflict(current->version));
    store_.ReplaceSearchKeys(sql, next);
    json::object changes = ChangesOf(*current, next);
    audit_.Append(sql, context.actor, {"person.update", "person", std::to_string(id), std::move(changes)});
    return ViewAfterChange(sql, context, id);
  });
}

Result<PersonView> PersonService::AddPart(const auth::Context& context, long long id, const std::string& part,
                                          const json::object& body) {
  JsonReader reader(body);
  const long long version = reader.RequiredInt("version");
  PersonName name;
  DocumentInput document_input;
  PersonContact contact;
  PersonAddress address;
  json::object recorded;
  if (part == "names") {
    reader.RejectUnknown({"version", "kind", "chinese_name", "family_name_en", "given_names_en"});
    name = ReadName(reader);
    recorded = NameJson(name);
  } else if (part == "documents") {
    reader.RejectUnknown({"version", "doc_type", "number", "issuer"});
    document_input = ReadDocument(reader);
  } else if (part == "contacts") {
    reader.RejectUnknown({"version", "kind", "value"});
    contact = ReadContact(reader);
    recorded = json::object{{"kind", contact.kind}, {"value", contact.value}};
  } else {
    reader.RejectUnknown({"version", "kind", "region", "district", "street", "building", "flat"});
    address = ReadAddress(reader);
    recorded = AddressJson(address);
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<PersonView>([&](soci::session& sql) -> Result<PersonView> {
    auto current = LoadForChange(sql, context, id);
    if (!current) return Fail(current.error());
    if (version != current->version) return Fail(Error::Conflict(current->version));
    const std::string now = FormatTime(Now());
    if (part == "names") {
      store_.InsertName(sql, id, name, now);
      recorded["id"] = name.id;
    } else if (part == "documents") {
      PersonDocument document{0,
                              document_input.doc_type,
                              key_.Seal(document_input.canonical),
                              DocumentHash(document_input.canonical),
                              MaskDocumentNumber(document_input.canonical),
                              document_input.issuer};
      if (auto owner = store_.DocumentOwner(sql, document.doc_type, document.number_hash)) {
        return Fail(Error::Validation({{"number", "document_registered", {{"person_id", std::to_string(*owner)}}}}));
      }
      store_.InsertDocument(sql, id, document, now);
      recorded = json::object{{"id", document.id}, {"doc_type", document.doc_type}, {"number", document.number_masked}};
    } else if (part == "contacts") {
      store_.InsertContact(sql, id, contact, now);
      recorded["id"] = contact.id;
    } else {
      store_.InsertAddress(sql, id, address, now);
      recorded["id"] = address.id;
    }
    if (!store_.Touch(sql, id, version, now)) return Fail(Error::Conflict(current->version));
    if (part == "names") {
      auto reloaded = store_.Load(sql, id);
      store_.ReplaceSearchKeys(sql, *reloaded);
    }
    audit_.Append(sql, context.actor,
                  {"person.part_add", "person", std::to_string(id),
                   json::object{{"part", part}, {"value", std::move(recorded)}}});
    return ViewAfterChange(sql, context, id);
  });
}

Result<PersonView> PersonService::RemovePart(const auth::Context& context, long long id, const std::string& part,
                                             long long part_id, long long version) {
  return database_.Write<PersonView>([&](soci::session& sql) -> Result<PersonView> {
    auto current = LoadForChange(sql, context, id);
    if (!current) return Fail(current.error());
    if (version != current->version) return Fail(Error::Conflict(current->version));
    json::object removed{{"id", part_id}};
    if (part == "documents") {
      for (const auto& document : current->documents) {
        if (document.id == part_id)
          removed = {{"id", part_id}, {"doc_type", document.doc_type}, {"number", document.number_masked}};
      }
    } else if (part == "names") {
      for (const auto& name : current->names) {
        if (name.id == part_id) removed = NameJson(name);
      }
    } else if (part == "contacts") {
      for (const auto& contact : current->contacts) {
        if (contact.id == part_id) removed = {{"id", part_id}, {"kind", contact.kind}, {"value", contact.value}};
      }
    } else {
      for (const auto& address : current->addresses) {
        if (address.id == part_id) removed = AddressJson(address);
      }
    }
    if (!store_.DeletePart(sql, part, id, part_id)) return Fail(Error::NotFound(part + " " + std::to_string(part_id)));
    const std::string now = FormatTime(Now());
    if (!store_.Touch(sql, id, version, now)) return Fail(Error::Conflict(current->version));
    if (part == "names") {
      auto reloaded = store_.Load(sql, id);
      store_.ReplaceSearchKeys(sql, *reloaded);
    }
    audit_.Append(sql, context.actor,
                  {"person.part_remove", "person", std::to_string(id),
                   json::object{{"part", part}, {"value", std::move(removed)}}});
    return ViewAfterChange(sql, context, id);
  });
}

Result<std::vector<Involvement>> PersonService::Involvements(const auth::Context& context, long long id) {
  return database_.Read<std::vector<Involvement>>([&](soci::session& sql) -> Result<std::vector<Involvement>> {
    auto person = store_.Find(sql, id);
    if (!person) return Fail(Error::NotFound("person " + std::to_string(id)));
    if (Evaluate(sql, context, {*person}).access.at(id) == Access::kNone) return Fail(AccessRestricted(id));
    return store_.Involvements(sql, id);
  });
}

Result<Involvement> PersonService::RegisterAtUnit(const auth::Context& context, long long id,
                                                  const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"unit_id", "summary"});
  const long long unit_id = reader.OptionalInt("unit_id").value_or(context.principal.unit_id);
  const std::string summary = reader.RequiredString("summary", 1, 1000);
  if (!summary.empty() && Utf8Length(summary) < kMinimumReason) {
    reader.Add("summary", "reason_too_short", {{"min", std::to_string(kMinimumReason)}});
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<Involvement>([&](soci::session& sql) -> Result<Involvement> {
    auto person = store_.Find(sql, id);
    if (!person) return Fail(Error::NotFound("person " + std::to_string(id)));
    if (person->status != "active") {
      Error error = Error::Make(Canonical::kFailedPrecondition, "record_merged");
      error.extra["merged_into"] = Int(person->merged_into);
      return Fail(std::move(error));
    }
    if (auto allowed = auth::RequireAt(sql, context.principal, auth::perm::kPersonsWrite, unit_id); !allowed) {
      return Fail(allowed.error());
    }
    const std::string now = FormatTime(Now());
    Involvement involvement;
    involvement.person_id = id;
    involvement.unit_id = unit_id;
    involvement.kind = "registration";
    involvement.summary = summary;
    involvement.worker_id = context.principal.staff_id;
    involvement.started_on = Today();
    store_.InsertInvolvement(sql, involvement, context.principal.staff_id, now);
    audit_.Append(sql, context.actor,
                  {"person.register_at_unit", "person", std::to_string(id),
                   json::object{{"unit_id", unit_id}, {"involvement_id", involvement.id}, {"summary", summary}}});
    return involvement;
  });
}

Result<Involvement> PersonService::EndInvolvement(const auth::Context& context, long long id, long long involvement_id,
                                                  const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"ended_on"});
  const auto ended = ReadDate(reader, "ended_on", reader.OptionalString("ended_on", 0, 20), true);
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<Involvement>([&](soci::session& sql) -> Result<Involvement> {
    auto involvement = store_.FindInvolvement(sql, involvement_id);
    if (!involvement || involvement->person_id != id) {
      return Fail(Error::NotFound("involvement " + std::to_string(involvement_id)));
    }
    if (auto allowed = auth::RequireAt(sql, context.principal, auth::perm::kPersonsWrite, involvement->unit_id);
        !allowed) {
      return Fail(allowed.error());
    }
    if (involvement->kind != "registration") {
      return Fail(Error::Make(Canonical::kFailedPrecondition, "invalid_transition",
                              "involvements of cases and applications end with their record"));
    }
    const std::string ended_on = ended ? ended->text : Today();
    if (involvement->ended_on) return Fail(Error::Make(Canonical::kFailedPrecondition, "already_ended"));
    if (ended_on < involvement->started_on) {
      return Fail(Error::Validation({{"ended_on", "before_start", {{"started_on", involvement->started_on}}}}));
    }
    store_.EndInvolvement(sql, involvement_id, ended_on, FormatTime(Now()));
    audit_.Append(sql, context.actor,
                  {"person.involvement_end", "person", std::to_string(id),
                   json::object{{"involvement_id", involvement_id}, {"ended_on", ended_on}}});
    return *store_.FindInvolvement(sql, involvement_id);
  });
}

Result<PersonView> PersonService::AddConsent(const auth::Context& context, long long id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"version", "unit_id", "scope", "given_on", "note"});
  const long long version = reader.RequiredInt("version");
  PersonConsent consent;
  consent.unit_id = reader.OptionalInt("unit_id");
  consent.scope = reader.OptionalString("scope", 1, 40).value_or("share_record");
  CheckChoice(reader, "scope", consent.scope, {"share_record"});
  const auto given = ReadDate(reader, "given_on", reader.OptionalString("given_on", 0, 20), true);
  consent.given_on = given ? given->text : Today();
  consent.note = Cleaned(reader.OptionalString("note", 0, 1000));
  consent.recorded_by = context.principal.staff_id;
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<PersonView>([&](soci::session& sql) -> Result<PersonView> {
    auto current = LoadForChange(sql, context, id);
    if (!current) return Fail(current.error());
    if (version != current->version) return Fail(Error::Conflict(current->version));
    if (consent.unit_id && !auth::FindUnit(sql, *consent.unit_id)) {
      return Fail(Error::Validation({{"unit_id", "not_found"}}));
    }
    const std::string now = FormatTime(Now());
    store_.InsertConsent(sql, id, consent, now);
    if (!store_.Touch(sql, id, version, now)) return Fail(Error::Conflict(current->version));
    audit_.Append(sql, context.actor,
                  {"person.consent_add", "person", std::to_string(id),
                   json::object{{"consent_id", consent.id},
                                {"unit_id", Int(consent.unit_id)},
                                {"scope", consent.scope},
                                {"given_on", consent.given_on}}});
    return ViewAfterChange(sql, context, id);
  });
}

Result<PersonView> PersonService::WithdrawConsent(const auth::Context& context, long long id, long long consent_id,
                                                  const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"version", "withdrawn_on"});
  const long long version = reader.RequiredInt("version");
  const auto withdrawn = ReadDate(reader, "withdrawn_on", reader.OptionalString("withdrawn_on", 0, 20), true);
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<PersonView>([&](soci::session& sql) -> Result<PersonView> {
    auto current = LoadForChange(sql, context, id);
    if (!current) return Fail(current.error());
    if (version != current->version) return Fail(Error::Conflict(current->version));
    const std::string now = FormatTime(Now());
    const std::string withdrawn_on = withdrawn ? withdrawn->text : Today();
    if (!store_.WithdrawConsent(sql, id, consent_id, withdrawn_on, now)) {
      return Fail(Error::NotFound("open consent " + std::to_string(consent_id)));
    }
    if (!store_.Touch(sql, id, version, now)) return Fail(Error::Conflict(current->version));
    audit_.Append(sql, context.actor,
                  {"person.consent_withdraw", "person", std::to_string(id),
                   json::object{{"consent_id", consent_id}, {"withdrawn_on", withdrawn_on}}});
    return ViewAfterChange(sql, context, id);
  });
}

Result<PersonView> PersonService::BreakGlass(const auth::Context& context, long long id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"reason"});
  const std::string reason = reader.RequiredString("reason", 1, 2000);
  constexpr size_t kMinimumEmergencyReason = 20;
  if (!reason.empty() && Utf8Length(reason) < kMinimumEmergencyReason) {
    reader.Add("reason", "reason_too_short", {{"min", std::to_string(kMinimumEmergencyReason)}});
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  if (!context.principal.staff_id) {
    return Fail(Error::Make(Canonical::kPermissionDenied, "permission_denied", "emergency access needs a person"));
  }
  auto view = database_.Write<PersonView>([&](soci::session& sql) -> Result<PersonView> {
    auto person = store_.Find(sql, id);
    if (!person) return Fail(Error::NotFound("person " + std::to_string(id)));
    if (person->status != "active") {
      Error error = Error::Make(Canonical::kFailedPrecondition, "record_merged");
      error.extra["merged_into"] = Int(person->merged_into);
      return Fail(std::move(error));
    }
    if (auth::UnitsInScope(sql, context.principal, auth::perm::kPersonsRead).empty()) {
      return Fail(Error::Make(Canonical::kPermissionDenied, "permission_denied", "persons.read"));
    }
    const TimePoint now = Now();
    BreakGlassGrant grant;
    grant.person_id = id;
    grant.staff_id = *context.principal.staff_id;
    grant.unit_id = context.principal.unit_id;
    grant.reason = reason;
    grant.granted_at = FormatTime(now);
    grant.expires_at = FormatTime(now + std::chrono::duration_cast<std::chrono::microseconds>(kBreakGlassLifetime));
    store_.InsertBreakGlass(sql, grant);
    audit_.Append(sql, context.actor,
                  {"person.break_glass", "person", std::to_string(id),
                   json::object{{"grant_id", grant.id}, {"reason", reason}, {"expires_at", grant.expires_at}}});
    // Raised to the supervisors of the caller's unit (and the units above it) and to every auditor.
    std::set<long long> recipients;
    for (long long staff : store_.StaffWithRoleAt(sql, "supervisor", auth::UnitAncestry(sql, grant.unit_id))) {
      recipients.insert(staff);
    }
    for (long long staff : store_.StaffWithRole(sql, "auditor")) recipients.insert(staff);
    recipients.erase(grant.staff_id);
    const std::string params = json::serialize(json::object{{"staff_id", grant.staff_id},
                                                            {"username", context.principal.username},
                                                            {"display_name", context.principal.display_name},
                                                            {"person_id", id},
                                                            {"reason", reason},
                                                            {"expires_at", grant.expires_at}});
    for (long long recipient : recipients) {
      Alert alert;
      alert.staff_id = recipient;
      alert.kind = "break_glass";
      alert.record_type = "person";
      alert.record_id = std::to_string(id);
      alert.params = params;
      alert.created_at = grant.granted_at;
      store_.InsertAlert(sql, alert);
    }
    auto loaded = store_.Load(sql, id);
    PersonView result = MakeView(*loaded, Evaluate(sql, context, {*loaded}));
    if (result.access == Access::kShared && result.access_reason == "emergency")
      result.emergency_until = grant.expires_at;
    return result;
  });
  if (view) {
    audit_.AppendNow(context.actor,
                     {"person.view", "person", std::to_string(id), json::object{{"access", view->access_reason}}});
  }
  return view;
}

Result<std::vector<audit::Entry>> PersonService::Changes(const auth::Context& context, long long id,
                                                         std::optional<long long> before_id, int limit) {
  auto allowed = database_.Read<bool>([&](soci::session& sql) -> Result<bool> {
    auto person = store_.Find(sql, id);
    if (!person) return Fail(Error::NotFound("person " + std::to_string(id)));
    if (Evaluate(sql, context, {*person}).access.at(id) == Access::kNone) return Fail(AccessRestricted(id));
    return true;
  });
  if (!allowed) return Fail(allowed.error());
  audit::Query query;
  query.record_type = "person";
  query.record_id = std::to_string(id);
  query.before_id = before_id;
  query.limit = limit;
  auto entries = audit_.Search(query);
  std::erase_if(entries, [](const audit::Entry& entry) { return entry.action == "person.view"; });
  return entries;
}

Result<std::vector<Alert>> PersonService::Alerts(const auth::Context& context, bool unread_only,
                                                 std::optional<long long> before_id, int limit) {
  if (!context.principal.staff_id) return std::vector<Alert>{};
  return database_.Read<std::vector<Alert>>([&](soci::session& sql) -> Result<std::vector<Alert>> {
    return store_.Alerts(sql, *context.principal.staff_id, unread_only, before_id, limit);
  });
}

Status PersonService::MarkAlertRead(const auth::Context& context, long long alert_id) {
  if (!context.principal.staff_id) return Fail(Error::NotFound());
  auto marked = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
    if (!store_.MarkAlertRead(sql, *context.principal.staff_id, alert_id, FormatTime(Now()))) {
      return Fail(Error::NotFound("alert " + std::to_string(alert_id)));
    }
    return true;
  });
  if (!marked) return Fail(marked.error());
  return {};
}

}  // namespace welfare::registry
