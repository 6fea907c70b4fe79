// The route table: every route declares a permission (deny by default), and only the session and
// account routes answer a restricted session.
#include <gtest/gtest.h>

#include <set>

#include "api/api.hpp"
#include "auth/permissions.hpp"

namespace welfare::api {
namespace {

const ApiRouter& AllRoutes() {
  static const ApiRouter router = [] {
    ApiRouter all;
    RegisterRoutes(all);
    return all;
  }();
  return router;
}

std::string Describe(const http::Route<ApiHandler>& route) {
  return std::string(boost::beast::http::to_string(route.method)) + " " + route.pattern;
}

TEST(Routes, EveryRouteDeclaresAKnownPermission) {
  const auto& router = AllRoutes();
  ASSERT_GE(router.routes().size(), 35u);
  for (const auto& route : router.routes()) {
    EXPECT_FALSE(route.permission.empty()) << Describe(route) << " declares no permission";
    EXPECT_TRUE(route.permission == auth::perm::kPublic || route.permission == auth::perm::kAuthenticated ||
                auth::perm::IsKnown(route.permission))
        << Describe(route) << " declares unknown permission " << route.permission;
    EXPECT_TRUE(route.handler) << Describe(route);
  }
}

TEST(Routes, OnlyTheseArePublic) {
  std::set<std::string> is_public;
  for (const auto& route : AllRoutes().routes()) {
    if (route.permission == auth::perm::kPublic) is_public.insert(Describe(route));
  }
  EXPECT_EQ(is_public, (std::set<std::string>{"GET /healthz", "GET /readyz", "GET /metrics", "POST /api/v1/session"}));
}

TEST(Routes, RestrictedSessionsReachOnlyTheirOwnAccount) {
  for (const auto& route : AllRoutes().routes()) {
    if (!route.allow_restricted || route.permission == auth::perm::kPublic) continue;
    EXPECT_TRUE(route.pattern.starts_with("/api/v1/session") || route.pattern.starts_with("/api/v1/me/"))
        << Describe(route);
  }
}

TEST(Routes, NoTwoRoutesShareMethodAndPath) {
  std::set<std::string> seen;
  for (const auto& route : AllRoutes().routes()) {
    EXPECT_TRUE(seen.insert(Describe(route)).second) << Describe(route);
  }
}

TEST(Routes, StateChangingRoutesAreNeverPublicExceptSignIn) {
  for (const auto& route : AllRoutes().routes()) {
    if (route.method == http::Verb::get || route.permission != auth::perm::kPublic) continue;
    EXPECT_EQ(route.pattern, "/api/v1/session") << Describe(route);
  }
}

}  // namespace
}  // namespace welfare::api
