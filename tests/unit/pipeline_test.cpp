// The request pipeline (http/pipeline.hpp): its stages run in their order, a route table's policy
// (access, throttle scope) is applied from the table alone, and every error kind maps to its one
// answer.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "db/run_sync.hpp"
#include "http/context.hpp"
#include "http/errors.hpp"
#include "http/pipeline.hpp"
#include "no_database.hpp"

namespace resumate::http {
namespace {

// "Bearer user" is user 7, "Bearer staff" user 8 (staff); any other token is a 401.
class FakeAuthenticator final : public Authenticator {
  public:
    std::vector<std::string>* trace;
    explicit FakeAuthenticator(std::vector<std::string>* t) : trace(t) {}
    Task<std::optional<Principal>> authenticate(const Request& req) override {
        trace->push_back("authenticate");
        auto h = req.header("Authorization");
        if (!h) co_return std::nullopt;
        if (*h == "Bearer user") co_return Principal{7, "user", false, false};
        if (*h == "Bearer staff") co_return Principal{8, "staff", true, false};
        if (*h == "Api-Key read" || *h == "Api-Key write") {
            Principal key{9, "integration"};
            key.credential = Principal::Credential::ApiKey;
            key.read_only = *h == "Api-Key read";
            co_return key;
        }
        throw Error::unauthorized("Given token not valid for any token type", "token_not_valid");
    }
};

// Refuses every request whose route has the scope "tight"; records what it was asked.
class FakeThrottler final : public Throttler {
  public:
    std::vector<std::string>* trace;
    explicit FakeThrottler(std::vector<std::string>* t) : trace(t) {}
    Task<std::optional<int64_t>> check(const Request& req, std::string_view scope) override {
        trace->push_back("throttle:" + std::string(scope) + ":" +
                         (req.user ? std::to_string(req.user->id) : "-"));
        if (scope == "tight") co_return 42;
        co_return std::nullopt;
    }
};

// What /readyz reports: whatever the test sets.
class FakeReadiness final : public Readiness {
  public:
    std::vector<std::pair<std::string, std::string>> verdicts{{"database", "ok"}, {"cache", "ok"}};
    Task<std::vector<std::pair<std::string, std::string>>> checks() override { co_return verdicts; }
};

class Fixture : public ::testing::Test {
  protected:
    std::vector<std::string> trace;
    resumate::test_fakes::NoDatabase db;
    std::shared_ptr<FakeReadiness> readiness = std::make_shared<FakeReadiness>();
    Router router;
    std::unique_ptr<Pipeline> pipeline;

    Task<Response> echo(Context& ctx) {
        trace.push_back("handler");
        boost::json::object o{{"user", ctx.principal() ? ctx.principal()->id : 0},
                              {"client", ctx.client_ip()},
                              {"id", ctx.request.path_params.empty() ? 0 : ctx.id_param()},
                              {"request_id", std::string(ctx.request_id())}};
        co_return Response::json(200, o);
    }
    Task<Response> fail_with_quota(Context&) {
        trace.push_back("handler");
        throw Error::quota_exceeded("Storage quota exceeded: at most 1 resumes per user.");
    }
    Task<Response> fail_unexpectedly(Context&) { throw std::runtime_error("boom"); }
    Task<Response> fail_with_database(Context& ctx) {
        co_await ctx.db().query("SELECT 1");
        co_return Response::empty(204);
    }

    void SetUp() override {
        router.add({
            {"/open/", "Open", Access::Open, kNoScope, {on(Method::Get, this, &Fixture::echo)}},
            {"/items/{id}/",
             "Item",
             Access::Authenticated,
             kNoScope,
             {on(Method::Get, this, &Fixture::echo), on(Method::Delete, this, &Fixture::echo)},
             true},
            {"/staff/", "Staff", Access::Staff, kNoScope, {on(Method::Get, this, &Fixture::echo)}},
            {"/account/",
             "Account",
             Access::Account,
             kNoScope,
             {on(Method::Get, this, &Fixture::echo), on(Method::Post, this, &Fixture::echo)}},
            {"/tight/",
             "Tight",
             Access::Anyone,
             ThrottleScope{"tight"},
             {on(Method::Post, this, &Fixture::echo)}},
            {"/quota/",
             "Quota",
             Access::Anyone,
             kNoScope,
             {on(Method::Post, this, &Fixture::fail_with_quota)}},
            {"/boom/",
             "Boom",
             Access::Anyone,
             kNoScope,
             {on(Method::Get, this, &Fixture::fail_unexpectedly)}},
            {"/db/",
             "Db",
             Access::Anyone,
             kNoScope,
             {on(Method::Get, this, &Fixture::fail_with_database)}},
        });
        PipelineOptions opt;
        opt.allowed_hosts = {"example.com"};
        opt.cors.origins = {"https://app.example.com"};
        opt.trusted_proxies = parse_trusted_proxies("1");
        opt.access_log = false;
        pipeline =
            std::make_unique<Pipeline>(opt, router, db, std::make_shared<FakeAuthenticator>(&trace),
                                       std::make_shared<FakeThrottler>(&trace), readiness);
    }

    Response run(std::string method, std::string target, HeaderList headers = {},
                 std::string host = "example.com") {
        Request req;
        req.method = std::move(method);
        auto q = target.find('?');
        req.path = target.substr(0, q);
        if (q != std::string::npos) req.query = target.substr(q + 1);
        req.headers = {{"Host", std::move(host)}};
        for (auto& h : headers) req.headers.push_back(std::move(h));
        req.client_ip = "10.0.0.1";
        return db::run_sync(pipeline->respond(req));
    }
};

std::string body_of(const Response& r) {
    return r.body;
}

TEST_F(Fixture, HostIsCheckedBeforeAnythingElse) {
    Request req;
    req.method = "GET";
    req.path = "/tight/";
    req.headers = {{"Host", "evil.example"}, {"Authorization", "Bearer garbage"}};
    Response r = db::run_sync(pipeline->respond(req));
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.body, R"({"detail":"Invalid HTTP_HOST header."})");
    EXPECT_TRUE(trace.empty());  // neither authentication nor throttle ran
    EXPECT_TRUE(r.header("X-Frame-Options"));
    EXPECT_FALSE(r.header("Allow"));
}

TEST_F(Fixture, PreflightIsAnsweredBeforeRoutingAndAuthentication) {
    Response r = run("OPTIONS", "/no/such/route/",
                     {{"Origin", "https://app.example.com"},
                      {"Access-Control-Request-Method", "POST"},
                      {"Authorization", "Bearer garbage"}});
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin").value_or(""), "https://app.example.com");
    EXPECT_TRUE(trace.empty());
}

TEST_F(Fixture, ClientAddressComesThroughTheTrustedProxy) {
    Response r = run("GET", "/open/", {{"X-Forwarded-For", "203.0.113.9"}});
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(boost::json::parse(r.body).at("client").as_string(), "203.0.113.9");
}

TEST_F(Fixture, OpenRoutesNeverLookAtTheToken) {
    Response r = run("GET", "/open/", {{"Authorization", "Bearer garbage"}});
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(trace, (std::vector<std::string>{"throttle::-", "handler"}));
}

TEST_F(Fixture, AuthenticationComesBeforePermissionAndThrottle) {
    // A bad token on a throttled route: 401, and the throttle never counted it.
    Response r = run("POST", "/tight/", {{"Authorization", "Bearer garbage"}});
    EXPECT_EQ(r.status, 401u);
    EXPECT_EQ(r.header("WWW-Authenticate").value_or(""), "Bearer realm=\"api\"");
    EXPECT_EQ(trace, (std::vector<std::string>{"authenticate"}));
}

TEST_F(Fixture, PermissionComesBeforeThrottle) {
    Response anonymous = run("GET", "/staff/");
    EXPECT_EQ(anonymous.status, 401u);
    EXPECT_EQ(body_of(anonymous), R"({"detail":"Authentication credentials were not provided."})");
    trace.clear();
    Response user = run("GET", "/staff/", {{"Authorization", "Bearer user"}});
    EXPECT_EQ(user.status, 403u);
    EXPECT_EQ(body_of(user), R"({"detail":"You do not have permission to perform this action."})");
    EXPECT_EQ(trace, (std::vector<std::string>{"authenticate"}));
    trace.clear();
    EXPECT_EQ(run("GET", "/staff/", {{"Authorization", "Bearer staff"}}).status, 200u);
    EXPECT_EQ(trace, (std::vector<std::string>{"authenticate", "throttle::8", "handler"}));
}

TEST_F(Fixture, ApiKeysReadWithTheReadScopeWriteWithTheWriteScopeAndNeverManageTheAccount) {
    constexpr std::string_view kReadOnly = R"({"detail":"This API key is read-only."})";
    constexpr std::string_view kNotWithKey =
        R"({"detail":"API keys cannot be used for this action."})";
    EXPECT_EQ(run("GET", "/items/3/", {{"Authorization", "Api-Key read"}}).status, 200u);
    EXPECT_EQ(run("OPTIONS", "/items/3/", {{"Authorization", "Api-Key read"}}).status, 200u);
    trace.clear();
    Response write = run("DELETE", "/items/3/", {{"Authorization", "Api-Key read"}});
    EXPECT_EQ(write.status, 403u);
    EXPECT_EQ(write.body, kReadOnly);
    // Refused before the throttle counted it and before any handler ran.
    EXPECT_EQ(trace, (std::vector<std::string>{"authenticate"}));
    EXPECT_EQ(run("POST", "/tight/", {{"Authorization", "Api-Key read"}}).body, kReadOnly);
    EXPECT_EQ(run("DELETE", "/items/3/", {{"Authorization", "Api-Key write"}}).status, 200u);

    // The account's own routes: its own token only.
    EXPECT_EQ(run("GET", "/account/", {{"Authorization", "Bearer user"}}).status, 200u);
    EXPECT_EQ(run("GET", "/account/").status, 401u);
    for (const char* key : {"Api-Key read", "Api-Key write"}) {
        for (const char* method : {"GET", "POST"}) {
            Response r = run(method, "/account/", {{"Authorization", key}});
            EXPECT_EQ(r.status, 403u) << key << " " << method;
            EXPECT_EQ(r.body, kNotWithKey) << key << " " << method;
        }
        // A key is never staff, whoever made it.
        EXPECT_EQ(run("GET", "/staff/", {{"Authorization", key}}).status, 403u);
    }
}

TEST_F(Fixture, TheTablesScopeReachesTheThrottleAndItsAnswerIsDrfs) {
    Response r = run("POST", "/tight/", {{"Authorization", "Bearer user"}});
    EXPECT_EQ(r.status, 429u);
    EXPECT_EQ(r.body, R"({"detail":"Request was throttled. Expected available in 42 seconds."})");
    EXPECT_EQ(r.header("Retry-After").value_or(""), "42");
    EXPECT_EQ(r.header("Allow").value_or(""), "POST, OPTIONS");
    EXPECT_EQ(trace, (std::vector<std::string>{"authenticate", "throttle:tight:7"}));
}

TEST_F(Fixture, HandlersGetTheContext) {
    Response r = run("GET", "/items/12/", {{"Authorization", "Bearer user"}});
    ASSERT_EQ(r.status, 200u) << r.body;
    auto o = boost::json::parse(r.body).as_object();
    EXPECT_EQ(o.at("user").as_int64(), 7);
    EXPECT_EQ(o.at("id").as_int64(), 12);
    EXPECT_EQ(o.at("request_id").as_string().size(), 16u);
    // Every request its own id.
    Response again = run("GET", "/items/12/", {{"Authorization", "Bearer user"}});
    EXPECT_NE(boost::json::parse(again.body).at("request_id"), o.at("request_id"));
    EXPECT_EQ(r.header("Allow").value_or(""), "GET, DELETE, HEAD, OPTIONS");
    EXPECT_EQ(r.header("Vary").value_or(""), "Accept");
    EXPECT_EQ(run("GET", "/items/0/", {{"Authorization", "Bearer user"}}).status, 404u);
    EXPECT_EQ(run("GET", "/items/12.json", {{"Authorization", "Bearer user"}}).status, 200u);
    EXPECT_EQ(run("GET", "/items/12.xml", {{"Authorization", "Bearer user"}}).status, 404u);
}

TEST_F(Fixture, RoutingAnswers) {
    EXPECT_EQ(run("GET", "/nowhere/").body, R"({"detail":"Not found."})");
    Response redirect = run("GET", "/open?x=1");
    EXPECT_EQ(redirect.status, 301u);
    EXPECT_EQ(redirect.header("Location").value_or(""), "/open/?x=1");
    EXPECT_EQ(run("POST", "/open").status, 308u);
    Response wrong = run("PUT", "/open/");
    EXPECT_EQ(wrong.status, 405u);
    EXPECT_EQ(wrong.body, R"({"detail":"Method \"PUT\" not allowed."})");
    EXPECT_EQ(run("GET", "/open/", {{"Accept", "image/png"}}).status, 406u);
    Response meta = run("OPTIONS", "/open/");
    EXPECT_EQ(meta.status, 200u);
    EXPECT_EQ(boost::json::parse(meta.body).at("name").as_string(), "Open");
}

TEST_F(Fixture, EveryFailureIsMappedOnceWithTheHeadersOfAnyAnswer) {
    Response quota = run("POST", "/quota/", {{"Origin", "https://app.example.com"}});
    EXPECT_EQ(quota.status, 403u);
    EXPECT_EQ(
        quota.body,
        R"({"detail":"Storage quota exceeded: at most 1 resumes per user.","code":"quota_exceeded"})");
    EXPECT_EQ(quota.header("Access-Control-Allow-Origin").value_or(""), "https://app.example.com");
    Response boom = run("GET", "/boom/");
    EXPECT_EQ(boom.status, 500u);
    EXPECT_EQ(boom.body, R"({"detail":"A server error occurred."})");
    EXPECT_TRUE(boom.header("X-Content-Type-Options"));
    Response down = run("GET", "/db/");
    EXPECT_EQ(down.status, 503u);
    EXPECT_EQ(down.body, R"({"detail":"Service temporarily unavailable."})");
    EXPECT_EQ(down.header("Retry-After").value_or(""), "1");
}

TEST_F(Fixture, ProbesAnswerBeforeTheHostCheckWithoutAuthenticationOrThrottle) {
    // A probe uses the pod's address as Host, which ALLOWED_HOSTS does not list, and a token
    // that would be a 401 elsewhere is not looked at.
    Response r = run("GET", "/healthz", {{"Authorization", "Bearer bogus"}}, "10.1.2.3:8000");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(body_of(r), R"({"status":"ok"})");
    EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store");
    EXPECT_EQ(r.header("X-Content-Type-Options").value_or(""), "nosniff");
    EXPECT_TRUE(trace.empty());  // neither authenticated nor throttled

    r = run("GET", "/readyz", {}, "10.1.2.3:8000");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(body_of(r), R"({"status":"ready","checks":{"database":"ok","cache":"ok"}})");
    EXPECT_EQ(run("HEAD", "/readyz").status, 200u);
    EXPECT_TRUE(trace.empty());
}

TEST_F(Fixture, ReadinessNamesTheFailingCheckWith503) {
    readiness->verdicts = {{"database", "unavailable"}, {"cache", "ok"}, {"migrations", "unknown"}};
    Response r = run("GET", "/readyz");
    EXPECT_EQ(r.status, 503u);
    EXPECT_EQ(
        body_of(r),
        R"({"status":"unavailable","checks":{"database":"unavailable","cache":"ok","migrations":"unknown"}})");
    // Liveness does not depend on the database.
    EXPECT_EQ(run("GET", "/healthz").status, 200u);
}

TEST_F(Fixture, RequestIdIsTheCallersWhenValidElseANewOneAndEveryAnswerCarriesIt) {
    Response r = run("GET", "/open/", {{"X-Request-ID", "edge-1.abc_DEF"}});
    EXPECT_EQ(r.header("X-Request-ID").value_or(""), "edge-1.abc_DEF");
    EXPECT_NE(body_of(r).find(R"("request_id":"edge-1.abc_DEF")"), std::string::npos) << r.body;
    for (const std::string& bad : {std::string(""), std::string("a b"), std::string("x\"y"),
                                   std::string("évé"), std::string(129, 'a')}) {
        SCOPED_TRACE(bad);
        r = run("GET", "/open/", {{"X-Request-ID", bad}});
        const std::string id(r.header("X-Request-ID").value_or(""));
        EXPECT_EQ(id.size(), 16u);
        EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    }
    EXPECT_EQ(run("GET", "/open/", {{"X-Request-ID", std::string(128, 'a')}})
                  .header("X-Request-ID")
                  .value_or(""),
              std::string(128, 'a'));
    // Errors and refusals carry it too.
    EXPECT_TRUE(run("GET", "/nope/").header("X-Request-ID"));
    EXPECT_TRUE(run("GET", "/open/", {}, "evil.com").header("X-Request-ID"));
    EXPECT_TRUE(run("GET", "/healthz").header("X-Request-ID"));
}

TEST_F(Fixture, ProbesAnswerOnlyGetAndHead) {
    Response r = run("POST", "/healthz");
    EXPECT_EQ(r.status, 405u);
    EXPECT_EQ(body_of(r), R"({"detail":"Method \"POST\" not allowed."})");
    EXPECT_EQ(r.header("Allow").value_or(""), "GET, HEAD");
    // Not a probe: routed as before (404 here, as Django answers an unknown path).
    EXPECT_EQ(run("GET", "/healthz/").status, 404u);
}

TEST(ErrorResponse, EachKindHasItsStatusAndDrfBody) {
    struct Case {
        Error error;
        unsigned status;
        std::string body;
    };
    ValidationErrors v;
    v.add("title", "This field is required.");
    v.add("title", "Second.");
    const Case cases[] = {
        {Error::bad_request("JSON parse error - x"), 400, R"({"detail":"JSON parse error - x"})"},
        {Error::validation(v.object()), 400, R"({"title":["This field is required.","Second."]})"},
        {Error::unauthorized("User not found", "user_not_found"), 401,
         R"({"detail":"User not found","code":"user_not_found"})"},
        {Error::unauthorized("Given token not valid for any token type", "token_not_valid",
                             boost::json::array{boost::json::object{{"message", "m"}}}),
         401,
         R"({"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"message":"m"}]})"},
        {Error::permission_denied(), 403,
         R"({"detail":"You do not have permission to perform this action."})"},
        {Error::quota_exceeded("q"), 403, R"({"detail":"q","code":"quota_exceeded"})"},
        {Error::not_found(), 404, R"({"detail":"Not found."})"},
        {Error::method_not_allowed("PUT"), 405, R"({"detail":"Method \"PUT\" not allowed."})"},
        {Error::not_acceptable(), 406,
         R"({"detail":"Could not satisfy the request Accept header."})"},
        {Error::payload_too_large(), 413, R"({"detail":"Request body too large."})"},
        {Error::unsupported_media_type("u"), 415, R"({"detail":"u"})"},
        {Error::throttled(1), 429,
         R"({"detail":"Request was throttled. Expected available in 1 second."})"},
        {Error::throttled(0, "Daily limit of 3 requests reached for the X model."), 429,
         R"({"detail":"Daily limit of 3 requests reached for the X model."})"},
        {Error::headers_too_large(), 431, R"({"detail":"Request header fields too large."})"},
        {Error::server_error(), 500, R"({"detail":"A server error occurred."})"},
        {Error::unavailable(), 503, R"({"detail":"Service temporarily unavailable."})"},
        {Error::upstream_unavailable("e"), 503, R"({"error":"e"})"},
    };
    for (const auto& c : cases) {
        Response r = error_response(c.error);
        EXPECT_EQ(r.status, c.status) << c.body;
        EXPECT_EQ(r.body, c.body);
        EXPECT_EQ(r.content_type, "application/json");
    }
    EXPECT_EQ(error_response(Error::throttled(0)).header("Retry-After").value_or(""), "1");
    EXPECT_EQ(error_response(Error::throttled(7)).header("Retry-After").value_or(""), "7");
    EXPECT_EQ(error_response(Error::unavailable()).header("Retry-After").value_or(""), "1");
    EXPECT_FALSE(error_response(Error::not_found()).header("Retry-After"));
    EXPECT_TRUE(error_response(Error::not_authenticated()).header("WWW-Authenticate"));
}

}  // namespace
}  // namespace resumate::http
