// Routes: the client registry (search, registration, the person record and its parts, involvements, consents,
// emergency access) and the caller's alerts.
#include <boost/json/parse.hpp>

#include "api/api.hpp"
#include "auth/permissions.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;
namespace json = boost::json;

Result<Response> ViewResponse(Call& call, const Result<registry::PersonView>& view, unsigned status = 200) {
  if (!view) return Fail(view.error());
  return Response::Json(call.services.persons.ToJson(*view, call.context.locale), status);
}

Result<Response> SearchResponse(Call& call, const Result<registry::SearchOutcome>& outcome) {
  if (!outcome) return Fail(outcome.error());
  json::array items;
  for (const auto& hit : outcome->hits) items.push_back(call.services.persons.HitJson(hit, call.context.locale));
  return Response::Json(json::object{{"items", std::move(items)}, {"truncated", outcome->truncated}});
}

json::object InvolvementJson(const registry::Involvement& involvement) {
  auto text = [](const std::optional<std::string>& value) {
    return value ? json::value(*value) : json::value(nullptr);
  };
  return {{"id", involvement.id},
          {"person_id", involvement.person_id},
          {"unit_id", involvement.unit_id},
          {"kind", involvement.kind},
          {"reference", text(involvement.reference)},
          {"summary", text(involvement.summary)},
          {"worker_id", involvement.worker_id ? json::value(*involvement.worker_id) : json::value(nullptr)},
          {"started_on", involvement.started_on},
          {"ended_on", text(involvement.ended_on)},
          {"created_at", involvement.created_at}};
}

Result<Response> InvolvementResponse(const Result<registry::Involvement>& involvement, unsigned status = 200) {
  if (!involvement) return Fail(involvement.error());
  return Response::Json(InvolvementJson(*involvement), status);
}

json::object AlertJson(const registry::Alert& alert) {
  boost::system::error_code error;
  json::value params = json::parse(alert.params, error);
  if (error) params = json::object{};
  auto text = [](const std::optional<std::string>& value) {
    return value ? json::value(*value) : json::value(nullptr);
  };
  return {{"id", alert.id},
          {"kind", alert.kind},
          {"record_type", text(alert.record_type)},
          {"record_id", text(alert.record_id)},
          {"params", params},
          {"created_at", alert.created_at},
          {"read_at", text(alert.read_at)}};
}

Result<Response> SearchPersons(Call& call) {
  auto limit = LimitQuery(call);
  if (!limit) return Fail(limit.error());
  registry::SearchRequest request;
  request.text = call.request.Query("q").value_or("");
  request.birth_date = call.request.Query("birth_date");
  request.district = call.request.Query("district");
  request.phone = call.request.Query("phone");
  request.limit = std::min(*limit, 50);
  return SearchResponse(call, call.services.persons.Search(call.context, request));
}

Result<Response> PersonChanges(Call& call) {
  auto before = IntQuery(call, "after");
  auto limit = LimitQuery(call);
  if (!before) return Fail(before.error());
  if (!limit) return Fail(limit.error());
  auto entries = call.services.persons.Changes(call.context, call.request.IntParam(0), *before, *limit + 1);
  if (!entries) return Fail(entries.error());
  json::value next = nullptr;
  if (static_cast<int>(entries->size()) > *limit) {
    entries->pop_back();
    next = std::to_string(entries->back().id);
  }
  json::array items;
  for (const auto& entry : *entries) items.push_back(ToJson(entry));
  return Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

Result<Response> ListAlerts(Call& call) {
  auto before = IntQuery(call, "after");
  auto limit = LimitQuery(call);
  if (!before) return Fail(before.error());
  if (!limit) return Fail(limit.error());
  const bool unread = call.request.Query("unread").value_or("") == "true";
  auto alerts = call.services.persons.Alerts(call.context, unread, *before, *limit + 1);
  if (!alerts) return Fail(alerts.error());
  json::value next = nullptr;
  if (static_cast<int>(alerts->size()) > *limit) {
    alerts->pop_back();
    next = std::to_string(alerts->back().id);
  }
  json::array items;
  for (const auto& alert : *alerts) items.push_back(AlertJson(alert));
  return Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace

void RegisterPersonRoutes(ApiRouter& router) {
  const std::string search(auth::perm::kPersonsSearch);
  const std::string read(auth::perm::kPersonsRead);
  const std::string write(auth::perm::kPersonsWrite);
  const std::string authenticated(auth::perm::kAuthenticated);
  router.Add({Verb::get, "/api/v1/persons", search, false, SearchPersons});
  router.Add({Verb::post, "/api/v1/persons", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return ViewResponse(call, call.services.persons.Create(call.context, body), 201);
                });
              }});
  router.Add({Verb::post, "/api/v1/persons/duplicate-check", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return SearchResponse(call, call.services.persons.CheckDuplicates(call.context, body));
                });
              }});
  router.Add({Verb::get, "/api/v1/persons/{id:int}", search, false, [](Call& call) {
                return ViewResponse(call, call.services.persons.Get(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::patch, "/api/v1/persons/{id:int}", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return ViewResponse(call, call.services.persons.Update(call.context, call.request.IntParam(0), body));
                });
              }});
  for (const std::string part : {"names", "documents", "contacts", "addresses"}) {
    router.Add({Verb::post, "/api/v1/persons/{id:int}/" + part, write, false, [part](Call& call) {
                  return WithBody(call, [&](const json::object& body) {
                    return ViewResponse(
                        call, call.services.persons.AddPart(call.context, call.request.IntParam(0), part, body), 201);
                  });
                }});
    router.Add({Verb::delete_, "/api/v1/persons/{id:int}/" + part + "/{part_id:int}", write, false,
                [part](Call& call) -> Result<Response> {
                  auto version = IntQuery(call, "version");
                  if (!version) return Fail(version.error());
                  if (!*version) return Fail(Error::Validation({{"version", "required"}}));
                  return ViewResponse(call,
                                      call.services.persons.RemovePart(call.context, call.request.IntParam(0), part,
                                                                       call.request.IntParam(1), **version));
                }});
  }
  router.Add({Verb::get, "/api/v1/persons/{id:int}/involvements", read, false, [](Call& call) -> Result<Response> {
                auto involvements = call.services.persons.Involvements(call.context, call.request.IntParam(0));
                if (!involvements) return Fail(involvements.error());
                json::array items;
                for (const auto& involvement : *involvements) items.push_back(InvolvementJson(involvement));
                return Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
              }});
  router.Add({Verb::post, "/api/v1/persons/{id:int}/involvements", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return InvolvementResponse(
                      call.services.persons.RegisterAtUnit(call.context, call.request.IntParam(0), body), 201);
                });
              }});
  router.Add(
      {Verb::post, "/api/v1/persons/{id:int}/involvements/{involvement_id:int}/end", write, false, [](Call& call) {
         return WithBody(call, [&](const json::object& body) {
           return InvolvementResponse(call.services.persons.EndInvolvement(call.context, call.request.IntParam(0),
                                                                           call.request.IntParam(1), body));
         });
       }});
  router.Add({Verb::post, "/api/v1/persons/{id:int}/consents", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return ViewResponse(
                      call, call.services.persons.AddConsent(call.context, call.request.IntParam(0), body), 201);
                });
              }});
  router.Add({Verb::post, "/api/v1/persons/{id:int}/consents/{consent_id:int}/withdraw", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return ViewResponse(call,
                                      call.services.persons.WithdrawConsent(call.context, call.request.IntParam(0),
                                                                            call.request.IntParam(1), body));
                });
              }});
  router.Add({Verb::post, "/api/v1/persons/{id:int}/break-glass", read, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return ViewResponse(call,
                                      call.services.persons.BreakGlass(call.context, call.request.IntParam(0), body));
                });
              }});
  router.Add({Verb::get, "/api/v1/persons/{id:int}/changes", read, false, PersonChanges});
  router.Add({Verb::get, "/api/v1/persons/{id:int}/export", std::string(auth::perm::kPersonsExport), false,
              [](Call& call) -> Result<Response> {
                const std::string format = call.request.Query("format").value_or("json");
                const long long id = call.request.IntParam(0);
                Response response;
                if (format == "json") {
                  auto data = call.services.exports.Json(call.context, id);
                  if (!data) return Fail(data.error());
                  response = Response::Json(*data);
                } else if (format == "pdf") {
                  auto pdf = call.services.exports.Pdf(call.context, id);
                  if (!pdf) return Fail(pdf.error());
                  response.content_type = "application/pdf";
                  response.body = std::move(*pdf);
                } else {
                  return Fail(Error::Validation({{"format", "invalid_choice", {{"choices", "json, pdf"}}}}));
                }
                response.headers.emplace_back("Content-Disposition", "attachment; filename=\"person-" +
                                                                         std::to_string(id) + "." + format + "\"");
                response.headers.emplace_back("Cache-Control", "no-store");
                return response;
              }});
  router.Add({Verb::get, "/api/v1/alerts", authenticated, false, ListAlerts});
  router.Add({Verb::post, "/api/v1/alerts/{id:int}/read", authenticated, false, [](Call& call) -> Result<Response> {
                auto marked = call.services.persons.MarkAlertRead(call.context, call.request.IntParam(0));
                if (!marked) return Fail(marked.error());
                return Response::NoContent();
              }});
}

}  // namespace welfare::api
