/// \file The JSON API: the request pipeline (authentication, CSRF, permission, audit of denials) and its routes.
#pragma once

#include <functional>
#include <string>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "auth/principal.hpp"
#include "auth/session_service.hpp"
#include "auth/staff_service.hpp"
#include "auth/token_service.hpp"
#include "auth/unit_service.hpp"
#include "cases/case_service.hpp"
#include "cases/catalog.hpp"
#include "db/database.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "jobs/job_queue.hpp"
#include "registry/export_service.hpp"
#include "registry/family_service.hpp"
#include "registry/import_service.hpp"
#include "registry/merge_service.hpp"
#include "registry/person_service.hpp"

namespace welfare::api {

/// Everything the routes use, built once at start-up.
struct Services {
  db::Database& database;
  audit::AuditLog& audit;
  const SecretKey& key;
  auth::UnitService& units;
  auth::StaffService& staff;
  auth::SessionService& sessions;
  auth::TokenService& tokens;
  jobs::JobQueue& jobs;
  registry::PersonService& persons;
  registry::MergeService& merges;
  registry::FamilyService& families;
  registry::ImportService& imports;
  registry::ExportService& exports;
  cases::Catalog& catalog;
  cases::CaseService& cases;
  http::Metrics& metrics;
  const http::StaticFiles& static_files;
  bool tls = false;
};

/// One API call after authentication.
struct Call {
  http::Request& request;
  const auth::Principal& principal;
  auth::Context context;
  Services& services;
};

using ApiHandler = std::function<Result<http::Response>(Call&)>;
using ApiRouter = http::Router<ApiHandler>;

/// The name of the session cookie.
inline constexpr std::string_view kSessionCookie = "ow_session";

/// True for paths the API answers (the rest is the web console); a query string is ignored.
[[nodiscard]] bool IsApiPath(std::string_view path);

/// Registers every route.
void RegisterRoutes(ApiRouter& router);
void RegisterSessionRoutes(ApiRouter& router);
void RegisterUnitRoutes(ApiRouter& router);
void RegisterStaffRoutes(ApiRouter& router);
void RegisterAuditRoutes(ApiRouter& router);
void RegisterSystemRoutes(ApiRouter& router);
void RegisterPersonRoutes(ApiRouter& router);
void RegisterDuplicateRoutes(ApiRouter& router);
void RegisterFamilyRoutes(ApiRouter& router);
void RegisterCatalogRoutes(ApiRouter& router);
void RegisterCaseRoutes(ApiRouter& router);

/// The request pipeline.
class Api {
 public:
  explicit Api(Services& services);
  /// Handles one request (never throws).
  [[nodiscard]] http::Response Handle(http::Request& request);
  [[nodiscard]] const ApiRouter& router() const { return router_; }

 private:
  [[nodiscard]] http::Response Dispatch(http::Request& request);
  Services& services_;
  ApiRouter router_;
};

/// Reads the JSON body of a call; errors for a wrong content type or bad JSON.
[[nodiscard]] Result<boost::json::object> JsonBody(const Call& call);
/// Reads the JSON body and runs `action` on it; a bad body is answered without running it.
template <class Action>
[[nodiscard]] Result<http::Response> WithBody(Call& call, Action action) {
  auto body = JsonBody(call);
  if (!body) return Fail(body.error());
  return action(*body);
}
/// A query parameter as an integer, or a validation error naming it.
[[nodiscard]] Result<std::optional<long long>> IntQuery(const Call& call, std::string_view name);
/// The API form of an audit entry.
[[nodiscard]] boost::json::object ToJson(const audit::Entry& entry);
/// The page size from ?limit= (1–200, default 50).
[[nodiscard]] Result<int> LimitQuery(const Call& call);

}  // namespace welfare::api
