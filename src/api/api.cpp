#include "api/api.hpp"

#include "api/problem.hpp"
#include "auth/permissions.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/log.hpp"

namespace welfare::api {
namespace {

bool IsStateChanging(http::Verb method) {
  return method != http::Verb::get && method != http::Verb::head && method != http::Verb::options;
}

std::string_view BearerToken(const http::Request& request) {
  const std::string_view header = request.Header("Authorization");
  if (header.size() > 7 && (header.starts_with("Bearer ") || header.starts_with("bearer "))) return header.substr(7);
  return {};
}

}  // namespace

bool IsApiPath(std::string_view path) {
  path = path.substr(0, path.find('?'));
  return path.starts_with("/api/") || path == "/healthz" || path == "/readyz" || path == "/metrics";
}

void RegisterRoutes(ApiRouter& router) {
  RegisterSystemRoutes(router);
  RegisterSessionRoutes(router);
  RegisterUnitRoutes(router);
  RegisterStaffRoutes(router);
  RegisterAuditRoutes(router);
  RegisterPersonRoutes(router);
  RegisterDuplicateRoutes(router);
  RegisterFamilyRoutes(router);
  RegisterCatalogRoutes(router);
  RegisterCaseRoutes(router);
}

Api::Api(Services& services) : services_(services) { RegisterRoutes(router_); }

http::Response Api::Handle(http::Request& request) {
  try {
    return Dispatch(request);
  } catch (const std::exception& error) {
    Log(LogLevel::kError, "request failed", {{"request_id", request.request_id}, {"error", error.what()}});
    http::Response response = Problem("internal", 500, request.locale, request.request_id);
    response.route = "error";
    return response;
  }
}

http::Response Api::Dispatch(http::Request& request) {
  if (!IsApiPath(request.path)) {
    if (auto file = services_.static_files.Serve(request)) return *file;
    http::Response response = Problem("not_found", 404, request.locale, request.request_id);
    response.route = "static";
    return response;
  }
  const http::Route<ApiHandler>* route = nullptr;
  std::vector<std::string> params;
  const auto match = router_.Find(request.method, request.path, route, params);
  if (match != http::Match::kFound) {
    const bool no_path = match == http::Match::kNoPath;
    http::Response response = Problem(no_path ? "route_not_found" : "method_not_allowed", no_path ? 404 : 405,
                                      request.locale, request.request_id);
    if (!no_path) response.headers.emplace_back("Allow", router_.AllowedMethods(request.path));
    response.route = "unmatched";
    return response;
  }
  request.params = std::move(params);

  auth::Principal principal;
  audit::Actor actor;
  actor.request_id = request.request_id;
  actor.client_ip = request.client_ip;
  auto finish = [&](http::Response response) {
    response.route = route->pattern;
    response.user_id = principal.staff_id;
    return response;
  };
  auto refuse = [&](std::string_view code, unsigned status) {
    return finish(Problem(code, status, request.locale, request.request_id));
  };

  if (route->permission.empty()) {
    Log(LogLevel::kError, "route without a declared permission refused", {{"route", route->pattern}});
    return refuse("permission_denied", 403);
  }
  if (route->permission != auth::perm::kPublic) {
    const std::string_view bearer = BearerToken(request);
    std::optional<auth::Principal> found;
    bool by_cookie = false;
    if (!bearer.empty()) {
      found = services_.tokens.Authenticate(std::string(bearer));
    } else if (const std::string cookie = request.Cookie(kSessionCookie); !cookie.empty()) {
      found = services_.sessions.Authenticate(cookie);
      by_cookie = true;
    }
    if (!found) return refuse("unauthenticated", 401);
    principal = std::move(*found);
    actor.user_id = principal.staff_id;
    actor.username = principal.username;
    actor.token_id = principal.token_id;
    actor.unit_id = principal.unit_id;
    if (request.Header("Accept-Language").empty()) request.locale = principal.locale;
    if (by_cookie && IsStateChanging(request.method) &&
        !ConstantTimeEquals(request.Header("X-CSRF-Token"), principal.csrf_token)) {
      return refuse("csrf_failed", 403);
    }
    if (principal.restricted && !route->allow_restricted) return refuse(*principal.restricted, 403);
    // "authenticated" routes are a staff member's own session and account; a partner token has neither.
    if (route->permission == auth::perm::kAuthenticated && !principal.staff_id) return refuse("permission_denied", 403);
    if (route->permission != auth::perm::kAuthenticated && !principal.Has(route->permission)) {
      services_.audit.AppendNow(
          actor, {"access.denied", std::nullopt, std::nullopt,
                  boost::json::object{{"route", route->pattern},
                                      {"method", std::string(boost::beast::http::to_string(request.method))},
                                      {"permission", route->permission}}});
      return refuse("permission_denied", 403);
    }
  }

  Call call{request, principal, auth::Context{principal, actor, request.locale}, services_};
  // A change may end sessions or alter what they may do (sign-out, lock, roles): look them up afresh,
  // also when the handler fails after committing.
  struct ClearCaches {
    Services& services;
    bool active;
    ~ClearCaches() {
      if (!active) return;
      services.sessions.InvalidateCache();
      services.units.InvalidateCache();
    }
  } clear_caches{services_, IsStateChanging(request.method)};
  Result<http::Response> result = route->handler(call);
  if (result) return finish(std::move(*result));
  const Error& error = result.error();
  if (error.canonical == Canonical::kInternal) {
    Log(LogLevel::kError, "internal error", {{"request_id", request.request_id}, {"detail", error.internal}});
  } else if (error.canonical == Canonical::kPermissionDenied && error.code == "permission_denied") {
    services_.audit.AppendNow(actor, {"access.denied", std::nullopt, std::nullopt,
                                      boost::json::object{{"route", route->pattern}, {"detail", error.internal}}});
  }
  return finish(Problem(error, request.locale, request.request_id));
}

Result<boost::json::object> JsonBody(const Call& call) {
  const std::string_view type = call.request.Header("Content-Type");
  if (!call.request.Body().empty() && !type.starts_with("application/json")) {
    return Fail(Error::Make(Canonical::kInvalidArgument, "unsupported_media_type"));
  }
  return ParseJsonObject(call.request.Body());
}

Result<std::optional<long long>> IntQuery(const Call& call, std::string_view name) {
  const auto text = call.request.Query(name);
  if (!text || text->empty()) return std::optional<long long>();
  try {
    size_t used = 0;
    const long long value = std::stoll(*text, &used);
    if (used == text->size()) return std::optional<long long>(value);
  } catch (const std::exception&) {  // reported below
  }
  return Fail(Error::Validation({{std::string(name), "invalid_type", {{"expected", "integer"}}}}));
}

Result<int> LimitQuery(const Call& call) {
  auto limit = IntQuery(call, "limit");
  if (!limit) return Fail(limit.error());
  if (!*limit) return 50;
  if (**limit < 1 || **limit > 200) {
    return Fail(Error::Validation({{"limit", "out_of_range", {{"min", "1"}, {"max", "200"}}}}));
  }
  return static_cast<int>(**limit);
}

}  // namespace welfare::api
