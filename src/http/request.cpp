#include "http/request.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

namespace welfare::http {

std::string_view Request::Header(std::string_view name) const {
  const auto found = raw->find(name);
  if (found == raw->end()) return {};
  return found->value();
}

std::optional<std::string> Request::Query(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string Request::Cookie(std::string_view name) const {
  const std::string_view header = Header("Cookie");
  size_t start = 0;
  while (start < header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(start, end - start);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) return std::string(pair.substr(equals + 1));
    start = end + 1;
  }
  return {};
}

Response Response::Json(const boost::json::value& value, unsigned status) {
  Response response;
  response.status = status;
  response.content_type = "application/json; charset=utf-8";
  response.body = boost::json::serialize(value);
  return response;
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

bool ParseRequest(const BeastRequest& raw, Request& out) {
  out.raw = &raw;
  out.method = raw.method();
  auto parsed = boost::urls::parse_origin_form(raw.target());
  if (!parsed) return false;
  out.path = parsed->path();
  for (const auto& param : parsed->params()) out.query.emplace_back(param.key, param.value);
  out.locale = NegotiateLocale(out.Header("Accept-Language"));
  return true;
}

}  // namespace welfare::http
