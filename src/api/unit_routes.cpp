// Routes: organisation units.
#include "api/api.hpp"
#include "auth/permissions.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;

Result<Response> UnitResponse(const Result<auth::Unit>& unit, unsigned status = 200) {
  if (!unit) return Fail(unit.error());
  return Response::Json(auth::ToJson(*unit), status);
}

}  // namespace

void RegisterUnitRoutes(ApiRouter& router) {
  const std::string read(auth::perm::kUnitsRead);
  const std::string manage(auth::perm::kUnitsManage);
  router.Add({Verb::get, "/api/v1/units", read, false, [](Call& call) -> Result<Response> {
                auto units = call.services.units.List(call.context);
                if (!units) return Fail(units.error());
                boost::json::array items;
                for (const auto& unit : *units) items.push_back(auth::ToJson(unit));
                return Response::Json(boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
              }});
  router.Add({Verb::post, "/api/v1/units", manage, false, [](Call& call) -> Result<Response> {
                auto body = JsonBody(call);
                if (!body) return Fail(body.error());
                return UnitResponse(call.services.units.Create(call.context, *body), 201);
              }});
  router.Add({Verb::get, "/api/v1/units/{id:int}", read, false, [](Call& call) {
                return UnitResponse(call.services.units.Get(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::patch, "/api/v1/units/{id:int}", manage, false, [](Call& call) -> Result<Response> {
                auto body = JsonBody(call);
                if (!body) return Fail(body.error());
                return UnitResponse(call.services.units.Update(call.context, call.request.IntParam(0), *body));
              }});
}

}  // namespace welfare::api
