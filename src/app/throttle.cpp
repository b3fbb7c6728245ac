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

http::Task<std::optional<int64_t>> CacheThrottler::over(std::string_view scope,
                                                        const std::string& ident,
                                                        const Rate& rate) {
    const int64_t period_us = rate.period.count() * 1'000'000;
    const int64_t now = now_us_ ? now_us_()
                                : std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count();
    const int64_t window = now / period_us;
    const std::string base = "throttle:" + std::string(scope) + ":" + ident + ":";
    const std::string current_key = base + std::to_string(window);
    auto current = co_await cache_.increment(current_key, 1, rate.period * 2);
    if (!current) co_return std::nullopt;  // shared cache unavailable: let it through
    auto prev_text = co_await cache_.get(base + std::to_string(window - 1));
    int64_t previous = 0;
    if (prev_text) previous = util::parse_int64(*prev_text).value_or(0);
    const double elapsed =
        static_cast<double>(now % period_us) / static_cast<double>(period_us);  // in [0, 1)
    const double estimate =
        static_cast<double>(previous) * (1.0 - elapsed) + static_cast<double>(*current);
    if (estimate <= static_cast<double>(rate.requests)) co_return std::nullopt;
    // Refused: take this request back out, as DRF records only the requests it lets through.
    // Counting first and undoing after keeps the check one atomic step in Redis; meanwhile a
    // concurrent request may see one too many, which errs on the side of refusing.
    co_await cache_.increment(current_key, -1, rate.period * 2);
    const double period_s = static_cast<double>(rate.period.count());
    double wait = 0;
    if (*current > rate.requests || previous == 0) {
        // The current window alone is over: the rest of it, plus the share of the next one
        // this window's count keeps it over.
        wait = (1.0 - elapsed) * period_s + period_s * (1.0 - static_cast<double>(rate.requests) /
                                                                  static_cast<double>(*current));
    } else {
        // The previous window's weight must fall until the estimate fits.
        double need =
            (estimate - static_cast<double>(rate.requests)) / static_cast<double>(previous);
        wait = need * period_s;
    }
    // Never more than the rate's period, as with DRF's request log (the two-window estimate
    // alone could ask for up to twice that).
    wait = std::min(wait, period_s);
    co_return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait)));
}

http::Task<std::optional<int64_t>> CacheThrottler::check(const http::Request& req,
                                                         std::string_view scope) {
    if (rates_.off) co_return std::nullopt;
    const std::string ident = req.user ? "u" + std::to_string(req.user->id) : "ip" + req.client_ip;
    std::optional<int64_t> wait;
    auto apply = [&](std::string_view name) -> http::Task<void> {
        auto it = rates_.rates.find(name);
        if (it == rates_.rates.end()) co_return;
        auto w = co_await over(name, ident, it->second);
        if (w && (!wait || *w > *wait)) wait = w;
    };
    const std::string_view caller_scope = req.user ? "user" : "anon";
    co_await apply(caller_scope);
    if (!scope.empty()) co_await apply(scope);
    co_return wait;
}

}  // namespace resumate::app
