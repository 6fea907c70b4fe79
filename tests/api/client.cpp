#include "client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace welfare::testing {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

std::string Reply::Code() const {
  const auto json = Json();
  if (!json.is_object()) return {};
  const auto* code = json.as_object().if_contains("code");
  return code != nullptr && code->is_string() ? std::string(code->as_string()) : std::string();
}

std::string Reply::Header(const std::string& name) const {
  const auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

Reply Client::Send(const std::string& method, const std::string& target, const std::optional<boost::json::value>& body,
                   const std::map<std::string, std::string>& extra_headers, const std::optional<std::string>& raw_body,
                   const std::string& content_type) {
  boost::asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(60));
  stream.connect(resolver.resolve("127.0.0.1", std::to_string(port_)));
  bhttp::request<bhttp::string_body> request(bhttp::string_to_verb(method), target, 11);
  request.set(bhttp::field::host, "127.0.0.1");
  request.set(bhttp::field::accept_language, language_);
  if (!cookie_.empty()) request.set(bhttp::field::cookie, "ow_session=" + cookie_);
  if (!csrf_.empty() && method != "GET") request.set("X-CSRF-Token", csrf_);
  if (!bearer_.empty()) request.set(bhttp::field::authorization, "Bearer " + bearer_);
  for (const auto& [name, value] : extra_headers) request.set(name, value);
  if (raw_body) {
    request.set(bhttp::field::content_type, content_type);
    request.body() = *raw_body;
  } else if (body) {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = boost::json::serialize(*body);
  }
  // A caller-supplied Content-Length is kept as is (to announce more than is sent).
  if (!extra_headers.contains("Content-Length")) request.prepare_payload();
  bhttp::write(stream, request);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  bhttp::read(stream, buffer, parser);
  auto response = parser.release();
  Reply reply;
  reply.status = response.result_int();
  reply.body = response.body();
  boost::system::error_code parse_error;
  reply.json = boost::json::parse(reply.body, parse_error);
  if (parse_error) reply.json = nullptr;
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& slot = reply.headers[name];
    slot += (slot.empty() ? "" : "\n") + std::string(field.value());
    if (name == "set-cookie") {
      const std::string value(field.value());
      const std::string prefix = "ow_session=";
      if (value.starts_with(prefix)) cookie_ = value.substr(prefix.size(), value.find(';') - prefix.size());
    }
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return reply;
}

}  // namespace welfare::testing
