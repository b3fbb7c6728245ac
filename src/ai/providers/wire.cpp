#include "ai/providers/wire.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <ctime>

#include "util/strings.hpp"

namespace resumate::ai::wire {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
    s = util::trim(s);
    if (s.empty() || s.back() != 's') return std::nullopt;
    s.remove_suffix(1);
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0 || v > 86400) return std::nullopt;
    return std::chrono::milliseconds(static_cast<int64_t>(v * 1000));
}

std::optional<std::chrono::milliseconds> retry_after(const net::HttpResponse& r) {
    auto h = r.header("Retry-After");
    if (!h) return std::nullopt;
    std::string_view v = util::trim(*h);
    if (auto secs = util::parse_int64(v); secs && *secs >= 0 && *secs <= 86400) {
        return std::chrono::milliseconds(*secs * 1000);
    }
    std::tm tm{};
    std::string text(v);
    if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
        int64_t when = timegm(&tm);
        int64_t delta = when - util::now_seconds();
        return std::chrono::milliseconds(std::max<int64_t>(0, delta) * 1000);
    }
    return std::nullopt;
}

std::string error_message(const boost::json::value& body) {
    if (!body.is_object()) return {};
    const auto& o = body.as_object();
    if (auto* e = o.if_contains("error")) {
        if (e->is_string()) return std::string(e->as_string());
        if (e->is_object()) {
            if (auto* m = e->as_object().if_contains("message"); m && m->is_string())
                return std::string(m->as_string());
        }
    }
    for (auto key : {"message", "detail"}) {
        if (auto* m = o.if_contains(key); m && m->is_string()) return std::string(m->as_string());
    }
    return {};
}

ProviderError::Kind kind_for_status(unsigned status) {
    if (status == 401 || status == 403) return ProviderError::Kind::KeyRejected;
    if (status == 429) return ProviderError::Kind::RateLimited;
    if (status == 408 || status == 500 || status == 502 || status == 503 || status == 504) {
        return ProviderError::Kind::Transient;
    }
    return ProviderError::Kind::Permanent;
}

ProviderError from_http_error(std::string_view provider, const net::HttpError& e) {
    if (e.kind == net::HttpError::Kind::Cancelled) {
        // We cancelled the call because its listener went away.
        return ProviderError(ProviderError::Kind::Abandoned,
                             std::string(provider) + ": " + e.what());
    }
    bool transient = e.kind == net::HttpError::Kind::Connect ||
                     e.kind == net::HttpError::Kind::Timeout ||
                     e.kind == net::HttpError::Kind::Protocol;
    return ProviderError(
        transient ? ProviderError::Kind::Transient : ProviderError::Kind::Permanent,
        std::string(provider) + ": " + e.what());
}

Task<net::HttpResponse> stream_events(const net::HttpClient& client, const net::HttpRequest& http,
                                      std::string_view provider, EventFn on_event) {
    net::HttpResponse head;
    net::SseParser sse;
    bool stopped = false;
    auto deliver = [&](std::vector<net::SseEvent> events) -> Task<void> {
        for (const auto& ev : events) {
            if (stopped) break;
            const bool more = co_await on_event(ev);
            if (!more) stopped = true;
        }
    };
    try {
        co_await client.stream(
            http, [&](const net::HttpResponse& h) { head = h; },
            [&](std::string_view piece) -> Task<bool> {
                if (head.status != 200) {
                    head.body.append(piece);  // an error answer: kept whole for parsing
                    co_return true;
                }
                auto events = sse.feed(piece);
                co_await deliver(std::move(events));
                co_return !stopped;
            });
    } catch (const net::HttpError& e) {
        throw from_http_error(provider, e);
    }
    if (head.status == 200 && !stopped) {
        auto events = sse.finish();
        co_await deliver(std::move(events));
    }
    co_return head;
}

std::string join_url(std::string_view base, std::string_view path) {
    std::string out(base);
    while (!out.empty() && out.back() == '/') out.pop_back();
    if (!path.empty() && path.front() != '/') out.push_back('/');
    out.append(path);
    return out;
}

}  // namespace resumate::ai::wire
