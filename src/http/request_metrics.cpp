#include "http/request_metrics.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace resumate::http {
namespace {

constexpr std::array<std::string_view, RequestMetrics::kMethods> kMethodNames = {
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "other"};

uint32_t method_index(std::string_view method) {
    for (uint32_t i = 0; i + 1 < kMethodNames.size(); ++i) {
        if (method == kMethodNames[i]) return i;
    }
    return static_cast<uint32_t>(kMethodNames.size() - 1);
}

}  // namespace

RequestMetrics::RequestMetrics(const Router& router, util::metrics::Registry& registry) {
    auto make = [](std::string_view pattern, std::string_view scope) {
        auto s = std::make_unique<PerRoute>();
        s->pattern = pattern;
        s->scope = scope;
        for (auto& h : s->durations)
            h = std::make_unique<util::metrics::Histogram>(util::metrics::latency_buckets());
        return s;
    };
    for (const auto& r : router.routes())
        routes_.emplace(r.get(), make(r->def.path, r->def.scope.name));
    unmatched_ = make("unmatched", "");
    registry.add([this](util::metrics::Exposition& out) { collect(out); });
}

void RequestMetrics::PerRoute::count(uint32_t key) {
    size_t i = key % kSlots;
    for (size_t probe = 0; probe < kSlots; ++probe, i = (i + 1) % kSlots) {
        uint32_t k = keys[i].load(std::memory_order_acquire);
        if (k == 0) {
            uint32_t expected = 0;
            if (keys[i].compare_exchange_strong(expected, key, std::memory_order_acq_rel)) {
                k = key;
            } else {
                k = expected;  // someone else took the slot: for this key or another
            }
        }
        if (k == key) {
            counts[i].fetch_add(1, std::memory_order_relaxed);
            return;
        }
    }
    // More than 64 (method, status) pairs on one route: not counted by status.
}

RequestMetrics::PerRoute& RequestMetrics::stats_of(const Route* route) {
    if (route) {
        auto it = routes_.find(route);
        if (it != routes_.end()) return *it->second;
    }
    return *unmatched_;
}

void RequestMetrics::record(const Route* route, std::string_view method, unsigned status,
                            double seconds) {
    PerRoute& s = stats_of(route);
    const uint32_t m = method_index(method);
    s.count(m << 10 | (status & 0x3ff));
    s.durations[m]->observe(seconds);
}

void RequestMetrics::throttled(const Route& route, bool authenticated) {
    PerRoute& s = stats_of(&route);
    (authenticated ? s.throttled_user : s.throttled_anon).fetch_add(1, std::memory_order_relaxed);
}

void RequestMetrics::collect(util::metrics::Exposition& out) const {
    out.gauge("resumate_http_requests_in_flight", "Requests being served.", {},
              static_cast<double>(in_flight_.value()));
    std::vector<const PerRoute*> all;
    for (const auto& [route, s] : routes_) all.push_back(s.get());
    all.push_back(unmatched_.get());
    std::sort(all.begin(), all.end(),
              [](const PerRoute* a, const PerRoute* b) { return a->pattern < b->pattern; });
    for (const PerRoute* s : all) {
        for (size_t i = 0; i < PerRoute::kSlots; ++i) {
            const uint32_t key = s->keys[i].load(std::memory_order_acquire);
            if (key == 0) continue;
            out.counter("resumate_http_requests_total", "HTTP requests answered.",
                        {{"method", std::string(kMethodNames[key >> 10])},
                         {"route", std::string(s->pattern)},
                         {"status", std::to_string(key & 0x3ff)}},
                        static_cast<double>(s->counts[i].load(std::memory_order_relaxed)));
        }
    }
    for (const PerRoute* s : all) {
        for (size_t m = 0; m < kMethods; ++m) {
            auto snap = s->durations[m]->snapshot();
            if (snap.count == 0) continue;
            out.histogram(
                "resumate_http_request_duration_seconds",
                "Time from a request's head to its answer written.",
                {{"method", std::string(kMethodNames[m])}, {"route", std::string(s->pattern)}},
                snap);
        }
    }
    // One sample per scope, summed over its routes; every scope present from the start.
    std::map<std::string_view, uint64_t> by_scope{{"anon", 0}, {"user", 0}};
    for (const PerRoute* s : all) {
        const uint64_t anon = s->throttled_anon.load(std::memory_order_relaxed);
        const uint64_t user = s->throttled_user.load(std::memory_order_relaxed);
        if (!s->scope.empty()) {
            by_scope[s->scope] += anon + user;
        } else {
            by_scope["anon"] += anon;
            by_scope["user"] += user;
        }
    }
    for (const auto& [scope, n] : by_scope) {
        out.counter("resumate_throttled_requests_total", "Requests refused by the throttle (429).",
                    {{"scope", std::string(scope)}}, static_cast<double>(n));
    }
}

}  // namespace resumate::http
