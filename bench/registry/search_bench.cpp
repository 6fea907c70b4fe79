// search_bench: interactive registry search and registration with the duplicate check, measured through the HTTP
// API of a running server. Signs in as a caseworker, sends the query set that load_registry wrote over keep-alive
// connections (a warm-up share first, not counted), then the registrations, and prints latency per kind and
// outcome with the share of searches that list the person looked for among the first five results.
//   search_bench --port 8080 --queries queries.jsonl --registrations registrations.jsonl [--connections 4]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/crypto.hpp"
#include "db/database.hpp"
#include "registry/candidates.hpp"
#include "registry/matching.hpp"
#include "registry/person_store.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// Percent-encoding of a query parameter value (RFC 3986 unreserved characters kept).
std::string Encode(std::string_view text) {
  std::string out;
  for (const char character : text) {
    const auto byte = static_cast<unsigned char>(character);
    if (std::isalnum(byte) != 0 || character == '-' || character == '_' || character == '.' || character == '~') {
      out.push_back(character);
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

/// One keep-alive connection to the server; reconnects when the server closed it.
class Connection {
 public:
  Connection(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)), stream_(io_) {}

  struct Reply {
    unsigned status = 0;
    std::string body;
    std::vector<std::string> cookies;
    double milliseconds = 0;
  };

  Reply Send(http::verb verb, const std::string& target, const std::string& body,
             const std::vector<std::pair<std::string, std::string>>& headers) {
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, host_);
    request.set(http::field::user_agent, "search_bench");
    request.set(http::field::accept, "application/json");
    for (const auto& [name, value] : headers) request.set(name, value);
    if (verb != http::verb::get) {
      request.set(http::field::content_type, "application/json");
      request.body() = body;
    }
    request.keep_alive(true);
    request.prepare_payload();
    for (int attempt = 0;; ++attempt) {
      try {
        if (!open_) Open();
        const auto start = Clock::now();
        http::write(stream_, request);
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        http::read(stream_, buffer, parser);
        Reply reply;
        reply.milliseconds = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        auto response = parser.release();
        reply.status = response.result_int();
        reply.body = std::move(response.body());
        const auto [cookies_begin, cookies_end] = response.equal_range(http::field::set_cookie);
        for (auto field = cookies_begin; field != cookies_end; ++field) reply.cookies.emplace_back(field->value());
        if (!response.keep_alive()) Close();
        return reply;
      } catch (const boost::system::system_error&) {
        // A keep-alive connection the server closed meanwhile: once more on a fresh one.
        Close();
        if (attempt >= 1) throw;
      }
    }
  }

 private:
  void Open() {
    asio::ip::tcp::resolver resolver(io_);
    stream_.connect(resolver.resolve(host_, port_));
    stream_.socket().set_option(asio::ip::tcp::no_delay(true));
    open_ = true;
  }
  void Close() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
    open_ = false;
  }

  std::string host_, port_;
  asio::io_context io_;
  beast::tcp_stream stream_;
  bool open_ = false;
};

struct Search {
  std::string kind;
  std::string text;
  std::set<long long> expected;
  // Results.
  unsigned status = 0;
  double milliseconds = 0;
  int rank = 0;  ///< 1-based position of the person looked for; 0 when not listed
  size_t hits = 0;
  bool truncated = false;
};

struct Registration {
  std::string kind;
  std::set<long long> expected;
  std::string body;
  // Results.
  unsigned status = 0;
  std::string code;
  double milliseconds = 0;
  bool expected_among_candidates = false;
};

std::vector<json::object> ReadJsonLines(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::vector<json::object> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(json::parse(line).as_object());
  }
  return lines;
}

std::set<long long> Ids(const json::object& line) {
  std::set<long long> ids;
  if (const auto* expected = line.if_contains("expected_ids")) {
    for (const auto& id : expected->as_array()) ids.insert(id.as_int64());
  }
  return ids;
}

/// Nearest-rank percentile of sorted values.
double Percentile(const std::vector<double>& sorted, double share) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(share * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

struct Figures {
  size_t count = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

Figures Summarise(std::vector<double> values) {
  std::ranges::sort(values);
  Figures figures;
  figures.count = values.size();
  figures.p50 = Percentile(values, 0.50);
  figures.p90 = Percentile(values, 0.90);
  figures.p99 = Percentile(values, 0.99);
  figures.max = values.empty() ? 0 : values.back();
  return figures;
}

/// Runs `work(index, connection)` for every index on `connections` threads, each with its own connection.
template <class Work>
double RunConcurrently(size_t count, int connections, const std::string& host, const std::string& port, Work&& work) {
  std::atomic<size_t> next{0};
  std::mutex failure_mutex;
  std::string failure;
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < connections; ++thread_idx) {
    threads.emplace_back([&] {
      Connection connection(host, port);
      try {
        for (size_t index = next++; index < count; index = next++) work(index, connection);
      } catch (const std::exception& error) {
        std::lock_guard lock(failure_mutex);
        failure = error.what();
        next = count;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (!failure.empty()) throw std::runtime_error(failure);
  return SecondsSince(start);
}

/// The database work of one search, timed directly on one connection (no HTTP, no access check, no JSON): the
/// server's own FindScoredCandidates (src/registry/candidates.hpp) in a read transaction, with its breakdown into
/// index lookups, reading candidates (main rows, names, addresses) and scoring.
struct RawTimes {
  double total_ms = 0;
  welfare::registry::CandidateStats stats;
};

RawTimes RawSearch(welfare::db::Database& database, soci::session& sql, welfare::registry::PersonStore& store,
                   const welfare::SecretKey& key, const std::string& text, int limit) {
  namespace registry = welfare::registry;
  const auto start = Clock::now();
  database.Begin(sql, false);
  registry::MatchQuery query = registry::ParseSearchText(text);
  for (const auto& number : query.document_texts) query.document_hashes.push_back(key.KeyedHash("doc:" + number));
  const auto found = registry::FindScoredCandidates(sql, store, query, limit, 15, std::nullopt);
  sql << "COMMIT";
  return {std::chrono::duration<double, std::milli>(Clock::now() - start).count(), found.stats};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Registry search and registration latency through the HTTP API"};
  std::string host = "127.0.0.1";
  std::string port;
  std::string queries_file, registrations_file;
  std::string username = "worker", password = "OpenWelfare-worker-2026";
  int connections = 4;
  int limit = 20;
  int warmup = 400;
  std::string label;
  app.add_option("--host", host, "server address");
  app.add_option("--port", port, "server port")->required();
  app.add_option("--queries", queries_file, "query set (JSONL from load_registry)")->required();
  app.add_option("--registrations", registrations_file, "registration bodies (JSONL from load_registry)");
  app.add_option("--username", username, "caseworker to sign in as");
  app.add_option("--password", password, "their password");
  app.add_option("--connections", connections, "concurrent keep-alive connections")->check(CLI::Range(1, 256));
  app.add_option("--limit", limit, "results per search (the console asks for 20)")->check(CLI::Range(1, 50));
  app.add_option("--warmup", warmup, "searches at the start of the set sent first and not counted");
  app.add_option("--label", label, "a title for the report");
  std::string raw_database, raw_key_file, dump_file;
  std::vector<std::string> raw_pragmas;
  app.add_option("--raw-sqlite-pragma", raw_pragmas,
                 "a PRAGMA for the raw connection only, to try a setting (for example mmap_size=4294967296)");
  app.add_option("--dump", dump_file, "write every measured search (kind, text, status, ms, hits, rank) here as JSONL");
  app.add_option("--raw-database", raw_database,
                 "also time the searches' database work directly on this database (the server's URL)");
  app.add_option("--secret-key-file", raw_key_file,
                 "the server's key file (for the document hashes; with --raw-database)");
  CLI11_PARSE(app, argc, argv);

  std::vector<Search> warm, searches;
  std::vector<Registration> registrations;
  try {
    const auto lines = ReadJsonLines(queries_file);
    for (size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
      const auto& line = lines[line_idx];
      Search search{std::string(line.at("kind").as_string()), std::string(line.at("q").as_string()), Ids(line)};
      (static_cast<int>(line_idx) < warmup ? warm : searches).push_back(std::move(search));
    }
    if (!registrations_file.empty()) {
      for (const auto& line : ReadJsonLines(registrations_file)) {
        registrations.push_back(
            {std::string(line.at("kind").as_string()), Ids(line), json::serialize(line.at("body"))});
      }
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "search_bench: {}\n", error.what());
    return 2;
  }

  // Sign in.
  std::string cookie, csrf;
  try {
    Connection connection(host, port);
    const auto reply =
        connection.Send(http::verb::post, "/api/v1/session",
                        json::serialize(json::object{{"username", username}, {"password", password}}), {});
    if (reply.status != 200) {
      fmt::print(stderr, "search_bench: sign-in as {} answered {}: {}\n", username, reply.status, reply.body);
      return 2;
    }
    for (const auto& set_cookie : reply.cookies) {
      if (set_cookie.starts_with("ow_session=")) cookie = set_cookie.substr(0, set_cookie.find(';'));
    }
    csrf = std::string(json::parse(reply.body).at("csrf_token").as_string());
    if (cookie.empty()) {
      fmt::print(stderr, "search_bench: sign-in answered without an ow_session cookie\n");
      return 2;
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "search_bench: cannot sign in: {}\n", error.what());
    return 2;
  }
  const std::vector<std::pair<std::string, std::string>> get_headers = {{"Cookie", cookie}};
  const std::vector<std::pair<std::string, std::string>> post_headers = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};

  auto run_search = [&](Search& search, Connection& connection) {
    const auto reply = connection.Send(
        http::verb::get, fmt::format("/api/v1/persons?q={}&limit={}", Encode(search.text), limit), "", get_headers);
    search.status = reply.status;
    search.milliseconds = reply.milliseconds;
    if (reply.status != 200) return;
    const auto body = json::parse(reply.body).as_object();
    const auto& items = body.at("items").as_array();
    search.hits = items.size();
    search.truncated = body.at("truncated").as_bool();
    for (size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
      const long long id = items[item_idx].at("person").at("id").as_int64();
      if (search.expected.contains(id)) {
        search.rank = static_cast<int>(item_idx) + 1;
        break;
      }
    }
  };

  fmt::print("search_bench{}: http://{}:{}, {} keep-alive connections, limit {}, signed in as {}\n",
             label.empty() ? "" : " (" + label + ")", host, port, connections, limit, username);
  try {
    const double warm_seconds =
        RunConcurrently(warm.size(), connections, host, port,
                        [&](size_t index, Connection& connection) { run_search(warm[index], connection); });
    const double search_seconds =
        RunConcurrently(searches.size(), connections, host, port,
                        [&](size_t index, Connection& connection) { run_search(searches[index], connection); });
    double registration_seconds = 0;
    if (!registrations.empty()) {
      registration_seconds =
          RunConcurrently(registrations.size(), connections, host, port, [&](size_t index, Connection& connection) {
            Registration& registration = registrations[index];
            const auto reply = connection.Send(http::verb::post, "/api/v1/persons", registration.body, post_headers);
            registration.status = reply.status;
            registration.milliseconds = reply.milliseconds;
            if (reply.status == 201) return;
            boost::system::error_code error;
            const auto parsed = json::parse(reply.body, error);
            if (error || !parsed.is_object()) return;
            const auto& problem = parsed.as_object();
            if (const auto* code = problem.if_contains("code"); code != nullptr && code->is_string()) {
              registration.code = std::string(code->as_string());
            }
            if (const auto* candidates = problem.if_contains("candidates")) {
              for (const auto& candidate : candidates->as_array()) {
                if (registration.expected.contains(candidate.at("person").at("id").as_int64())) {
                  registration.expected_among_candidates = true;
                }
              }
            }
            if (const auto* fields = problem.if_contains("errors"); fields != nullptr && fields->is_array()) {
              for (const auto& field : fields->as_array()) {
                if (!field.is_object()) continue;
                const auto* field_code = field.as_object().if_contains("code");
                if (field_code != nullptr && field_code->is_string()) {
                  registration.code = std::string(field_code->as_string());
                  // Numbers are unique per person: the number of the person coming back is theirs.
                  if (registration.code == "document_registered") registration.expected_among_candidates = true;
                }
              }
            }
          });
    }

    if (!dump_file.empty()) {
      std::ofstream dump(dump_file);
      for (const auto& search : searches) {
        dump << json::serialize(json::object{{"kind", search.kind},
                                             {"q", search.text},
                                             {"status", search.status},
                                             {"ms", search.milliseconds},
                                             {"hits", search.hits},
                                             {"truncated", search.truncated},
                                             {"rank", search.rank}})
             << '\n';
      }
    }

    // --- Searches ---
    fmt::print("warm-up: {} searches in {:.1f} s (not counted)\n\n", warm.size(), warm_seconds);
    std::map<std::string, std::vector<const Search*>> by_kind;
    for (const auto& search : searches) by_kind[search.kind].push_back(&search);
    fmt::print("{:<30} {:>6} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>7}\n", "searches", "count", "p50 ms", "p90 ms",
               "p99 ms", "max ms", "top-5", "listed", "errors");
    auto row = [&](const std::string& name, const std::vector<const Search*>& rows) {
      std::vector<double> times;
      size_t top5 = 0, listed = 0, errors = 0, with_expected = 0;
      for (const auto* search : rows) {
        times.push_back(search->milliseconds);
        if (search->status != 200) ++errors;
        if (search->expected.empty()) continue;
        ++with_expected;
        if (search->rank >= 1 && search->rank <= 5) ++top5;
        if (search->rank >= 1) ++listed;
      }
      const Figures figures = Summarise(times);
      auto share = [&](size_t part) {
        return with_expected == 0
                   ? std::string("-")
                   : fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(with_expected));
      };
      fmt::print("{:<30} {:>6} {:>8.1f} {:>8.1f} {:>8.1f} {:>8.1f} {:>9} {:>9} {:>7}\n", name, figures.count,
                 figures.p50, figures.p90, figures.p99, figures.max, share(top5), share(listed), errors);
      return figures;
    };
    for (const auto& [kind, rows] : by_kind) row("  " + kind, rows);
    std::vector<const Search*> all;
    for (const auto& search : searches) all.push_back(&search);
    const Figures overall = row("all", all);
    fmt::print("throughput: {} searches in {:.1f} s = {:.1f} searches/s ({} connections)\n", searches.size(),
               search_seconds, static_cast<double>(searches.size()) / search_seconds, connections);
    size_t truncated = 0;
    for (const auto& search : searches) truncated += search.truncated ? 1 : 0;
    fmt::print("'truncated' answers (too many matches to rank): {}\n", truncated);

    // --- Registrations ---
    Figures registration_overall;
    if (!registrations.empty()) {
      fmt::print("\n{:<30} {:>6} {:>8} {:>8} {:>8} {:>8}\n", "registrations", "count", "p50 ms", "p90 ms", "p99 ms",
                 "max ms");
      std::map<std::string, std::vector<double>> by_outcome;
      std::vector<double> every;
      for (const auto& registration : registrations) {
        std::string outcome = std::to_string(registration.status);
        if (registration.status == 201) outcome += " created";
        if (!registration.code.empty()) outcome += " " + registration.code;
        by_outcome[outcome].push_back(registration.milliseconds);
        every.push_back(registration.milliseconds);
      }
      for (const auto& [outcome, times] : by_outcome) {
        const Figures figures = Summarise(times);
        fmt::print("{:<30} {:>6} {:>8.1f} {:>8.1f} {:>8.1f} {:>8.1f}\n", "  " + outcome, figures.count, figures.p50,
                   figures.p90, figures.p99, figures.max);
      }
      registration_overall = Summarise(every);
      fmt::print("{:<30} {:>6} {:>8.1f} {:>8.1f} {:>8.1f} {:>8.1f}\n", "all", registration_overall.count,
                 registration_overall.p50, registration_overall.p90, registration_overall.p99,
                 registration_overall.max);
      fmt::print("throughput: {} registrations in {:.1f} s = {:.1f}/s\n", registrations.size(), registration_seconds,
                 static_cast<double>(registrations.size()) / registration_seconds);
      std::map<std::string, std::map<std::string, int>> outcomes;
      std::map<std::string, int> found;
      for (const auto& registration : registrations) {
        ++outcomes[registration.kind]
                  [registration.code.empty() ? std::to_string(registration.status) : registration.code];
        if (registration.expected_among_candidates) ++found[registration.kind];
      }
      for (const auto& [kind, counts] : outcomes) {
        int total = 0;
        std::string parts;
        for (const auto& [outcome, count] : counts) {
          total += count;
          parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", outcome, count);
        }
        fmt::print("  {:<16} {:>4}: {}", kind, total, parts);
        if (kind == "re_registration") {
          fmt::print("; the registered person named (candidates or document owner) in {} ({:.1f}%)", found[kind],
                     100.0 * found[kind] / std::max(total, 1));
        }
        fmt::print("\n");
      }
    }

    if (!raw_database.empty()) {
      const auto location = welfare::db::ParseDatabaseUrl(raw_database);
      if (!location) throw std::runtime_error("bad --raw-database: " + location.error().internal);
      welfare::InitCrypto();
      const welfare::SecretKey key = welfare::SecretKey::LoadOrCreate(raw_key_file);
      welfare::db::Database database(*location, 1);
      welfare::db::Database::Lease lease(database);
      for (const auto& pragma : raw_pragmas) *lease << "PRAGMA " + pragma;
      welfare::registry::PersonStore store(location->dialect);
      for (const auto& search : warm) (void)RawSearch(database, *lease, store, key, search.text, limit);
      struct RawColumns {
        std::vector<double> lookups, loads, scores, totals, scored;
      };
      std::map<std::string, RawColumns> raw_by_kind;
      RawColumns every;
      std::vector<double> every_http;
      for (const auto& search : searches) {
        const RawTimes times = RawSearch(database, *lease, store, key, search.text, limit);
        for (RawColumns* columns : {&raw_by_kind[search.kind], &every}) {
          columns->lookups.push_back(times.stats.lookup_ms);
          columns->loads.push_back(times.stats.load_ms);
          columns->scores.push_back(times.stats.score_ms);
          columns->totals.push_back(times.total_ms);
          columns->scored.push_back(times.stats.scored);
        }
        every_http.push_back(search.milliseconds);
      }
      fmt::print("\nraw database, one connection{}, same searches through FindScoredCandidates: index lookups, "
                 "reading candidates, scoring, and the whole (with the transaction); persons scored per search\n",
                 raw_pragmas.empty() ? "" : " with PRAGMA " + fmt::format("{}", fmt::join(raw_pragmas, ", ")));
      fmt::print("{:<30} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "searches", "count",
                 "lookup", "lookup", "read", "read", "score", "score", "whole", "whole", "whole", "scored");
      fmt::print("{:<30} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "", "", "p50 ms",
                 "p99 ms", "p50 ms", "p99 ms", "p50 ms", "p99 ms", "p50 ms", "p99 ms", "max ms", "mean");
      auto raw_row = [](const std::string& name, const RawColumns& columns) {
        const Figures lookup = Summarise(columns.lookups);
        const Figures load = Summarise(columns.loads);
        const Figures score = Summarise(columns.scores);
        const Figures total = Summarise(columns.totals);
        double scored = 0;
        for (double count : columns.scored) scored += count;
        fmt::print("{:<30} {:>6} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} "
                   "{:>8.1f}\n",
                   name, lookup.count, lookup.p50, lookup.p99, load.p50, load.p99, score.p50, score.p99, total.p50,
                   total.p99, total.max, columns.scored.empty() ? 0.0 : scored / columns.scored.size());
      };
      for (const auto& [kind, columns] : raw_by_kind) raw_row("  " + kind, columns);
      raw_row("all", every);
      const auto& every_total = every.totals;
      const Figures http_figures = Summarise(every_http);
      const Figures raw_figures = Summarise(every_total);
      fmt::print("HTTP ({} connections) / raw database work (1 connection): p50 {:.1f}x, p99 {:.1f}x\n", connections,
                 raw_figures.p50 > 0 ? http_figures.p50 / raw_figures.p50 : 0.0,
                 raw_figures.p99 > 0 ? http_figures.p99 / raw_figures.p99 : 0.0);
    }

    fmt::print("\ngoal search p99 < 50 ms: {} (p99 {:.1f} ms over {} searches)\n", overall.p99 < 50 ? "met" : "NOT met",
               overall.p99, overall.count);
    if (!registrations.empty()) {
      fmt::print("goal registration p99 < 100 ms: {} (p99 {:.1f} ms over {} registrations)\n",
                 registration_overall.p99 < 100 ? "met" : "NOT met", registration_overall.p99,
                 registration_overall.count);
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "search_bench: {}\n", error.what());
    return 1;
  }
  return 0;
}
