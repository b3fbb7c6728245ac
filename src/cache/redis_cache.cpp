#include "cache/redis_cache.hpp"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <charconv>
#include <map>
#include <random>
#include <stdexcept>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace resumate::cache {
namespace {

namespace asio = boost::asio;

// What the near cache holds for a key Redis does not have (no JSON document nor WAL position
// is a lone NUL byte).
constexpr std::string_view kAbsent{"\0", 1};

std::string random_instance_id() {
    std::random_device rd;
    const uint64_t v =
        (static_cast<uint64_t>(rd()) << 32) ^ rd() ^ static_cast<uint64_t>(::getpid());
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string ttl_arg(std::chrono::seconds ttl) {
    return std::to_string(std::max<int64_t>(1, ttl.count()));
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

// The same for one window when its two counters cannot be named in one script (their slot is
// being migrated between cluster nodes): KEYS: the current counter; ARGV: weight, limit, ttl
// and the previous window's count, read just before.
constexpr const char* kWindowHitGivenPreviousScript =
    "local cur = redis.call('INCR', KEYS[1]) "
    "if cur == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end "
    "local prev = tonumber(ARGV[4]) or 0 "
    "local allowed = 1 "
    "if prev * tonumber(ARGV[1]) + cur > tonumber(ARGV[2]) then "
    "  redis.call('DECR', KEYS[1]) allowed = 0 "
    "end "
    "return {cur, prev, allowed}";

std::string weight_arg(double weight) {
    char buf[32];
    auto end = std::to_chars(buf, buf + sizeof buf, weight, std::chars_format::fixed, 6).ptr;
    return std::string(buf, end);
}

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

std::vector<RedisEndpoint> parse_cluster_nodes(std::string_view text) {
    std::vector<RedisEndpoint> out;
    for (const auto& item : util::split(text, ',')) {
        const std::string_view part = util::trim(item);
        if (part.empty()) continue;
        auto ep = parse_endpoint(part);
        if (!ep) throw std::invalid_argument("each node must be host:port: " + std::string(part));
        out.push_back(std::move(*ep));
    }
    if (out.empty()) throw std::invalid_argument("no node given");
    return out;
}

RedisCache::RedisCache(RedisOptions options)
    : opt_(std::move(options)),
      channel_(opt_.prefix + "invalidate"),
      instance_(random_instance_id()),
      near_(opt_.near_max_entries) {}

RedisCache::~RedisCache() {
    detach();
}

void RedisCache::attach(asio::any_io_executor loop) {
    {
        std::lock_guard lock(mu_);
        loop_ = loop;
        router_ = std::make_shared<RedisRouter>(loop, opt_);
    }
    attached_ = true;
    start_listener(0);
}

void RedisCache::detach() {
    std::shared_ptr<RedisRouter> router;
    std::shared_ptr<RedisLink> listener;
    {
        std::lock_guard lock(mu_);
        router = std::move(router_);
        listener = std::move(listener_);
        router_.reset();
        listener_.reset();
    }
    attached_ = false;
    near_switch(false);
    if (listener) listener->close();
    if (router) router->close();
}

std::atomic<uint32_t>& RedisCache::epoch(std::string_view key) {
    return epochs_[std::hash<std::string_view>{}(key) % epochs_.size()];
}

void RedisCache::near_switch(bool on) {
    if (opt_.near_ttl.count() <= 0) return;
    near_on_.store(false, std::memory_order_release);
    near_generation_.fetch_add(1);
    near_.clear();
    if (on) near_on_.store(true, std::memory_order_release);
}

RedisCommand RedisCache::invalidation(std::string_view key) const {
    std::string message = instance_;
    message += ' ';
    message += key;
    return {"PUBLISH", channel_, std::move(message)};
}

void RedisCache::on_invalidation(std::string_view message) {
    const size_t space = message.find(' ');
    if (space == std::string_view::npos) return;
    if (message.substr(0, space) == instance_) return;  // ours: already applied here
    const std::string_view key = message.substr(space + 1);
    epoch(key).fetch_add(1);
    near_.erase_now(key);
}

// The subscription to the invalidation channel: on any node (in a cluster, messages reach every
// node). When it is lost, the near cache is off until a new one is made (tried every 200 ms, on
// the next node).
void RedisCache::start_listener(size_t attempt) {
    if (opt_.near_ttl.count() <= 0) return;
    std::shared_ptr<RedisRouter> router;
    asio::any_io_executor loop;
    {
        std::lock_guard lock(mu_);
        router = router_;
        loop = loop_;
    }
    if (!router) return;
    auto endpoints = router->endpoints();
    if (endpoints.empty()) return;
    auto options = router->link_options();
    options.quiet = true;  // the command connection to that node reports its outages
    options.probe = probe_;
    auto link = RedisLink::make(loop, endpoints[attempt % endpoints.size()], std::move(options));
    {
        std::lock_guard lock(mu_);
        if (router_ != router) return;  // detached meanwhile
        listener_ = link;
    }
    link->listen(
        channel_, [this](std::string_view message) { on_invalidation(message); },
        [this, attempt, loop, router](bool up) {
            if (up) {
                near_switch(true);
                return;
            }
            near_switch(false);
            if (!attached_) return;
            auto timer = std::make_shared<asio::steady_timer>(loop, std::chrono::milliseconds(200));
            timer->async_wait([this, timer, attempt, router](boost::system::error_code ec) {
                bool current = false;
                {
                    std::lock_guard lock(mu_);
                    current = router_ == router;
                }
                if (!ec && current) start_listener(attempt + 1);
            });
        });
}

std::shared_ptr<RedisRouter> RedisCache::current_router() {
    std::lock_guard lock(mu_);
    return router_;
}

Task<RedisReplies> RedisCache::run(std::string_view key, std::vector<RedisCommand> commands) {
    auto router = current_router();
    if (!router) {
        // Not attached to a server's event loop (a command-line tool): connections for this
        // call only, on the caller's loop, closed again so that the loop can finish.
        auto temporary = std::make_shared<RedisRouter>(co_await asio::this_coro::executor, opt_);
        auto replies = co_await temporary->run(key, std::move(commands));
        temporary->close_async();
        co_return replies;
    }
    auto replies = co_await router->run(key, std::move(commands));
    if (replies && has_pending_.load(std::memory_order_relaxed))
        co_await replay_pending_erases(router);
    co_return replies;
}

Task<std::optional<RedisValue>> RedisCache::run_one(std::string key, RedisCommand command) {
    std::vector<RedisCommand> commands;
    commands.push_back(std::move(command));
    auto replies = co_await run(key, std::move(commands));
    if (!replies || replies->empty()) co_return std::nullopt;
    co_return std::move(replies->front());
}

Task<void> RedisCache::replay_pending_erases(std::shared_ptr<RedisRouter> router) {
    std::set<std::string> keys;
    {
        std::lock_guard lock(pending_mu_);
        keys.swap(pending_erases_);
        has_pending_ = false;
    }
    for (const auto& k : keys) {
        const std::string full = opt_.prefix + k;
        // (A braced list of commands inside the co_await expression trips GCC 12's coroutines:
        // its array would live across the suspension.)
        std::vector<RedisCommand> commands{{"DEL", full}, invalidation(k)};
        co_await router->run(full, std::move(commands));
    }
}

Task<std::optional<std::string>> RedisCache::get(std::string_view key) {
    const bool near = near_on_.load(std::memory_order_acquire);
    // A near hit only when no invalidation can be waiting unread: one published before the
    // change's answer was sent is on our socket before a request made after that answer.
    if (near && !probe_->pending()) {
        if (auto v = near_.get_now(key)) {
            count_near_hit();
            if (*v == kAbsent) co_return std::nullopt;
            co_return v;
        }
    }
    const uint64_t generation = near_generation_.load();
    const uint32_t before = epoch(key).load();
    const std::string full = opt_.prefix + std::string(key);
    RedisCommand command{"GET", full};
    auto reply = co_await run_one(full, std::move(command));
    if (!reply) co_return std::nullopt;  // Redis unavailable: nothing is learnt
    if (reply->type != RedisValue::Type::string && reply->type != RedisValue::Type::nil)
        co_return std::nullopt;
    std::optional<std::string> value;
    if (reply->type == RedisValue::Type::string) value = std::move(reply->str);
    // Kept (the value, or that there is none: every set publishes too) only when no
    // invalidation of this key, nor of the subscription, came meanwhile: what was read may
    // predate it.
    if (near && near_on_.load(std::memory_order_acquire) && near_generation_.load() == generation &&
        epoch(key).load() == before) {
        near_.set_now(key, value ? *value : std::string(kAbsent), opt_.near_ttl);
    }
    co_return value;
}

Task<void> RedisCache::set(std::string_view key, std::string value, std::chrono::seconds ttl) {
    const std::string k(key);
    const std::string full = opt_.prefix + k;
    const uint64_t generation = near_generation_.load();
    const uint32_t before = epoch(k).fetch_add(1) + 1;  // a read racing with this one keeps nothing
    near_.erase_now(k);
    std::vector<RedisCommand> commands{{"SET", full, value, "EX", ttl_arg(ttl)}, invalidation(k)};
    auto r = co_await run(full, std::move(commands));
    if (r && near_on_.load(std::memory_order_acquire) && near_generation_.load() == generation &&
        epoch(k).load() == before) {
        near_.set_now(k, std::move(value), std::min<std::chrono::milliseconds>(opt_.near_ttl, ttl));
    }
}

Task<void> RedisCache::erase(std::string_view key) {
    const std::string k(key);
    const std::string full = opt_.prefix + k;
    epoch(k).fetch_add(1);
    near_.erase_now(k);
    std::vector<RedisCommand> commands{{"DEL", full}, invalidation(k)};
    auto r = co_await run(full, std::move(commands));
    if (!r) {
        std::lock_guard lock(pending_mu_);
        if (pending_erases_.size() < 10000) pending_erases_.insert(k);
        has_pending_ = true;
    }
}

Task<std::optional<int64_t>> RedisCache::increment(std::string_view key, int64_t by,
                                                   std::chrono::seconds ttl) {
    const std::string full = opt_.prefix + std::string(key);
    RedisCommand command{"EVAL", kIncrementScript, "1", full, std::to_string(by), ttl_arg(ttl)};
    auto r = co_await run_one(full, std::move(command));
    if (!r || r->type != RedisValue::Type::integer) co_return std::nullopt;
    co_return r->integer;
}

Task<std::optional<std::vector<WindowCount>>> RedisCache::window_hits(
    const std::vector<WindowHit>& hits) {
    std::vector<WindowCount> out(hits.size());
    // One script per hash slot (one for all without a cluster); a window's two counters share
    // their key's hash tag, so each script touches one slot.
    std::map<uint16_t, std::vector<size_t>> groups;
    for (size_t i = 0; i < hits.size(); ++i) {
        groups[opt_.cluster_nodes.empty() ? 0 : key_slot(opt_.prefix + hits[i].current_key)]
            .push_back(i);
    }
    for (const auto& [slot, indexes] : groups) {
        RedisCommand argv{"EVAL", kWindowHitsScript, std::to_string(indexes.size() * 2)};
        for (size_t i : indexes) {
            argv.push_back(opt_.prefix + hits[i].current_key);
            argv.push_back(opt_.prefix + hits[i].previous_key);
        }
        for (size_t i : indexes) {
            argv.push_back(weight_arg(hits[i].previous_weight));
            argv.push_back(std::to_string(hits[i].limit));
            argv.push_back(ttl_arg(hits[i].ttl));
        }
        const std::string routing = argv[3];
        auto r = co_await run_one(routing, std::move(argv));
        if (!r) co_return std::nullopt;
        const RedisValue& v = *r;
        if (v.is_error_kind("TRYAGAIN")) {
            // The slot is being migrated, and Redis refuses a script over two keys until both
            // have moved: each window in two single-key steps instead.
            for (size_t i : indexes) {
                auto count = co_await window_hit_in_steps(hits[i]);
                if (!count) co_return std::nullopt;
                out[i] = *count;
            }
            continue;
        }
        if (v.type != RedisValue::Type::array || v.elements.size() != indexes.size() * 3)
            co_return std::nullopt;
        for (size_t j = 0; j < indexes.size(); ++j) {
            const RedisValue* e = &v.elements[j * 3];
            for (int k = 0; k < 3; ++k) {
                if (e[k].type != RedisValue::Type::integer) co_return std::nullopt;
            }
            out[indexes[j]] = WindowCount{
                .current = e[0].integer, .previous = e[1].integer, .allowed = e[2].integer != 0};
        }
    }
    co_return out;
}

Task<std::optional<WindowCount>> RedisCache::window_hit_in_steps(const WindowHit& hit) {
    const std::string previous = opt_.prefix + hit.previous_key;
    RedisCommand read{"GET", previous};
    auto p = co_await run_one(previous, std::move(read));
    if (!p || p->is_error()) co_return std::nullopt;
    const int64_t prev =
        p->type == RedisValue::Type::string ? util::parse_int64(p->str).value_or(0) : 0;
    const std::string current = opt_.prefix + hit.current_key;
    RedisCommand count{"EVAL",
                       kWindowHitGivenPreviousScript,
                       "1",
                       current,
                       weight_arg(hit.previous_weight),
                       std::to_string(hit.limit),
                       ttl_arg(hit.ttl),
                       std::to_string(prev)};
    auto r = co_await run_one(current, std::move(count));
    if (!r) co_return std::nullopt;
    const RedisValue& v = *r;
    if (v.type != RedisValue::Type::array || v.elements.size() != 3) co_return std::nullopt;
    for (const auto& e : v.elements) {
        if (e.type != RedisValue::Type::integer) co_return std::nullopt;
    }
    co_return WindowCount{.current = v.elements[0].integer,
                          .previous = v.elements[1].integer,
                          .allowed = v.elements[2].integer != 0};
}

Task<std::optional<std::vector<std::vector<int64_t>>>> RedisCache::event_logs(
    const std::vector<EventLog>& logs, int64_t now_ms, bool record) {
    std::vector<std::vector<int64_t>> out(logs.size());
    // One script per log on a cluster: a script over one key is never refused while its slot
    // is being migrated (one over two keys of a slot may be, with TRYAGAIN).
    std::map<uint16_t, std::vector<size_t>> groups;
    for (size_t i = 0; i < logs.size(); ++i)
        groups[opt_.cluster_nodes.empty() ? 0 : static_cast<uint16_t>(i)].push_back(i);
    for (const auto& [slot, indexes] : groups) {
        // Unique across calls of this process; the time and process id keep instances apart.
        const std::string member = std::to_string(now_ms) + ":" + std::to_string(::getpid()) + ":" +
                                   std::to_string(event_serial_.fetch_add(1));
        RedisCommand argv{"EVAL", kEventLogsScript, std::to_string(indexes.size())};
        for (size_t i : indexes) argv.push_back(opt_.prefix + logs[i].key);
        argv.push_back(std::to_string(now_ms));
        argv.push_back(record ? "1" : "0");
        argv.push_back(member);
        for (size_t i : indexes) {
            argv.push_back(std::to_string(std::max<int64_t>(1, logs[i].window.count())));
            argv.push_back(std::to_string(std::max<int64_t>(1, logs[i].keep)));
        }
        const std::string routing = argv[3];
        auto r = co_await run_one(routing, std::move(argv));
        if (!r) co_return std::nullopt;
        const RedisValue& v = *r;
        if (v.type != RedisValue::Type::array || v.elements.size() != indexes.size())
            co_return std::nullopt;
        for (size_t j = 0; j < indexes.size(); ++j) {
            const RedisValue& times = v.elements[j];
            if (times.type != RedisValue::Type::array) co_return std::nullopt;
            std::vector<int64_t> t;
            t.reserve(times.elements.size());
            for (const auto& e : times.elements) {
                if (e.type != RedisValue::Type::integer) co_return std::nullopt;
                t.push_back(e.integer);
            }
            out[indexes[j]] = std::move(t);
        }
    }
    co_return out;
}

Task<bool> RedisCache::healthy() {
    if (auto router = current_router()) co_return co_await router->healthy();
    auto temporary = std::make_shared<RedisRouter>(co_await asio::this_coro::executor, opt_);
    const bool ok = co_await temporary->healthy();
    temporary->close_async();
    co_return ok;
}

}  // namespace resumate::cache
