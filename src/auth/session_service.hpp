/// \file Signing in and out, server-side sessions, the second factor and a user's own account settings.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "auth/principal.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/database.hpp"

namespace welfare::auth {

/// Session and lock-out settings.
struct SessionSettings {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_lifetime{12 * 60 * 60};
  int failures_before_lockout = 5;        ///< per account
  std::chrono::seconds lockout{15 * 60};  ///< first lock-out; doubles with each further one
  int failures_per_address = 30;          ///< per client address within the window
  std::chrono::seconds address_window{15 * 60};
  /// How long a looked-up session is reused without reading the database again. Any change made
  /// through this process clears the cache at once; this bounds how late a change made by another
  /// server process on the same database (sign-out, lock) is seen.
  std::chrono::milliseconds cache_lifetime{5000};
};

/// The result of a successful sign-in.
struct SignedIn {
  std::string token;  ///< the cookie value; only its hash is stored
  Principal principal;
  std::string expires_at;
};

/// Counts failed sign-ins per client address in memory (a sliding window).
class AddressThrottle {
 public:
  explicit AddressThrottle(const SessionSettings& settings) : settings_(settings) {}
  /// True when the address has used up its failures.
  [[nodiscard]] bool Blocked(const std::string& address);
  void RecordFailure(const std::string& address);

 private:
  const SessionSettings& settings_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::chrono::steady_clock::time_point>> failures_;
};

/// Sign-in, sessions and "my account" use cases.
class SessionService {
 public:
  SessionService(db::Database& database, audit::AuditLog& audit, const SecretKey& key, SessionSettings settings = {})
      : database_(database), audit_(audit), key_(key), settings_(settings), throttle_(settings_) {}

  /// Checks password and second factor; creates a session. Failures are audited and counted.
  [[nodiscard]] Result<SignedIn> SignIn(const boost::json::object& body, const audit::Actor& actor,
                                        const std::string& user_agent);
  /// The principal of a live session token, or nullopt (unknown, expired, revoked, account locked).
  [[nodiscard]] std::optional<Principal> Authenticate(const std::string& token);
  /// Forgets every cached session lookup; called after each state-changing request.
  void InvalidateCache() { cache_generation_.fetch_add(1, std::memory_order_acq_rel); }
  /// Ends one session.
  [[nodiscard]] Status SignOut(const Context& context);
  /// Ends every session of the caller.
  [[nodiscard]] Status SignOutEverywhere(const Context& context);
  /// The session document: user, permissions, csrf token, expiry, restriction.
  [[nodiscard]] Result<boost::json::object> Describe(const Principal& principal);

  /// Body: {current_password, new_password}.
  [[nodiscard]] Status ChangePassword(const Context& context, const boost::json::object& body);
  /// Body: {locale}.
  [[nodiscard]] Status SetPreferences(const Context& context, const boost::json::object& body);
  /// Starts second-factor enrolment: {secret, otpauth_uri}.
  [[nodiscard]] Result<boost::json::object> StartTotpSetup(const Context& context);
  /// Body: {code}. Confirms enrolment; returns the new recovery codes.
  [[nodiscard]] Result<std::vector<std::string>> ConfirmTotp(const Context& context, const boost::json::object& body);
  /// Body: {code}. Replaces the recovery codes.
  [[nodiscard]] Result<std::vector<std::string>> RegenerateRecoveryCodes(const Context& context,
                                                                         const boost::json::object& body);

  [[nodiscard]] const SessionSettings& settings() const { return settings_; }
  /// Deletes sessions past their absolute or idle end; returns how many.
  long long PurgeExpired();

 private:
  [[nodiscard]] std::vector<std::string> IssueRecoveryCodes(soci::session& sql, long long staff_id);
  /// Counts a wrong password or second-factor code given while signed in (changing the password,
  /// replacing the authenticator, new recovery codes): audited, and after too many the account is locked out as at
  /// sign-in and its sessions end, so a stolen session cannot guess its way to the second factor.
  void RecordCodeFailure(const Context& context, const std::string& reason);
  /// Recomputes the restriction of the caller's sessions after a password change or enrolment.
  void RefreshRestriction(soci::session& sql, long long staff_id);

  /// A session found in the database, reused for a short while.
  struct CachedSession {
    Principal principal;
    TimePoint last_seen;
    std::chrono::steady_clock::time_point fetched;
    unsigned long long generation = 0;
  };
  [[nodiscard]] std::optional<Principal> FromCache(const std::string& token_hash);
  void Remember(const std::string& token_hash, const Principal& principal, TimePoint last_seen,
                unsigned long long generation);
  /// Moves the idle timer forward (at most once a minute, so reads do not turn into writes).
  void Touch(long long session_id, TimePoint now);

  db::Database& database_;
  audit::AuditLog& audit_;
  const SecretKey& key_;
  std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, CachedSession> cache_;
  std::atomic<unsigned long long> cache_generation_{0};
  SessionSettings settings_;
  AddressThrottle throttle_;
};

}  // namespace welfare::auth
