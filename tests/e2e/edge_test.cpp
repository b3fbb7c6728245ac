// Issue 5 at the edge of the server: throttle scopes, the client address through trusted
// proxies, CORS, HSTS, and rates shared through Redis.
#include <cstdlib>

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

}  // namespace
}  // namespace e2e
