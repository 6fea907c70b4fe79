#include "http/static_files.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/crypto.hpp"

namespace welfare::http {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

/// True when Accept-Encoding lists the coding with a non-zero quality.
bool Accepts(std::string_view accept_encoding, std::string_view coding) {
  size_t start = 0;
  while (start < accept_encoding.size()) {
    size_t end = accept_encoding.find(',', start);
    if (end == std::string_view::npos) end = accept_encoding.size();
    std::string_view item = accept_encoding.substr(start, end - start);
    start = end + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const size_t semicolon = item.find(';');
    std::string_view name = item.substr(0, semicolon);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name != coding) continue;
    if (semicolon == std::string_view::npos) return true;
    const size_t q = item.find("q=", semicolon);
    return q == std::string_view::npos || std::atof(std::string(item.substr(q + 2)).c_str()) > 0.0;
  }
  return false;
}

}  // namespace

std::string ContentTypeFor(const std::filesystem::path& path) {
  static const std::map<std::string, std::string, std::less<>> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
  };
  const auto found = types.find(path.extension().string());
  return found == types.end() ? "application/octet-stream" : found->second;
}

StaticFiles::StaticFiles(const std::filesystem::path& root) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root, ec)) {
    if (!entry.is_regular_file()) continue;
    const auto& path = entry.path();
    const std::string extension = path.extension().string();
    if (extension == ".br" || extension == ".gz") continue;
    const std::string relative = "/" + std::filesystem::relative(path, root).generic_string();
    File file;
    file.content_type = ContentTypeFor(path);
    file.body = std::make_shared<const std::string>(ReadFile(path));
    file.etag = "\"" + Sha256Hex(*file.body).substr(0, 32) + "\"";
    file.immutable = relative.starts_with("/assets/");
    const auto brotli = std::filesystem::path(path.string() + ".br");
    const auto gzip = std::filesystem::path(path.string() + ".gz");
    if (std::filesystem::exists(brotli)) file.brotli = std::make_shared<const std::string>(ReadFile(brotli));
    if (std::filesystem::exists(gzip)) file.gzip = std::make_shared<const std::string>(ReadFile(gzip));
    files_.emplace(relative, std::move(file));
  }
}

Response StaticFiles::Make(const File& file, const Request& request) const {
  Response response;
  response.route = "static";
  response.content_type = file.content_type;
  response.headers.emplace_back("ETag", file.etag);
  response.headers.emplace_back("Vary", "Accept-Encoding");
  response.headers.emplace_back("Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.Header("If-None-Match") == file.etag) {
    response.status = 304;
    return response;
  }
  const std::string_view accept = request.Header("Accept-Encoding");
  if (file.brotli && Accepts(accept, "br")) {
    response.shared_body = file.brotli;
    response.headers.emplace_back("Content-Encoding", "br");
  } else if (file.gzip && Accepts(accept, "gzip")) {
    response.shared_body = file.gzip;
    response.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    response.shared_body = file.body;
  }
  return response;
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  if (request.method != Verb::get && request.method != Verb::head) return std::nullopt;
  if (const auto found = files_.find(request.path); found != files_.end()) return Make(found->second, request);
  // Client-side routes (no file extension in the last segment) get the app's index.html.
  const std::string_view last = std::string_view(request.path).substr(request.path.rfind('/') + 1);
  if (last.find('.') != std::string_view::npos) return std::nullopt;
  if (const auto index = files_.find("/index.html"); index != files_.end()) return Make(index->second, request);
  return std::nullopt;
}

}  // namespace welfare::http
