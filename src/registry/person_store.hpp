/// \file The SQL of the client registry: persons and their parts, search keys, involvements, consents,
/// emergency access and alerts. Every statement of the registry lives here.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "db/database.hpp"
#include "registry/person.hpp"

namespace welfare::registry {

/// An emergency ("break the glass") access grant.
struct BreakGlassGrant {
  long long id = 0;
  long long person_id = 0;
  long long staff_id = 0;
  long long unit_id = 0;
  std::string reason;
  std::string granted_at;
  std::string expires_at;
};

/// An alert raised to one staff member.
struct Alert {
  long long id = 0;
  long long staff_id = 0;
  std::string kind;
  std::optional<std::string> record_type;
  std::optional<std::string> record_id;
  std::string params;  ///< JSON object text
  std::string created_at;
  std::optional<std::string> read_at;
};

/// Registry statements for one dialect.
class PersonStore {
 public:
  explicit PersonStore(db::Dialect dialect) : dialect_(dialect) {}

  /// Inserts the person with all parts and search keys; sets ids. `chinese_key` is stored for linkage.
  long long Insert(soci::session& sql, Person& person, const std::string& now);
  /// The main row only; nullopt when absent.
  [[nodiscard]] std::optional<Person> Find(soci::session& sql, long long id);
  /// The main row with names, documents, contacts, addresses and consents.
  [[nodiscard]] std::optional<Person> Load(soci::session& sql, long long id);
  /// Main rows with names, contacts and addresses (merged persons skipped).
  [[nodiscard]] std::vector<Person> LoadForMatching(soci::session& sql, const std::vector<long long>& ids);
  /// Main rows only, in no particular order (merged persons skipped).
  [[nodiscard]] std::vector<Person> LoadMain(soci::session& sql, const std::vector<long long>& ids);

  /// The parts LoadParts can add (bit flags).
  enum Part : unsigned {
    kNames = 1U,
    kContacts = 2U,
    kAddresses = 4U,
    kDocuments = 8U,
    kConsents = 16U,
    kAllParts = 31U,
  };
  /// Appends the chosen parts (a combination of Part flags) to each person, by person id.
  void LoadParts(soci::session& sql, const std::vector<Person*>& persons, unsigned parts);
  /// Writes the main row when its version still is `expected_version`; false when someone else changed it.
  [[nodiscard]] bool UpdateMain(soci::session& sql, const Person& person, long long expected_version,
                                const std::string& now);
  /// Bumps the version after a change to one of the parts; false on a version conflict.
  [[nodiscard]] bool Touch(soci::session& sql, long long id, long long expected_version, const std::string& now);
  /// Recomputes the person's search keys.
  void ReplaceSearchKeys(soci::session& sql, const Person& person);

  long long InsertName(soci::session& sql, long long person_id, PersonName& name, const std::string& now);
  long long InsertDocument(soci::session& sql, long long person_id, PersonDocument& document, const std::string& now);
  long long InsertContact(soci::session& sql, long long person_id, PersonContact& contact, const std::string& now);
  long long InsertAddress(soci::session& sql, long long person_id, PersonAddress& address, const std::string& now);
  /// Deletes one part row of the person (table is one of names, documents, contacts, addresses); false when absent.
  [[nodiscard]] bool DeletePart(soci::session& sql, const std::string& part, long long person_id, long long part_id);

  /// Up to `limit` persons holding the search key.
  [[nodiscard]] std::vector<long long> Postings(soci::session& sql, long long key, int limit);
  /// Postings() of each key, in the order of `keys`: on PostgreSQL in one statement (one round trip).
  [[nodiscard]] std::vector<std::vector<long long>> PostingsEach(soci::session& sql, const std::vector<long long>& keys,
                                                                 int limit);
  /// (search key, person id) of the persons holding one of `keys`, at most `limit` rows in all: one statement for
  /// many keys known to be narrow (the near-date keys).
  [[nodiscard]] std::vector<std::pair<long long, long long>> PostingsOf(soci::session& sql,
                                                                        const std::vector<long long>& keys, int limit);
  /// Up to `limit` active persons with this date of birth text.
  [[nodiscard]] std::vector<long long> BornOn(soci::session& sql, const std::string& birth_date, int limit);
  /// Up to `limit` persons with this phone key (last 8 digits).
  [[nodiscard]] std::vector<long long> ByPhone(soci::session& sql, const std::string& phone_key, int limit);
  /// Persons holding a document with one of these number hashes.
  [[nodiscard]] std::vector<long long> ByDocumentHash(soci::session& sql, const std::vector<std::string>& hashes);
  /// The person holding a document of this type and hash, if any.
  [[nodiscard]] std::optional<long long> DocumentOwner(soci::session& sql, const std::string& doc_type,
                                                       const std::string& hash);
  /// Persons (any status) whose external reference starts with `prefix`, by reference. Not indexed: for rare
  /// look-ups such as finding the demo clients already loaded.
  [[nodiscard]] std::map<std::string, long long> ByExternalRefPrefix(soci::session& sql, const std::string& prefix);

  long long InsertInvolvement(soci::session& sql, Involvement& involvement, std::optional<long long> created_by,
                              const std::string& now);
  [[nodiscard]] std::vector<Involvement> Involvements(soci::session& sql, long long person_id);
  [[nodiscard]] std::optional<Involvement> FindInvolvement(soci::session& sql, long long id);
  void EndInvolvement(soci::session& sql, long long id, const std::string& ended_on, const std::string& now);
  /// Units with an involvement open on `today`, per person.
  [[nodiscard]] std::map<long long, std::set<long long>>
  ActiveInvolvementUnits(soci::session& sql, const std::vector<long long>& person_ids, const std::string& today);
  /// Units the person consented to share with on `today` (0 stands for every unit), per person.
  [[nodiscard]] std::map<long long, std::set<long long>>
  ActiveConsentUnits(soci::session& sql, const std::vector<long long>& person_ids, const std::string& today);
  long long InsertConsent(soci::session& sql, long long person_id, PersonConsent& consent, const std::string& now);
  [[nodiscard]] bool WithdrawConsent(soci::session& sql, long long person_id, long long consent_id,
                                     const std::string& withdrawn_on, const std::string& now);

  long long InsertBreakGlass(soci::session& sql, BreakGlassGrant& grant);
  /// The staff member's emergency grant on the person still running at `now`, if any.
  [[nodiscard]] std::optional<BreakGlassGrant> ActiveBreakGlass(soci::session& sql, long long staff_id,
                                                                long long person_id, const std::string& now);
  /// Persons among `person_ids` the staff member holds a running emergency grant on.
  [[nodiscard]] std::set<long long> BreakGlassPersons(soci::session& sql, long long staff_id,
                                                      const std::vector<long long>& person_ids, const std::string& now);

  long long InsertAlert(soci::session& sql, Alert& alert);
  [[nodiscard]] std::vector<Alert> Alerts(soci::session& sql, long long staff_id, bool unread_only,
                                          std::optional<long long> before_id, int limit);
  [[nodiscard]] bool MarkAlertRead(soci::session& sql, long long staff_id, long long alert_id, const std::string& now);
  /// Staff holding `role` at one of `unit_ids` (active accounts).
  [[nodiscard]] std::vector<long long> StaffWithRoleAt(soci::session& sql, const std::string& role,
                                                       const std::vector<long long>& unit_ids);
  /// Active staff holding `role` anywhere.
  [[nodiscard]] std::vector<long long> StaffWithRole(soci::session& sql, const std::string& role);

 private:
  db::Dialect dialect_;
};

/// Languages as stored (space-separated codes) and as sent (a list).
[[nodiscard]] std::string JoinLanguages(const std::vector<std::string>& languages);
[[nodiscard]] std::vector<std::string> SplitLanguages(const std::string& stored);

}  // namespace welfare::registry
