// Routes: case management from the first contact to an allocated case (enquiries, intakes, cases, allocation,
// caseloads, notes).
#include <tuple>

#include "api/api.hpp"
#include "auth/permissions.hpp"
#include "cases/case_service.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;
namespace json = boost::json;

Result<Response> JsonResult(const Result<json::object>& result, unsigned status = 200) {
  if (!result) return Fail(result.error());
  return Response::Json(*result, status);
}

}  // namespace

void RegisterCaseRoutes(ApiRouter& router) {
  const std::string read(auth::perm::kCasesRead);
  const std::string write(auth::perm::kCasesWrite);
  const std::string supervise(auth::perm::kCasesSupervise);
  router.Add({Verb::get, "/api/v1/enquiries", read, false, [](Call& call) -> Result<Response> {
                auto after = IntQuery(call, "after");
                if (!after) return Fail(after.error());
                auto limit = LimitQuery(call);
                if (!limit) return Fail(limit.error());
                const bool open_only = call.request.Query("state").value_or("") == "open";
                return JsonResult(call.services.cases.Enquiries(call.context, open_only, *after, *limit));
              }});
  router.Add({Verb::post, "/api/v1/enquiries", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.RecordEnquiry(call.context, body), 201);
                });
              }});
  router.Add({Verb::get, "/api/v1/enquiries/{id:int}", read, false, [](Call& call) {
                return JsonResult(call.services.cases.Enquiry(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::post, "/api/v1/enquiries/{id:int}/outcome", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(
                      call.services.cases.RecordEnquiryOutcome(call.context, call.request.IntParam(0), body));
                });
              }});
  router.Add({Verb::post, "/api/v1/intakes", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.StartIntake(call.context, body), 201);
                });
              }});
  router.Add({Verb::get, "/api/v1/intakes/{id:int}", read, false, [](Call& call) {
                return JsonResult(call.services.cases.Intake(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::put, "/api/v1/intakes/{id:int}", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.SaveIntake(call.context, call.request.IntParam(0), body));
                });
              }});
  router.Add({Verb::post, "/api/v1/intakes/{id:int}/complete", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.CompleteIntake(call.context, call.request.IntParam(0), body));
                });
              }});
  router.Add({Verb::get, "/api/v1/cases", read, false, [](Call& call) -> Result<Response> {
                cases::CaseQuery query;
                query.scope = call.request.Query("scope").value_or("mine");
                if (query.scope != "mine" && query.scope != "unit") {
                  return Fail(Error::Validation({{"scope", "invalid_choice", {{"choices", "mine, unit"}}}}));
                }
                query.state = call.request.Query("state");
                auto person = IntQuery(call, "person_id");
                if (!person) return Fail(person.error());
                query.person_id = *person;
                auto after = IntQuery(call, "after");
                if (!after) return Fail(after.error());
                query.after_id = *after;
                auto limit = LimitQuery(call);
                if (!limit) return Fail(limit.error());
                query.limit = *limit;
                return JsonResult(call.services.cases.Cases(call.context, query));
              }});
  router.Add({Verb::get, "/api/v1/cases/{id:int}", read, false,
              [](Call& call) { return JsonResult(call.services.cases.Case(call.context, call.request.IntParam(0))); }});
  router.Add({Verb::post, "/api/v1/cases/{id:int}/allocation", supervise, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.Allocate(call.context, call.request.IntParam(0), body));
                });
              }});
  for (const auto& [path, action, permission] :
       {std::tuple<std::string, std::string, std::string>{"request-closure", "request_closure", write},
        {"approve-closure", "approve_closure", supervise},
        {"return-closure", "return_closure", supervise},
        {"reopen", "reopen", supervise}}) {
    router.Add({Verb::post, "/api/v1/cases/{id:int}/" + path, permission, false, [action](Call& call) {
                  return WithBody(call, [&](const json::object& body) {
                    return JsonResult(call.services.cases.Step(call.context, call.request.IntParam(0), action, body));
                  });
                }});
  }
  router.Add({Verb::post, "/api/v1/referrals", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.Refer(call.context, body), 201);
                });
              }});
  router.Add({Verb::get, "/api/v1/referrals", read, false, [](Call& call) -> Result<Response> {
                const std::string box = call.request.Query("box").value_or("in");
                if (box != "in" && box != "out") {
                  return Fail(Error::Validation({{"box", "invalid_choice", {{"choices", "in, out"}}}}));
                }
                auto after = IntQuery(call, "after");
                if (!after) return Fail(after.error());
                auto limit = LimitQuery(call);
                if (!limit) return Fail(limit.error());
                return JsonResult(
                    call.services.cases.Referrals(call.context, box, call.request.Query("state"), *after, *limit));
              }});
  router.Add({Verb::get, "/api/v1/referrals/{id:int}", read, false, [](Call& call) {
                return JsonResult(call.services.cases.Referral(call.context, call.request.IntParam(0)));
              }});
  const std::string respond(auth::perm::kReferralsRespond);
  for (const auto& [action, permission] :
       {std::pair<std::string, std::string>{"accept", respond}, {"decline", respond}, {"withdraw", write}}) {
    router.Add({Verb::post, "/api/v1/referrals/{id:int}/" + action, permission, false, [action](Call& call) {
                  return WithBody(call, [&](const json::object& body) {
                    return JsonResult(
                        call.services.cases.AnswerReferral(call.context, call.request.IntParam(0), action, body));
                  });
                }});
  }
  router.Add({Verb::get, "/api/v1/me/work", read, false,
              [](Call& call) { return JsonResult(call.services.cases.Work(call.context)); }});
  router.Add({Verb::get, "/api/v1/units/{id:int}/caseloads", supervise, false, [](Call& call) {
                return JsonResult(call.services.cases.Caseloads(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::get, "/api/v1/cases/{id:int}/assessments", read, false, [](Call& call) {
                return JsonResult(call.services.cases.Assessments(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::post, "/api/v1/cases/{id:int}/assessments", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.StartAssessment(call.context, call.request.IntParam(0), body),
                                    201);
                });
              }});
  router.Add({Verb::put, "/api/v1/assessments/{id:int}", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.SaveAssessment(call.context, call.request.IntParam(0), body));
                });
              }});
  router.Add({Verb::post, "/api/v1/assessments/{id:int}/complete", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(
                      call.services.cases.CompleteAssessment(call.context, call.request.IntParam(0), body));
                });
              }});
  router.Add({Verb::get, "/api/v1/cases/{id:int}/plans", read, false, [](Call& call) {
                return JsonResult(call.services.cases.Plans(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::post, "/api/v1/cases/{id:int}/plans", write, false, [](Call& call) {
                return JsonResult(call.services.cases.StartPlan(call.context, call.request.IntParam(0)), 201);
              }});
  router.Add({Verb::put, "/api/v1/plans/{id:int}", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.SavePlan(call.context, call.request.IntParam(0), body));
                });
              }});
  for (const auto& [action, permission] :
       {std::pair<std::string, std::string>{"submit", write}, {"approve", supervise}, {"return", supervise}}) {
    router.Add({Verb::post, "/api/v1/plans/{id:int}/" + action, permission, false, [action](Call& call) {
                  return WithBody(call, [&](const json::object& body) {
                    return JsonResult(
                        call.services.cases.DecidePlan(call.context, call.request.IntParam(0), action, body));
                  });
                }});
  }
  router.Add({Verb::get, "/api/v1/cases/{id:int}/notes", read, false, [](Call& call) {
                return JsonResult(call.services.cases.Notes(call.context, call.request.IntParam(0)));
              }});
  router.Add({Verb::post, "/api/v1/cases/{id:int}/notes", write, false, [](Call& call) {
                return WithBody(call, [&](const json::object& body) {
                  return JsonResult(call.services.cases.AddNote(call.context, call.request.IntParam(0), body), 201);
                });
              }});
}

}  // namespace welfare::api
