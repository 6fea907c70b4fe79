// Routes: roles, staff accounts and their role assignments, API tokens.
#include "api/api.hpp"
#include "auth/permissions.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;

Result<Response> StaffResponse(const Result<auth::Staff>& staff, unsigned status = 200) {
  if (!staff) return Fail(staff.error());
  return Response::Json(auth::ToJson(*staff), status);
}

Result<Response> ListStaff(Call& call) {
  auth::StaffQuery query;
  query.text = call.request.Query("q");
  if (query.text && query.text->empty()) query.text.reset();
  auto unit = IntQuery(call, "unit_id");
  auto after = IntQuery(call, "after");
  auto limit = LimitQuery(call);
  if (!unit) return Fail(unit.error());
  if (!after) return Fail(after.error());
  if (!limit) return Fail(limit.error());
  query.unit_id = *unit;
  query.after_id = *after;
  query.limit = *limit + 1;
  query.status = call.request.Query("status");
  if (query.status && query.status->empty()) query.status.reset();
  if (query.status && *query.status != "active" && *query.status != "locked") {
    return Fail(Error::Validation({{"status", "invalid_choice", {{"choices", "active, locked"}}}}));
  }
  auto staff = call.services.staff.List(call.context, query);
  if (!staff) return Fail(staff.error());
  boost::json::value next = nullptr;
  if (static_cast<int>(staff->size()) > *limit) {
    staff->pop_back();
    next = std::to_string(staff->back().id);
  }
  boost::json::array items;
  for (const auto& member : *staff) items.push_back(auth::ToJson(member));
  return Response::Json(boost::json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace

void RegisterStaffRoutes(ApiRouter& router) {
  const std::string read(auth::perm::kStaffRead);
  const std::string manage(auth::perm::kStaffManage);
  const std::string assign(auth::perm::kRolesAssign);
  const std::string tokens(auth::perm::kTokensManage);
  router.Add({Verb::get, "/api/v1/roles", read, false, [](Call& call) -> Result<Response> {
                auto roles = call.services.staff.Roles();
                if (!roles) return Fail(roles.error());
                boost::json::array items;
                for (const auto& role : *roles) items.push_back(auth::ToJson(role));
                return Response::Json(boost::json::object{{"items", std::move(items)}});
              }});
  router.Add({Verb::get, "/api/v1/staff", read, false, ListStaff});
  router.Add({Verb::post, "/api/v1/staff", manage, false, [](Call& call) {
                return WithBody(call, [&](const boost::json::object& body) {
                  return StaffResponse(call.services.staff.Create(call.context, body), 201);
                });
              }});
  router.Add({Verb::get, "/api/v1/staff/{id:int}", read, false, [](Call& call) {
                return StaffResponse(call.services.staff.Get(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::patch, "/api/v1/staff/{id:int}", manage, false, [](Call& call) {
                return WithBody(call, [&](const boost::json::object& body) {
                  return StaffResponse(call.services.staff.Update(call.context, call.request.IntParam(0), body));
                });
              }});
  router.Add({Verb::post, "/api/v1/staff/{id:int}/password-reset", manage, false, [](Call& call) -> Result<Response> {
                auto password = call.services.staff.ResetPassword(call.context, call.request.IntParam(0));
                if (!password) return Fail(password.error());
                Response response = Response::Json(boost::json::object{{"temporary_password", *password}});
                response.headers.emplace_back("Cache-Control", "no-store");
                return response;
              }});
  router.Add({Verb::post, "/api/v1/staff/{id:int}/lock", manage, false, [](Call& call) {
                return WithBody(call, [&](const boost::json::object& body) {
                  return StaffResponse(call.services.staff.Lock(call.context, call.request.IntParam(0), body));
                });
              }});
  router.Add({Verb::post, "/api/v1/staff/{id:int}/unlock", manage, false, [](Call& call) {
                return StaffResponse(call.services.staff.Unlock(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::post, "/api/v1/staff/{id:int}/totp-reset", manage, false, [](Call& call) {
                return StaffResponse(call.services.staff.ResetSecondFactor(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::post, "/api/v1/staff/{id:int}/roles", assign, false, [](Call& call) {
                return WithBody(call, [&](const boost::json::object& body) -> Result<Response> {
                  auto granted = call.services.staff.GrantRole(call.context, call.request.IntParam(0), body);
                  if (!granted) return Fail(granted.error());
                  return Response::Json(auth::ToJson(*granted), 201);
                });
              }});
  router.Add({Verb::delete_, "/api/v1/staff/{id:int}/roles/{assignment_id:int}", assign, false,
              [](Call& call) -> Result<Response> {
                auto revoked =
                    call.services.staff.RevokeRole(call.context, call.request.IntParam(0), call.request.IntParam(1));
                if (!revoked) return Fail(revoked.error());
                return Response::NoContent();
              }});
  router.Add({Verb::get, "/api/v1/api-tokens", tokens, false, [](Call& call) -> Result<Response> {
                auto list = call.services.tokens.List(call.context);
                if (!list) return Fail(list.error());
                boost::json::array items;
                for (const auto& token : *list) items.push_back(auth::ToJson(token));
                return Response::Json(boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
              }});
  router.Add({Verb::post, "/api/v1/api-tokens", tokens, false, [](Call& call) {
                return WithBody(call, [&](const boost::json::object& body) -> Result<Response> {
                  auto created = call.services.tokens.Create(call.context, body);
                  if (!created) return Fail(created.error());
                  boost::json::object out = auth::ToJson(created->first);
                  out["token"] = created->second;
                  Response response = Response::Json(out, 201);
                  response.headers.emplace_back("Cache-Control", "no-store");
                  return response;
                });
              }});
  router.Add({Verb::delete_, "/api/v1/api-tokens/{id:int}", tokens, false, [](Call& call) -> Result<Response> {
                auto revoked = call.services.tokens.Revoke(call.context, call.request.IntParam(0));
                if (!revoked) return Fail(revoked.error());
                return Response::NoContent();
              }});
}

}  // namespace welfare::api
