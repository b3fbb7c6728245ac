#include "app/throttle.hpp"

#include <cmath>

#include "util/strings.hpp"

namespace resumate::app {

ThrottleRates parse_throttle(std::string_view spec) {
    ThrottleRates out;
    std::string_view s = util::trim(spec);
    if (s == "off" || s == "none" || s == "0") {
        out.off = true;
        return out;
    }
    // Empty (e.g. a compose file passing an unset variable through): the defaults, not "none".
    if (s.empty()) s = kDefaultThrottle;
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t comma = s.find(',', pos);
        std::string_view item =
            util::trim(s.substr(pos, comma == std::string_view::npos ? s.npos : comma - pos));
        pos = comma == std::string_view::npos ? s.size() + 1 : comma + 1;
        if (item.empty()) continue;
        size_t eq = item.find('=');
        size_t slash = item.find('/');
        if (eq == std::string_view::npos || slash == std::string_view::npos || slash < eq) {
            throw std::invalid_argument("expected scope=N/period, got \"" + std::string(item) +
                                        "\"");
        }
        std::string scope(util::trim(item.substr(0, eq)));
        auto n = util::parse_int64(util::trim(item.substr(eq + 1, slash - eq - 1)));
        std::string_view unit = util::trim(item.substr(slash + 1));
        if (scope.empty() || !n || *n <= 0) {
            throw std::invalid_argument("expected scope=N/period with N > 0, got \"" +
                                        std::string(item) + "\"");
        }
        Rate r;
        r.requests = *n;
        switch (unit.empty() ? ' ' : unit.front()) {
            case 's':
                r.period = std::chrono::seconds(1);
                break;
            case 'm':
                r.period = std::chrono::seconds(60);
                break;
            case 'h':
                r.period = std::chrono::seconds(3600);
                break;
            case 'd':
                r.period = std::chrono::seconds(86400);
                break;
            default:
                throw std::invalid_argument("unknown period \"" + std::string(unit) +
                                            "\" (second, minute, hour or day)");
        }
        out.rates[scope] = r;
    }
    if (out.rates.empty()) throw std::invalid_argument("no scope=N/period given (or \"off\")");
    return out;
}

namespace {

// Seconds until a refused request would fit (Retry-After), from the counts it was refused on.
int64_t wait_seconds(const Rate& rate, const cache::WindowHit& hit, const cache::WindowCount& c) {
    const double elapsed = 1.0 - hit.previous_weight;  // share of the current window gone by
    const double period_s = static_cast<double>(rate.period.count());
    const double limit = static_cast<double>(rate.requests);
    const double current = static_cast<double>(c.current);
    const double previous = static_cast<double>(c.previous);
    double wait = 0;
    if (c.current > rate.requests || c.previous == 0) {
        // The current window alone is over: the rest of it, plus the share of the next one
        // this window's count keeps it over.
        wait = (1.0 - elapsed) * period_s + period_s * (1.0 - limit / current);
    } else {
        // The previous window's weight must fall until the estimate fits.
        const double estimate = previous * (1.0 - elapsed) + current;
        wait = (estimate - limit) / previous * period_s;
    }
    // Never more than the rate's period, as with DRF's request log (the two-window estimate
    // alone could ask for up to twice that).
    wait = std::min(wait, period_s);
    return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait)));
}

}  // namespace

http::Task<std::optional<int64_t>> CacheThrottler::check(const http::Request& req,
                                                         std::string_view scope) {
    if (rates_.off) co_return std::nullopt;
    const std::string ident = req.user ? "u" + std::to_string(req.user->id) : "ip" + req.client_ip;
    const int64_t now = now_us_ ? now_us_()
                                : std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count();
    // The caller's scope (anon or user), then the endpoint's: each counted on its own, as DRF
    // runs every throttle class; all of them in one cache call.
    std::vector<cache::WindowHit> hits;
    std::vector<const Rate*> rates;  // each hit's rate
    auto add = [&](std::string_view name) {
        auto it = rates_.rates.find(name);
        if (it == rates_.rates.end()) return;
        const Rate& rate = it->second;
        const int64_t period_us = rate.period.count() * 1'000'000;
        const int64_t window = now / period_us;
        const double elapsed =
            static_cast<double>(now % period_us) / static_cast<double>(period_us);  // [0, 1)
        // The scope and ident are the key's hash tag: on a Redis Cluster a window's two counters
        // live in one slot, so the script that counts them touches one node.
        const std::string base = "throttle:{" + std::string(name) + ":" + ident + "}:";
        hits.push_back(cache::WindowHit{.current_key = base + std::to_string(window),
                                        .previous_key = base + std::to_string(window - 1),
                                        .previous_weight = 1.0 - elapsed,
                                        .limit = rate.requests,
                                        .ttl = rate.period * 2});
        rates.push_back(&rate);
    };
    add(req.user ? "user" : "anon");
    if (!scope.empty()) add(scope);
    if (hits.empty()) co_return std::nullopt;
    auto counts = co_await cache_.window_hits(hits);
    if (!counts) co_return std::nullopt;  // shared cache unavailable: let it through
    std::optional<int64_t> wait;
    for (size_t i = 0; i < counts->size() && i < hits.size(); ++i) {
        if ((*counts)[i].allowed) continue;
        int64_t w = wait_seconds(*rates[i], hits[i], (*counts)[i]);
        if (!wait || w > *wait) wait = w;
    }
    co_return wait;
}

}  // namespace resumate::app
