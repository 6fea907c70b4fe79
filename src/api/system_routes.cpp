// Routes: liveness, readiness and metrics.
#include <fmt/format.h>

#include "api/api.hpp"
#include "auth/permissions.hpp"
#include "db/migrations.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;

Result<Response> Ready(Call& call) {
  try {
    const auto schema = db::InspectSchema(call.services.database);
    if (!schema.pending.empty() || !schema.altered.empty()) {
      Response response = Response::Json(
          boost::json::object{{"status", "not_ready"}, {"database", "ok"}, {"schema", "pending_migrations"}}, 503);
      return response;
    }
    return Response::Json(boost::json::object{{"status", "ready"}, {"database", "ok"}, {"schema", "current"}});
  } catch (const std::exception&) {
    return Response::Json(boost::json::object{{"status", "not_ready"}, {"database", "unreachable"}}, 503);
  }
}

Result<Response> MetricsText(Call& call) {
  const auto pool = call.services.database.Stats();
  std::string extra;
  fmt::format_to(std::back_inserter(extra),
                 "# HELP welfare_db_pool_size Database connections in the pool.\n# TYPE welfare_db_pool_size gauge\n"
                 "welfare_db_pool_size {}\n"
                 "# HELP welfare_db_pool_in_use Database connections leased.\n# TYPE welfare_db_pool_in_use gauge\n"
                 "welfare_db_pool_in_use {}\n"
                 "# HELP welfare_db_pool_leases_total Connection leases.\n# TYPE welfare_db_pool_leases_total counter\n"
                 "welfare_db_pool_leases_total {}\n"
                 "# HELP welfare_db_pool_wait_seconds_total Time spent waiting for a connection.\n"
                 "# TYPE welfare_db_pool_wait_seconds_total counter\nwelfare_db_pool_wait_seconds_total {}\n",
                 pool.size, pool.in_use, pool.leases, static_cast<double>(pool.wait_microseconds) / 1e6);
  const auto [queued, running] = call.services.jobs.Counts();
  fmt::format_to(std::back_inserter(extra),
                 "# HELP welfare_jobs Background jobs by status.\n# TYPE welfare_jobs gauge\n"
                 "welfare_jobs{{status=\"queued\"}} {}\nwelfare_jobs{{status=\"running\"}} {}\n",
                 queued, running);
  Response response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = call.services.metrics.Render(extra);
  return response;
}

}  // namespace

void RegisterSystemRoutes(ApiRouter& router) {
  const std::string open(auth::perm::kPublic);
  router.Add({Verb::get, "/healthz", open, true, [](Call&) -> Result<Response> {
                return Response::Json(boost::json::object{{"status", "ok"}});
              }});
  router.Add({Verb::get, "/readyz", open, true, Ready});
  router.Add({Verb::get, "/metrics", open, true, MetricsText});
}

}  // namespace welfare::api
