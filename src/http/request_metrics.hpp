#pragma once
#include <array>
#include <atomic>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "http/router.hpp"
#include "util/metrics.hpp"

namespace resumate::http {

// The pipeline's metrics: resumate_http_requests_total{method,route,status},
// resumate_http_request_duration_seconds{method,route}, resumate_http_requests_in_flight and
// resumate_throttled_requests_total{scope}. Every route's counters exist from the start (made from
// the router's table), so recording a request takes no lock and allocates nothing.
class RequestMetrics {
  public:
    RequestMetrics(const Router& router, util::metrics::Registry& registry);

    // `route` null: a path outside every route ("unmatched").
    void record(const Route* route, std::string_view method, unsigned status, double seconds);
    // A 429 of the throttle: counted under the route's own scope, else under "user" or "anon".
    void throttled(const Route& route, bool authenticated);
    util::metrics::Gauge& in_flight() { return in_flight_; }

    static constexpr size_t kMethods = 8;  // GET POST PUT PATCH DELETE HEAD OPTIONS other

  private:
    struct PerRoute {
        std::string_view pattern;
        std::string_view scope;
        // (method, status) → count: an open-addressed table filled on first use.
        static constexpr size_t kSlots = 64;
        std::array<std::atomic<uint32_t>, kSlots> keys{};  // 0: free; else method << 10 | status
        std::array<std::atomic<uint64_t>, kSlots> counts{};
        std::array<std::unique_ptr<util::metrics::Histogram>, kMethods> durations;
        std::atomic<uint64_t> throttled_anon{0};
        std::atomic<uint64_t> throttled_user{0};
        void count(uint32_t key);
    };
    PerRoute& stats_of(const Route* route);
    void collect(util::metrics::Exposition& out) const;

    std::unordered_map<const Route*, std::unique_ptr<PerRoute>> routes_;
    std::unique_ptr<PerRoute> unmatched_;
    util::metrics::Gauge in_flight_;
};

}  // namespace resumate::http
