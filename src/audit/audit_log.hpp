/// \file The tamper-evident audit trail: append-only entries chained by SHA-256.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value_from.hpp>
#include <soci/soci.h>

#include "core/error.hpp"
#include "db/database.hpp"

namespace welfare::audit {

/// Who is acting, for whom, from where: filled once per request.
struct Actor {
  std::optional<long long> user_id;
  std::optional<std::string> username;
  std::optional<long long> token_id;
  std::optional<long long> unit_id;
  std::string request_id;
  std::string client_ip;
};

/// What happened.
struct Event {
  std::string action;                      ///< e.g. "staff.lock"
  std::optional<std::string> record_type;  ///< e.g. "staff"
  std::optional<std::string> record_id;
  std::optional<boost::json::object> changes;  ///< {"field": {"from": .., "to": ..}} or details
};

/// A stored entry.
struct Entry {
  long long id = 0;
  std::string at;
  std::optional<long long> actor_user_id;
  std::optional<std::string> actor_username;
  std::optional<long long> actor_token_id;
  std::optional<long long> unit_id;
  std::string action;
  std::optional<std::string> record_type;
  std::optional<std::string> record_id;
  std::string request_id;
  std::string client_ip;
  std::optional<std::string> changes;  ///< JSON text
  std::string prev_hash;
  std::string hash;
};

/// Search filters; every one is optional. Results are newest first, paged by id.
struct Query {
  std::optional<std::string> actor;   ///< username
  std::optional<std::string> action;  ///< exact, or a prefix ending in "." (e.g. "staff.")
  std::optional<std::string> record_type;
  std::optional<std::string> record_id;
  std::optional<std::string> from;  ///< inclusive, ISO time
  std::optional<std::string> to;    ///< exclusive, ISO time
  std::optional<long long> before_id;
  int limit = 50;
};

/// The outcome of recomputing the chain.
struct Verification {
  bool ok = true;
  long long entries_checked = 0;
  std::optional<long long> first_broken_id;
  std::string problem;  ///< what is wrong with the first broken entry
};

/// Builds {"field":{"from":..,"to":..}} entries for changed fields only.
class Changes {
 public:
  /// Records a change when the values differ.
  template <class T>
  Changes& Field(const std::string& name, const T& from, const T& to) {
    if (!(from == to))
      changes_[name] =
          boost::json::object{{"from", boost::json::value_from(from)}, {"to", boost::json::value_from(to)}};
    return *this;
  }
  /// Records a value that was set (creation).
  template <class T>
  Changes& Set(const std::string& name, const T& to) {
    changes_[name] = boost::json::object{{"to", boost::json::value_from(to)}};
    return *this;
  }
  [[nodiscard]] bool Empty() const { return changes_.empty(); }
  [[nodiscard]] boost::json::object Take() { return std::move(changes_); }

 private:
  boost::json::object changes_;
};

/// Appends to and reads the trail. Append runs inside the caller's transaction, so the change
/// and its audit entry are committed together or not at all.
class AuditLog {
 public:
  explicit AuditLog(db::Database& database) : database_(database) {}

  /// Adds one entry chained to the previous one; serialised by the chain head's row lock.
  void Append(soci::session& sql, const Actor& actor, const Event& event);
  /// Adds one entry in a transaction of its own (sign-in failures, denials, reads).
  void AppendNow(const Actor& actor, const Event& event);
  /// Newest-first search.
  [[nodiscard]] std::vector<Entry> Search(const Query& query);
  /// Recomputes every hash from the first entry; `progress(done, total)` is called now and then.
  [[nodiscard]] Verification Verify(const std::function<void(long long, long long)>& progress = {});
  /// The canonical text an entry's hash covers.
  [[nodiscard]] static std::string CanonicalText(const Entry& entry);

 private:
  db::Database& database_;
};

}  // namespace welfare::audit
