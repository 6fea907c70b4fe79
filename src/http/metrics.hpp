/// \file Request counters and latency histograms in the Prometheus text format.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace welfare::http {

/// Counts requests by route, method and status, and their latency.
class Metrics {
 public:
  /// Records one finished request.
  void Record(const std::string& route, std::string_view method, unsigned status, double seconds);
  /// The metrics text, with `extra` (gauges of other parts) appended.
  [[nodiscard]] std::string Render(const std::string& extra) const;

  std::atomic<long long> in_flight{0};
  std::atomic<long long> queued{0};
  std::atomic<long long> connections{0};

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  struct Histogram {
    std::array<unsigned long long, kBuckets.size()> buckets{};
    unsigned long long count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, unsigned long long> counts_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace welfare::http
