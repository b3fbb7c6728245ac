#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cache/cache.hpp"

struct redisContext;

namespace resumate::cache {

struct RedisOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 6379;
    int database = 1;  // the original's django-redis LOCATION uses database 1
    std::string password;
    std::string prefix = "resumate:";
    size_t pool_size = 8;
    std::chrono::milliseconds timeout{250};
};

// Parses redis://[[user]:password@]host[:port][/db]. Throws std::invalid_argument.
RedisOptions parse_redis_url(const std::string& url);

// The Cache interface over hiredis: pooled blocking connections with short timeouts (a loopback
// or LAN round trip is tens of microseconds, cheaper than handing off to another thread).
// Redis down: every call degrades (get → miss, set/erase/increment → skipped), one log line per
// outage, a retry at most every second; erases that could not be done are replayed when Redis
// is back, so no entry outlives a change made during the outage.
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
    // PING answered.
    Task<bool> healthy() override;

    std::optional<std::string> get_now(std::string_view key);
    void set_now(std::string_view key, const std::string& value, std::chrono::seconds ttl);
    void erase_now(std::string_view key);
    // nullopt when Redis is unavailable.
    std::optional<int64_t> increment_now(std::string_view key, int64_t by,
                                         std::chrono::seconds ttl);
    std::optional<std::vector<WindowCount>> window_hits_now(const std::vector<WindowHit>& hits);
    std::optional<std::vector<std::vector<int64_t>>> event_logs_now(
        const std::vector<EventLog>& logs, int64_t now_ms, bool record);
    bool available();

    struct Conn;

  private:
    struct Reply;
    std::unique_ptr<Conn> acquire();
    void release(std::unique_ptr<Conn> c);
    // Runs one command; nullptr when Redis is unavailable.
    std::shared_ptr<Reply> command(const std::vector<std::string>& argv);
    void mark_down(const std::string& why);
    void replay_pending_erases(Conn& c);

    RedisOptions opt_;
    std::mutex mu_;
    std::vector<std::unique_ptr<Conn>> idle_;
    std::atomic<int64_t> down_until_ms_{0};
    std::atomic<bool> outage_logged_{false};
    std::mutex pending_mu_;
    std::set<std::string> pending_erases_;
    std::atomic<uint64_t> event_serial_{0};  // makes each recorded event a distinct member
};

}  // namespace resumate::cache
