// Routes: family links — the family of a person, relationships and households.
#include "api/api.hpp"
#include "auth/permissions.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;
namespace json = boost::json;

Result<Response> HouseholdResponse(const Result<registry::Household>& household, unsigned status = 200) {
  if (!household) return Fail(household.error());
  return Response::Json(registry::ToJson(*household), status);
}

}  // namespace

void RegisterFamilyRoutes(ApiRouter& router) {
  const std::string read(auth::perm::kPersonsRead);
  const std::string write(auth::perm::kPersonsWrite);
  router.Add({Verb::get, "/api/v1/persons/{id:int}/family", read, false, [](Call& call) -> Result<Response> {
                auto family = call.services.families.Family(call.context, call.request.IntParam(0));
                if (!family) return Fail(family.error());
                return Response::Json(*family);
              }});
  router.Add({Verb::post, "/api/v1/persons/{id:int}/relationships", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) -> Result<Response> {
                  auto added = call.services.families.AddRelationship(call.context, call.request.IntParam(0), body);
                  if (!added) return Fail(added.error());
                  return Response::Json(registry::ToJson(*added), 201);
                });
              }});
  router.Add({Verb::delete_, "/api/v1/persons/{id:int}/relationships/{relationship_id:int}", write, false,
              [](Call& call) -> Result<Response> {
                auto removed = call.services.families.RemoveRelationship(call.context, call.request.IntParam(0),
                                                                         call.request.IntParam(1));
                if (!removed) return Fail(removed.error());
                return Response::NoContent();
              }});
  router.Add({Verb::post, "/api/v1/households", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return HouseholdResponse(call.services.families.CreateHousehold(call.context, body), 201);
                });
              }});
  router.Add({Verb::post, "/api/v1/households/{id:int}/members", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return HouseholdResponse(
                      call.services.families.AddMember(call.context, call.request.IntParam(0), body), 201);
                });
              }});
  router.Add({Verb::post, "/api/v1/households/{id:int}/members/{member_id:int}/leave", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return HouseholdResponse(call.services.families.EndMembership(call.context, call.request.IntParam(0),
                                                                                call.request.IntParam(1), body));
                });
              }});
}

}  // namespace welfare::api
