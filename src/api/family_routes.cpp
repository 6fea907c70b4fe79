// Routes: family links — the family of a person, relationships and households.
#include "api/api.hpp"
#include "auth/permissions.hpp"
#include "core/json.hpp"
#include "registry/json_values.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;
namespace json = boost::json;

Result<Response> HouseholdResponse(const Result<registry::Household>& household, unsigned status = 200) {
  if (!household) return Fail(household.error());
  return Response::Json(registry::ToJson(*household), status);
}

Result<Response> UploadImport(Call& call) {
  const std::string_view type = call.request.Header("Content-Type");
  if (!type.starts_with("text/csv")) return Fail(Error::Make(Canonical::kInvalidArgument, "csv_required"));
  registry::ImportOptions options;
  const std::string mode = call.request.Query("mode").value_or("dry_run");
  FieldErrors errors;
  if (mode != "dry_run" && mode != "apply") errors.Add("mode", "invalid_choice", {{"choices", "dry_run, apply"}});
  options.apply = mode == "apply";
  options.accept_duplicates = call.request.Query("accept_duplicates").value_or("") == "true";
  options.reason = call.request.Query("reason");
  if (options.accept_duplicates && Utf8Length(Trim(options.reason.value_or(""))) < registry::kMinimumReason) {
    errors.Add("reason", "reason_too_short", {{"min", std::to_string(registry::kMinimumReason)}});
  }
  auto unit = IntQuery(call, "unit_id");
  if (!unit) return Fail(unit.error());
  options.unit_id = unit->value_or(call.principal.unit_id);
  if (call.request.Body().empty()) errors.Add("file", "required");
  if (auto valid = errors.Finish(); !valid) return Fail(valid.error());
  const std::string file_name = call.request.Query("file_name").value_or("import.csv");
  auto queued = call.services.imports.Upload(call.context, file_name, call.request.Body(), options,
                                             [&](soci::session& sql, const json::object& payload) -> long long {
                                               return call.services.jobs.Enqueue(sql, "registry.import", payload,
                                                                                 call.principal.staff_id);
                                             });
  if (!queued) return Fail(queued.error());
  call.services.jobs.Notify();
  auto job = call.services.jobs.Get(queued->at("job_id").to_number<long long>());
  if (!job) return Fail(job.error());
  return Response::Json(json::object{{"import_id", queued->at("import_id")}, {"job", jobs::ToJson(*job)}}, 202);
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
  router.Add({Verb::post, "/api/v1/imports", std::string(auth::perm::kPersonsImport), false, UploadImport});
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
