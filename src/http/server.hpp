/// \file The HTTP/1.1 server: Asio I/O thread, a fixed pool of handler threads, limits, timeouts, graceful stop.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/metrics.hpp"
#include "http/request.hpp"

namespace welfare::http {

/// Server settings.
struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  size_t io_threads = 1;
  size_t worker_threads = 8;
  size_t header_limit = 16 * 1024;
  size_t body_limit = 1024 * 1024;
  /// Uploads (CSV imports) may be larger: requests whose target starts with `upload_prefix`.
  size_t upload_body_limit = 64 * 1024 * 1024;
  std::string upload_prefix = "/api/v1/imports";
  std::chrono::seconds read_timeout{30};  ///< a request must arrive completely within this
  std::chrono::seconds idle_timeout{75};  ///< keep-alive connections idle longer are closed
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds drain_timeout{30};  ///< how long shutdown waits for requests in flight
  bool tls = false;                        ///< true when a TLS proxy terminates in front (Secure cookies)
  /// True when a reverse proxy on this machine sets X-Forwarded-For: the client address is then
  /// its last entry for connections from loopback (so throttling and the audit see real clients).
  bool behind_proxy = false;
  /// GET/HEAD requests whose decoded path this accepts are answered on the I/O thread, without the
  /// hop to a worker: only for work that never blocks (static files held in memory, liveness).
  std::function<bool(std::string_view path)> handle_inline;
};

/// Handles one request on a worker thread; never throws.
using Handler = std::function<Response(Request&)>;
/// Produces an error response (problem+json) for failures the server detects itself.
using ErrorResponder = std::function<Response(std::string_view code, unsigned status, Locale locale)>;
/// Called once per finished request (logging).
using RequestObserver = std::function<void(const Request&, const Response&, double seconds)>;

/// The server. Run() blocks until SIGINT/SIGTERM or Stop(), then finishes requests in flight.
class Server {
 public:
  Server(ServerOptions options, Handler handler, ErrorResponder errors, RequestObserver observer, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds the listening socket (port 0 picks a free one); throws on failure.
  void Bind();
  /// The bound port.
  [[nodiscard]] unsigned short port() const;
  /// Serves until a stop signal; returns after a graceful drain.
  void Run();
  /// Requests a graceful stop from any thread.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// Headers sent with every response.
void AddSecurityHeaders(Response& response, bool tls);

}  // namespace welfare::http
