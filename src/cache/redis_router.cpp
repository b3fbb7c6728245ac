#include "cache/redis_router.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace asio = boost::asio;

namespace resumate::cache {
namespace {

int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The slot map is asked again at most this often, however many commands fail meanwhile.
constexpr int64_t kRefreshIntervalMs = 100;
// Redirects followed for one command before giving up (a cluster being resharded may answer
// MOVED, then ASK).
constexpr int kMaxRedirects = 5;

}  // namespace

uint16_t key_slot(std::string_view key) {
    if (size_t open = key.find('{'); open != std::string_view::npos) {
        size_t close = key.find('}', open + 1);
        if (close != std::string_view::npos && close > open + 1)
            key = key.substr(open + 1, close - open - 1);
    }
    // CRC16/XMODEM: polynomial 0x1021, initial value 0, as Redis Cluster's specification.
    uint16_t crc = 0;
    for (unsigned char c : key) {
        crc ^= static_cast<uint16_t>(c) << 8;
        for (int i = 0; i < 8; ++i)
            crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                                 : static_cast<uint16_t>(crc << 1);
    }
    return crc & 16383;
}

std::optional<std::vector<SlotRange>> parse_cluster_slots(const RedisValue& reply,
                                                          const RedisEndpoint& asked) {
    using T = RedisValue::Type;
    if (reply.type != T::array) return std::nullopt;
    std::vector<SlotRange> out;
    for (const auto& range : reply.elements) {
        // [first, last, [host, port, id, …], replicas…]
        if (range.type != T::array || range.elements.size() < 3) return std::nullopt;
        const auto& first = range.elements[0];
        const auto& last = range.elements[1];
        const auto& node = range.elements[2];
        if (first.type != T::integer || last.type != T::integer || node.type != T::array ||
            node.elements.size() < 2 || node.elements[0].type != T::string ||
            node.elements[1].type != T::integer) {
            return std::nullopt;
        }
        if (first.integer < 0 || last.integer > 16383 || first.integer > last.integer)
            return std::nullopt;
        std::string host = node.elements[0].str;
        if (host.empty()) host = asked.host;  // "the node you asked"
        if (host == "?") continue;            // an endpoint the node does not know yet
        const int64_t port = node.elements[1].integer;
        if (port < 1 || port > 65535) return std::nullopt;
        out.push_back(SlotRange{static_cast<uint16_t>(first.integer),
                                static_cast<uint16_t>(last.integer),
                                RedisEndpoint{std::move(host), static_cast<uint16_t>(port)}});
    }
    return out;
}

std::optional<Redirect> parse_redirect(const RedisValue& reply) {
    Redirect r;
    const std::string_view text(reply.str);
    std::string_view rest;
    if (reply.is_error_kind("MOVED") && text.size() > 6) {
        rest = text.substr(6);
    } else if (reply.is_error_kind("ASK") && text.size() > 4) {
        r.ask = true;
        rest = text.substr(4);
    } else {
        return std::nullopt;
    }
    const size_t space = rest.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    auto slot = util::parse_int64(rest.substr(0, space));
    auto to = parse_endpoint(rest.substr(space + 1));
    if (!slot || *slot < 0 || *slot > 16383 || !to) return std::nullopt;
    r.slot = static_cast<uint16_t>(*slot);
    r.to = std::move(*to);
    return r;
}

RedisRouter::RedisRouter(asio::any_io_executor ex, RedisOptions options)
    : ex_(std::move(ex)), options_(std::move(options)) {
    slots_.fill(-1);
    if (!cluster()) {
        single_ = RedisLink::make(ex_, RedisEndpoint{options_.host, options_.port}, link_options());
    }
}

RedisRouter::~RedisRouter() = default;

RedisLinkOptions RedisRouter::link_options() const {
    RedisLinkOptions o;
    o.password = options_.password;
    o.database = cluster() ? -1 : options_.database;  // a cluster has database 0 only
    o.timeout = options_.timeout;
    return o;
}

std::shared_ptr<RedisLink> RedisRouter::link(const RedisEndpoint& endpoint) {
    std::lock_guard lock(mu_);
    auto& l = links_[endpoint.name()];
    if (!l) l = RedisLink::make(ex_, endpoint, link_options());
    return l;
}

std::shared_ptr<RedisLink> RedisRouter::link_for_slot(uint16_t slot) {
    RedisEndpoint master;
    {
        std::lock_guard lock(mu_);
        const int16_t i = slots_[slot];
        if (i < 0) return nullptr;
        master = masters_[static_cast<size_t>(i)];
    }
    return link(master);
}

void RedisRouter::learn(uint16_t slot, const RedisEndpoint& master) {
    std::lock_guard lock(mu_);
    auto it = std::find(masters_.begin(), masters_.end(), master);
    if (it == masters_.end()) it = masters_.insert(masters_.end(), master);
    slots_[slot] = static_cast<int16_t>(it - masters_.begin());
}

Task<RedisReplies> RedisRouter::run(std::string_view key, std::vector<RedisCommand> commands) {
    if (single_) co_return co_await single_->run(std::move(commands));
    const uint16_t slot = key_slot(key);
    auto target = link_for_slot(slot);
    if (!target) {
        co_await refresh();
        target = link_for_slot(slot);
        if (!target) co_return std::nullopt;
    }
    bool asking = false;
    for (int hop = 0; hop <= kMaxRedirects; ++hop) {
        std::vector<RedisCommand> batch;
        batch.reserve(commands.size() + 1);
        if (asking) batch.push_back({"ASKING"});
        batch.insert(batch.end(), commands.begin(), commands.end());
        auto replies = co_await target->run(std::move(batch));
        if (!replies) {
            // The node is gone or stalled: perhaps a failover is under way.
            refresh_soon();
            co_return std::nullopt;
        }
        if (asking && !replies->empty()) replies->erase(replies->begin());
        std::optional<Redirect> redirect;
        bool cluster_down = false;
        for (const auto& r : *replies) {
            if (!r.is_error()) continue;
            if ((redirect = parse_redirect(r))) break;
            if (r.is_error_kind("CLUSTERDOWN") || r.is_error_kind("TRYAGAIN")) cluster_down = true;
        }
        if (!redirect) {
            if (cluster_down) refresh_soon();
            co_return replies;
        }
        if (!redirect->ask) {
            learn(redirect->slot, redirect->to);  // at once for this slot; the rest follows
            refresh_soon();
        }
        asking = redirect->ask;
        target = link(redirect->to);
    }
    util::log::warn("Redis Cluster: more than {} redirects for one command", kMaxRedirects);
    co_return std::nullopt;
}

Task<bool> RedisRouter::refresh() {
    std::vector<RedisEndpoint> candidates = endpoints();
    for (const auto& node : candidates) {
        std::vector<RedisCommand> slots_command{{"CLUSTER", "SLOTS"}};
        auto replies = co_await link(node)->run(std::move(slots_command));
        if (!replies || replies->empty()) continue;
        auto ranges = parse_cluster_slots(replies->front(), node);
        if (!ranges || ranges->empty()) continue;
        std::vector<RedisEndpoint> masters;
        std::array<int16_t, 16384> slots;
        slots.fill(-1);
        for (const auto& r : *ranges) {
            auto it = std::find(masters.begin(), masters.end(), r.master);
            if (it == masters.end()) it = masters.insert(masters.end(), r.master);
            for (uint32_t s = r.first; s <= r.last; ++s)
                slots[s] = static_cast<int16_t>(it - masters.begin());
        }
        {
            std::lock_guard lock(mu_);
            masters_ = std::move(masters);
            slots_ = slots;
        }
        last_refresh_ms_ = steady_ms();
        co_return true;
    }
    last_refresh_ms_ = steady_ms();
    co_return false;
}

void RedisRouter::refresh_soon() {
    if (!cluster() || refreshing_.exchange(true)) return;
    const int64_t wait = std::max<int64_t>(0, last_refresh_ms_ + kRefreshIntervalMs - steady_ms());
    asio::co_spawn(
        ex_,
        [self = shared_from_this(), wait]() -> Task<void> {
            if (wait > 0) {
                asio::steady_timer timer(self->ex_, std::chrono::milliseconds(wait));
                co_await timer.async_wait(asio::use_awaitable);
            }
            if (!self->closed_) co_await self->refresh();
            self->refreshing_ = false;
        },
        asio::detached);
}

std::vector<RedisEndpoint> RedisRouter::endpoints() {
    std::vector<RedisEndpoint> out;
    if (single_) return {single_->endpoint()};
    {
        std::lock_guard lock(mu_);
        out = masters_;
    }
    for (const auto& seed : options_.cluster_nodes) {
        if (std::find(out.begin(), out.end(), seed) == out.end()) out.push_back(seed);
    }
    return out;
}

std::optional<std::vector<RedisEndpoint>> RedisRouter::covering_masters() {
    std::lock_guard lock(mu_);
    for (int16_t i : slots_) {
        if (i < 0) return std::nullopt;
    }
    return masters_;
}

Task<bool> RedisRouter::healthy() {
    if (single_) {
        std::vector<RedisCommand> ping{{"PING"}};
        auto r = co_await single_->run(std::move(ping));
        co_return r && !r->empty() && !r->front().is_error();
    }
    auto masters = covering_masters();
    if (!masters) {
        if (!co_await refresh()) co_return false;
        masters = covering_masters();
        if (!masters) co_return false;
    }
    for (const auto& m : *masters) {
        std::vector<RedisCommand> ping{{"PING"}};
        auto r = co_await link(m)->run(std::move(ping));
        if (!r || r->empty() || r->front().is_error()) {
            refresh_soon();
            co_return false;
        }
    }
    co_return true;
}

void RedisRouter::close() {
    closed_ = true;
    if (single_) single_->close();
    std::lock_guard lock(mu_);
    for (auto& [_, l] : links_) l->close();
}

void RedisRouter::close_async() {
    closed_ = true;
    if (single_) single_->close_async();
    std::lock_guard lock(mu_);
    for (auto& [_, l] : links_) l->close_async();
}

}  // namespace resumate::cache
