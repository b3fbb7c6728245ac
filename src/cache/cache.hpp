// cache/: get/set/delete/increment-with-expiry behind one interface: an in-process LRU or Redis.
// Values are opaque strings (features cache serialized JSON).
#pragma once
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::cache {

template <typename T>
using Task = boost::asio::awaitable<T>;

// One request counted against a rate limit's sliding window: two fixed windows, the current
// one's counter and the previous one's, weighted by how much of it the window still covers.
struct WindowHit {
    std::string current_key;
    std::string previous_key;
    double previous_weight = 0;  // in [0, 1]
    int64_t limit = 0;
    std::chrono::seconds ttl{0};  // of the current counter, set when it is created
};

struct WindowCount {
    int64_t current = 0;   // with this request
    int64_t previous = 0;  // the previous window's count
    bool allowed = true;   // previous × weight + current ≤ limit; when not, the hit is undone
};

// A log of event times (e.g. failed logins) over a sliding window: events older than `window`
// no longer count, and only the `keep` newest are stored (enough to decide a limit of `keep`).
struct EventLog {
    std::string key;
    std::chrono::milliseconds window{0};
    int64_t keep = 1;
};

class Cache {
  public:
    virtual ~Cache() = default;
    virtual Task<std::optional<std::string>> get(std::string_view key) = 0;
    virtual Task<void> set(std::string_view key, std::string value, std::chrono::seconds ttl) = 0;
    virtual Task<void> erase(std::string_view key) = 0;
    // Adds `by` to the integer at key (0 when absent or expired) and returns the new value; the
    // expiry is set when the key is created. The building block of rate limits and quotas.
    // nullopt when a shared cache is unavailable: the caller decides how to degrade.
    virtual Task<std::optional<int64_t>> increment(std::string_view key, int64_t by,
                                                   std::chrono::seconds ttl) = 0;
    // Counts one request against each window, independently and atomically (one Redis round
    // trip for all of them): a refused hit is taken back, as DRF records only what it lets
    // through. nullopt when a shared cache is unavailable.
    virtual Task<std::optional<std::vector<WindowCount>>> window_hits(
        const std::vector<WindowHit>& hits) = 0;
    // For each log, atomically (one Redis round trip for all): forgets events at or before
    // now_ms - window, records one at now_ms when `record`, and returns the event times left
    // (milliseconds, oldest first). erase(key) clears a log. nullopt when a shared cache is
    // unavailable.
    virtual Task<std::optional<std::vector<std::vector<int64_t>>>> event_logs(
        const std::vector<EventLog>& logs, int64_t now_ms, bool record) = 0;
    // Whether the cache answers now (readiness probes). An in-process cache always does.
    virtual Task<bool> healthy() { co_return true; }
    // A shared cache's connections live on this event loop (the server's) from now on; detach()
    // drops them once the loop has stopped, before it is destroyed. An in-process cache needs
    // neither. Calls made while detached (a command-line tool) still work, more slowly.
    virtual void attach(boost::asio::any_io_executor) {}
    virtual void detach() {}

    // The read-through lookups of cached answers (get_or_compute), for the hit ratio.
    void count_lookup(bool hit) noexcept {
        (hit ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
    }
    uint64_t lookup_hits() const noexcept { return hits_.load(std::memory_order_relaxed); }
    uint64_t lookup_misses() const noexcept { return misses_.load(std::memory_order_relaxed); }
    // Values a shared cache served from its in-process near cache (no round trip).
    uint64_t near_hits() const noexcept { return near_hits_.load(std::memory_order_relaxed); }

  protected:
    void count_near_hit() noexcept { near_hits_.fetch_add(1, std::memory_order_relaxed); }

  private:
    std::atomic<uint64_t> near_hits_{0};
    std::atomic<uint64_t> hits_{0};
    std::atomic<uint64_t> misses_{0};
};

}  // namespace resumate::cache

namespace resumate::cache {

struct Lookup {
    bool hit = false;
    std::string value;
};

// The read-through pattern of the cached endpoints: the cached value, or compute() stored for ttl.
template <typename Compute>
Task<Lookup> get_or_compute(Cache& cache, std::string_view key, std::chrono::seconds ttl,
                            Compute compute) {
    auto cached = co_await cache.get(key);
    cache.count_lookup(cached.has_value());
    if (cached) co_return Lookup{true, std::move(*cached)};
    std::string value = co_await compute();
    co_await cache.set(key, value, ttl);
    co_return Lookup{false, std::move(value)};
}

}  // namespace resumate::cache
