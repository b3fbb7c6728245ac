// Observability (issue 12, point 6): GET /metrics in Prometheus's text format for allowed
// addresses only, the request id in every log line of its request, and RESUMATE_LOG_FORMAT=json.
#include <chrono>
#include <map>
#include <sstream>
#include <thread>

#include "harness.hpp"

namespace e2e {
namespace {

// name{labels} → value, for every sample line of an exposition; fails the test on a line that
// is not a comment, blank or `name[{labels}] value`.
std::map<std::string, double> samples(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const size_t space = line.rfind(' ');
        if (space == std::string::npos) {
            ADD_FAILURE() << "not a sample line: " << line;
            continue;
        }
        const std::string value = line.substr(space + 1);
        out[line.substr(0, space)] = value == "+Inf" ? 1e300 : std::stod(value);
    }
    return out;
}

double sample(const std::map<std::string, double>& all, const std::string& key) {
    auto it = all.find(key);
    if (it == all.end()) {
        ADD_FAILURE() << "no sample " << key;
        return -1;
    }
    return it->second;
}

TEST(Metrics, CountsRequestsByRouteCacheLookupsPoolsAndProcess) {
    Server s(ServerOptions{.env = {}, .with_superuser = false, .tag = "metrics"});
    s.start();
    ASSERT_STATUS(get(s, "/api/ai/models/"), 200);  // a miss, then a hit
    ASSERT_STATUS(get(s, "/api/ai/models/"), 200);
    ASSERT_STATUS(get(s, "/api/no-such-thing/"), 404);
    ASSERT_STATUS(get(s, "/healthz"), 200);  // probes are not counted

    // A request is counted (and leaves the in-flight gauge) just after its answer is written,
    // on its own connection: a scrape sent the moment the 404 arrived could run before that
    // (it did, once, in the containerized suite). Scrape until the 404 is counted and this
    // scrape is the only request in flight.
    Response m;
    std::map<std::string, double> all;
    const std::string unmatched =
        R"(resumate_http_requests_total{method="GET",route="unmatched",status="404"})";
    for (int attempt = 0; attempt < 100; ++attempt) {
        m = get(s, "/metrics");
        ASSERT_STATUS(m, 200);
        all = samples(m.body);
        auto in_flight = all.find("resumate_http_requests_in_flight");
        if (all.contains(unmatched) && in_flight != all.end() && in_flight->second == 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(m.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(
        sample(
            all,
            R"(resumate_http_requests_total{method="GET",route="/api/ai/models/",status="200"})"),
        2);
    EXPECT_EQ(
        sample(all, R"(resumate_http_requests_total{method="GET",route="unmatched",status="404"})"),
        1);
    EXPECT_EQ(
        sample(
            all,
            R"(resumate_http_request_duration_seconds_count{method="GET",route="/api/ai/models/"})"),
        2);
    EXPECT_EQ(
        sample(
            all,
            R"(resumate_http_request_duration_seconds_bucket{method="GET",route="/api/ai/models/",le="+Inf"})"),
        2);
    EXPECT_EQ(sample(all, R"(resumate_cache_requests_total{result="hit"})"), 1);
    EXPECT_EQ(sample(all, R"(resumate_cache_requests_total{result="miss"})"), 1);
    EXPECT_EQ(sample(all, "resumate_http_requests_in_flight"), 1);  // this scrape
    // The embedded database's pool, or PostgreSQL's (the PostgreSQL run of the suite).
    const std::string pool =
        all.contains(R"(resumate_db_pool_connections{pool="primary",state="idle"})") ? "primary"
                                                                                     : "sqlite";
    // (On PostgreSQL a background task may hold a connection at the moment of the scrape.)
    const double idle =
        sample(all, R"(resumate_db_pool_connections{pool=")" + pool + R"(",state="idle"})");
    const double in_use =
        sample(all, R"(resumate_db_pool_connections{pool=")" + pool + R"(",state="in_use"})");
    EXPECT_GE(idle, 1);
    EXPECT_GE(in_use, 0);
    EXPECT_LE(in_use, 1);
    EXPECT_GT(sample(all, R"(resumate_db_pool_wait_seconds_count{pool=")" + pool + R"("})"), 0);
    EXPECT_GT(sample(all, "process_resident_memory_bytes"), 1e6);
    EXPECT_GT(sample(all, "process_open_fds"), 3);
    EXPECT_GT(sample(all, "process_start_time_seconds"), 1.7e9);
    EXPECT_EQ(sample(all, R"(resumate_ai_circuit_state{provider="offline"})"), 0);
    for (const auto& [key, value] : all) {
        EXPECT_EQ(key.find("/healthz"), std::string::npos) << key;
        EXPECT_EQ(key.find("/metrics"), std::string::npos) << key;
    }
    // Every family has its HELP and TYPE once.
    for (const char* family : {"resumate_http_requests_total", "resumate_cache_requests_total",
                               "resumate_http_request_duration_seconds"}) {
        const std::string type = std::string("# TYPE ") + family + " ";
        EXPECT_NE(m.body.find(type), std::string::npos) << family;
        EXPECT_EQ(m.body.find(type), m.body.rfind(type)) << family;
    }
    EXPECT_EQ(s.stop(), 0);
}

TEST(Metrics, OnlyAllowedAddressesSeeThemOthersGet404) {
    // Loopback is not in the list: the scrape is refused like any unknown path.
    Server s(ServerOptions{.env = {{"RESUMATE_METRICS_ALLOW", "10.0.0.0/8"}},
                           .with_superuser = false,
                           .tag = "metrics-deny"});
    s.start();
    Response r = get(s, "/metrics");
    ASSERT_STATUS(r, 404);
    EXPECT_EQ(r.body, kNotFound);
    EXPECT_EQ(s.stop(), 0);

    // Through a trusted proxy the forwarded client's address is the one checked: nginx on
    // loopback does not open /metrics to the internet.
    Server p(ServerOptions{.env = {{"RESUMATE_TRUSTED_PROXIES", "127.0.0.1"}},
                           .with_superuser = false,
                           .tag = "metrics-proxy"});
    p.start();
    ASSERT_STATUS(get(p, "/metrics", {}, {{"X-Forwarded-For", "203.0.113.9"}}), 404);
    ASSERT_STATUS(get(p, "/metrics", {}, {{"X-Forwarded-For", "127.0.0.1"}}), 200);
    ASSERT_STATUS(get(p, "/metrics"), 200);
    EXPECT_EQ(p.stop(), 0);
}

TEST(Metrics, ThrottledAndProviderFailuresAreCounted) {
    FakeProvider provider(400);  // a permanent error: no retry
    Server s(ServerOptions{.env = {{"RESUMATE_THROTTLE", "anon=6/min,user=1000/min"},
                                   {"GEMINI_API_KEY", "e2e-gemini-key"},
                                   {"GEMINI_BASE_URL", provider.base_url()}},
                           .with_superuser = false,
                           .tag = "metrics-throttle"});
    s.start();
    TestUser u = create_user(s, "metrics");  // (its anonymous requests count for anon too)
    int throttled = 0;
    for (int i = 0; i < 8; ++i) throttled += get(s, "/api/ai/models/").status == 429;
    EXPECT_GE(throttled, 2);
    Response g = post(
        s, "/api/ai/generate/",
        to_json(json::object{{"model", "Google Gemini"}, {"user_input", kResumeInput}}), u.access);
    EXPECT_GE(g.status, 500) << g.body;
    const auto all = samples(get(s, "/metrics").body);
    EXPECT_EQ(sample(all, R"(resumate_throttled_requests_total{scope="anon"})"), throttled);
    EXPECT_EQ(sample(all, R"(resumate_throttled_requests_total{scope="user"})"), 0);
    EXPECT_EQ(sample(all, R"(resumate_ai_requests_total{model="Google Gemini",outcome="error"})"),
              1);
    EXPECT_EQ(sample(all, R"(resumate_ai_request_duration_seconds_count{model="Google Gemini"})"),
              1);
    EXPECT_EQ(s.stop(), 0);
}

// Every line of a request's log, including one written deep in the AI layer after the provider
// call (several suspensions later, possibly on another thread), names the request's id; with
// RESUMATE_LOG_FORMAT=json every line of the log is one JSON object.
TEST(Logs, JsonLinesCarryTheRequestIdOfTheirRequest) {
    FakeProvider provider(400);
    Server s(ServerOptions{.env = {{"RESUMATE_LOG_FORMAT", "json"},
                                   {"GEMINI_API_KEY", "e2e-gemini-key"},
                                   {"GEMINI_BASE_URL", provider.base_url()}},
                           .with_superuser = false,
                           .tag = "json-logs"});
    s.start();
    TestUser u = create_user(s, "jsonlog");
    Response g =
        call(s, "POST", "/api/ai/generate/",
             to_json(json::object{{"model", "Google Gemini"}, {"user_input", kResumeInput}}),
             u.access, "application/json", {{"X-Request-ID", "obs-test-rid-42"}});
    EXPECT_GE(g.status, 500);
    EXPECT_EQ(g.header("X-Request-ID"), "obs-test-rid-42");
    ASSERT_STATUS(get(s, "/api/ai/models/", {}, {{"X-Request-ID", "obs-other-rid"}}), 200);
    ASSERT_TRUE(s.wait_for_log_line({"AI generation with", "obs-test-rid-42"}, 5s).has_value())
        << s.log_text();
    ASSERT_TRUE(s.wait_for_log_line({"\"path\":\"/api/ai/models/\""}, 5s).has_value());
    EXPECT_EQ(s.stop(), 0);

    std::istringstream in(s.log_text());
    std::string line;
    int failure_lines = 0, access_lines = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        json::value v;
        ASSERT_NO_THROW(v = parse_json(line)) << "not JSON: " << line;
        json::object& o = v.as_object();
        for (const char* key : {"time", "level", "logger", "message", "request_id"})
            EXPECT_TRUE(o.contains(key)) << key << " missing: " << line;
        const std::string message(o["message"].as_string());
        if (message.find("AI generation with 'Google Gemini' failed") != std::string::npos) {
            ++failure_lines;
            EXPECT_EQ(o["request_id"], "obs-test-rid-42") << line;
            EXPECT_EQ(o["level"], "error") << line;
        }
        if (o["logger"] == "access") {
            ++access_lines;
            for (const char* key : {"method", "path", "status", "duration_ms", "user_id", "client"})
                EXPECT_TRUE(o.contains(key)) << key << " missing: " << line;
            if (o["path"] == "/api/ai/generate/") {
                EXPECT_EQ(o["request_id"], "obs-test-rid-42");
                EXPECT_TRUE(o["user_id"].is_int64()) << line;
            }
            if (o["path"] == "/api/ai/models/") {
                EXPECT_EQ(o["request_id"], "obs-other-rid");
                EXPECT_TRUE(o["user_id"].is_null()) << line;
                EXPECT_EQ(o["status"], 200);
            }
        }
        // Lines outside any request (start-up, shutdown) have no id.
        if (message.starts_with("listening on")) {
            EXPECT_TRUE(o["request_id"].is_null()) << line;
        }
    }
    EXPECT_EQ(failure_lines, 1);
    EXPECT_GE(access_lines, 3);
}

// In the text format a request's own lines end with its id as well.
TEST(Logs, TextLinesOfARequestEndWithItsId) {
    FakeProvider provider(400);
    Server s(ServerOptions{
        .env = {{"GEMINI_API_KEY", "e2e-gemini-key"}, {"GEMINI_BASE_URL", provider.base_url()}},
        .with_superuser = false,
        .tag = "text-logs"});
    s.start();
    TestUser u = create_user(s, "textlog");
    call(s, "POST", "/api/ai/generate/",
         to_json(json::object{{"model", "Google Gemini"}, {"user_input", kResumeInput}}), u.access,
         "application/json", {{"X-Request-ID", "txt-rid-7"}});
    auto line = s.wait_for_log_line({"AI generation with", "failed"}, 5s);
    ASSERT_TRUE(line.has_value()) << s.log_text();
    EXPECT_TRUE(line->ends_with(" id=txt-rid-7")) << *line;
    EXPECT_EQ(s.stop(), 0);
}

}  // namespace
}  // namespace e2e
