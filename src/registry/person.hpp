/// \file A person in the client registry and the parts of their record.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace welfare::registry {

/// Another name the person is or was known by.
struct PersonName {
  long long id = 0;
  std::string kind;  ///< alias, former, merged (added by a merge)
  std::optional<std::string> chinese_name;
  std::optional<std::string> family_name_en;
  std::optional<std::string> given_names_en;
};

/// An identity document; the number is kept sealed and only opened for people with full access.
struct PersonDocument {
  long long id = 0;
  std::string doc_type;
  std::string number_sealed;
  std::string number_hash;
  std::string number_masked;
  std::optional<std::string> issuer;
};

/// A phone number or e-mail address.
struct PersonContact {
  long long id = 0;
  std::string kind;  ///< mobile, home, work, email, other
  std::string value;
  std::optional<std::string> phone_key;
};

/// A structured address: region (or county), district (or township), street, building, flat.
struct PersonAddress {
  long long id = 0;
  std::string kind;  ///< residential, correspondence, other
  std::optional<std::string> region;
  std::optional<std::string> district;
  std::optional<std::string> street;
  std::optional<std::string> building;
  std::optional<std::string> flat;
};

/// The person's consent to share their record with a unit (or, with no unit, with every unit).
struct PersonConsent {
  long long id = 0;
  std::optional<long long> unit_id;
  std::string scope;
  std::string given_on;
  std::optional<std::string> withdrawn_on;
  std::optional<std::string> note;
  std::optional<long long> recorded_by;
  std::string created_at;
};

/// One involvement of a unit with the person: registration now; cases, applications and referrals later.
struct Involvement {
  long long id = 0;
  long long person_id = 0;
  long long unit_id = 0;
  std::string kind;
  std::optional<std::string> reference;
  std::optional<std::string> summary;
  std::optional<long long> worker_id;
  std::string started_on;
  std::optional<std::string> ended_on;
  std::string created_at;
};

/// A person's record (the main row and, when loaded, its parts).
struct Person {
  long long id = 0;
  std::string status = "active";  ///< active, merged
  std::optional<long long> merged_into;
  std::optional<std::string> chinese_name;
  std::optional<std::string> family_name_en;
  std::optional<std::string> given_names_en;
  std::string sex = "unknown";
  std::optional<std::string> birth_date;
  std::optional<std::string> birth_precision;
  std::optional<std::string> death_date;
  std::vector<std::string> languages;
  bool protected_address = false;
  long long registered_unit_id = 0;
  std::optional<std::string> external_ref;
  long long version = 1;
  std::string created_at;
  std::string updated_at;

  std::vector<PersonName> names;
  std::vector<PersonDocument> documents;
  std::vector<PersonContact> contacts;
  std::vector<PersonAddress> addresses;
  std::vector<PersonConsent> consents;
};

/// How much of a record a caller may see.
enum class Access {
  kNone,    ///< only that the person is known, and which unit to contact
  kShared,  ///< consent or emergency access: everything except a protected address
  kFull,    ///< the caller's unit is involved with the person (case team)
};

}  // namespace welfare::registry
