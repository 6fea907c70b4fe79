/// \file Use cases of the client registry: search, registration with the duplicate check, the person
/// record and its parts, involvements, consents, emergency access and alerts — each access-checked and audited.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "auth/unit_service.hpp"
#include "core/crypto.hpp"
#include "db/database.hpp"
#include "registry/matching.hpp"
#include "registry/person.hpp"
#include "registry/person_store.hpp"

namespace welfare::registry {

/// A person as one caller may see them.
struct PersonView {
  Person person;
  Access access = Access::kNone;
  std::string access_reason;                          ///< involvement, consent, emergency (empty for none)
  std::vector<long long> contact_units;               ///< units to contact (for a restricted view)
  std::map<long long, std::string> document_numbers;  ///< opened numbers by document id (full/shared only)
  std::optional<std::string> emergency_until;         ///< end of the caller's emergency access
};

/// One search result.
struct SearchHit {
  PersonView view;
  MatchScore score;
};

/// The outcome of a search or a duplicate check.
struct SearchOutcome {
  std::vector<SearchHit> hits;
  bool truncated = false;  ///< the query matched too many people to rank them all: add details
};

/// Search input: the search box and optional filters.
struct SearchRequest {
  std::string text;
  std::optional<std::string> birth_date;
  std::optional<std::string> district;
  std::optional<std::string> phone;
  int limit = 20;
};

/// An identity document as typed: its kind, the number in canonical form, the issuer.
struct DocumentInput {
  std::string doc_type;
  std::string canonical;
  std::optional<std::string> issuer;
};

/// The registry's use cases.
class PersonService {
 public:
  PersonService(db::Database& database, audit::AuditLog& audit, const SecretKey& key, auth::UnitService& units);

  [[nodiscard]] Result<SearchOutcome> Search(const auth::Context& context, const SearchRequest& request);
  /// Candidates for a registration form (body as for Create, without the override).
  [[nodiscard]] Result<SearchOutcome> CheckDuplicates(const auth::Context& context, const boost::json::object& body);
  /// Registers a person at the caller's unit; refuses with possible_duplicates unless overridden with a reason.
  [[nodiscard]] Result<PersonView> Create(const auth::Context& context, const boost::json::object& body);
  /// The record as the caller may see it; a full view is written to the audit trail.
  [[nodiscard]] Result<PersonView> Get(const auth::Context& context, long long id);
  /// Changes the main fields (body with version).
  [[nodiscard]] Result<PersonView> Update(const auth::Context& context, long long id, const boost::json::object& body);
  /// Adds a name, document, contact or address (`part` is names, documents, contacts, addresses).
  [[nodiscard]] Result<PersonView> AddPart(const auth::Context& context, long long id, const std::string& part,
                                           const boost::json::object& body);
  /// Removes one part row.
  [[nodiscard]] Result<PersonView> RemovePart(const auth::Context& context, long long id, const std::string& part,
                                              long long part_id, long long version);
  /// The service history: every involvement of a unit with the person.
  [[nodiscard]] Result<std::vector<Involvement>> Involvements(const auth::Context& context, long long id);
  /// Registers the person as a client of the caller's unit (the explicit involvement of the registry).
  [[nodiscard]] Result<Involvement> RegisterAtUnit(const auth::Context& context, long long id,
                                                   const boost::json::object& body);
  /// Ends an involvement of the caller's unit.
  [[nodiscard]] Result<Involvement> EndInvolvement(const auth::Context& context, long long id, long long involvement_id,
                                                   const boost::json::object& body);
  /// Records a consent to share; `WithdrawConsent` ends one.
  [[nodiscard]] Result<PersonView> AddConsent(const auth::Context& context, long long id,
                                              const boost::json::object& body);
  [[nodiscard]] Result<PersonView> WithdrawConsent(const auth::Context& context, long long id, long long consent_id,
                                                   const boost::json::object& body);
  /// Emergency access with a written reason: time-limited, audited, raised to supervisors and auditors.
  [[nodiscard]] Result<PersonView> BreakGlass(const auth::Context& context, long long id,
                                              const boost::json::object& body);
  /// The change history of the record (from the audit trail), newest first.
  [[nodiscard]] Result<std::vector<audit::Entry>> Changes(const auth::Context& context, long long id,
                                                          std::optional<long long> before_id, int limit);
  /// The caller's alerts, newest first.
  [[nodiscard]] Result<std::vector<Alert>> Alerts(const auth::Context& context, bool unread_only,
                                                  std::optional<long long> before_id, int limit);
  [[nodiscard]] Status MarkAlertRead(const auth::Context& context, long long alert_id);

  /// Reads and validates a registration body into a person (documents sealed and hashed), without saving it.
  [[nodiscard]] Result<Person> PersonFromBody(const boost::json::object& body);
  /// Saves a validated person registered at `unit_id` with its registration involvement and audit entry
  /// (`source` is recorded in the entry, e.g. {"import_id": 3}); no access check or duplicate check.
  void InsertTrusted(soci::session& sql, const audit::Actor& actor, std::optional<long long> staff_id, Person& person,
                     long long unit_id, const boost::json::object& source);
  /// Likely duplicates of a person in the registry (score at least `min_score`), for imports.
  [[nodiscard]] std::vector<SearchHit> LikelyDuplicates(soci::session& sql, const Person& person, int min_score);
  /// A record as a data steward reviewing duplicates sees it (the whole record, access "duplicate_review").
  [[nodiscard]] PersonView StewardView(soci::session& sql, long long id);
  /// The caller's access to a person.
  [[nodiscard]] Access AccessFor(soci::session& sql, const auth::Context& context, const Person& person);

  /// Loads the person for a change by the caller: not found, merged, or not the caller's case team are refused.
  [[nodiscard]] Result<Person> LoadForChange(soci::session& sql, const auth::Context& context, long long id);

  /// How long emergency access lasts.
  static constexpr std::chrono::hours kBreakGlassLifetime{4};

  /// The JSON of a view (restricted views carry only the id and the units to contact).
  [[nodiscard]] boost::json::object ToJson(const PersonView& view, Locale locale);
  /// A summary of a person for lists (search hits, family members): no documents, contacts or consents.
  [[nodiscard]] boost::json::object BriefJson(const PersonView& view, Locale locale);
  /// Views of several persons as the caller may see them (names, contacts and addresses loaded).
  [[nodiscard]] std::map<long long, PersonView> Views(soci::session& sql, const auth::Context& context,
                                                      const std::vector<long long>& ids);
  /// The JSON of a search hit: a summary, not the whole record.
  [[nodiscard]] boost::json::object HitJson(const SearchHit& hit, Locale locale);

 private:
  /// Access to several persons at once.
  struct AccessMap {
    std::map<long long, Access> access;
    std::map<long long, std::string> reason;
    std::map<long long, std::vector<long long>> contact_units;
  };
  [[nodiscard]] AccessMap Evaluate(soci::session& sql, const auth::Context& context,
                                   const std::vector<Person>& persons);
  [[nodiscard]] Result<SearchOutcome> FindCandidates(soci::session& sql, const auth::Context& context, MatchQuery query,
                                                     int limit, int min_score, std::optional<long long> exclude_id);
  [[nodiscard]] PersonView MakeView(const Person& person, const AccessMap& access);
  [[nodiscard]] Result<PersonView> ViewAfterChange(soci::session& sql, const auth::Context& context, long long id);
  [[nodiscard]] std::string DocumentHash(const std::string& canonical) const;
  /// Seals and hashes typed document numbers onto the person.
  void SealDocuments(const std::vector<DocumentInput>& inputs, Person& person) const;

  db::Database& database_;
  audit::AuditLog& audit_;
  const SecretKey& key_;
  auth::UnitService& units_;
  PersonStore store_;
};

}  // namespace welfare::registry
