#include "api/problem.hpp"

#include <unordered_map>

#include "core/messages.hpp"

namespace welfare::api {

unsigned StatusOf(const Error& error) {
  static const std::unordered_map<std::string_view, unsigned> by_code = {
      {"validation_failed", 422}, {"malformed_json", 400},      {"unsupported_media_type", 415},
      {"csv_required", 415},      {"invalid_credentials", 401}, {"totp_required", 401},
      {"totp_invalid", 401},      {"account_locked", 423},      {"too_many_attempts", 429},
      {"csrf_failed", 403},       {"version_conflict", 409},    {"already_exists", 409},
      {"route_not_found", 404},   {"method_not_allowed", 405},  {"payload_too_large", 413},
      {"header_too_large", 431},
  };
  if (const auto found = by_code.find(error.code); found != by_code.end()) return found->second;
  switch (error.canonical) {
  case Canonical::kInvalidArgument:
    return 400;
  case Canonical::kUnauthenticated:
    return 401;
  case Canonical::kPermissionDenied:
    return 403;
  case Canonical::kNotFound:
    return 404;
  case Canonical::kAlreadyExists:
    return 409;
  case Canonical::kConflict:
    return 409;
  case Canonical::kFailedPrecondition:
    return 409;
  case Canonical::kResourceExhausted:
    return 429;
  case Canonical::kUnavailable:
    return 503;
  case Canonical::kInternal:
    return 500;
  }
  return 500;
}

namespace {

http::Response Build(std::string_view code, unsigned status, const Error* error, Locale locale,
                     const std::string& request_id) {
  boost::json::object body;
  body["type"] = "https://openwelfare.example/problems/" + std::string(code);
  body["status"] = status;
  body["code"] = code;
  body["title"] = ProblemTitle(code, locale);
  body["detail"] = ProblemDetail(code, locale);
  if (!request_id.empty()) body["request_id"] = request_id;
  if (error != nullptr && !error->fields.empty()) {
    boost::json::array fields;
    for (const auto& field : error->fields) {
      fields.push_back(boost::json::object{
          {"field", field.field}, {"code", field.code}, {"message", FieldMessage(field.code, field.params, locale)}});
    }
    body["errors"] = std::move(fields);
  }
  if (error != nullptr) {
    for (const auto& member : error->extra) body[member.key()] = member.value();
  }
  http::Response response = http::Response::Json(body, status);
  response.content_type = "application/problem+json";
  response.headers.emplace_back("Content-Language", std::string(LocaleTag(locale)));
  if (error != nullptr) {
    if (const auto* retry = error->extra.if_contains("retry_after"); retry != nullptr && retry->is_int64()) {
      response.headers.emplace_back("Retry-After", std::to_string(retry->as_int64()));
    }
  }
  return response;
}

}  // namespace

http::Response Problem(const Error& error, Locale locale, const std::string& request_id) {
  // Internal details stay in the log; the client learns only that something failed and the request id.
  if (error.canonical == Canonical::kInternal) return Build("internal", 500, nullptr, locale, request_id);
  return Build(error.code, StatusOf(error), &error, locale, request_id);
}

http::Response Problem(std::string_view code, unsigned status, Locale locale, const std::string& request_id) {
  return Build(code, status, nullptr, locale, request_id);
}

}  // namespace welfare::api
