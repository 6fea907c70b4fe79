// Routes: audit trail search, CSV export, chain verification, background jobs.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/api.hpp"
#include "auth/permissions.hpp"
#include "core/time.hpp"

namespace welfare::api {
namespace {

using http::Response;
using http::Verb;

/// Reads the audit filters from the query string.
Result<audit::Query> ReadQuery(const Call& call) {
  audit::Query query;
  FieldErrors errors;
  auto text = [&](std::string_view name) -> std::optional<std::string> {
    auto value = call.request.Query(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  };
  query.actor = text("actor");
  if (query.actor) {
    for (auto& c : *query.actor) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  query.action = text("action");
  query.record_type = text("record_type");
  query.record_id = text("record_id");
  for (auto [name, target] : {std::pair{"from", &query.from}, std::pair{"to", &query.to}}) {
    if (auto value = text(name)) {
      if (auto parsed = ParseTime(*value)) {
        *target = FormatTime(*parsed);
      } else {
        errors.Add(name, "invalid_format", {{"hint", "2026-11-22 or 2026-11-22T08:00:00Z"}});
      }
    }
  }
  // Every problem with the query is reported at once, like a request body's.
  auto collect = [&](const Error& error) {
    for (const auto& field : error.fields) errors.Add(field.field, field.code, field.params);
  };
  if (auto after = IntQuery(call, "after"); after) {
    query.before_id = *after;
  } else {
    collect(after.error());
  }
  if (auto limit = LimitQuery(call); limit) {
    query.limit = *limit;
  } else {
    collect(limit.error());
  }
  if (auto valid = errors.Finish(); !valid) return Fail(valid.error());
  return query;
}

boost::json::value ParseChanges(const std::optional<std::string>& changes) {
  if (!changes) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(*changes, ec);
  return ec ? boost::json::value(*changes) : value;
}

/// One CSV field, quoted when needed; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
std::string CsvField(std::string_view value) {
  std::string field(value);
  if (!field.empty() && std::string_view("=+-@").find(field.front()) != std::string_view::npos) field.insert(0, "'");
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

Result<Response> Search(Call& call) {
  auto query = ReadQuery(call);
  if (!query) return Fail(query.error());
  const int limit = query->limit;
  query->limit = limit + 1;
  auto entries = call.services.audit.Search(*query);
  boost::json::value next = nullptr;
  if (static_cast<int>(entries.size()) > limit) {
    entries.pop_back();
    next = std::to_string(entries.back().id);
  }
  boost::json::array items;
  for (const auto& entry : entries) items.push_back(ToJson(entry));
  return Response::Json(boost::json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

Result<Response> Export(Call& call) {
  auto query = ReadQuery(call);
  if (!query) return Fail(query.error());
  constexpr long long kMaxRows = 200000;
  std::string csv = "\xEF\xBB\xBF";  // byte order mark: spreadsheets then read the Chinese text as UTF-8
  csv += "id,at,actor_username,actor_user_id,actor_token_id,unit_id,action,record_type,record_id,request_id,client_ip,"
         "changes\r\n";
  query->limit = 1000;
  long long rows = 0;
  for (;;) {
    auto entries = call.services.audit.Search(*query);
    for (const auto& entry : entries) {
      auto text = [](const auto& value) {
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::optional<long long>>) {
          return value ? std::to_string(*value) : std::string();
        } else {
          return value.value_or(std::string());
        }
      };
      csv += std::to_string(entry.id) + "," + CsvField(entry.at) + "," + CsvField(text(entry.actor_username)) + "," +
             text(entry.actor_user_id) + "," + text(entry.actor_token_id) + "," + text(entry.unit_id) + "," +
             CsvField(entry.action) + "," + CsvField(text(entry.record_type)) + "," + CsvField(text(entry.record_id)) +
             "," + CsvField(entry.request_id) + "," + CsvField(entry.client_ip) + "," + CsvField(text(entry.changes)) +
             "\r\n";
    }
    rows += static_cast<long long>(entries.size());
    if (entries.size() < 1000 || rows >= kMaxRows) break;
    query->before_id = entries.back().id;
  }
  call.services.audit.AppendNow(call.context.actor,
                                {"audit.export", std::nullopt, std::nullopt, boost::json::object{{"rows", rows}}});
  Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = std::move(csv);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"audit-trail.csv\"");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Result<Response> StartVerify(Call& call) {
  auto id = call.services.database.Write<long long>([&](soci::session& sql) -> Result<long long> {
    const long long job_id = call.services.jobs.Enqueue(sql, "audit.verify", {}, call.principal.staff_id);
    call.services.audit.Append(
        sql, call.context.actor,
        {"job.create", "job", std::to_string(job_id), boost::json::object{{"kind", "audit.verify"}}});
    return job_id;
  });
  if (!id) return Fail(id.error());
  call.services.jobs.Notify();
  auto job = call.services.jobs.Get(*id);
  if (!job) return Fail(job.error());
  return Response::Json(boost::json::object{{"job", jobs::ToJson(*job)}}, 202);
}

}  // namespace

boost::json::object ToJson(const audit::Entry& entry) {
  auto optional_int = [](const std::optional<long long>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
  };
  auto optional_text = [](const std::optional<std::string>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
  };
  return {{"id", entry.id},
          {"at", entry.at},
          {"actor_user_id", optional_int(entry.actor_user_id)},
          {"actor_username", optional_text(entry.actor_username)},
          {"actor_token_id", optional_int(entry.actor_token_id)},
          {"unit_id", optional_int(entry.unit_id)},
          {"action", entry.action},
          {"record_type", optional_text(entry.record_type)},
          {"record_id", optional_text(entry.record_id)},
          {"request_id", entry.request_id},
          {"client_ip", entry.client_ip},
          {"changes", ParseChanges(entry.changes)},
          {"hash", entry.hash}};
}

void RegisterAuditRoutes(ApiRouter& router) {
  router.Add({Verb::get, "/api/v1/audit", std::string(auth::perm::kAuditRead), false, Search});
  router.Add({Verb::get, "/api/v1/audit/export", std::string(auth::perm::kAuditExport), false, Export});
  router.Add({Verb::post, "/api/v1/audit/verify", std::string(auth::perm::kAuditRead), false, StartVerify});
  router.Add(
      {Verb::get, "/api/v1/jobs", std::string(auth::perm::kJobsRead), false, [](Call& call) -> Result<Response> {
         auto status = call.request.Query("status");
         if (status && status->empty()) status.reset();
         if (status && *status != "queued" && *status != "running" && *status != "succeeded" && *status != "failed") {
           return Fail(
               Error::Validation({{"status", "invalid_choice", {{"choices", "queued, running, succeeded, failed"}}}}));
         }
         auto limit = LimitQuery(call);
         if (!limit) return Fail(limit.error());
         auto list = call.services.jobs.List(status, *limit);
         if (!list) return Fail(list.error());
         boost::json::array items;
         for (const auto& job : *list) items.push_back(jobs::ToJson(job));
         return Response::Json(boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
       }});
  router.Add({Verb::get, "/api/v1/jobs/{id:int}", std::string(auth::perm::kJobsRead), false,
              [](Call& call) -> Result<Response> {
                auto job = call.services.jobs.Get(call.request.IntParam(0));
                if (!job) return Fail(job.error());
                return Response::Json(jobs::ToJson(*job));
              }});
}

}  // namespace welfare::api
