#include "auth/token_service.hpp"

#include <sstream>

#include "auth/permissions.hpp"
#include "auth/policy.hpp"
#include "auth/unit_service.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "db/optional.hpp"
#include "db/rows.hpp"

namespace welfare::auth {
namespace {

using db::FromNullable;
using db::Nullable;

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> scopes;
  std::istringstream stream(text);
  for (std::string scope; stream >> scope;) scopes.push_back(scope);
  return scopes;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& scope : scopes) out += (out.empty() ? "" : " ") + scope;
  return out;
}

constexpr const char* kTokenColumns = "SELECT id, name, unit_id, scopes, prefix, created_at, created_by, last_used_at, "
                                      "expires_at, revoked_at FROM api_tokens";

struct TokenRow {
  ApiToken token;
  std::string scopes;
  boost::optional<long long> created_by;
  boost::optional<std::string> last_used_at, expires_at, revoked_at;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(token.id));
    statement.exchange(soci::into(token.name));
    statement.exchange(soci::into(token.unit_id));
    statement.exchange(soci::into(scopes));
    statement.exchange(soci::into(token.prefix));
    statement.exchange(soci::into(token.created_at));
    statement.exchange(soci::into(created_by));
    statement.exchange(soci::into(last_used_at));
    statement.exchange(soci::into(expires_at));
    statement.exchange(soci::into(revoked_at));
  }
  [[nodiscard]] ApiToken Get() const {
    ApiToken out = token;
    out.scopes = SplitScopes(scopes);
    out.created_by = FromNullable(created_by);
    out.last_used_at = FromNullable(last_used_at);
    out.expires_at = FromNullable(expires_at);
    out.revoked_at = FromNullable(revoked_at);
    return out;
  }
};

template <class Uses>
std::vector<ApiToken> SelectTokens(soci::session& sql, const std::string& where, Uses&& bind_uses) {
  return db::SelectRows<TokenRow>(sql, std::string(kTokenColumns) + where, std::forward<Uses>(bind_uses));
}

}  // namespace

boost::json::object ToJson(const ApiToken& token) {
  boost::json::array scopes;
  for (const auto& scope : token.scopes) scopes.emplace_back(scope);
  return {{"id", token.id},
          {"name", token.name},
          {"unit_id", token.unit_id},
          {"scopes", std::move(scopes)},
          {"prefix", token.prefix},
          {"created_at", token.created_at},
          {"created_by", token.created_by ? boost::json::value(*token.created_by) : boost::json::value(nullptr)},
          {"last_used_at", NullIfEmpty(token.last_used_at)},
          {"expires_at", NullIfEmpty(token.expires_at)},
          {"revoked_at", NullIfEmpty(token.revoked_at)}};
}

Result<std::vector<ApiToken>> TokenService::List(const Context& context) {
  return database_.Read<std::vector<ApiToken>>([&](soci::session& sql) -> Result<std::vector<ApiToken>> {
    auto tokens = SelectTokens(sql, " ORDER BY id DESC", [](soci::statement&) {});
    std::erase_if(tokens, [&](const ApiToken& token) {
      return !AllowsAt(sql, context.principal, perm::kTokensManage, token.unit_id);
    });
    return tokens;
  });
}

Result<std::pair<ApiToken, std::string>> TokenService::Create(const Context& context, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"name", "unit_id", "scopes", "expires_at"});
  const std::string name = reader.RequiredString("name", 1, 100);
  const long long unit_id = reader.RequiredInt("unit_id");
  const auto scopes = reader.OptionalStringArray("scopes");
  const auto expires_text = reader.OptionalString("expires_at", 0, 40);
  std::optional<std::string> expires_at;
  if (!scopes || scopes->empty()) reader.Add("scopes", "required");
  for (const auto& scope : scopes.value_or(std::vector<std::string>{})) {
    if (!perm::IsKnown(scope)) {
      reader.Add("scopes", "invalid_choice", {{"choices", "units.read, staff.read, audit.read, ..."}});
      break;
    }
  }
  if (expires_text && !expires_text->empty()) {
    const auto parsed = ParseTime(*expires_text);
    if (!parsed) {
      reader.Add("expires_at", "invalid_format", {{"hint", "2027-01-31T00:00:00Z"}});
    } else if (*parsed <= Now()) {
      reader.Add("expires_at", "out_of_range", {{"min", FormatTime(Now())}, {"max", "-"}});
    } else {
      expires_at = FormatTime(*parsed);
    }
  }
  return database_.Write<std::pair<ApiToken, std::string>>(
      [&](soci::session& sql) -> Result<std::pair<ApiToken, std::string>> {
        if (unit_id != 0 && !FindUnit(sql, unit_id)) reader.Add("unit_id", "not_found");
        if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
        if (auto allowed = RequireAt(sql, context.principal, perm::kTokensManage, unit_id); !allowed) {
          return Fail(allowed.error());
        }
        // A token can carry only permissions its creator holds at that unit.
        for (const auto& scope : *scopes) {
          if (!AllowsAt(sql, context.principal, scope, unit_id)) {
            return Fail(Error::Validation({{"scopes", "outside_scope", {}}}));
          }
        }
        // Hex, so the prefix never holds the "_" that separates it from the secret.
        const std::string prefix = HexEncode(RandomBytes(6));
        const std::string secret = "ow_" + prefix + "_" + RandomToken(32);
        const std::string hash = key_.KeyedHash(secret);
        const std::string now = FormatTime(Now());
        const std::string scope_text = JoinScopes(*scopes);
        const auto expires = Nullable(expires_at);
        const auto created_by = Nullable(context.principal.staff_id);
        long long id = 0;
        sql << "INSERT INTO api_tokens (name, unit_id, scopes, prefix, token_hash, created_by, created_at, expires_at) "
               "VALUES (:name, :unit, :scopes, :prefix, :hash, :by, :now, :expires) RETURNING id",
            soci::use(name), soci::use(unit_id), soci::use(scope_text), soci::use(prefix), soci::use(hash),
            soci::use(created_by), soci::use(now), soci::use(expires), soci::into(id);
        audit_.Append(sql, context.actor,
                      {"token.create", "api_token", std::to_string(id),
                       boost::json::object{{"name", name}, {"unit_id", unit_id}, {"scopes", scope_text}}});
        auto tokens =
            SelectTokens(sql, " WHERE id = :id", [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
        return std::pair{tokens.front(), secret};
      });
}

Status TokenService::Revoke(const Context& context, long long id) {
  return database_.Write<void>([&](soci::session& sql) -> Status {
    auto tokens = SelectTokens(sql, " WHERE id = :id", [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
    if (tokens.empty() || !AllowsAt(sql, context.principal, perm::kTokensManage, tokens.front().unit_id)) {
      return Fail(Error::NotFound("token"));
    }
    if (tokens.front().revoked_at) return {};
    const std::string now = FormatTime(Now());
    sql << "UPDATE api_tokens SET revoked_at = :now WHERE id = :id", soci::use(now), soci::use(id);
    audit_.Append(sql, context.actor, {"token.revoke", "api_token", std::to_string(id), std::nullopt});
    return {};
  });
}

std::optional<Principal> TokenService::Authenticate(const std::string& bearer) {
  if (!bearer.starts_with("ow_") || bearer.size() > 120) return std::nullopt;
  const auto separator = bearer.find('_', 3);
  if (separator == std::string::npos) return std::nullopt;
  const std::string prefix = bearer.substr(3, separator - 3);
  auto found = database_.Read<std::optional<std::pair<ApiToken, std::string>>>(
      [&](soci::session& sql) -> Result<std::optional<std::pair<ApiToken, std::string>>> {
        auto tokens = SelectTokens(sql, " WHERE prefix = :prefix",
                                   [&](soci::statement& s) { s.exchange(soci::use(prefix, "prefix")); });
        if (tokens.empty()) return std::nullopt;
        std::string hash;
        sql << "SELECT token_hash FROM api_tokens WHERE id = :id", soci::into(hash), soci::use(tokens.front().id);
        return std::pair{tokens.front(), hash};
      });
  if (!found || !*found) return std::nullopt;
  const auto& [token, hash] = **found;
  const TimePoint now = Now();
  if (!ConstantTimeEquals(key_.KeyedHash(bearer), hash) || token.revoked_at ||
      (token.expires_at && ParseTime(*token.expires_at).value_or(now) <= now)) {
    return std::nullopt;
  }
  if (!token.last_used_at || ParseTime(*token.last_used_at).value_or(now) + std::chrono::minutes(1) < now) {
    const std::string now_text = FormatTime(now);
    auto touched = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
      sql << "UPDATE api_tokens SET last_used_at = :now WHERE id = :id", soci::use(now_text), soci::use(token.id);
      return true;
    });
    (void)touched;
  }
  Principal principal;
  principal.token_id = token.id;
  principal.username = "token:" + token.name;
  principal.display_name = token.name;
  principal.unit_id = token.unit_id;
  principal.expires_at = token.expires_at.value_or("");
  Grant grant{0, "api_token", token.unit_id, {}};
  grant.permissions.insert(token.scopes.begin(), token.scopes.end());
  principal.grants.push_back(std::move(grant));
  return principal;
}

}  // namespace welfare::auth
