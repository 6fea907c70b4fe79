#include "auth/session_service.hpp"

#include <algorithm>

#include "auth/password.hpp"
#include "auth/policy.hpp"
#include "auth/staff_service.hpp"
#include "auth/totp.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "db/optional.hpp"

namespace welfare::auth {
namespace {

using db::FromNullable;
using db::Nullable;

/// What sign-in needs to know about an account.
struct Credentials {
  long long id = 0;
  std::string username;
  std::string password_hash;
  std::string status;
  int failed_attempts = 0;
  std::optional<std::string> throttled_until;
  std::optional<std::string> totp_secret;  ///< sealed
  long long totp_last_step = 0;
};

std::optional<Credentials> LoadCredentials(soci::session& sql, const std::string& username) {
  Credentials row;
  boost::optional<std::string> throttled_until, totp_secret;
  sql << "SELECT id, username, password_hash, status, failed_attempts, throttled_until, totp_secret, totp_last_step "
         "FROM staff WHERE username = :username",
      soci::into(row.id), soci::into(row.username), soci::into(row.password_hash), soci::into(row.status),
      soci::into(row.failed_attempts), soci::into(throttled_until), soci::into(totp_secret),
      soci::into(row.totp_last_step), soci::use(username);
  if (!sql.got_data()) return std::nullopt;
  row.throttled_until = FromNullable(throttled_until);
  row.totp_secret = FromNullable(totp_secret);
  return row;
}

/// A hash to verify against when the username is unknown, so both cases take the same time.
const std::string& DummyHash() {
  static const std::string hash = HashPassword("not a real password, only for timing");
  return hash;
}

std::string NormaliseRecoveryCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

bool LooksLikeRecoveryCode(std::string_view normalised) {
  return normalised.size() == 10 && !std::ranges::all_of(normalised, [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> RestrictionFor(soci::session& sql, long long staff_id) {
  int must_change = 0;
  boost::optional<std::string> totp;
  sql << "SELECT must_change_password, totp_secret FROM staff WHERE id = :id", soci::into(must_change),
      soci::into(totp), soci::use(staff_id);
  if (must_change != 0) return "password_change_required";
  if (!totp && RequiresSecondFactor(sql, staff_id)) return "totp_setup_required";
  return std::nullopt;
}

}  // namespace

bool AddressThrottle::Blocked(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto found = failures_.find(address);
  if (found == failures_.end()) return false;
  const auto cutoff = std::chrono::steady_clock::now() - settings_.address_window;
  std::erase_if(found->second, [&](auto time) { return time < cutoff; });
  if (found->second.empty()) {
    failures_.erase(found);
    return false;
  }
  return static_cast<int>(found->second.size()) >= settings_.failures_per_address;
}

void AddressThrottle::RecordFailure(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (failures_.size() > 100000) failures_.clear();  // bound the memory a flood of addresses can take
  failures_[address].push_back(std::chrono::steady_clock::now());
}

Result<SignedIn> SessionService::SignIn(const boost::json::object& body, const audit::Actor& actor,
                                        const std::string& user_agent) {
  JsonReader reader(body);
  reader.RejectUnknown({"username", "password", "totp"});
  std::string username = reader.RequiredString("username", 1, 64);
  std::ranges::transform(username, username.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string password = reader.RequiredString("password", 1, kMaxPasswordLength);
  const std::string second_factor = reader.OptionalString("totp", 0, 40).value_or("");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());

  audit::Actor attempt = actor;
  attempt.username = username;
  auto record_failure = [&](const std::string& reason, std::optional<long long> staff_id) {
    attempt.user_id = staff_id;
    audit_.AppendNow(attempt, {"session.sign_in_failed", staff_id ? std::optional<std::string>("staff") : std::nullopt,
                               staff_id ? std::optional<std::string>(std::to_string(*staff_id)) : std::nullopt,
                               boost::json::object{{"reason", reason}}});
  };

  if (throttle_.Blocked(actor.client_ip)) {
    record_failure("address_throttled", std::nullopt);
    Error error = Error::Make(Canonical::kResourceExhausted, "too_many_attempts");
    error.extra["retry_after"] = static_cast<long long>(settings_.address_window.count());
    return Fail(std::move(error));
  }
  const auto credentials = database_.Read<std::optional<Credentials>>(
      [&](soci::session& sql) -> Result<std::optional<Credentials>> { return LoadCredentials(sql, username); });
  if (!credentials) return Fail(credentials.error());
  if (!*credentials) {
    (void)VerifyPassword(password, DummyHash());
    throttle_.RecordFailure(actor.client_ip);
    record_failure("unknown_user", std::nullopt);
    return Fail(Error::Make(Canonical::kUnauthenticated, "invalid_credentials"));
  }
  const Credentials& account = **credentials;
  const TimePoint now = Now();
  if (account.throttled_until && ParseTime(*account.throttled_until).value_or(now) > now) {
    record_failure("account_throttled", account.id);
    Error error = Error::Make(Canonical::kResourceExhausted, "too_many_attempts");
    error.extra["locked_until"] = *account.throttled_until;
    const auto until = ParseTime(*account.throttled_until).value_or(now);
    error.extra["retry_after"] =
        std::max<long long>(1, std::chrono::duration_cast<std::chrono::seconds>(until - now).count() + 1);
    return Fail(std::move(error));
  }

  // Counts a failure against the account; repeated failures lock it for a while, longer each time.
  auto count_failure = [&](const std::string& reason) {
    throttle_.RecordFailure(actor.client_ip);
    auto counted = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
      const int failures = account.failed_attempts + 1;
      boost::optional<std::string> until;
      if (failures >= settings_.failures_before_lockout) {
        const int rounds = std::min(failures / settings_.failures_before_lockout - 1, 6);
        until = FormatTime(now + settings_.lockout * (1 << rounds));
      }
      sql << "UPDATE staff SET failed_attempts = failed_attempts + 1, throttled_until = :until WHERE id = :id",
          soci::use(until), soci::use(account.id);
      attempt.user_id = account.id;
      boost::json::object details{{"reason", reason}, {"failed_attempts", failures}};
      if (until) details["locked_until"] = *until;
      audit_.Append(sql, attempt, {"session.sign_in_failed", "staff", std::to_string(account.id), details});
      return true;
    });
    (void)counted;
  };

  if (!VerifyPassword(password, account.password_hash)) {
    count_failure("wrong_password");
    return Fail(Error::Make(Canonical::kUnauthenticated, "invalid_credentials"));
  }
  if (account.status != "active") {
    record_failure("account_locked", account.id);
    return Fail(Error::Make(Canonical::kPermissionDenied, "account_locked"));
  }

  std::optional<int64_t> used_step;
  std::optional<std::string> used_recovery_hash;
  if (account.totp_secret) {
    if (second_factor.empty()) return Fail(Error::Make(Canonical::kUnauthenticated, "totp_required"));
    const auto secret = key_.Open(*account.totp_secret);
    if (!secret) return Fail(Error::Internal("TOTP secret cannot be decrypted: wrong secret key file?"));
    const std::string normalised = NormaliseRecoveryCode(second_factor);
    if (LooksLikeRecoveryCode(normalised)) {
      used_recovery_hash = key_.KeyedHash(normalised);
    } else {
      used_step = VerifyTotp(*secret, second_factor, now, account.totp_last_step);
      if (!used_step) {
        count_failure("wrong_totp");
        return Fail(Error::Make(Canonical::kUnauthenticated, "totp_invalid"));
      }
    }
  }

  const std::string token = RandomToken();
  const std::string token_hash = key_.KeyedHash(token);
  const std::string csrf = RandomToken();
  const std::string now_text = FormatTime(now);
  const std::string expires_at =
      FormatTime(now + std::chrono::duration_cast<std::chrono::microseconds>(settings_.absolute_lifetime));
  auto created = database_.Write<std::optional<Principal>>([&](soci::session& sql) -> Result<std::optional<Principal>> {
    if (used_recovery_hash) {
      soci::statement use_code =
          (sql.prepare << "UPDATE recovery_codes SET used_at = :now WHERE staff_id = :staff AND code_hash = :hash "
                          "AND used_at IS NULL",
           soci::use(now_text), soci::use(account.id), soci::use(*used_recovery_hash));
      use_code.execute(true);
      if (use_code.get_affected_rows() != 1) return std::optional<Principal>();
    }
    const long long step = used_step.value_or(account.totp_last_step);
    sql << "UPDATE staff SET failed_attempts = 0, throttled_until = NULL, last_sign_in_at = :now, "
           "totp_last_step = :step WHERE id = :id",
        soci::use(now_text), soci::use(step), soci::use(account.id);
    const auto restricted = RestrictionFor(sql, account.id);
    const auto restricted_value = Nullable(restricted);
    long long session_id = 0;
    sql << "INSERT INTO sessions (token_hash, staff_id, csrf_token, restricted, created_at, last_seen_at, expires_at, "
           "client_ip, user_agent) VALUES (:hash, :staff, :csrf, :restricted, :now, :now2, :expires, :ip, :agent) "
           "RETURNING id",
        soci::use(token_hash), soci::use(account.id), soci::use(csrf), soci::use(restricted_value), soci::use(now_text),
        soci::use(now_text), soci::use(expires_at), soci::use(actor.client_ip), soci::use(user_agent),
        soci::into(session_id);
    attempt.user_id = account.id;
    boost::json::object details{{"session_id", session_id},
                                {"second_factor", used_step            ? "totp"
                                                  : used_recovery_hash ? "recovery_code"
                                                                       : "none"}};
    audit_.Append(sql, attempt, {"session.sign_in", "staff", std::to_string(account.id), details});
    auto staff = FindStaff(sql, account.id);
    Principal principal;
    principal.staff_id = account.id;
    principal.session_id = session_id;
    principal.username = account.username;
    principal.display_name = staff->display_name;
    principal.unit_id = staff->unit_id;
    (void)ParseLocaleTag(staff->locale, principal.locale);
    principal.grants = LoadGrants(sql, account.id);
    principal.csrf_token = csrf;
    principal.restricted = restricted;
    principal.expires_at = expires_at;
    return principal;
  });
  if (!created) return Fail(created.error());
  if (!*created) {
    count_failure("wrong_recovery_code");
    return Fail(Error::Make(Canonical::kUnauthenticated, "totp_invalid"));
  }
  return SignedIn{token, std::move(**created), expires_at};
}

long long SessionService::PurgeExpired() {
  const TimePoint now = Now();
  const std::string now_text = FormatTime(now);
  const std::string idle_before =
      FormatTime(now - std::chrono::duration_cast<std::chrono::microseconds>(settings_.idle_timeout));
  auto purged = database_.Write<long long>([&](soci::session& sql) -> Result<long long> {
    soci::statement purge = (sql.prepare << "DELETE FROM sessions WHERE expires_at < :now OR last_seen_at < :idle",
                             soci::use(now_text), soci::use(idle_before));
    purge.execute(true);
    return static_cast<long long>(purge.get_affected_rows());
  });
  return purged.value_or(0);
}

std::optional<Principal> SessionService::FromCache(const std::string& token_hash) {
  const unsigned long long generation = cache_generation_.load(std::memory_order_acquire);
  const auto steady_now = std::chrono::steady_clock::now();
  std::optional<long long> touch;
  Principal principal;
  const TimePoint now = Now();
  {
    std::unique_lock lock(cache_mutex_);
    const auto found = cache_.find(token_hash);
    if (found == cache_.end()) return std::nullopt;
    CachedSession& entry = found->second;
    const auto idle = std::chrono::duration_cast<std::chrono::microseconds>(settings_.idle_timeout);
    if (entry.generation != generation || steady_now - entry.fetched > settings_.cache_lifetime ||
        entry.last_seen + idle <= now || ParseTime(entry.principal.expires_at).value_or(now) <= now) {
      cache_.erase(found);
      return std::nullopt;
    }
    if (entry.last_seen + std::chrono::minutes(1) < now) {
      entry.last_seen = now;
      touch = entry.principal.session_id;
    }
    principal = entry.principal;
  }
  if (touch) Touch(*touch, now);
  return principal;
}

void SessionService::Remember(const std::string& token_hash, const Principal& principal, TimePoint last_seen,
                              unsigned long long generation) {
  std::unique_lock lock(cache_mutex_);
  if (cache_.size() >= 10000) cache_.clear();  // bounded; a miss only costs a database read
  cache_[token_hash] = CachedSession{principal, last_seen, std::chrono::steady_clock::now(), generation};
}

void SessionService::Touch(long long session_id, TimePoint now) {
  const std::string now_text = FormatTime(now);
  auto touched = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
    sql << "UPDATE sessions SET last_seen_at = :now WHERE id = :id", soci::use(now_text), soci::use(session_id);
    return true;
  });
  (void)touched;
}

std::optional<Principal> SessionService::Authenticate(const std::string& token) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  const std::string token_hash = key_.KeyedHash(token);
  if (auto cached = FromCache(token_hash)) return cached;
  // Read the generation before the database: a change committed meanwhile makes this entry stale.
  const unsigned long long generation = cache_generation_.load(std::memory_order_acquire);
  struct Found {
    Principal principal;
    std::string last_seen_at;
  };
  auto found = database_.Read<std::optional<Found>>([&](soci::session& sql) -> Result<std::optional<Found>> {
    Found row;
    long long session_id = 0, staff_id = 0;
    boost::optional<std::string> restricted, revoked_at;
    std::string expires_at, status, locale;
    sql << "SELECT s.id, s.staff_id, s.csrf_token, s.restricted, s.last_seen_at, s.expires_at, s.revoked_at, "
           "st.username, st.display_name, st.unit_id, st.locale, st.status "
           "FROM sessions s JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = :hash",
        soci::into(session_id), soci::into(staff_id), soci::into(row.principal.csrf_token), soci::into(restricted),
        soci::into(row.last_seen_at), soci::into(expires_at), soci::into(revoked_at),
        soci::into(row.principal.username), soci::into(row.principal.display_name), soci::into(row.principal.unit_id),
        soci::into(locale), soci::into(status), soci::use(token_hash);
    if (!sql.got_data() || revoked_at || status != "active") return std::optional<Found>();
    const TimePoint now = Now();
    const auto last_seen = ParseTime(row.last_seen_at);
    if (ParseTime(expires_at).value_or(now) <= now || !last_seen ||
        *last_seen + std::chrono::duration_cast<std::chrono::microseconds>(settings_.idle_timeout) <= now) {
      return std::optional<Found>();
    }
    row.principal.staff_id = staff_id;
    row.principal.session_id = session_id;
    row.principal.restricted = FromNullable(restricted);
    row.principal.expires_at = expires_at;
    (void)ParseLocaleTag(locale, row.principal.locale);
    row.principal.grants = LoadGrants(sql, staff_id);
    return std::optional<Found>(std::move(row));
  });
  if (!found || !*found) return std::nullopt;
  const TimePoint now = Now();
  TimePoint last_seen = ParseTime((*found)->last_seen_at).value_or(now);
  if (last_seen + std::chrono::minutes(1) < now) {
    Touch(*(*found)->principal.session_id, now);
    last_seen = now;
  }
  Remember(token_hash, (*found)->principal, last_seen, generation);
  return std::move((*found)->principal);
}

Status SessionService::SignOut(const Context& context) {
  return database_.Write<void>([&](soci::session& sql) -> Status {
    const std::string now = FormatTime(Now());
    const long long session_id = context.principal.session_id.value_or(-1);
    sql << "UPDATE sessions SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL", soci::use(now),
        soci::use(session_id);
    audit_.Append(sql, context.actor,
                  {"session.sign_out", "staff", std::to_string(context.principal.staff_id.value_or(0)),
                   boost::json::object{{"session_id", session_id}}});
    return {};
  });
}

Status SessionService::SignOutEverywhere(const Context& context) {
  return database_.Write<void>([&](soci::session& sql) -> Status {
    const long long staff_id = context.principal.staff_id.value_or(-1);
    RevokeSessions(sql, staff_id);
    audit_.Append(sql, context.actor, {"session.sign_out_everywhere", "staff", std::to_string(staff_id), std::nullopt});
    return {};
  });
}

Result<boost::json::object> SessionService::Describe(const Principal& principal) {
  return database_.Read<boost::json::object>([&](soci::session& sql) -> Result<boost::json::object> {
    const auto staff = FindStaff(sql, principal.staff_id.value_or(-1));
    if (!staff) return Fail(Error::NotFound("staff of session"));
    boost::json::object user;
    user["id"] = staff->id;
    user["username"] = staff->username;
    user["display_name"] = staff->display_name;
    user["email"] = NullIfEmpty(staff->email);
    user["unit_id"] = staff->unit_id;
    user["locale"] = staff->locale;
    user["totp_enabled"] = staff->totp_enabled;
    user["must_change_password"] = staff->must_change_password;
    boost::json::array roles;
    for (const auto& role : staff->roles) {
      roles.push_back(boost::json::object{{"id", role.id}, {"role", role.role}, {"unit_id", role.unit_id}});
    }
    user["roles"] = std::move(roles);
    std::set<std::string, std::less<>> permissions;
    for (const auto& grant : principal.grants) permissions.insert(grant.permissions.begin(), grant.permissions.end());
    boost::json::array permission_list;
    for (const auto& permission : permissions) permission_list.emplace_back(permission);
    user["permissions"] = std::move(permission_list);
    return boost::json::object{
        {"user", std::move(user)},
        {"csrf_token", principal.csrf_token},
        {"expires_at", principal.expires_at},
        {"idle_timeout_seconds", settings_.idle_timeout.count()},
        {"restricted", principal.restricted ? boost::json::value(*principal.restricted) : boost::json::value(nullptr)}};
  });
}

void SessionService::RefreshRestriction(soci::session& sql, long long staff_id) {
  const auto restricted = Nullable(RestrictionFor(sql, staff_id));
  sql << "UPDATE sessions SET restricted = :restricted WHERE staff_id = :staff AND revoked_at IS NULL",
      soci::use(restricted), soci::use(staff_id);
}

Status SessionService::ChangePassword(const Context& context, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"current_password", "new_password"});
  const std::string current = reader.RequiredString("current_password", 1, kMaxPasswordLength);
  const std::string next = reader.RequiredString("new_password", 1, kMaxPasswordLength);
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  const long long staff_id = context.principal.staff_id.value_or(-1);
  std::string hash;
  auto loaded = database_.Read<std::string>([&](soci::session& sql) -> Result<std::string> {
    sql << "SELECT password_hash FROM staff WHERE id = :id", soci::into(hash), soci::use(staff_id);
    return hash;
  });
  if (!loaded) return Fail(loaded.error());
  FieldErrors errors;
  if (!VerifyPassword(current, hash)) {
    RecordCodeFailure(context, "wrong_current_password");
    errors.Add("current_password", "password_wrong");
  } else if (current == next) {
    errors.Add("new_password", "password_reused");
  } else {
    CheckPasswordPolicy(next, context.principal.username, "new_password", errors);
  }
  if (auto valid = errors.Finish(); !valid) return Fail(valid.error());
  const std::string new_hash = HashPassword(next);
  return database_.Write<void>([&](soci::session& sql) -> Status {
    const std::string now = FormatTime(Now());
    sql << "UPDATE staff SET password_hash = :hash, must_change_password = 0, version = version + 1, "
           "updated_at = :now WHERE id = :id",
        soci::use(new_hash), soci::use(now), soci::use(staff_id);
    RevokeSessions(sql, staff_id, context.principal.session_id);
    RefreshRestriction(sql, staff_id);
    audit_.Append(sql, context.actor, {"me.password_change", "staff", std::to_string(staff_id), std::nullopt});
    return {};
  });
}

Status SessionService::SetPreferences(const Context& context, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"locale"});
  const std::string locale = reader.RequiredString("locale", 1, 10);
  if (!locale.empty() && locale != "zh-Hant" && locale != "en") {
    reader.Add("locale", "invalid_choice", {{"choices", "zh-Hant, en"}});
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  const long long staff_id = context.principal.staff_id.value_or(-1);
  return database_.Write<void>([&](soci::session& sql) -> Status {
    std::string before;
    sql << "SELECT locale FROM staff WHERE id = :id", soci::into(before), soci::use(staff_id);
    if (before == locale) return {};
    sql << "UPDATE staff SET locale = :locale, version = version + 1 WHERE id = :id", soci::use(locale),
        soci::use(staff_id);
    audit_.Append(
        sql, context.actor,
        {"me.preferences", "staff", std::to_string(staff_id), audit::Changes().Field("locale", before, locale).Take()});
    return {};
  });
}

Result<boost::json::object> SessionService::StartTotpSetup(const Context& context) {
  const long long staff_id = context.principal.staff_id.value_or(-1);
  const std::string secret = NewTotpSecret();
  const std::string sealed = key_.Seal(secret);
  return database_.Write<boost::json::object>([&](soci::session& sql) -> Result<boost::json::object> {
    sql << "UPDATE staff SET totp_pending = :pending WHERE id = :id", soci::use(sealed), soci::use(staff_id);
    return boost::json::object{{"secret", secret}, {"otpauth_uri", TotpUri(secret, context.principal.username)}};
  });
}

std::vector<std::string> SessionService::IssueRecoveryCodes(soci::session& sql, long long staff_id) {
  sql << "DELETE FROM recovery_codes WHERE staff_id = :id", soci::use(staff_id);
  std::vector<std::string> codes;
  for (int index = 0; index < 10; ++index) {
    std::string raw = Base32Encode(RandomBytes(7)).substr(0, 10);
    std::ranges::transform(raw, raw.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::ranges::all_of(raw, [](char c) { return c >= '0' && c <= '9'; })) raw[0] = 'a';
    const std::string hash = key_.KeyedHash(raw);
    sql << "INSERT INTO recovery_codes (staff_id, code_hash) VALUES (:staff, :hash)", soci::use(staff_id),
        soci::use(hash);
    codes.push_back(raw.substr(0, 5) + "-" + raw.substr(5));
  }
  return codes;
}

void SessionService::RecordCodeFailure(const Context& context, const std::string& reason) {
  const long long staff_id = context.principal.staff_id.value_or(-1);
  const TimePoint now = Now();
  auto recorded = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
    int failures = 0;
    sql << "SELECT failed_attempts FROM staff WHERE id = :id", soci::into(failures), soci::use(staff_id);
    ++failures;
    boost::optional<std::string> until;
    if (failures >= settings_.failures_before_lockout) {
      until = FormatTime(now + std::chrono::duration_cast<std::chrono::microseconds>(settings_.lockout));
      RevokeSessions(sql, staff_id);
    }
    sql << "UPDATE staff SET failed_attempts = :failures, "
           "throttled_until = CASE WHEN CAST(:until AS TEXT) IS NULL THEN throttled_until ELSE :until2 END "
           "WHERE id = :id",
        soci::use(failures), soci::use(until), soci::use(until), soci::use(staff_id);
    boost::json::object details{{"reason", reason}, {"failed_attempts", failures}};
    if (until) details["locked_until"] = *until;
    audit_.Append(sql, context.actor, {"me.code_failed", "staff", std::to_string(staff_id), details});
    return true;
  });
  (void)recorded;
  InvalidateCache();
}

Result<std::vector<std::string>> SessionService::ConfirmTotp(const Context& context, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"code", "current_code"});
  const std::string code = reader.RequiredString("code", 1, 20);
  const std::string current_code = reader.OptionalString("current_code", 0, 20).value_or("");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  const long long staff_id = context.principal.staff_id.value_or(-1);
  bool wrong_current_code = false;
  auto confirmed =
      database_.Write<std::vector<std::string>>([&](soci::session& sql) -> Result<std::vector<std::string>> {
        boost::optional<std::string> pending, existing;
        long long last_step = 0;
        sql << "SELECT totp_pending, totp_secret, totp_last_step FROM staff WHERE id = :id", soci::into(pending),
            soci::into(existing), soci::into(last_step), soci::use(staff_id);
        if (!pending) return Fail(Error::Validation({{"code", "totp_not_started", {}}}));
        // Replacing a second factor needs the current one: a session alone must not be enough.
        if (existing) {
          if (current_code.empty()) return Fail(Error::Validation({{"current_code", "required", {}}}));
          const auto current_secret = key_.Open(*existing);
          if (!current_secret) return Fail(Error::Internal("TOTP secret cannot be decrypted"));
          if (!VerifyTotp(*current_secret, current_code, Now(), last_step)) {
            wrong_current_code = true;
            return Fail(Error::Validation({{"current_code", "totp_invalid", {}}}));
          }
        }
        const auto secret = key_.Open(*pending);
        if (!secret) return Fail(Error::Internal("pending TOTP secret cannot be decrypted"));
        const auto step = VerifyTotp(*secret, code, Now(), 0);
        if (!step) return Fail(Error::Validation({{"code", "totp_invalid", {}}}));
        const long long step_value = *step;
        const std::string now = FormatTime(Now());
        sql << "UPDATE staff SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = :step, "
               "failed_attempts = 0, version = version + 1, updated_at = :now WHERE id = :id",
            soci::use(step_value), soci::use(now), soci::use(staff_id);
        auto codes = IssueRecoveryCodes(sql, staff_id);
        RefreshRestriction(sql, staff_id);
        audit_.Append(sql, context.actor,
                      {"me.totp_enable", "staff", std::to_string(staff_id),
                       boost::json::object{{"totp_enabled", {{"to", true}}}}});
        return codes;
      });
  if (wrong_current_code) RecordCodeFailure(context, "wrong_current_code");
  return confirmed;
}

Result<std::vector<std::string>> SessionService::RegenerateRecoveryCodes(const Context& context,
                                                                         const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"code"});
  const std::string code = reader.RequiredString("code", 1, 20);
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  const long long staff_id = context.principal.staff_id.value_or(-1);
  bool wrong_code = false;
  auto regenerated =
      database_.Write<std::vector<std::string>>([&](soci::session& sql) -> Result<std::vector<std::string>> {
        boost::optional<std::string> sealed;
        long long last_step = 0;
        sql << "SELECT totp_secret, totp_last_step FROM staff WHERE id = :id", soci::into(sealed),
            soci::into(last_step), soci::use(staff_id);
        if (!sealed) return Fail(Error::Validation({{"code", "totp_not_enabled", {}}}));
        const auto secret = key_.Open(*sealed);
        if (!secret) return Fail(Error::Internal("TOTP secret cannot be decrypted"));
        const auto step = VerifyTotp(*secret, code, Now(), last_step);
        if (!step) {
          wrong_code = true;
          return Fail(Error::Validation({{"code", "totp_invalid", {}}}));
        }
        const long long step_value = *step;
        sql << "UPDATE staff SET totp_last_step = :step, failed_attempts = 0 WHERE id = :id", soci::use(step_value),
            soci::use(staff_id);
        auto codes = IssueRecoveryCodes(sql, staff_id);
        audit_.Append(sql, context.actor, {"me.recovery_codes", "staff", std::to_string(staff_id), std::nullopt});
        return codes;
      });
  if (wrong_code) RecordCodeFailure(context, "wrong_code");
  return regenerated;
}

}  // namespace welfare::auth
