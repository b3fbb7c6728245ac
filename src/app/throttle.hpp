#pragma once
// DRF-style throttling (RESUMATE_THROTTLE): `anon` per client IP, `user` per user id, and named
// scopes per endpoint (generate, register, login), each "N/second|minute|hour|day". Counted in
// the cache: in-process without Redis, atomically in Redis (shared by every instance) with it.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cache/cache.hpp"
#include "http/pipeline.hpp"

namespace resumate::app {

struct Rate {
    int64_t requests = 0;
    std::chrono::seconds period{0};
};

struct ThrottleRates {
    bool off = false;
    std::map<std::string, Rate, std::less<>> rates;  // scope → rate
};

// The defaults when RESUMATE_THROTTLE is unset.
inline constexpr std::string_view kDefaultThrottle =
    "anon=120/minute,user=1200/minute,generate=20/minute,register=20/hour,login=30/minute";

// "off", or "scope=N/period,..." (period: s|sec|second, m|min|minute, h|hour, d|day; DRF reads
// only the first letter, and so do we); empty means kDefaultThrottle. Throws
// std::invalid_argument with a readable message.
ThrottleRates parse_throttle(std::string_view spec);

// A sliding window over two fixed windows: the count of the current window plus the previous
// window's count weighted by how much of it still overlaps the last `period`. Close to DRF's
// request log, but two counters per caller instead of a list of timestamps.
class CacheThrottler final : public http::Throttler {
  public:
    CacheThrottler(cache::Cache& cache, ThrottleRates rates)
        : cache_(cache), rates_(std::move(rates)) {}
    http::Task<std::optional<int64_t>> check(const http::Request& req,
                                             std::string_view scope) override;
    // Microseconds since the epoch; the system clock unless a test sets another.
    void set_clock(std::function<int64_t()> now_us) { now_us_ = std::move(now_us); }

  private:
    cache::Cache& cache_;
    ThrottleRates rates_;
    std::function<int64_t()> now_us_;
};

}  // namespace resumate::app
