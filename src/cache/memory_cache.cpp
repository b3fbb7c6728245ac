#include "cache/memory_cache.hpp"

#include <algorithm>
#include <charconv>

namespace resumate::cache {

MemoryCache::MemoryCache(size_t max_entries) : max_entries_(std::max<size_t>(1, max_entries)) {}

MemoryCache::List::iterator MemoryCache::find_live(std::string_view key, Clock::time_point now) {
    auto it = index_.find(key);
    if (it == index_.end()) return lru_.end();
    auto entry = it->second;
    if (entry->expires <= now) {
        index_.erase(it);
        lru_.erase(entry);
        return lru_.end();
    }
    lru_.splice(lru_.begin(), lru_, entry);
    return entry;
}

void MemoryCache::insert_front(std::string_view key, std::string value, Clock::time_point expires) {
    lru_.push_front(Entry{std::string(key), std::move(value), expires});
    index_.emplace(lru_.front().key, lru_.begin());
    while (lru_.size() > max_entries_) {
        index_.erase(lru_.back().key);
        lru_.pop_back();
    }
}

std::optional<std::string> MemoryCache::get_now(std::string_view key) {
    std::lock_guard lock(mu_);
    auto it = find_live(key, Clock::now());
    if (it == lru_.end()) return std::nullopt;
    return it->value;
}

void MemoryCache::set_now(std::string_view key, std::string value, std::chrono::milliseconds ttl) {
    auto expires = Clock::now() + ttl;
    std::lock_guard lock(mu_);
    if (auto it = index_.find(key); it != index_.end()) {
        auto entry = it->second;
        entry->value = std::move(value);
        entry->expires = expires;
        lru_.splice(lru_.begin(), lru_, entry);
        return;
    }
    insert_front(key, std::move(value), expires);
}

void MemoryCache::erase_now(std::string_view key) {
    std::lock_guard lock(mu_);
    if (auto it = index_.find(key); it != index_.end()) {
        auto entry = it->second;
        index_.erase(it);
        lru_.erase(entry);
    }
}

int64_t MemoryCache::increment_now(std::string_view key, int64_t by, std::chrono::seconds ttl) {
    auto now = Clock::now();
    std::lock_guard lock(mu_);
    return add_locked(key, by, ttl, now);
}

int64_t MemoryCache::read_int_locked(std::string_view key, Clock::time_point now) {
    auto it = find_live(key, now);
    int64_t v = 0;
    if (it != lru_.end()) std::from_chars(it->value.data(), it->value.data() + it->value.size(), v);
    return v;
}

std::vector<WindowCount> MemoryCache::window_hits_now(const std::vector<WindowHit>& hits) {
    auto now = Clock::now();
    std::vector<WindowCount> out;
    out.reserve(hits.size());
    std::lock_guard lock(mu_);
    for (const auto& h : hits) {
        WindowCount c;
        c.current = add_locked(h.current_key, 1, h.ttl, now);
        c.previous = read_int_locked(h.previous_key, now);
        c.allowed =
            static_cast<double>(c.previous) * h.previous_weight + static_cast<double>(c.current) <=
            static_cast<double>(h.limit);
        if (!c.allowed) add_locked(h.current_key, -1, h.ttl, now);
        out.push_back(c);
    }
    return out;
}

// A log is stored as its times in decimal, space-separated, oldest first: a handful of numbers
// per key, so the entry stays one LRU entry with one expiry like every other.
std::vector<std::vector<int64_t>> MemoryCache::event_logs_now(const std::vector<EventLog>& logs,
                                                              int64_t now_ms, bool record) {
    const auto now = Clock::now();
    std::vector<std::vector<int64_t>> out;
    out.reserve(logs.size());
    std::lock_guard lock(mu_);
    for (const auto& log : logs) {
        std::vector<int64_t> times;
        auto it = find_live(log.key, now);
        if (it != lru_.end()) {
            const char* p = it->value.data();
            const char* end = p + it->value.size();
            while (p < end) {
                int64_t t = 0;
                auto r = std::from_chars(p, end, t);
                if (r.ec != std::errc()) break;
                if (t > now_ms - log.window.count()) times.push_back(t);
                p = r.ptr;
                while (p < end && *p == ' ') ++p;
            }
        }
        if (record) {
            times.push_back(now_ms);
            std::sort(times.begin(), times.end());
            const auto keep = static_cast<size_t>(std::max<int64_t>(1, log.keep));
            if (times.size() > keep)
                times.erase(times.begin(), times.end() - static_cast<std::ptrdiff_t>(keep));
            std::string value;
            for (int64_t t : times) {
                if (!value.empty()) value += ' ';
                value += std::to_string(t);
            }
            const auto expires = now + log.window;
            if (it != lru_.end()) {
                it->value = std::move(value);
                it->expires = expires;
            } else {
                insert_front(log.key, std::move(value), expires);
            }
        }
        out.push_back(std::move(times));
    }
    return out;
}

int64_t MemoryCache::add_locked(std::string_view key, int64_t by, std::chrono::seconds ttl,
                                Clock::time_point now) {
    auto it = find_live(key, now);
    if (it == lru_.end()) {
        insert_front(key, std::to_string(by), now + ttl);
        return by;
    }
    int64_t v = 0;
    std::from_chars(it->value.data(), it->value.data() + it->value.size(), v);
    v += by;
    it->value = std::to_string(v);
    return v;
}

size_t MemoryCache::size() {
    std::lock_guard lock(mu_);
    return lru_.size();
}

void MemoryCache::clear() {
    std::lock_guard lock(mu_);
    index_.clear();
    lru_.clear();
}

Task<std::optional<std::string>> MemoryCache::get(std::string_view key) {
    co_return get_now(key);
}
Task<void> MemoryCache::set(std::string_view key, std::string value, std::chrono::seconds ttl) {
    set_now(key, std::move(value), ttl);
    co_return;
}
Task<void> MemoryCache::erase(std::string_view key) {
    erase_now(key);
    co_return;
}
Task<std::optional<int64_t>> MemoryCache::increment(std::string_view key, int64_t by,
                                                    std::chrono::seconds ttl) {
    co_return increment_now(key, by, ttl);
}
Task<std::optional<std::vector<WindowCount>>> MemoryCache::window_hits(
    const std::vector<WindowHit>& hits) {
    co_return window_hits_now(hits);
}
Task<std::optional<std::vector<std::vector<int64_t>>>> MemoryCache::event_logs(
    const std::vector<EventLog>& logs, int64_t now_ms, bool record) {
    co_return event_logs_now(logs, now_ms, record);
}

}  // namespace resumate::cache
