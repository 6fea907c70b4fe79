/// \file A small synchronous HTTP client for the API tests, with a cookie jar and the CSRF header.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

namespace welfare::testing {

/// One response.
struct Reply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  ///< lower-case names; repeated headers joined with "\n"
  std::string body;

  boost::json::value json;  ///< the body parsed as JSON (null when it is not JSON)

  /// The parsed body; it lives as long as the reply.
  [[nodiscard]] const boost::json::value& Json() const { return json; }
  /// The problem code of an error body, or empty.
  [[nodiscard]] std::string Code() const;
  [[nodiscard]] std::string Header(const std::string& name) const;
};

/// A client of one server; remembers the session cookie and CSRF token like a browser.
class Client {
 public:
  explicit Client(unsigned short port, std::string language = "en") : port_(port), language_(std::move(language)) {}

  Reply Get(const std::string& target) { return Send("GET", target, std::nullopt); }
  Reply Post(const std::string& target, const boost::json::value& body) { return Send("POST", target, body); }
  Reply Patch(const std::string& target, const boost::json::value& body) { return Send("PATCH", target, body); }
  Reply Put(const std::string& target, const boost::json::value& body) { return Send("PUT", target, body); }
  Reply Delete(const std::string& target) { return Send("DELETE", target, std::nullopt); }
  /// Sends any request; `raw_body` is sent as is with `content_type`.
  Reply Send(const std::string& method, const std::string& target, const std::optional<boost::json::value>& body,
             const std::map<std::string, std::string>& extra_headers = {},
             const std::optional<std::string>& raw_body = std::nullopt,
             const std::string& content_type = "application/json");

  void set_language(std::string language) { language_ = std::move(language); }
  void set_bearer(std::string token) { bearer_ = std::move(token); }
  void set_csrf(std::string csrf) { csrf_ = std::move(csrf); }
  void forget_csrf() { csrf_.clear(); }
  [[nodiscard]] const std::string& cookie() const { return cookie_; }

 private:
  unsigned short port_;
  std::string language_;
  std::string cookie_;
  std::string csrf_;
  std::string bearer_;
};

}  // namespace welfare::testing
