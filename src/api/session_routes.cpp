// Routes: signing in and out, and the signed-in user's own account settings.
#include <fmt/format.h>

#include "api/api.hpp"
#include "auth/permissions.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;

std::string SessionCookie(const std::string& value, long long max_age, bool tls) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kSessionCookie, value, max_age,
                     tls ? "; Secure" : "");
}

Result<Response> Describe(Call& call, const auth::Principal& principal) {
  auto described = call.services.sessions.Describe(principal);
  if (!described) return Fail(described.error());
  return Response::Json(*described);
}

Result<Response> SignIn(Call& call) {
  auto body = JsonBody(call);
  if (!body) return Fail(body.error());
  auto signed_in =
      call.services.sessions.SignIn(*body, call.context.actor, std::string(call.request.Header("User-Agent")));
  if (!signed_in) return Fail(signed_in.error());
  auto response = Describe(call, signed_in->principal);
  if (!response) return response;
  const auto lifetime = call.services.sessions.settings().absolute_lifetime.count();
  response->headers.emplace_back("Set-Cookie", SessionCookie(signed_in->token, lifetime, call.services.tls));
  response->headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Result<Response> SignOut(Call& call) {
  if (auto done = call.services.sessions.SignOut(call.context); !done) return Fail(done.error());
  Response response = Response::NoContent();
  response.headers.emplace_back("Set-Cookie", SessionCookie("", 0, call.services.tls));
  return response;
}

Result<Response> SignOutEverywhere(Call& call) {
  if (auto done = call.services.sessions.SignOutEverywhere(call.context); !done) return Fail(done.error());
  Response response = Response::NoContent();
  response.headers.emplace_back("Set-Cookie", SessionCookie("", 0, call.services.tls));
  return response;
}

/// Runs a "my account" use case that takes a JSON body and answers 204.
template <class Action>
Result<Response> NoContentWithBody(Call& call, Action action) {
  auto body = JsonBody(call);
  if (!body) return Fail(body.error());
  if (auto done = action(*body); !done) return Fail(done.error());
  return Response::NoContent();
}

Response RecoveryCodes(const std::vector<std::string>& codes) {
  boost::json::array list;
  for (const auto& code : codes) list.emplace_back(code);
  Response response = Response::Json(boost::json::object{{"recovery_codes", std::move(list)}});
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace

void RegisterSessionRoutes(ApiRouter& router) {
  const std::string any(auth::perm::kAuthenticated);
  router.Add({Verb::post, "/api/v1/session", std::string(auth::perm::kPublic), true, SignIn});
  router.Add({Verb::get, "/api/v1/session", any, true, [](Call& call) { return Describe(call, call.principal); }});
  router.Add({Verb::delete_, "/api/v1/session", any, true, SignOut});
  router.Add({Verb::delete_, "/api/v1/sessions", any, true, SignOutEverywhere});
  router.Add({Verb::put, "/api/v1/me/preferences", any, true, [](Call& call) {
                return NoContentWithBody(call, [&](const boost::json::object& body) {
                  return call.services.sessions.SetPreferences(call.context, body);
                });
              }});
  router.Add({Verb::post, "/api/v1/me/password", any, true, [](Call& call) {
                return NoContentWithBody(call, [&](const boost::json::object& body) {
                  return call.services.sessions.ChangePassword(call.context, body);
                });
              }});
  router.Add({Verb::post, "/api/v1/me/totp/setup", any, true, [](Call& call) -> Result<Response> {
                auto started = call.services.sessions.StartTotpSetup(call.context);
                if (!started) return Fail(started.error());
                Response response = Response::Json(*started);
                response.headers.emplace_back("Cache-Control", "no-store");
                return response;
              }});
  router.Add({Verb::post, "/api/v1/me/totp/confirm", any, true, [](Call& call) -> Result<Response> {
                auto body = JsonBody(call);
                if (!body) return Fail(body.error());
                auto codes = call.services.sessions.ConfirmTotp(call.context, *body);
                if (!codes) return Fail(codes.error());
                return RecoveryCodes(*codes);
              }});
  router.Add({Verb::post, "/api/v1/me/recovery-codes", any, true, [](Call& call) -> Result<Response> {
                auto body = JsonBody(call);
                if (!body) return Fail(body.error());
                auto codes = call.services.sessions.RegenerateRecoveryCodes(call.context, *body);
                if (!codes) return Fail(codes.error());
                return RecoveryCodes(*codes);
              }});
}

}  // namespace welfare::api
