// Throttle rates, the sliding window, trusted proxies and CORS matching (issue 5).
#include <gtest/gtest.h>

#include "app/throttle.hpp"
#include "cache/memory_cache.hpp"
#include "db/run_sync.hpp"
#include "http/edge.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"

namespace resumate {
namespace {

TEST(ThrottleRates, ParsesDrfStyleRates) {
    auto r = app::parse_throttle(
        "anon=100/min, user=1000/hour ,generate=10/m,login=5/second,register=3/day");
    EXPECT_FALSE(r.off);
    EXPECT_EQ(r.rates.at("anon").requests, 100);
    EXPECT_EQ(r.rates.at("anon").period, std::chrono::seconds(60));
    EXPECT_EQ(r.rates.at("user").period, std::chrono::seconds(3600));
    EXPECT_EQ(r.rates.at("generate").period, std::chrono::seconds(60));
    EXPECT_EQ(r.rates.at("login").period, std::chrono::seconds(1));
    EXPECT_EQ(r.rates.at("register").period, std::chrono::seconds(86400));
    EXPECT_TRUE(app::parse_throttle("off").off);
    EXPECT_FALSE(app::parse_throttle(app::kDefaultThrottle).rates.empty());
    // An empty value (a compose file passing an unset variable through) means the defaults,
    // never "no limits".
    for (const char* empty : {"", "  "}) {
        auto d = app::parse_throttle(empty);
        EXPECT_FALSE(d.off);
        EXPECT_EQ(d.rates.size(), app::parse_throttle(app::kDefaultThrottle).rates.size());
        EXPECT_EQ(d.rates.at("login").requests, 30);
    }
    EXPECT_THROW(app::parse_throttle(" , "), std::invalid_argument);
    for (const char* bad : {"anon", "anon=10", "anon=x/min", "anon=0/min", "anon=-1/min",
                            "anon=5/fortnight", "=5/min"}) {
        EXPECT_THROW(app::parse_throttle(bad), std::invalid_argument) << bad;
    }
}

TEST(Throttle, CountsPerCallerAndScope) {
    cache::MemoryCache cache(1000);
    app::CacheThrottler t(cache, app::parse_throttle("anon=3/hour,user=5/hour,login=2/hour"));
    http::Request anon;
    anon.client_ip = "192.0.2.1";
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(db::run_sync(t.check(anon, ""))) << i;
    auto wait = db::run_sync(t.check(anon, ""));
    ASSERT_TRUE(wait);
    EXPECT_GE(*wait, 1);
    EXPECT_LE(*wait, 3600);  // never more than the period
    http::Request other = anon;
    other.client_ip = "192.0.2.2";
    EXPECT_FALSE(db::run_sync(t.check(other, "")));  // another address, another budget
    // A named scope adds its own, smaller limit.
    http::Request user;
    user.client_ip = "192.0.2.1";
    user.user = http::Principal{.id = 7, .username = "u"};
    EXPECT_FALSE(db::run_sync(t.check(user, "login")));
    EXPECT_FALSE(db::run_sync(t.check(user, "login")));
    EXPECT_TRUE(db::run_sync(t.check(user, "login")));
    // Every check counts for "user" too, the refused one included: 3 so far.
    EXPECT_FALSE(db::run_sync(t.check(user, "")));
    EXPECT_FALSE(db::run_sync(t.check(user, "")));
    EXPECT_TRUE(db::run_sync(t.check(user, "")));
    // off lets everything through.
    app::CacheThrottler off(cache, app::parse_throttle("off"));
    for (int i = 0; i < 10; ++i) EXPECT_FALSE(db::run_sync(off.check(anon, "")));
}

// As in DRF, a refused request is not recorded: a client that keeps knocking while throttled
// gets its budget back as its earlier requests age out, instead of being shut out for as long as
// it keeps trying.
TEST(Throttle, RefusedRequestsDoNotCount) {
    cache::MemoryCache cache(1000);
    app::CacheThrottler t(cache, app::parse_throttle("anon=2/minute"));
    int64_t now_us = 1'000'000LL * 60 * 1000;  // the start of a one-minute window
    t.set_clock([&] { return now_us; });
    http::Request anon;
    anon.client_ip = "192.0.2.1";
    EXPECT_FALSE(db::run_sync(t.check(anon, "")));
    EXPECT_FALSE(db::run_sync(t.check(anon, "")));
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(db::run_sync(t.check(anon, ""))) << i;
    // 40 s into the next window a third of the previous one still counts: 2 × 1/3 + 1 ≤ 2.
    now_us += 100'000'000;
    EXPECT_FALSE(db::run_sync(t.check(anon, "")));
    // That one did count: 2 × 1/3 + 2 > 2.
    EXPECT_TRUE(db::run_sync(t.check(anon, "")));
}

http::Request from(std::string peer, http::HeaderList headers) {
    http::Request r;
    r.client_ip = std::move(peer);
    r.headers = std::move(headers);
    return r;
}

TEST(TrustedProxies, HopsAndNetworks) {
    auto none = http::parse_trusted_proxies("");
    auto req = from("10.0.0.5", {{"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-Proto", "https"}});
    http::apply_trusted_proxies(req, none);
    EXPECT_EQ(req.client_ip, "10.0.0.5");
    EXPECT_FALSE(req.secure);

    auto one = http::parse_trusted_proxies("1");
    req =
        from("10.0.0.5", {{"X-Forwarded-For", "6.6.6.6, 1.2.3.4"}, {"X-Forwarded-Proto", "https"}});
    http::apply_trusted_proxies(req, one);
    EXPECT_EQ(req.client_ip, "1.2.3.4");  // what our one proxy saw, not what the client wrote
    EXPECT_TRUE(req.secure);
    auto two = http::parse_trusted_proxies("2");
    req = from("10.0.0.5", {{"X-Forwarded-For", "6.6.6.6, 1.2.3.4, 10.0.0.9"}});
    http::apply_trusted_proxies(req, two);
    EXPECT_EQ(req.client_ip, "1.2.3.4");

    auto nets = http::parse_trusted_proxies("10.0.0.0/8, ::1, 172.16.0.1");
    req = from("10.1.2.3", {{"X-Forwarded-For", "6.6.6.6, 1.2.3.4, 172.16.0.1"}});
    http::apply_trusted_proxies(req, nets);
    EXPECT_EQ(req.client_ip, "1.2.3.4");
    req = from("192.0.2.1", {{"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-Proto", "https"}});
    http::apply_trusted_proxies(req, nets);  // not from a trusted proxy: headers ignored
    EXPECT_EQ(req.client_ip, "192.0.2.1");
    EXPECT_FALSE(req.secure);
    req = from("::1", {{"X-Forwarded-For", "not-an-address"}});
    http::apply_trusted_proxies(req, nets);
    EXPECT_EQ(req.client_ip, "::1");
    for (const char* bad : {"10.0.0.0/33", "banana", "-1", "1.2.3.4/x"}) {
        EXPECT_THROW(http::parse_trusted_proxies(bad), std::invalid_argument) << bad;
    }
}

// The expected values are what Django 3.2's django.http.request.split_domain_port returns.
TEST(HostHeader, SplitDomainPortAsDjango) {
    struct Case {
        const char* host;
        const char* domain;
        const char* port;
    };
    for (const Case& c : {Case{"example.com", "example.com", ""},
                          Case{"Example.COM:8000", "example.com", "8000"},
                          Case{"example.com.", "example.com", ""},
                          Case{"example.com.:80", "example.com", "80"},
                          Case{"[::1]", "[::1]", ""},
                          Case{"[::1]:8000", "[::1]", "8000"},
                          Case{"[::ffff:127.0.0.1]", "[::ffff:127.0.0.1]", ""},
                          Case{"[::]", "[::]", ""},
                          Case{"..", ".", ""},
                          Case{"-", "-", ""},
                          Case{"1.2.3.4:65536", "1.2.3.4", "65536"},
                          Case{"[::1", "", ""},
                          Case{"[::1]x", "", ""},
                          Case{"[::1]:", "", ""},
                          Case{"[zz::1]", "", ""},
                          Case{"[1234]", "", ""},
                          Case{"[:]", "", ""},
                          Case{"good.example:80@evil.example", "", ""},
                          Case{"<script>", "", ""},
                          Case{"a b", "", ""},
                          Case{"evil/foo?", "", ""},
                          Case{"example.com:", "", ""},
                          Case{"example.com:8o", "", ""},
                          Case{"exa_mple.com", "", ""},
                          Case{".", "", ""},
                          Case{":80", "", ""},
                          Case{"", "", ""},
                          Case{"user@example.com", "", ""},
                          Case{"example.com:80:80", "", ""},
                          Case{"ex\xa7mple.com", "", ""}}) {
        SCOPED_TRACE(c.host);
        auto parts = http::split_domain_port(c.host);
        EXPECT_EQ(parts.domain, c.domain);
        EXPECT_EQ(parts.port, c.port);
    }
    EXPECT_EQ(http::split_domain_port(".:80").domain, "");  // Django: ('', '80'): no domain
}

TEST(HostHeader, InvalidHostsAreRefusedWhateverAllowedHostsSays) {
    const std::vector<std::string> any;
    const std::vector<std::string> star{"*"};
    const std::vector<std::string> good{"good.example", ".sub.example"};
    for (const auto* allowed : {&any, &star, &good}) {
        EXPECT_FALSE(http::host_allowed("good.example:80@evil.example", *allowed));
        EXPECT_FALSE(http::host_allowed("<script>", *allowed));
        EXPECT_FALSE(http::host_allowed("", *allowed));
    }
    EXPECT_TRUE(http::host_allowed("evil.example", any));
    EXPECT_TRUE(http::host_allowed("evil.example", star));
    EXPECT_FALSE(http::host_allowed("evil.example", good));
    EXPECT_TRUE(http::host_allowed("GOOD.example.:8000", good));
    EXPECT_TRUE(http::host_allowed("a.sub.example", good));
    EXPECT_TRUE(http::host_allowed("sub.example", good));
    EXPECT_FALSE(http::host_allowed("asub.example", good));
}

TEST(TrustedProxies, WhichPeersAreProxies) {
    EXPECT_FALSE(http::is_trusted_proxy(http::parse_trusted_proxies(""), "127.0.0.1"));
    EXPECT_TRUE(http::is_trusted_proxy(http::parse_trusted_proxies("1"), "198.51.100.1"));
    auto nets = http::parse_trusted_proxies("10.0.0.0/8, ::1");
    EXPECT_TRUE(http::is_trusted_proxy(nets, "10.1.2.3"));
    EXPECT_TRUE(http::is_trusted_proxy(nets, "::ffff:10.1.2.3"));
    EXPECT_TRUE(http::is_trusted_proxy(nets, "::1"));
    EXPECT_FALSE(http::is_trusted_proxy(nets, "11.0.0.1"));
}

TEST(Cors, ExactOriginsOrAny) {
    http::CorsPolicy p{{"https://app.example.com"}};
    EXPECT_TRUE(p.allows("https://app.example.com"));
    EXPECT_FALSE(p.allows("https://app.example.com.evil.net"));
    EXPECT_FALSE(p.allows("http://app.example.com"));
    EXPECT_TRUE(http::CorsPolicy{{"*"}}.allows("https://anything.example"));
}

TEST(RequestHead, OneHostOnHttp11AndAValidOne) {
    const std::vector<std::string> any;
    EXPECT_FALSE(http::refuse_head(11, 1, "localhost:8000", any));
    EXPECT_FALSE(http::refuse_head(10, 0, "", any));  // HTTP/1.0 may omit it
    auto missing = http::refuse_head(11, 0, "", any);
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->response.status, 400u);
    EXPECT_TRUE(missing->close);
    auto two = http::refuse_head(10, 2, "a", any);
    ASSERT_TRUE(two);
    EXPECT_TRUE(two->close);
    auto invalid = http::refuse_head(11, 1, "good.example:80@evil.example", any);
    ASSERT_TRUE(invalid);
    EXPECT_EQ(invalid->response.body, R"({"detail":"Invalid HTTP_HOST header."})");
    EXPECT_FALSE(invalid->close);
}

TEST(RequestHead, FoldedLinesAreFound) {
    EXPECT_FALSE(http::has_obs_fold("GET / HTTP/1.1\r\nHost: a\r\nX: 1"));
    EXPECT_TRUE(http::has_obs_fold("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2"));
    EXPECT_TRUE(http::has_obs_fold("GET / HTTP/1.1\r\n\tHost: a"));
    EXPECT_FALSE(http::has_obs_fold("GET / HTTP/1.1\r\nHost: a b"));
}

}  // namespace
}  // namespace resumate
