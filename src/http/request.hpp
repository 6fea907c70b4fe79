/// \file One HTTP exchange as handlers see it: the request, its parsed parts, and the response to send.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/object.hpp>

#include "core/messages.hpp"

namespace welfare::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using Verb = boost::beast::http::verb;

/// A request with its path split from the query, the caller's language, address and request id.
struct Request {
  const BeastRequest* raw = nullptr;
  Verb method = Verb::get;
  std::string path;                                        ///< decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;  ///< decoded query parameters, in order
  std::vector<std::string> params;                         ///< typed path parameters, in pattern order
  std::string client_ip;
  std::string request_id;
  Locale locale = Locale::kZhHant;

  /// A header value, or empty.
  [[nodiscard]] std::string_view Header(std::string_view name) const;
  /// The first query parameter of that name.
  [[nodiscard]] std::optional<std::string> Query(std::string_view name) const;
  /// The body text.
  [[nodiscard]] const std::string& Body() const { return raw->body(); }
  /// A path parameter as an integer (the router has already checked its type).
  [[nodiscard]] long long IntParam(size_t index) const { return std::stoll(params.at(index)); }
  /// The value of one cookie, or empty.
  [[nodiscard]] std::string Cookie(std::string_view name) const;
};

/// The response a handler produces.
struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  /// A body shared with a cache (static files): sent instead of `body` when set, without a copy.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string route;                 ///< the matched route pattern, for metrics and logs
  std::optional<long long> user_id;  ///< for the request log

  /// A JSON response.
  [[nodiscard]] static Response Json(const boost::json::value& value, unsigned status = 200);
  /// An empty 204.
  [[nodiscard]] static Response NoContent();
};

/// Builds a Request from a Beast request; false when the target cannot be parsed.
[[nodiscard]] bool ParseRequest(const BeastRequest& raw, Request& out);

}  // namespace welfare::http
