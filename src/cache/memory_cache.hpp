#pragma once
#include <list>
#include <mutex>
#include <unordered_map>

#include "cache/cache.hpp"

namespace resumate::cache {

// Bounded in-process cache: TTL per entry, least-recently-used eviction past max_entries.
// One mutex; the critical sections are a hash lookup and a list splice.
class MemoryCache final : public Cache {
  public:
    explicit MemoryCache(size_t max_entries);

    Task<std::optional<std::string>> get(std::string_view key) override;
    Task<void> set(std::string_view key, std::string value, std::chrono::seconds ttl) override;
    Task<void> erase(std::string_view key) override;
    Task<std::optional<int64_t>> increment(std::string_view key, int64_t by,
                                           std::chrono::seconds ttl) override;
    Task<std::optional<std::vector<WindowCount>>> window_hits(
        const std::vector<WindowHit>& hits) override;
    Task<std::optional<std::vector<std::vector<int64_t>>>> event_logs(
        const std::vector<EventLog>& logs, int64_t now_ms, bool record) override;

    // Synchronous core, also used by tests.
    std::optional<std::string> get_now(std::string_view key);
    void set_now(std::string_view key, std::string value, std::chrono::milliseconds ttl);
    void erase_now(std::string_view key);
    int64_t increment_now(std::string_view key, int64_t by, std::chrono::seconds ttl);
    std::vector<WindowCount> window_hits_now(const std::vector<WindowHit>& hits);
    std::vector<std::vector<int64_t>> event_logs_now(const std::vector<EventLog>& logs,
                                                     int64_t now_ms, bool record);
    size_t size();
    void clear();

  private:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        std::string key;
        std::string value;
        Clock::time_point expires;
    };
    using List = std::list<Entry>;

    List::iterator find_live(std::string_view key, Clock::time_point now);
    void insert_front(std::string_view key, std::string value, Clock::time_point expires);
    // With mu_ held.
    int64_t add_locked(std::string_view key, int64_t by, std::chrono::seconds ttl,
                       Clock::time_point now);
    int64_t read_int_locked(std::string_view key, Clock::time_point now);

    size_t max_entries_;
    std::mutex mu_;
    List lru_;                                                    // front = most recently used
    std::unordered_map<std::string_view, List::iterator> index_;  // views into Entry::key
};

}  // namespace resumate::cache
