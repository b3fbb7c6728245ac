#include "cache/redis_cache.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <charconv>
#include <stdexcept>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace resumate::cache {
namespace {

int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

timeval to_timeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

// Atomic INCRBY that sets the expiry only when it created the key.
constexpr const char* kIncrementScript =
    "local v = redis.call('INCRBY', KEYS[1], ARGV[1]) "
    "if v == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end "
    "return v";

// KEYS: current and previous counter of each window; ARGV: weight, limit and ttl of each.
// Returns current, previous, allowed (1/0) for each, in one round trip.
constexpr const char* kWindowHitsScript =
    "local out = {} "
    "for i = 1, #KEYS / 2 do "
    "  local cur_key, prev_key = KEYS[2 * i - 1], KEYS[2 * i] "
    "  local weight, limit = tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]) "
    "  local cur = redis.call('INCR', cur_key) "
    "  if cur == 1 then redis.call('EXPIRE', cur_key, ARGV[3 * i]) end "
    "  local prev = tonumber(redis.call('GET', prev_key) or '0') or 0 "
    "  local allowed = 1 "
    "  if prev * weight + cur > limit then redis.call('DECR', cur_key) allowed = 0 end "
    "  out[#out + 1] = cur out[#out + 1] = prev out[#out + 1] = allowed "
    "end "
    "return out";

// A sorted set per log, scored by event time in ms. KEYS: the logs; ARGV: now, record (1/0), a
// member prefix unique to this call, then window and keep of each log. Returns the scores left
// in each, oldest first.
constexpr const char* kEventLogsScript =
    "local now = tonumber(ARGV[1]) "
    "local out = {} "
    "for i = 1, #KEYS do "
    "  local key = KEYS[i] "
    "  local window, keep = tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i]) "
    "  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window) "
    "  if ARGV[2] == '1' then "
    "    redis.call('ZADD', key, now, ARGV[3] .. ':' .. i) "
    "    local n = redis.call('ZCARD', key) "
    "    if n > keep then redis.call('ZREMRANGEBYRANK', key, 0, n - keep - 1) end "
    "    redis.call('PEXPIRE', key, window) "
    "  end "
    "  local scored = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES') "
    "  local times = {} "
    "  for j = 2, #scored, 2 do times[#times + 1] = tonumber(scored[j]) end "
    "  out[#out + 1] = times "
    "end "
    "return out";

}  // namespace

struct RedisCache::Conn {
    redisContext* ctx = nullptr;
    ~Conn() {
        if (ctx) redisFree(ctx);
    }
};

struct RedisCache::Reply {
    redisReply* r = nullptr;
    ~Reply() {
        if (r) freeReplyObject(r);
    }
};

RedisOptions parse_redis_url(const std::string& url) {
    RedisOptions o;
    std::string rest;
    if (url.starts_with("redis://")) {
        rest = url.substr(8);
    } else {
        throw std::invalid_argument("must start with redis://");
    }
    if (size_t at = rest.rfind('@'); at != std::string::npos) {
        std::string cred = rest.substr(0, at);
        rest = rest.substr(at + 1);
        size_t colon = cred.find(':');
        o.password = colon == std::string::npos ? cred : cred.substr(colon + 1);
    }
    if (size_t slash = rest.find('/'); slash != std::string::npos) {
        std::string db = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
        if (!db.empty()) {
            auto n = util::parse_int64(db);
            if (!n || *n < 0 || *n > 15) throw std::invalid_argument("database must be 0-15");
            o.database = static_cast<int>(*n);
        } else {
            o.database = 0;
        }
    } else {
        o.database = 0;  // a URL without /db means database 0, as redis-py reads it
    }
    if (size_t colon = rest.rfind(':');
        colon != std::string::npos && rest.find(']') == std::string::npos) {
        auto port = util::parse_int64(rest.substr(colon + 1));
        if (!port || *port < 1 || *port > 65535) throw std::invalid_argument("bad port");
        o.port = static_cast<uint16_t>(*port);
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) throw std::invalid_argument("missing host");
    o.host = rest;
    return o;
}

RedisCache::RedisCache(RedisOptions options) : opt_(std::move(options)) {}
RedisCache::~RedisCache() = default;

void RedisCache::mark_down(const std::string& why) {
    down_until_ms_ = steady_ms() + 1000;
    if (!outage_logged_.exchange(true)) {
        util::log::error("Redis unavailable ({}); serving without the cache until it is back", why);
    }
}

std::unique_ptr<RedisCache::Conn> RedisCache::acquire() {
    {
        std::lock_guard lock(mu_);
        if (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            return c;
        }
    }
    if (steady_ms() < down_until_ms_.load()) return nullptr;
    auto c = std::make_unique<Conn>();
    c->ctx = redisConnectWithTimeout(opt_.host.c_str(), opt_.port, to_timeval(opt_.timeout));
    if (!c->ctx || c->ctx->err) {
        mark_down(c->ctx ? c->ctx->errstr : "cannot allocate a connection");
        return nullptr;
    }
    redisSetTimeout(c->ctx, to_timeval(opt_.timeout));
    auto simple = [&](std::vector<std::string> argv) {
        std::vector<const char*> ptrs;
        std::vector<size_t> lens;
        for (auto& a : argv) {
            ptrs.push_back(a.data());
            lens.push_back(a.size());
        }
        Reply r{static_cast<redisReply*>(
            redisCommandArgv(c->ctx, static_cast<int>(ptrs.size()), ptrs.data(), lens.data()))};
        return r.r && r.r->type != REDIS_REPLY_ERROR;
    };
    if ((!opt_.password.empty() && !simple({"AUTH", opt_.password})) ||
        !simple({"SELECT", std::to_string(opt_.database)})) {
        mark_down("AUTH/SELECT failed");
        return nullptr;
    }
    if (outage_logged_.exchange(false)) util::log::info("Redis is back");
    replay_pending_erases(*c);
    return c;
}

void RedisCache::release(std::unique_ptr<Conn> c) {
    std::lock_guard lock(mu_);
    if (idle_.size() < opt_.pool_size) idle_.push_back(std::move(c));
}

void RedisCache::replay_pending_erases(Conn& c) {
    std::set<std::string> keys;
    {
        std::lock_guard lock(pending_mu_);
        keys.swap(pending_erases_);
    }
    for (const auto& k : keys) {
        std::string full = opt_.prefix + k;
        redisReply* r =
            static_cast<redisReply*>(redisCommand(c.ctx, "DEL %b", full.data(), full.size()));
        if (r) freeReplyObject(r);
    }
}

std::shared_ptr<RedisCache::Reply> RedisCache::command(const std::vector<std::string>& argv) {
    auto c = acquire();
    if (!c) return nullptr;
    std::vector<const char*> ptrs;
    std::vector<size_t> lens;
    ptrs.reserve(argv.size());
    lens.reserve(argv.size());
    for (const auto& a : argv) {
        ptrs.push_back(a.data());
        lens.push_back(a.size());
    }
    auto reply = std::make_shared<Reply>();
    reply->r = static_cast<redisReply*>(
        redisCommandArgv(c->ctx, static_cast<int>(ptrs.size()), ptrs.data(), lens.data()));
    if (!reply->r || c->ctx->err) {
        // Broken connection: drop it (and with it the rest of the pool, likely just as dead).
        mark_down(c->ctx->errstr);
        std::lock_guard lock(mu_);
        idle_.clear();
        return nullptr;
    }
    release(std::move(c));
    if (reply->r->type == REDIS_REPLY_ERROR) {
        util::log::error("Redis error: {}", std::string(reply->r->str, reply->r->len));
        return nullptr;
    }
    return reply;
}

std::optional<std::string> RedisCache::get_now(std::string_view key) {
    auto r = command({"GET", opt_.prefix + std::string(key)});
    if (!r || r->r->type != REDIS_REPLY_STRING) return std::nullopt;
    return std::string(r->r->str, r->r->len);
}

void RedisCache::set_now(std::string_view key, const std::string& value, std::chrono::seconds ttl) {
    command({"SET", opt_.prefix + std::string(key), value, "EX",
             std::to_string(std::max<int64_t>(1, ttl.count()))});
}

void RedisCache::erase_now(std::string_view key) {
    if (!command({"DEL", opt_.prefix + std::string(key)})) {
        std::lock_guard lock(pending_mu_);
        if (pending_erases_.size() < 10000) pending_erases_.insert(std::string(key));
    }
}

std::optional<int64_t> RedisCache::increment_now(std::string_view key, int64_t by,
                                                 std::chrono::seconds ttl) {
    auto r = command({"EVAL", kIncrementScript, "1", opt_.prefix + std::string(key),
                      std::to_string(by), std::to_string(std::max<int64_t>(1, ttl.count()))});
    if (!r || r->r->type != REDIS_REPLY_INTEGER) return std::nullopt;
    return r->r->integer;
}

std::optional<std::vector<WindowCount>> RedisCache::window_hits_now(
    const std::vector<WindowHit>& hits) {
    std::vector<std::string> argv{"EVAL", kWindowHitsScript, std::to_string(hits.size() * 2)};
    for (const auto& h : hits) {
        argv.push_back(opt_.prefix + h.current_key);
        argv.push_back(opt_.prefix + h.previous_key);
    }
    for (const auto& h : hits) {
        char weight[32];
        auto end = std::to_chars(weight, weight + sizeof weight, h.previous_weight,
                                 std::chars_format::fixed, 6)
                       .ptr;
        argv.emplace_back(weight, end);
        argv.push_back(std::to_string(h.limit));
        argv.push_back(std::to_string(std::max<int64_t>(1, h.ttl.count())));
    }
    auto r = command(argv);
    if (!r || r->r->type != REDIS_REPLY_ARRAY || r->r->elements != hits.size() * 3)
        return std::nullopt;
    std::vector<WindowCount> out;
    out.reserve(hits.size());
    for (size_t i = 0; i < hits.size(); ++i) {
        redisReply** e = r->r->element + i * 3;
        if (e[0]->type != REDIS_REPLY_INTEGER || e[1]->type != REDIS_REPLY_INTEGER ||
            e[2]->type != REDIS_REPLY_INTEGER) {
            return std::nullopt;
        }
        out.push_back(WindowCount{
            .current = e[0]->integer, .previous = e[1]->integer, .allowed = e[2]->integer != 0});
    }
    return out;
}

std::optional<std::vector<std::vector<int64_t>>> RedisCache::event_logs_now(
    const std::vector<EventLog>& logs, int64_t now_ms, bool record) {
    // Unique across calls of this process; the time and process id keep instances apart.
    const std::string member = std::to_string(now_ms) + ":" + std::to_string(::getpid()) + ":" +
                               std::to_string(event_serial_.fetch_add(1));
    std::vector<std::string> argv{"EVAL", kEventLogsScript, std::to_string(logs.size())};
    for (const auto& l : logs) argv.push_back(opt_.prefix + l.key);
    argv.push_back(std::to_string(now_ms));
    argv.push_back(record ? "1" : "0");
    argv.push_back(member);
    for (const auto& l : logs) {
        argv.push_back(std::to_string(std::max<int64_t>(1, l.window.count())));
        argv.push_back(std::to_string(std::max<int64_t>(1, l.keep)));
    }
    auto r = command(argv);
    if (!r || r->r->type != REDIS_REPLY_ARRAY || r->r->elements != logs.size()) return std::nullopt;
    std::vector<std::vector<int64_t>> out;
    out.reserve(logs.size());
    for (size_t i = 0; i < logs.size(); ++i) {
        const redisReply* times = r->r->element[i];
        if (times->type != REDIS_REPLY_ARRAY) return std::nullopt;
        std::vector<int64_t> v;
        v.reserve(times->elements);
        for (size_t j = 0; j < times->elements; ++j) {
            if (times->element[j]->type != REDIS_REPLY_INTEGER) return std::nullopt;
            v.push_back(times->element[j]->integer);
        }
        out.push_back(std::move(v));
    }
    return out;
}

bool RedisCache::available() {
    return static_cast<bool>(command({"PING"}));
}

Task<bool> RedisCache::healthy() {
    co_return available();
}

Task<std::optional<std::string>> RedisCache::get(std::string_view key) {
    co_return get_now(key);
}
Task<void> RedisCache::set(std::string_view key, std::string value, std::chrono::seconds ttl) {
    set_now(key, value, ttl);
    co_return;
}
Task<void> RedisCache::erase(std::string_view key) {
    erase_now(key);
    co_return;
}
Task<std::optional<int64_t>> RedisCache::increment(std::string_view key, int64_t by,
                                                   std::chrono::seconds ttl) {
    co_return increment_now(key, by, ttl);
}
Task<std::optional<std::vector<WindowCount>>> RedisCache::window_hits(
    const std::vector<WindowHit>& hits) {
    co_return window_hits_now(hits);
}
Task<std::optional<std::vector<std::vector<int64_t>>>> RedisCache::event_logs(
    const std::vector<EventLog>& logs, int64_t now_ms, bool record) {
    co_return event_logs_now(logs, now_ms, record);
}

}  // namespace resumate::cache
