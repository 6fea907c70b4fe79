#include "http/metrics.hpp"

#include <fmt/format.h>

namespace welfare::http {

void Metrics::Record(const std::string& route, std::string_view method, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  ++counts_[{route, std::string(method), status}];
  auto& histogram = latency_[route];
  for (size_t index = 0; index < kBuckets.size(); ++index) {
    if (seconds <= kBuckets[index]) ++histogram.buckets[index];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

std::string Metrics::Render(const std::string& extra) const {
  std::string out;
  auto add = [&out](std::string_view format, auto&&... args) {
    fmt::vformat_to(std::back_inserter(out), format, fmt::make_format_args(args...));
  };
  add("# HELP welfare_http_requests_total HTTP requests by route, method and status.\n");
  add("# TYPE welfare_http_requests_total counter\n");
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : counts_) {
    const auto& [route, method, status] = key;
    add("welfare_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", route, method, status, count);
  }
  add("# HELP welfare_http_request_duration_seconds Time from a complete request to its response.\n");
  add("# TYPE welfare_http_request_duration_seconds histogram\n");
  for (const auto& [route, histogram] : latency_) {
    for (size_t index = 0; index < kBuckets.size(); ++index) {
      add("welfare_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route, kBuckets[index],
          histogram.buckets[index]);
    }
    add("welfare_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route, histogram.count);
    add("welfare_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, histogram.sum);
    add("welfare_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, histogram.count);
  }
  add("# HELP welfare_http_in_flight Requests being handled by workers.\n# TYPE welfare_http_in_flight gauge\n");
  add("welfare_http_in_flight {}\n", in_flight.load());
  add("# HELP welfare_worker_queue Requests waiting for a worker thread.\n# TYPE welfare_worker_queue gauge\n");
  add("welfare_worker_queue {}\n", queued.load());
  add("# HELP welfare_http_connections Open client connections.\n# TYPE welfare_http_connections gauge\n");
  add("welfare_http_connections {}\n", connections.load());
  out += extra;
  return out;
}

}  // namespace welfare::http
