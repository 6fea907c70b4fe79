/// \file The built web app, loaded into memory at start-up and served with the right caching.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "http/request.hpp"

namespace welfare::http {

/// Serves files from the web root; unknown paths without an extension fall back to index.html.
class StaticFiles {
 public:
  /// Loads every file under `root` (nothing when it does not exist).
  explicit StaticFiles(const std::filesystem::path& root);
  /// The response for a GET/HEAD, or nullopt when nothing fits (then 404).
  [[nodiscard]] std::optional<Response> Serve(const Request& request) const;
  [[nodiscard]] size_t FileCount() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::shared_ptr<const std::string> body;
    std::shared_ptr<const std::string> brotli;  ///< null when there is no .br sibling
    std::shared_ptr<const std::string> gzip;    ///< null when there is no .gz sibling
    std::string etag;
    bool immutable = false;
  };
  [[nodiscard]] Response Make(const File& file, const Request& request) const;
  std::map<std::string, File, std::less<>> files_;
};

/// The content type of a file name.
[[nodiscard]] std::string ContentTypeFor(const std::filesystem::path& path);

}  // namespace welfare::http
