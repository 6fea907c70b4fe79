// HTTP pieces: path patterns, request parsing, static files, metrics text.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/metrics.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace welfare::http {
namespace {

using TestRouter = Router<int>;

TEST(Router, MatchesTypedParameters) {
  std::vector<std::string> params;
  EXPECT_TRUE(
      TestRouter::MatchPattern("/api/v1/staff/{id:int}/roles/{assignment_id:int}", "/api/v1/staff/12/roles/7", params));
  EXPECT_EQ(params, (std::vector<std::string>{"12", "7"}));
  params.clear();
  EXPECT_FALSE(TestRouter::MatchPattern("/api/v1/staff/{id:int}", "/api/v1/staff/abc", params));
  EXPECT_FALSE(TestRouter::MatchPattern("/api/v1/staff/{id:int}", "/api/v1/staff/", params));
  EXPECT_FALSE(TestRouter::MatchPattern("/api/v1/staff/{id:int}", "/api/v1/staff/1/x", params));
  EXPECT_FALSE(TestRouter::MatchPattern("/api/v1/staff/{id:int}", "/api/v1/staff/1234567890123456789", params));
  EXPECT_TRUE(TestRouter::MatchPattern("/api/v1/units/{code}", "/api/v1/units/SWD", params));
}

TEST(Router, TellsAWrongMethodFromAnUnknownPath) {
  TestRouter router;
  router.Add({Verb::get, "/a/{id:int}", "public", false, 1});
  router.Add({Verb::post, "/a", "units.manage", false, 2});
  const Route<int>* found = nullptr;
  std::vector<std::string> params;
  EXPECT_EQ(router.Find(Verb::get, "/a/3", found, params), Match::kFound);
  EXPECT_EQ(found->handler, 1);
  EXPECT_EQ(router.Find(Verb::head, "/a/3", found, params), Match::kFound);  // HEAD uses GET
  EXPECT_EQ(router.Find(Verb::delete_, "/a/3", found, params), Match::kWrongMethod);
  EXPECT_EQ(router.Find(Verb::get, "/b", found, params), Match::kNoPath);
  EXPECT_EQ(TestRouter::OpenApiPath("/a/{id:int}/b/{x}"), "/a/{id}/b/{x}");
}

BeastRequest MakeRequest(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
  BeastRequest raw{Verb::get, target, 11};
  for (auto& [name, value] : headers) raw.set(name, value);
  return raw;
}

TEST(Request, DecodesPathQueryLanguageAndCookies) {
  const auto raw = MakeRequest("/api/v1/staff?q=%E9%99%B3&limit=5&q=second",
                               {{"Accept-Language", "en-US"}, {"Cookie", "a=1; ow_session=abc; b=2"}});
  Request request;
  ASSERT_TRUE(ParseRequest(raw, request));
  EXPECT_EQ(request.path, "/api/v1/staff");
  EXPECT_EQ(request.Query("q"), "陳");
  EXPECT_EQ(request.Query("limit"), "5");
  EXPECT_FALSE(request.Query("after"));
  EXPECT_EQ(request.locale, Locale::kEn);
  EXPECT_EQ(request.Cookie("ow_session"), "abc");
  EXPECT_EQ(request.Cookie("missing"), "");
  const auto bad = MakeRequest("http//no origin form");
  EXPECT_FALSE(ParseRequest(bad, request));
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("welfare-static-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root_ / "assets");
    Write("index.html", "<!doctype html><title>OpenWelfare</title>");
    Write("assets/app-1a2b3c.js", "console.log(1)");
    Write("assets/app-1a2b3c.js.br", "BROTLI");
    Write("assets/app-1a2b3c.js.gz", "GZIP");
    Write("favicon.svg", "<svg/>");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(root_ / name) << text; }

  std::optional<Response> Get(const std::string& target, const std::string& accept_encoding = "") {
    raw_ = MakeRequest(target, {{"Accept-Encoding", accept_encoding}});
    Request request;
    EXPECT_TRUE(ParseRequest(raw_, request));
    return StaticFiles(root_).Serve(request);
  }
  static std::string BodyOf(const Response& response) {
    return response.shared_body ? *response.shared_body : response.body;
  }
  static std::string HeaderOf(const Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return {};
  }

  std::filesystem::path root_;
  BeastRequest raw_;
};

TEST_F(StaticFilesTest, ServesHashedAssetsImmutableAndPrecompressed) {
  const auto plain = Get("/assets/app-1a2b3c.js");
  ASSERT_TRUE(plain);
  EXPECT_EQ(BodyOf(*plain), "console.log(1)");
  EXPECT_EQ(plain->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(HeaderOf(*plain, "Cache-Control").find("immutable"), std::string::npos);
  const auto brotli = Get("/assets/app-1a2b3c.js", "gzip, deflate, br");
  ASSERT_TRUE(brotli);
  EXPECT_EQ(BodyOf(*brotli), "BROTLI");
  EXPECT_EQ(HeaderOf(*brotli, "Content-Encoding"), "br");
  const auto gzip = Get("/assets/app-1a2b3c.js", "gzip");
  ASSERT_TRUE(gzip);
  EXPECT_EQ(BodyOf(*gzip), "GZIP");
  EXPECT_EQ(HeaderOf(*gzip, "Content-Encoding"), "gzip");
}

TEST_F(StaticFilesTest, FallsBackToTheAppForClientRoutesOnly) {
  const auto route = Get("/staff/12");
  ASSERT_TRUE(route);
  EXPECT_NE(BodyOf(*route).find("OpenWelfare"), std::string::npos);
  EXPECT_EQ(HeaderOf(*route, "Cache-Control"), "no-cache");
  EXPECT_FALSE(Get("/assets/missing.js"));
  EXPECT_FALSE(Get("/../secret.txt"));
  const auto svg = Get("/favicon.svg");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->content_type, "image/svg+xml");
}

TEST(Metrics, RendersPrometheusText) {
  Metrics metrics;
  metrics.Record("/api/v1/units", "GET", 200, 0.002);
  metrics.Record("/api/v1/units", "GET", 200, 0.2);
  metrics.Record("/api/v1/units", "GET", 403, 0.001);
  const std::string text = metrics.Render("welfare_db_pool_size 4\n");
  EXPECT_NE(text.find(R"(welfare_http_requests_total{route="/api/v1/units",method="GET",status="200"} 2)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(welfare_http_request_duration_seconds_count{route="/api/v1/units"} 3)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("welfare_db_pool_size 4"), std::string::npos);
}

}  // namespace
}  // namespace welfare::http
