// Issue 5 at the edge of the server: throttle scopes, the client address through trusted
// proxies, CORS, HSTS, and rates shared through Redis.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <regex>
#include <thread>

#include "harness.hpp"

namespace e2e {
namespace {

Response get_with(const Server& s, const std::string& target, HeaderList headers,
                  const std::string& token = {}) {
    return get(s, target, token, std::move(headers));
}

int64_t retry_after(const Response& r) {
    const std::string v = r.header("Retry-After");
    return v.empty() ? -1 : std::stoll(v);
}

std::string register_body(const std::string& name) {
    return to_json(json::object{{"username", name},
                                {"email", name + "@example.com"},
                                {"password", kPassword},
                                {"password2", kPassword}});
}

TEST(Throttling, NamedScopesCountPerEndpoint) {
    Server s(ServerOptions{
        .env = {{"RESUMATE_THROTTLE",
                 "anon=1000/min,user=1000/min,register=2/hour,generate=2/min,login=1000/min"}},
        .with_superuser = false,
        .tag = "scopes"});
    s.start();
    // register=2/hour: the third registration from this address waits (about an hour).
    EXPECT_STATUS(post(s, "/api/auth/register/", register_body(unique_name("sc1"))), 201);
    const std::string second = unique_name("sc2");
    EXPECT_STATUS(post(s, "/api/auth/register/", register_body(second)), 201);
    Response third = post(s, "/api/auth/register/", register_body(unique_name("sc3")));
    EXPECT_STATUS(third, 429);
    EXPECT_GT(retry_after(third), 60);
    EXPECT_LE(retry_after(third), 3600);
    // Other endpoints are not affected.
    TestUser u = login(s, second, kPassword);
    EXPECT_STATUS(get(s, "/api/resumes/", u.access), 200);
    // generate=2/min, per user.
    const std::string body =
        to_json(json::object{{"model", "ResuMate Offline"}, {"user_input", kResumeInput}});
    EXPECT_STATUS(post(s, "/api/ai/generate/", body, u.access), 201);
    EXPECT_STATUS(post(s, "/api/ai/generate/stream/", body, u.access), 200);
    Response limited = post(s, "/api/ai/generate/", body, u.access);
    EXPECT_STATUS(limited, 429);
    EXPECT_GE(retry_after(limited), 1);
    EXPECT_LE(retry_after(limited), 60);
    // Nothing was generated for the throttled request.
    EXPECT_EQ(get(s, "/api/resumes/", u.access).arr().size(), 2u);
    EXPECT_EQ(s.stop(), 0);
}

TEST(Throttling, ForwardedForIsIgnoredUnlessTheProxyIsTrusted) {
    Server direct(ServerOptions{.env = {{"RESUMATE_THROTTLE", "anon=2/min"}},
                                .with_superuser = false,
                                .tag = "xff-direct"});
    direct.start();
    int ok = 0;
    for (int i = 0; i < 5; ++i) {
        // A client that makes up a new address each time still has one budget.
        Response r = get_with(direct, "/api/ai/models/",
                              {{"X-Forwarded-For", "203.0.113." + std::to_string(i)}});
        ok += r.status == 200;
    }
    EXPECT_EQ(ok, 2);
    // No HSTS for a client that claims HTTPS itself.
    Response claimed = get_with(direct, "/api/", {{"X-Forwarded-Proto", "https"}});
    EXPECT_EQ(claimed.header("Strict-Transport-Security"), "");
    EXPECT_EQ(direct.stop(), 0);

    Server proxied(ServerOptions{
        .env = {{"RESUMATE_THROTTLE", "anon=2/min"}, {"RESUMATE_TRUSTED_PROXIES", "127.0.0.1/32"}},
        .with_superuser = false,
        .tag = "xff-trusted"});
    proxied.start();
    // Behind a trusted proxy every client has its own budget; the rightmost untrusted address
    // counts, so a forged first entry does not help.
    for (int i = 0; i < 3; ++i) {
        Response r =
            get_with(proxied, "/api/ai/models/",
                     {{"X-Forwarded-For", "198.51.100." + std::to_string(i) + ", 127.0.0.1"}});
        EXPECT_STATUS(r, 200);
    }
    int forged_ok = 0;
    for (int i = 0; i < 4; ++i) {
        Response r = get_with(proxied, "/api/ai/models/",
                              {{"X-Forwarded-For", "10.9.9." + std::to_string(i) + ", 192.0.2.7"}});
        forged_ok += r.status == 200;
    }
    EXPECT_EQ(forged_ok, 2);
    Response https = get_with(
        proxied, "/api/", {{"X-Forwarded-For", "198.51.100.77"}, {"X-Forwarded-Proto", "https"}});
    EXPECT_STATUS(https, 200);
    EXPECT_EQ(https.header("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
    Response plain = get_with(
        proxied, "/api/", {{"X-Forwarded-For", "198.51.100.78"}, {"X-Forwarded-Proto", "http"}});
    EXPECT_EQ(plain.header("Strict-Transport-Security"), "");
    EXPECT_EQ(proxied.stop(), 0);
}

TEST(Throttling, InvalidRatesStopTheServerNamingTheVariable) {
    Server s(ServerOptions{.env = {{"RESUMATE_THROTTLE", "anon=many/minute"}},
                           .with_superuser = false,
                           .tag = "badrate"});
    CliResult r = s.cli({"check"});
    EXPECT_NE(r.exit_code, 0) << r.describe();
    EXPECT_NE((r.out + r.err).find("RESUMATE_THROTTLE"), std::string::npos) << r.describe();
    CliResult p = s.cli(
        {"check"}, {{"RESUMATE_THROTTLE", "off"}, {"RESUMATE_TRUSTED_PROXIES", "10.0.0.0/99"}});
    EXPECT_NE(p.exit_code, 0) << p.describe();
    EXPECT_NE((p.out + p.err).find("RESUMATE_TRUSTED_PROXIES"), std::string::npos) << p.describe();
}

// Sleeps until `fraction` of a second past the next whole second of the system clock (the
// throttle's windows start on whole periods since the epoch).
void sleep_into_next_second(double fraction) {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto next = time_point_cast<seconds>(now) + seconds(1);
    std::this_thread::sleep_until(
        next + duration_cast<system_clock::duration>(duration<double>(fraction)));
}

// As in DRF, a refused request does not count: a client that kept knocking while throttled
// gets through again as its earlier requests age out. In-process here, Redis's script in the
// PostgreSQL + Redis run.
TEST(Throttling, RefusedRequestsDoNotCount) {
    Server s(ServerOptions{.env = {{"RESUMATE_THROTTLE", "anon=3/second"}},
                           .with_superuser = false,
                           .tag = "refused"});
    s.start();
    sleep_into_next_second(0.02);
    for (int i = 0; i < 3; ++i) EXPECT_STATUS(get(s, "/api/ai/models/"), 200);
    for (int i = 0; i < 20; ++i) EXPECT_STATUS(get(s, "/api/ai/models/"), 429);
    // 70 % into the next window the previous one weighs 0.3: 3 × 0.3 + 1 ≤ 3. Had the 20
    // refusals counted, 23 × 0.3 + 1 > 3.
    sleep_into_next_second(0.7);
    EXPECT_STATUS(get(s, "/api/ai/models/"), 200);
}

// With Redis every instance counts against one budget.
TEST(Throttling, InstancesShareOneBudgetThroughRedis) {
    if (!std::getenv("TEST_REDIS_URL")) GTEST_SKIP() << "needs the Redis run";
    const std::string prefix = "e2e_shared_throttle_" + unique_name("p") + ":";
    auto make = [&](const char* tag) {
        return std::make_unique<Server>(ServerOptions{
            .env = {{"RESUMATE_THROTTLE", "anon=4/min"}, {"RESUMATE_REDIS_PREFIX", prefix}},
            .with_superuser = false,
            .tag = tag});
    };
    auto a = make("shared-a");
    auto b = make("shared-b");
    a->start();
    b->start();
    int ok = 0;
    for (int i = 0; i < 8; ++i) ok += get(i % 2 ? *a : *b, "/api/ai/models/").status == 200;
    EXPECT_EQ(ok, 4);
    EXPECT_EQ(a->stop(), 0);
    EXPECT_EQ(b->stop(), 0);
}

TEST(Cors, AllowedOriginsAndPreflight) {
    Server s(ServerOptions{
        .env = {{"CORS_ALLOWED_ORIGINS", "https://app.example.com,http://localhost:5173"}},
        .with_superuser = false,
        .tag = "cors"});
    s.start();
    Response allowed = get_with(s, "/api/ai/models/", {{"Origin", "https://app.example.com"}});
    EXPECT_STATUS(allowed, 200);
    EXPECT_EQ(allowed.header("Access-Control-Allow-Origin"), "https://app.example.com");
    EXPECT_SECURITY_HEADERS(allowed);
    Response other = get_with(s, "/api/ai/models/", {{"Origin", "https://evil.example.net"}});
    EXPECT_STATUS(other, 200);
    EXPECT_EQ(other.header("Access-Control-Allow-Origin"), "");

    Response preflight = call(s, "OPTIONS", "/api/resumes/", std::nullopt, {}, "application/json",
                              {{"Origin", "http://localhost:5173"},
                               {"Access-Control-Request-Method", "POST"},
                               {"Access-Control-Request-Headers", "authorization, content-type"}});
    EXPECT_STATUS(preflight, 200);
    EXPECT_EQ(preflight.header("Access-Control-Allow-Origin"), "http://localhost:5173");
    EXPECT_NE(preflight.header("Access-Control-Allow-Methods").find("POST"), std::string::npos)
        << preflight.describe();
    EXPECT_NE(preflight.header("Access-Control-Allow-Headers").find("authorization"),
              std::string::npos)
        << preflight.describe();
    EXPECT_EQ(preflight.header("Access-Control-Max-Age"), "86400");
    EXPECT_TRUE(preflight.body.empty());
    // A preflight needs no token even for a protected route; a disallowed origin gets no grant.
    Response refused =
        call(s, "OPTIONS", "/api/resumes/", std::nullopt, {}, "application/json",
             {{"Origin", "https://evil.example.net"}, {"Access-Control-Request-Method", "DELETE"}});
    EXPECT_STATUS(refused, 200);
    EXPECT_EQ(refused.header("Access-Control-Allow-Origin"), "");
    EXPECT_EQ(refused.header("Access-Control-Allow-Methods"), "");
    // A plain OPTIONS (no CORS) is still DRF's metadata answer.
    Response meta = call(s, "OPTIONS", "/api/ai/models/");
    EXPECT_STATUS(meta, 200);
    EXPECT_NE(meta.body.find("\"name\""), std::string::npos) << meta.describe();
    EXPECT_EQ(s.stop(), 0);
}

// 300 clients that never finish their headers cost a normal request next to nothing, and are
// dropped after the header timeout (slowloris).
TEST(SlowClients, HalfSentHeadersDoNotDelayOthersAndAreDropped) {
    Server s(ServerOptions{.env = {{"RESUMATE_HEADER_TIMEOUT_SECONDS", "2"}},
                           .with_superuser = false,
                           .tag = "slowloris"});
    s.start();
    auto timed = [&] {
        std::vector<double> ms;
        for (int i = 0; i < 20; ++i) {
            const auto t = std::chrono::steady_clock::now();
            Response r = get(s, "/api/");
            EXPECT_STATUS(r, 200);
            ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t)
                    .count());
        }
        std::sort(ms.begin(), ms.end());
        return ms[ms.size() / 2];
    };
    const double idle = timed();
    // From six addresses, 50 each: under RESUMATE_MAX_CONNECTIONS_PER_IP (64), so that all of
    // them are held and the timeout is what drops them.
    std::vector<std::unique_ptr<RawConn>> slow;
    for (int i = 0; i < 300; ++i) {
        const std::string from = "127.0.1." + std::to_string(1 + i % 6);
        slow.push_back(std::make_unique<RawConn>(s.port(), from.c_str()));
        ASSERT_TRUE(
            slow.back()->send_all("GET /api/ HTTP/1.1\r\nHost: " + s.host() + "\r\nX-Slow: "));
    }
    const auto opened = std::chrono::steady_clock::now();
    const double busy = timed();
    EXPECT_LT(busy, idle + 5.0) << "median " << idle << " ms idle, " << busy
                                << " ms next to 300 slow clients";
    // Each slow client is dropped once the header timeout has passed (a 400 is not owed to it).
    int closed = 0;
    for (auto& c : slow) closed += c->read_until_closed(std::chrono::milliseconds(4000)).closed;
    EXPECT_EQ(closed, 300);
    EXPECT_LT(std::chrono::steady_clock::now() - opened, 5s);
    EXPECT_STATUS(get(s, "/api/"), 200);
    EXPECT_EQ(s.stop(), 0);
}

TEST(SlowClients, ConnectionsOverTheCapAreClosedAtOnce) {
    Server s(ServerOptions{
        .env = {{"RESUMATE_MAX_CONNECTIONS", "40"}}, .with_superuser = false, .tag = "conncap"});
    s.start();
    // Each in the middle of its request: not idle, so none may be closed to make room.
    std::vector<std::unique_ptr<RawConn>> held;
    for (int i = 0; i < 40; ++i) {
        held.push_back(std::make_unique<RawConn>(s.port()));
        ASSERT_TRUE(held.back()->send_all("GET /api/ HTTP/1.1\r\nHost: " + s.host() + "\r\n"));
    }
    std::this_thread::sleep_for(200ms);  // all accepted
    RawConn extra(s.port());
    auto r = extra.read_until_closed(2000ms);
    EXPECT_TRUE(r.closed) << "a connection over the cap was kept";
    EXPECT_LT(r.elapsed, 1000ms);
    EXPECT_TRUE(s.wait_for_log_line({"40 connections open (the maximum), none idle"}).has_value());
    for (auto& c : held) EXPECT_TRUE(c->peer_open()) << "a connection mid-request was closed";
    held.clear();  // once clients leave, new ones are served again
    bool served = false;
    for (int i = 0; i < 50 && !served; ++i) {
        served = get(s, "/api/").status == 200;
        if (!served) std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(served);
    EXPECT_EQ(s.stop(), 0);
}

// One keep-alive request on `conn`, then the connection stays open and idle. True when the
// answer was a 200.
bool served_and_kept(RawConn& conn, const Server& s) {
    if (!conn.send_all("GET /api/ HTTP/1.1\r\nHost: " + s.host() + "\r\n\r\n")) return false;
    auto r = conn.read_until("/api/ai/models/\"}", 3000ms);
    return r.data.rfind("HTTP/1.1 200", 0) == 0;
}

int count_open(const std::vector<std::unique_ptr<RawConn>>& conns, size_t from = 0,
               size_t to = SIZE_MAX) {
    int n = 0;
    for (size_t i = from; i < std::min(to, conns.size()); ++i) n += conns[i]->peer_open();
    return n;
}

// Issue 6: 320 idle connections from one address used to fill RESUMATE_MAX_CONNECTIONS=300 and
// lock every other client out. One address now holds RESUMATE_MAX_CONNECTIONS_PER_IP (64 by
// default) at most; another address is still served.
TEST(ConnectionCaps, OneAddressHoldsItsShareAndOthersAreServed) {
    Server s(ServerOptions{
        .env = {{"RESUMATE_MAX_CONNECTIONS", "300"}}, .with_superuser = false, .tag = "ipcap"});
    s.start();
    std::vector<std::unique_ptr<RawConn>> flood;
    for (int i = 0; i < 320; ++i) flood.push_back(std::make_unique<RawConn>(s.port()));
    std::this_thread::sleep_for(300ms);  // all accepted, or closed
    EXPECT_EQ(count_open(flood), 64) << "connections 127.0.0.1 holds";
    int served = 0;
    for (auto& c : flood) {
        if (c->peer_open()) served += served_and_kept(*c, s);
    }
    EXPECT_EQ(served, 64);  // and those it holds work
    EXPECT_TRUE(
        s.wait_for_log_line({"127.0.0.1 has 64 connections open (RESUMATE_MAX_CONNECTIONS_PER_IP)"})
            .has_value());

    RawConn other(s.port(), "127.0.0.2");
    EXPECT_TRUE(served_and_kept(other, s)) << "a client from another address was locked out";
    RawConn again(s.port());
    auto r = again.read_until_closed(2000ms);
    EXPECT_TRUE(r.closed && r.data.empty()) << "127.0.0.1 got a 65th connection: " << r.data;
    EXPECT_LT(r.elapsed, 1000ms);

    flood.clear();  // once its connections end, the address is served again
    bool ok = false;
    for (int i = 0; i < 50 && !ok; ++i) {
        ok = get(s, "/api/").status == 200;
        if (!ok) std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(ok);
    EXPECT_EQ(s.stop(), 0);
}

// Without the per-address cap, at RESUMATE_MAX_CONNECTIONS a new connection takes the place of
// the one idle longest; connections in the middle of a request are never closed for it.
TEST(ConnectionCaps, IdleConnectionsMakeRoomForNewClientsAtTheMaximum) {
    Server s(ServerOptions{.env = {{"RESUMATE_MAX_CONNECTIONS", "300"},
                                   {"RESUMATE_MAX_CONNECTIONS_PER_IP", "0"},
                                   {"RESUMATE_HEADER_TIMEOUT_SECONDS", "60"}},
                           .with_superuser = false,
                           .tag = "evict"});
    s.start();
    const std::string head = "GET /api/ HTTP/1.1\r\nHost: " + s.host() + "\r\n";
    // The oldest ten are mid-request (half a head), the next 290 idle keep-alive connections.
    std::vector<std::unique_ptr<RawConn>> busy;
    for (int i = 0; i < 10; ++i) {
        busy.push_back(std::make_unique<RawConn>(s.port()));
        ASSERT_TRUE(busy.back()->send_all(head));
    }
    std::vector<std::unique_ptr<RawConn>> idle;
    for (int i = 0; i < 290; ++i) {
        idle.push_back(std::make_unique<RawConn>(s.port()));
        ASSERT_TRUE(served_and_kept(*idle.back(), s)) << "connection " << i;
    }
    // 300 open: the maximum. Twenty more clients are each served...
    std::vector<std::unique_ptr<RawConn>> late;
    for (int i = 0; i < 20; ++i) {
        late.push_back(std::make_unique<RawConn>(s.port(), "127.0.0.2"));
        EXPECT_TRUE(served_and_kept(*late.back(), s)) << "new client " << i << " refused";
    }
    std::this_thread::sleep_for(200ms);
    // ...in the place of twenty idle ones, the longest idle; the busy ones stay. A connection
    // joins the idle list when the server's write has completed, which may come after the
    // client has read the answer and opened the next one: neighbours can swap places, so the
    // twenty closed are the oldest within a couple of places.
    EXPECT_EQ(count_open(idle), 270);
    EXPECT_LE(count_open(idle, 0, 20), 2) << "not the connections idle longest";
    EXPECT_GE(count_open(idle, 20), 268);
    EXPECT_EQ(count_open(late), 20);
    EXPECT_EQ(count_open(busy), 10);
    for (auto& b : busy) {
        ASSERT_TRUE(b->send_all("\r\n"));
        auto r = b->read_until("/api/ai/models/\"}", 3000ms);
        EXPECT_EQ(r.data.rfind("HTTP/1.1 200", 0), 0u) << r.data;
    }
    EXPECT_TRUE(
        s.wait_for_log_line({"300 connections open (the maximum): closing the longest idle"})
            .has_value());
    EXPECT_STATUS(get(s, "/api/"), 200);
    EXPECT_EQ(s.stop(), 0);
}

// Behind a trusted proxy every client has the proxy's address: the proxy is not held to the
// per-address cap, other peers are.
TEST(ConnectionCaps, TrustedProxiesAreExempt) {
    Server s(ServerOptions{.env = {{"RESUMATE_MAX_CONNECTIONS_PER_IP", "4"},
                                   {"RESUMATE_TRUSTED_PROXIES", "127.0.0.1"}},
                           .with_superuser = false,
                           .tag = "proxycap"});
    s.start();
    std::vector<std::unique_ptr<RawConn>> proxy, direct;
    for (int i = 0; i < 10; ++i) {
        proxy.push_back(std::make_unique<RawConn>(s.port()));
        direct.push_back(std::make_unique<RawConn>(s.port(), "127.0.0.3"));
    }
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(count_open(proxy), 10);
    EXPECT_EQ(count_open(direct), 4);
    EXPECT_EQ(s.stop(), 0);
}

// Repeated failed logins are answered 429 after a threshold, the same way and about as fast
// for a user that exists and for one that does not (issue 5, point 2).
TEST(BruteForce, FailedLoginsLockTheUsernameWithoutRevealingIt) {
    Server s(ServerOptions{.env = {{"RESUMATE_THROTTLE", "anon=10000/min,user=10000/min"},
                                   {"RESUMATE_LOGIN_MAX_FAILURES", "3"},
                                   {"RESUMATE_LOGIN_MAX_FAILURES_PER_IP", "1000"}},
                           .with_superuser = false,
                           .tag = "bruteforce"});
    s.start();
    TestUser real = create_user(s, "victim");
    auto attempt = [&](const std::string& user, const std::string& password) {
        const auto t = std::chrono::steady_clock::now();
        Response r = post(s, "/api/auth/token/",
                          to_json(json::object{{"username", user}, {"password", password}}));
        return std::pair{
            r, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t)
                   .count()};
    };
    const std::string ghost = unique_name("ghost");
    // The first failed login measures the failure floor (seconds under AddressSanitizer): not
    // between the two users' first failures.
    EXPECT_STATUS(attempt(unique_name("warm"), "wrong-password").first, 401);
    double first_real_ms = 0;
    for (int i = 0; i < 3; ++i) {
        auto [failed, ms] = attempt(real.username, "wrong-password-" + std::to_string(i));
        EXPECT_STATUS(failed, 401);
        if (i == 0) first_real_ms = ms;
        EXPECT_STATUS(attempt(ghost, "wrong-password-" + std::to_string(i)).first, 401);
    }
    auto [locked_real, ms_real] = attempt(real.username, "another-wrong-one");
    auto [locked_ghost, ms_ghost] = attempt(ghost, "another-wrong-one");
    EXPECT_STATUS(locked_real, 429);
    EXPECT_STATUS(locked_ghost, 429);
    // The windows slide: each lock ends when its own oldest failure ages out, and the real
    // user's came one attempt earlier, so the seconds differ by about that attempt's time (one
    // failure floor), less the time between the two locked answers; nothing else may. Whole
    // seconds on both sides: up to 1 s apart from the exact difference, and a little slack for
    // where in each request the failure is recorded (a loaded machine stretches both).
    const std::regex seconds("[0-9]+");
    EXPECT_EQ(std::regex_replace(locked_real.body, seconds, "N"),
              std::regex_replace(locked_ghost.body, seconds, "N"))
        << "the answer tells whether the user exists";
    ASSERT_FALSE(locked_real.header("Retry-After").empty());
    EXPECT_NEAR(std::stoi(locked_ghost.header("Retry-After")) -
                    std::stoi(locked_real.header("Retry-After")),
                (first_real_ms - ms_real) / 1000.0, 1.25);
    EXPECT_NEAR(ms_real, ms_ghost, 50.0);
    // Even the right password waits now: the attacker cannot tell when it found it.
    EXPECT_STATUS(attempt(real.username, std::string(kPassword)).first, 429);
    // Other usernames are not affected.
    TestUser other = create_user(s, "bystander");
    EXPECT_FALSE(other.access.empty());
    EXPECT_EQ(s.stop(), 0);
}

TEST(BruteForce, OneAddressTryingManyUsernamesIsStopped) {
    Server s(ServerOptions{.env = {{"RESUMATE_THROTTLE", "anon=10000/min,user=10000/min"},
                                   {"RESUMATE_LOGIN_MAX_FAILURES", "100"},
                                   {"RESUMATE_LOGIN_MAX_FAILURES_PER_IP", "5"}},
                           .with_superuser = false,
                           .tag = "bruteforce-ip"});
    s.start();
    int unauthorized = 0, throttled = 0;
    for (int i = 0; i < 8; ++i) {
        Response r = post(
            s, "/api/auth/token/",
            to_json(json::object{{"username", unique_name("spray")}, {"password", "Winter2025!"}}));
        unauthorized += r.status == 401;
        throttled += r.status == 429;
    }
    EXPECT_EQ(unauthorized, 5);
    EXPECT_EQ(throttled, 3);
    EXPECT_EQ(s.stop(), 0);
}

}  // namespace
}  // namespace e2e
