#include "http/server.hpp"

#include <atomic>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include "core/crypto.hpp"
#include "core/log.hpp"

namespace welfare::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

/// Loopback, also in its IPv4-mapped IPv6 form (a proxy on 127.0.0.1 seen by a server on "::").
bool IsLoopback(const asio::ip::address& address) {
  if (address.is_loopback()) return true;
  return address.is_v6() && address.to_v6().is_v4_mapped() &&
         asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
}

}  // namespace

void AddSecurityHeaders(Response& response, bool tls) {
  response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  response.headers.emplace_back("Permissions-Policy", "camera=(self), geolocation=(), microphone=()");
  if (tls) response.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
}

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler, ErrorResponder errors, RequestObserver observer, Metrics& metrics)
      : options_(std::move(options)), handler_(std::move(handler)), errors_(std::move(errors)),
        observer_(std::move(observer)), metrics_(metrics), acceptor_(ioc_), workers_(options_.worker_threads),
        signals_(ioc_, SIGINT, SIGTERM) {}

  /// One client connection: read a request, hand it to a worker, write the answer, repeat.
  class Connection : public std::enable_shared_from_this<Connection> {
   public:
    Connection(Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
      ++server_.metrics_.connections;
      beast::error_code ec;
      const auto endpoint = stream_.socket().remote_endpoint(ec);
      client_ip_ = ec ? "unknown" : endpoint.address().to_string();
      peer_is_loopback_ = !ec && IsLoopback(endpoint.address());
    }
    ~Connection() { --server_.metrics_.connections; }

    void Start() {
      asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(true); });
    }

   private:
    void Read(bool first) {
      if (server_.draining_) return Close();
      parser_.emplace();
      parser_->header_limit(static_cast<std::uint32_t>(server_.options_.header_limit));
      parser_->body_limit(server_.options_.body_limit);
      stream_.expires_after(first ? server_.options_.read_timeout : server_.options_.idle_timeout);
      bhttp::async_read_header(stream_, buffer_, *parser_,
                               [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
    }

    /// The body limit depends on the target: uploads may be larger than other requests.
    void OnHeader(beast::error_code ec) {
      if (ec) return OnRead(ec);
      const std::string_view target = parser_->get().target();
      if (!server_.options_.upload_prefix.empty() && target.starts_with(server_.options_.upload_prefix)) {
        parser_->body_limit(server_.options_.upload_body_limit);
      }
      if (parser_->is_done()) return OnRead(ec);
      bhttp::async_read(stream_, buffer_, *parser_,
                        [self = shared_from_this()](beast::error_code read_ec, size_t) { self->OnRead(read_ec); });
    }

    void OnRead(beast::error_code ec) {
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
          ec == asio::error::connection_reset) {
        return Close();
      }
      if (ec == bhttp::error::body_limit) return Reject("payload_too_large", 413);
      if (ec == bhttp::error::header_limit) return Reject("header_too_large", 431);
      if (ec) return Reject("bad_request", 400);
      request_ = parser_->release();
      keep_alive_ = request_.keep_alive();
      // The read deadline covers the request only; the handler's time is not the client's fault.
      stream_.expires_never();
      ++server_.in_flight_;
      ++server_.metrics_.queued;
      received_ = std::chrono::steady_clock::now();
      if (RunsInline()) return Handle(/*on_io_thread=*/true);
      asio::post(server_.workers_, [self = shared_from_this()] { self->Handle(/*on_io_thread=*/false); });
    }

    void Handle(bool on_io_thread) {
      --server_.metrics_.queued;
      ++server_.metrics_.in_flight;
      Request request;
      request.request_id = server_.NextRequestId();
      request.client_ip = ClientAddress();
      Response response;
      if (!ParseRequest(request_, request)) {
        response = server_.errors_("bad_request", 400, request.locale);
      } else {
        try {
          response = server_.handler_(request);
        } catch (const std::exception& error) {
          Log(LogLevel::kError, "handler threw", {{"request_id", request.request_id}, {"error", error.what()}});
          response = server_.errors_("internal", 500, request.locale);
        }
      }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - received_).count();
      server_.metrics_.Record(response.route.empty() ? "unmatched" : response.route,
                              std::string_view(bhttp::to_string(request_.method())), response.status, seconds);
      if (server_.observer_) server_.observer_(request, response, seconds);
      --server_.metrics_.in_flight;
      response.headers.emplace_back("X-Request-Id", request.request_id);
      if (on_io_thread) return Write(std::move(response));
      asio::post(stream_.get_executor(), [self = shared_from_this(), response = std::move(response)]() mutable {
        self->Write(std::move(response));
      });
    }

    void Write(Response response) {
      const bool head = request_.method() == bhttp::verb::head;
      if (response.shared_body) {
        // Sent straight from the shared buffer; the capture keeps it alive until written.
        auto shared = std::move(response.shared_body);
        auto message = std::make_shared<bhttp::response<bhttp::buffer_body>>(
            static_cast<bhttp::status>(response.status), request_.version());
        message->body().data = head ? nullptr : const_cast<char*>(shared->data());
        message->body().size = head ? 0 : shared->size();
        message->body().more = false;
        return Send(message, response, shared->size(), shared);
      }
      auto message = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(response.status),
                                                                           request_.version());
      const size_t length = response.body.size();
      if (!head) message->body() = std::move(response.body);
      return Send(message, response, length, nullptr);
    }

    /// Adds the headers every response carries and writes the message.
    template <class Body>
    void Send(const std::shared_ptr<bhttp::response<Body>>& message, Response& response, size_t length,
              std::shared_ptr<const std::string> keep_alive_body) {
      message->set(bhttp::field::server, "OpenWelfare");
      if (!response.content_type.empty()) message->set(bhttp::field::content_type, response.content_type);
      AddSecurityHeaders(response, server_.options_.tls);
      for (const auto& [name, value] : response.headers) message->insert(name, value);
      const bool keep = keep_alive_ && !server_.draining_;
      message->keep_alive(keep);
      message->content_length(length);
      stream_.expires_after(server_.options_.write_timeout);
      bhttp::async_write(
          stream_, *message,
          [self = shared_from_this(), message, keep, body = std::move(keep_alive_body)](beast::error_code ec, size_t) {
            --self->server_.in_flight_;
            if (ec || !keep) return self->Close();
            self->Read(false);
          });
    }

    /// Answers a request that could not be read, then closes the connection.
    void Reject(std::string_view code, unsigned status) {
      ++server_.in_flight_;
      request_ = {};
      request_.version(11);
      keep_alive_ = false;
      Locale locale = Locale::kZhHant;
      if (parser_ && parser_->is_header_done()) {
        locale = NegotiateLocale(parser_->get()[bhttp::field::accept_language]);
      }
      Response response = server_.errors_(code, status, locale);
      server_.metrics_.Record("unmatched", "-", status, 0);
      Write(std::move(response));
    }

    /// True for a GET/HEAD whose decoded path (the one the router will see) the server may answer
    /// on the I/O thread.
    [[nodiscard]] bool RunsInline() const {
      if (!server_.options_.handle_inline) return false;
      if (request_.method() != bhttp::verb::get && request_.method() != bhttp::verb::head) return false;
      const auto parsed = boost::urls::parse_origin_form(request_.target());
      return parsed && server_.options_.handle_inline(std::string(parsed->path()));
    }

    /// The peer address, or the proxy's X-Forwarded-For entry when the peer is a trusted local proxy.
    [[nodiscard]] std::string ClientAddress() const {
      if (!server_.options_.behind_proxy || !peer_is_loopback_) return client_ip_;
      // The proxy's own entry is the last one, whether it appended to the client's header line or
      // added a line of its own; anything before it was written by the client.
      std::string_view forwarded;
      for (const auto& field : request_) {
        if (beast::iequals(field.name_string(), "X-Forwarded-For")) forwarded = field.value();
      }
      if (forwarded.empty()) return client_ip_;
      std::string_view last = forwarded.substr(forwarded.rfind(',') + 1);
      while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
      while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
      boost::system::error_code ec;
      const auto address = asio::ip::make_address(std::string(last), ec);
      return ec ? client_ip_ : address.to_string();
    }

    void Close() {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      stream_.socket().close(ec);
    }

    Impl& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    BeastRequest request_;
    bool keep_alive_ = false;
    std::string client_ip_;
    bool peer_is_loopback_ = false;
    std::chrono::steady_clock::time_point received_;
  };

  void Bind() {
    const tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }

  void Accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
        Log(LogLevel::kWarn, "accept failed", {{"error", ec.message()}});
      } else {
        socket.set_option(tcp::no_delay(true));
        std::make_shared<Connection>(*this, std::move(socket))->Start();
      }
      Accept();
    });
  }

  void BeginDrain() {
    if (draining_.exchange(true)) return;
    Log(LogLevel::kInfo, "shutting down: finishing requests in flight", {{"in_flight", in_flight_.load()}});
    beast::error_code ec;
    acceptor_.close(ec);
    drain_deadline_ = std::chrono::steady_clock::now() + options_.drain_timeout;
    WaitForDrain();
  }

  void WaitForDrain() {
    if (in_flight_ == 0 || std::chrono::steady_clock::now() > drain_deadline_) {
      ioc_.stop();
      return;
    }
    drain_timer_.expires_after(std::chrono::milliseconds(20));
    drain_timer_.async_wait([this](beast::error_code) { WaitForDrain(); });
  }

  void Run() {
    signals_.async_wait([this](beast::error_code ec, int) {
      if (!ec) BeginDrain();
    });
    Accept();
    std::vector<std::thread> threads;
    for (size_t index = 1; index < options_.io_threads; ++index) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& thread : threads) thread.join();
    workers_.join();
  }

  void Stop() {
    asio::post(ioc_, [this] { BeginDrain(); });
  }

  /// A request id unique in this process and across restarts: a random prefix and a counter.
  std::string NextRequestId() {
    return request_id_prefix_ + std::to_string(request_counter_.fetch_add(1, std::memory_order_relaxed));
  }

  ServerOptions options_;
  Handler handler_;
  ErrorResponder errors_;
  RequestObserver observer_;
  Metrics& metrics_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::thread_pool workers_;
  asio::signal_set signals_;
  asio::steady_timer drain_timer_{ioc_};
  std::atomic<bool> draining_{false};
  std::atomic<long long> in_flight_{0};
  std::chrono::steady_clock::time_point drain_deadline_;
  std::string request_id_prefix_ = RandomToken(6) + "-";
  std::atomic<unsigned long long> request_counter_{1};
};

Server::Server(ServerOptions options, Handler handler, ErrorResponder errors, RequestObserver observer,
               Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(errors), std::move(observer),
                                   metrics)) {}
Server::~Server() = default;
void Server::Bind() { impl_->Bind(); }
unsigned short Server::port() const { return impl_->acceptor_.local_endpoint().port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace welfare::http
