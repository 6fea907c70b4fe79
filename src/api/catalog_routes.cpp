// Routes: case management configuration (form definitions and service types, versioned).
#include <boost/json.hpp>

#include "api/api.hpp"
#include "auth/permissions.hpp"
#include "cases/catalog.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;
namespace json = boost::json;

json::object TypeJson(const cases::ProvidedType& provided) {
  json::object out = cases::ServiceTypeJson(provided.type);
  json::array ids;
  for (long long unit_id : provided.unit_ids) ids.emplace_back(unit_id);
  out["unit_ids"] = std::move(ids);
  return out;
}

/// The body of a PUT, whose code must be the one in the path.
Result<json::object> BodyFor(const Call& call) {
  auto body = JsonBody(call);
  if (!body) return Fail(body.error());
  const json::value* code = body->if_contains("code");
  if (code == nullptr) {
    (*body)["code"] = call.request.params.at(0);
  } else if (!code->is_string() || code->get_string() != call.request.params.at(0)) {
    return Fail(Error::Validation({{"code", "path_mismatch", {{"path", call.request.params.at(0)}}}}));
  }
  (*body)["version"] = 1;  // the catalog takes the next version; a body need not know it
  return body;
}

}  // namespace

void RegisterCatalogRoutes(ApiRouter& router) {
  const std::string read(auth::perm::kCasesRead);
  const std::string manage(auth::perm::kServiceTypesManage);
  router.Add({Verb::get, "/api/v1/forms", read, false, [](Call& call) -> Result<Response> {
                json::array items;
                for (const auto& form : call.services.catalog.Forms()) items.push_back(forms::DefinitionJson(form));
                return Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
              }});
  router.Add({Verb::get, "/api/v1/forms/{code}", read, false, [](Call& call) -> Result<Response> {
                std::optional<int> version;
                if (auto text = call.request.Query("version")) {
                  try {
                    version = std::stoi(*text);
                  } catch (const std::exception&) {
                    return Fail(Error::Validation({{"version", "invalid_type", {{"expected", "integer"}}}}));
                  }
                }
                auto form = call.services.catalog.Form(call.request.params.at(0), version);
                if (!form) return Fail(form.error());
                return Response::Json(forms::DefinitionJson(*form));
              }});
  router.Add({Verb::put, "/api/v1/forms/{code}", manage, false, [](Call& call) -> Result<Response> {
                auto body = BodyFor(call);
                if (!body) return Fail(body.error());
                auto form = call.services.catalog.SaveForm(call.context, *body);
                if (!form) return Fail(form.error());
                return Response::Json(forms::DefinitionJson(*form));
              }});
  router.Add({Verb::get, "/api/v1/service-types", read, false, [](Call& call) -> Result<Response> {
                json::array items;
                for (const auto& type : call.services.catalog.Types()) items.push_back(TypeJson(type));
                return Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
              }});
  router.Add({Verb::get, "/api/v1/service-types/{code}", read, false, [](Call& call) -> Result<Response> {
                auto type = call.services.catalog.Type(call.request.params.at(0));
                if (!type) return Fail(type.error());
                return Response::Json(TypeJson(*type));
              }});
  router.Add({Verb::put, "/api/v1/service-types/{code}", manage, false, [](Call& call) -> Result<Response> {
                auto body = BodyFor(call);
                if (!body) return Fail(body.error());
                auto type = call.services.catalog.SaveType(call.context, *body);
                if (!type) return Fail(type.error());
                return Response::Json(TypeJson(*type));
              }});
}

}  // namespace welfare::api
