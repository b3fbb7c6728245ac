#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cache/cache.hpp"
#include "cache/memory_cache.hpp"
#include "cache/redis_router.hpp"

namespace resumate::cache {

// Parses redis://[[user]:password@]host[:port][/db]. Throws std::invalid_argument.
RedisOptions parse_redis_url(const std::string& url);
// Parses REDIS_CLUSTER_NODES: host:port[,host:port…]. Throws std::invalid_argument.
std::vector<RedisEndpoint> parse_cluster_nodes(std::string_view text);

// The Cache interface over Redis (one node, or a Redis Cluster), asynchronous on the server's
// event loop (attach()): requests share pipelined connections and no thread waits on Redis.
//
// Redis slow or down: every call degrades (get → miss, set/erase/increment → skipped, counters
// → nullopt) after at most the timeout, one log line per outage, a node retried at most every
// second; erases that could not be done are replayed when Redis is back, so no entry outlives a
// change made during the outage.
//
// Near cache: values read (and that a key has none) are also kept in process for at most
// near_ttl. Every set/erase
// publishes the key on `<prefix>invalidate`; every instance subscribes and drops its copy when
// another instance's message arrives (a read racing with that message does not store what it
// read). While the subscription is down, the near cache is empty and unused.
class RedisCache final : public Cache {
  public:
    explicit RedisCache(RedisOptions options);
    ~RedisCache() override;

    Task<std::optional<std::string>> get(std::string_view key) override;
    Task<void> set(std::string_view key, std::string value, std::chrono::seconds ttl) override;
    Task<void> erase(std::string_view key) override;
    Task<std::optional<int64_t>> increment(std::string_view key, int64_t by,
                                           std::chrono::seconds ttl) override;
    Task<std::optional<std::vector<WindowCount>>> window_hits(
        const std::vector<WindowHit>& hits) override;
    Task<std::optional<std::vector<std::vector<int64_t>>>> event_logs(
        const std::vector<EventLog>& logs, int64_t now_ms, bool record) override;
    // PING answered (by every master of a cluster).
    Task<bool> healthy() override;
    void attach(boost::asio::any_io_executor loop) override;
    void detach() override;

    bool near_active() const noexcept { return near_on_.load(std::memory_order_acquire); }

  private:
    std::shared_ptr<RedisRouter> current_router();  // null while detached
    // On the attached router, or (not attached: a CLI command) on one made for this call.
    Task<RedisReplies> run(std::string_view key, std::vector<RedisCommand> commands);
    // One command's reply; nullopt when Redis is unavailable.
    Task<std::optional<RedisValue>> run_one(std::string key, RedisCommand command);
    Task<void> replay_pending_erases(std::shared_ptr<RedisRouter> router);
    Task<std::optional<WindowCount>> window_hit_in_steps(const WindowHit& hit);
    RedisCommand invalidation(std::string_view key) const;
    void on_invalidation(std::string_view message);
    void start_listener(size_t attempt);
    void near_switch(bool on);
    std::atomic<uint32_t>& epoch(std::string_view key);

    RedisOptions opt_;
    const std::string channel_;
    const std::string instance_;  // in each message this process publishes
    std::mutex mu_;
    boost::asio::any_io_executor loop_;
    std::shared_ptr<RedisRouter> router_;  // while attached
    std::shared_ptr<RedisLink> listener_;  // the invalidation subscription
    const std::shared_ptr<ReadProbe> probe_ = std::make_shared<ReadProbe>();  // its socket
    std::atomic<bool> attached_{false};
    MemoryCache near_;
    std::atomic<bool> near_on_{false};
    std::atomic<uint64_t> near_generation_{0};  // bumped when the subscription goes up or down
    std::array<std::atomic<uint32_t>, 256> epochs_{};  // bumped per key (hash) on invalidation
    std::mutex pending_mu_;
    std::set<std::string> pending_erases_;
    std::atomic<bool> has_pending_{false};
    std::atomic<uint64_t> event_serial_{0};  // makes each recorded event a distinct member
};

}  // namespace resumate::cache
