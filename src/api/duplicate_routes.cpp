// Routes: the duplicate review queue, merging records and undoing merges (data stewards).
#include "api/api.hpp"
#include "auth/permissions.hpp"
#include "core/json.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;
namespace json = boost::json;

json::object PairJson(Call& call, const registry::PairDetail& detail) {
  return {{"pair", registry::ToJson(detail.pair)},
          {"left", call.services.persons.ToJson(detail.left, call.context.locale)},
          {"right", call.services.persons.ToJson(detail.right, call.context.locale)}};
}

Result<Response> MergeResponse(const Result<registry::MergeRecord>& merge, unsigned status = 200) {
  if (!merge) return Fail(merge.error());
  return Response::Json(registry::ToJson(*merge), status);
}

Result<Response> ListPairs(Call& call) {
  auto limit = LimitQuery(call);
  if (!limit) return Fail(limit.error());
  const std::string status = call.request.Query("status").value_or("open");
  if (status != "open" && status != "deferred" && status != "distinct" && status != "merged") {
    return Fail(Error::Validation({{"status", "invalid_choice", {{"choices", "open, deferred, distinct, merged"}}}}));
  }
  auto pairs = call.services.merges.ListPairs(call.context, status, call.request.Query("after"), *limit + 1);
  if (!pairs) return Fail(pairs.error());
  json::value next = nullptr;
  if (static_cast<int>(pairs->size()) > *limit) {
    pairs->pop_back();
    const auto& last = pairs->back().pair;
    next = std::to_string(last.probability) + ":" + std::to_string(last.id);
  }
  json::array items;
  for (const auto& detail : *pairs) items.push_back(PairJson(call, detail));
  return Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace

void RegisterDuplicateRoutes(ApiRouter& router) {
  const std::string merge(auth::perm::kPersonsMerge);
  const std::string search(auth::perm::kPersonsSearch);
  router.Add({Verb::get, "/api/v1/duplicates", merge, false, ListPairs});
  router.Add({Verb::get, "/api/v1/duplicates/count", merge, false, [](Call& call) -> Result<Response> {
                auto open = call.services.merges.CountOpenPairs(call.context);
                if (!open) return Fail(open.error());
                return Response::Json(json::object{{"open", *open}});
              }});
  router.Add({Verb::post, "/api/v1/duplicates/detect", merge, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) -> Result<Response> {
                  JsonReader reader(body);
                  reader.RejectUnknown({"threshold"});
                  json::object payload;
                  if (const auto* threshold = body.if_contains("threshold")) {
                    const double value = threshold->is_number() ? threshold->to_number<double>() : -1;
                    if (value < 0.5 || value > 0.999) {
                      reader.Add("threshold", "out_of_range", {{"min", "0.5"}, {"max", "0.999"}});
                    }
                    payload["threshold"] = value;
                  }
                  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
                  if (call.principal.staff_id) payload["staff_id"] = *call.principal.staff_id;
                  auto job_id = call.services.database.Write<long long>([&](soci::session& sql) -> Result<long long> {
                    const long long id =
                        call.services.jobs.Enqueue(sql, "registry.detect_duplicates", payload, call.principal.staff_id);
                    call.services.audit.Append(sql, call.context.actor,
                                               {"job.create", "job", std::to_string(id),
                                                json::object{{"kind", "registry.detect_duplicates"}}});
                    return id;
                  });
                  if (!job_id) return Fail(job_id.error());
                  call.services.jobs.Notify();
                  auto job = call.services.jobs.Get(*job_id);
                  if (!job) return Fail(job.error());
                  return Response::Json(json::object{{"job", jobs::ToJson(*job)}}, 202);
                });
              }});
  router.Add({Verb::get, "/api/v1/duplicates/{id:int}", merge, false, [](Call& call) -> Result<Response> {
                auto detail = call.services.merges.GetPair(call.context, call.request.IntParam(0));
                if (!detail) return Fail(detail.error());
                return Response::Json(PairJson(call, *detail));
              }});
  router.Add({Verb::post, "/api/v1/duplicates/{id:int}/decision", merge, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) -> Result<Response> {
                  auto pair = call.services.merges.Decide(call.context, call.request.IntParam(0), body);
                  if (!pair) return Fail(pair.error());
                  return Response::Json(registry::ToJson(*pair));
                });
              }});
  router.Add({Verb::post, "/api/v1/persons/{id:int}/merge", merge, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return MergeResponse(call.services.merges.Merge(call.context, call.request.IntParam(0), body), 201);
                });
              }});
  router.Add({Verb::post, "/api/v1/merges/{id:int}/undo", merge, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return MergeResponse(call.services.merges.Undo(call.context, call.request.IntParam(0), body));
                });
              }});
  router.Add({Verb::get, "/api/v1/persons/{id:int}/merges", search, false, [](Call& call) -> Result<Response> {
                auto merges = call.services.merges.MergesOf(call.context, call.request.IntParam(0));
                if (!merges) return Fail(merges.error());
                json::array items;
                for (const auto& merge : *merges) items.push_back(registry::ToJson(merge));
                return Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
              }});
}

}  // namespace welfare::api
