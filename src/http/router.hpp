/// \file Method + path-pattern routing with typed parameters; every route declares its permission.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace welfare::http {

/// One route. `permission` is required: a route without one is refused at dispatch (deny by default).
template <class Handler>
struct Route {
  Verb method = Verb::get;
  std::string pattern;            ///< e.g. "/api/v1/staff/{id:int}/roles/{assignment_id:int}"
  std::string permission;         ///< "public", "authenticated" or a permission code; empty = undeclared
  bool allow_restricted = false;  ///< usable while the session must first change password / set up TOTP
  Handler handler;
};

/// What matching found.
enum class Match { kFound, kNoPath, kWrongMethod };

/// Routes of one kind of handler.
template <class Handler>
class Router {
 public:
  /// Adds a route.
  void Add(Route<Handler> route) { routes_.push_back(std::move(route)); }
  [[nodiscard]] const std::vector<Route<Handler>>& routes() const { return routes_; }

  /// Finds the route for a method and path; fills typed parameters.
  [[nodiscard]] Match Find(Verb method, std::string_view path, const Route<Handler>*& found,
                           std::vector<std::string>& params) const {
    bool path_matched = false;
    for (const auto& route : routes_) {
      std::vector<std::string> candidate;
      if (!MatchPattern(route.pattern, path, candidate)) continue;
      path_matched = true;
      if (route.method != method && !(method == Verb::head && route.method == Verb::get)) continue;
      found = &route;
      params = std::move(candidate);
      return Match::kFound;
    }
    return path_matched ? Match::kWrongMethod : Match::kNoPath;
  }

  /// The methods the path answers, comma separated (the Allow header of a 405).
  [[nodiscard]] std::string AllowedMethods(std::string_view path) const {
    std::string out;
    for (const auto& route : routes_) {
      std::vector<std::string> ignored;
      if (!MatchPattern(route.pattern, path, ignored)) continue;
      const std::string_view name = boost::beast::http::to_string(route.method);
      if (out.find(name) != std::string::npos) continue;
      out += (out.empty() ? "" : ", ") + std::string(name);
    }
    return out;
  }

  /// The OpenAPI form of a pattern: "{id:int}" becomes "{id}".
  [[nodiscard]] static std::string OpenApiPath(std::string_view pattern) {
    std::string out;
    bool in_braces = false;
    bool in_type = false;
    for (char c : pattern) {
      if (c == '{') in_braces = true;
      if (c == '}') in_braces = in_type = false;
      if (c == ':' && in_braces) in_type = true;
      if (!in_type) out.push_back(c);
    }
    return out;
  }

  /// Matches one pattern segment by segment; "{name:int}" takes digits, "{name}" any non-empty segment.
  [[nodiscard]] static bool MatchPattern(std::string_view pattern, std::string_view path,
                                         std::vector<std::string>& params) {
    while (!pattern.empty() || !path.empty()) {
      if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/') return false;
      pattern.remove_prefix(1);
      path.remove_prefix(1);
      const std::string_view pattern_segment = pattern.substr(0, pattern.find('/'));
      const std::string_view path_segment = path.substr(0, path.find('/'));
      pattern.remove_prefix(pattern_segment.size());
      path.remove_prefix(path_segment.size());
      if (pattern_segment.starts_with('{') && pattern_segment.ends_with('}')) {
        if (path_segment.empty()) return false;
        if (pattern_segment.find(":int}") != std::string_view::npos) {
          if (path_segment.size() > 18) return false;
          for (char c : path_segment) {
            if (c < '0' || c > '9') return false;
          }
        }
        params.emplace_back(path_segment);
      } else if (pattern_segment != path_segment) {
        return false;
      }
    }
    return true;
  }

 private:
  std::vector<Route<Handler>> routes_;
};

}  // namespace welfare::http
