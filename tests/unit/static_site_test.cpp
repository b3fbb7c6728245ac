// The web app's files (http/static_site.hpp) as the pipeline serves them: the app's index.html
// for any path outside /api/ that is not a file, hashed assets cached for a year with a strong
// ETag and 304s, precompressed variants when accepted, a CSP on HTML; never authenticated or
// throttled; /api/ answers unchanged.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "db/run_sync.hpp"
#include "http/context.hpp"
#include "http/errors.hpp"
#include "http/pipeline.hpp"
#include "http/static_site.hpp"
#include "no_database.hpp"

namespace resumate::http {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, std::string_view bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

// Every token is bad and every request is over its rate: what the web app's files must ignore.
class RefusingAuthenticator final : public Authenticator {
  public:
    int calls = 0;
    Task<std::optional<Principal>> authenticate(const Request&) override {
        ++calls;
        throw Error::unauthorized("Given token not valid for any token type", "token_not_valid");
    }
};
class RefusingThrottler final : public Throttler {
  public:
    int calls = 0;
    Task<std::optional<int64_t>> check(const Request&, std::string_view) override {
        ++calls;
        co_return 30;
    }
};

class StaticSiteTest : public ::testing::Test {
  protected:
    fs::path root = fs::temp_directory_path() /
                    ("resumate-static-" + std::to_string(::getpid()) + "-" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::unique_ptr<StaticSite> site;
    resumate::test_fakes::NoDatabase db;
    Router router;
    std::shared_ptr<RefusingAuthenticator> auth = std::make_shared<RefusingAuthenticator>();
    std::shared_ptr<RefusingThrottler> throttle = std::make_shared<RefusingThrottler>();
    std::unique_ptr<Pipeline> pipeline;

    static Task<Response> hello(Context&) { co_return Response::json(200, boost::json::object{}); }

    void SetUp() override {
        write(root / "index.html", "<!doctype html><title>ResuMate</title>");
        write(root / "index.html.gz", "gz-of-index");
        write(root / "sw.js", "self.addEventListener('fetch', () => {});");
        write(root / "assets/index-3f2a1b.js", "console.log('app')");
        write(root / "assets/index-3f2a1b.js.gz", "GZ");
        write(root / "assets/index-3f2a1b.js.br", "BR");
        write(root / "assets/index-9c8d.css", "body{margin:0}");
        write(root / "manifest.webmanifest", "{}");
        site = StaticSite::load(root);
        router.add({{"/api/hello/",
                     "Hello",
                     Access::Authenticated,
                     kNoScope,
                     {on(Method::Get, &StaticSiteTest::hello)}}});
        PipelineOptions opt;
        opt.access_log = false;
        opt.site = site.get();
        pipeline = std::make_unique<Pipeline>(opt, router, db, auth, throttle);
    }
    void TearDown() override { fs::remove_all(root); }

    Response run(std::string method, std::string path, HeaderList headers = {}) {
        Request req;
        req.method = std::move(method);
        req.path = std::move(path);
        req.headers = {{"Host", "localhost"}, {"Authorization", "Bearer garbage"}};
        for (auto& h : headers) req.headers.push_back(std::move(h));
        req.client_ip = "127.0.0.1";
        return db::run_sync(pipeline->respond(req));
    }
};

TEST_F(StaticSiteTest, AppPathsAnswerIndexHtmlWithoutTokenOrThrottle) {
    for (std::string path : {"/", "/tracker", "/resumes/12/edit", "/index.html", "/apiary"}) {
        Response r = run("GET", path);
        EXPECT_EQ(r.status, 200u) << path;
        EXPECT_EQ(r.body, "<!doctype html><title>ResuMate</title>") << path;
        EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
        EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-cache") << path;
        const std::string csp(r.header("Content-Security-Policy").value_or(""));
        EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
        EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
        EXPECT_EQ(r.header("X-Content-Type-Options").value_or(""), "nosniff");
        EXPECT_EQ(r.header("Referrer-Policy").value_or(""), "same-origin");
    }
    EXPECT_EQ(auth->calls, 0);
    EXPECT_EQ(throttle->calls, 0);
}

TEST_F(StaticSiteTest, ApiPathsKeepTheirAnswers) {
    Response unknown = run("GET", "/api/nope/");
    EXPECT_EQ(unknown.status, 404u);
    EXPECT_EQ(unknown.body, R"({"detail":"Not found."})");
    Response route = run("GET", "/api/hello/");
    EXPECT_EQ(route.status, 401u);  // the route's own answer: the token is checked there
    // Writes outside /api/ are not the app's: the 404 of an unknown path.
    Response post = run("POST", "/tracker");
    EXPECT_EQ(post.status, 404u);
    EXPECT_EQ(post.body, R"({"detail":"Not found."})");
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutableWithStrongEtags) {
    Response r = run("GET", "/assets/index-3f2a1b.js");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.body, "console.log('app')");
    EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(r.header("Cache-Control").value_or(""), "public, max-age=31536000, immutable");
    const std::string etag(r.header("ETag").value_or(""));
    ASSERT_GE(etag.size(), 3u);
    EXPECT_EQ(etag.front(), '"');  // strong: no W/
    EXPECT_EQ(r.header("Vary").value_or(""), "Accept-Encoding");
    EXPECT_FALSE(r.header("Content-Encoding"));
    EXPECT_FALSE(r.header("Content-Security-Policy"));  // scripts need none

    Response again = run("GET", "/assets/index-3f2a1b.js", {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304u);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.header("ETag").value_or(""), etag);
    Response listed =
        run("GET", "/assets/index-3f2a1b.js", {{"If-None-Match", "\"x\", W/" + etag}});
    EXPECT_EQ(listed.status, 304u);
    Response other = run("GET", "/assets/index-3f2a1b.js", {{"If-None-Match", "\"other\""}});
    EXPECT_EQ(other.status, 200u);
    // Another file's tag is not this one's.
    Response css = run("GET", "/assets/index-9c8d.css", {{"If-None-Match", etag}});
    EXPECT_EQ(css.status, 200u);
    EXPECT_NE(css.header("ETag").value_or(""), etag);
}

TEST_F(StaticSiteTest, PrecompressedVariantsWhenAccepted) {
    Response br = run("GET", "/assets/index-3f2a1b.js", {{"Accept-Encoding", "gzip, deflate, br"}});
    EXPECT_EQ(br.body, "BR");
    EXPECT_EQ(br.header("Content-Encoding").value_or(""), "br");
    Response gz = run("GET", "/assets/index-3f2a1b.js", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(gz.body, "GZ");
    EXPECT_EQ(gz.header("Content-Encoding").value_or(""), "gzip");
    EXPECT_NE(gz.header("ETag"), br.header("ETag"));  // one strong tag per representation
    Response refused = run("GET", "/assets/index-3f2a1b.js",
                           {{"Accept-Encoding", "br;q=0, gzip;q=0.0, identity"}});
    EXPECT_EQ(refused.body, "console.log('app')");
    EXPECT_FALSE(refused.header("Content-Encoding"));
    Response star = run("GET", "/assets/index-3f2a1b.js", {{"Accept-Encoding", "*"}});
    EXPECT_EQ(star.header("Content-Encoding").value_or(""), "br");
    // A variant's tag revalidates too.
    Response again = run("GET", "/assets/index-3f2a1b.js",
                         {{"Accept-Encoding", "gzip"},
                          {"If-None-Match", std::string(gz.header("ETag").value_or(""))}});
    EXPECT_EQ(again.status, 304u);
    Response index = run("GET", "/somewhere", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(index.body, "gz-of-index");
}

TEST_F(StaticSiteTest, MissingAssetsAre404NotHtml) {
    Response r = run("GET", "/assets/index-old.js");
    EXPECT_EQ(r.status, 404u);
    EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
}

TEST_F(StaticSiteTest, OtherFilesAreRevalidatedEachTime) {
    Response sw = run("GET", "/sw.js");
    EXPECT_EQ(sw.status, 200u);
    EXPECT_EQ(sw.header("Cache-Control").value_or(""), "no-cache");
    EXPECT_TRUE(sw.header("ETag"));
    Response manifest = run("GET", "/manifest.webmanifest");
    EXPECT_EQ(manifest.content_type, "application/manifest+json");
    Response head = run("HEAD", "/manifest.webmanifest");
    EXPECT_EQ(head.status, 200u);
}

TEST_F(StaticSiteTest, OnlyLoadedFilesAreServed) {
    write(root.parent_path() / "secret.txt", "secret");
    for (std::string path : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"}) {
        Response r = run("GET", path);
        EXPECT_EQ(r.body.find("secret"), std::string::npos) << path;
    }
    fs::remove(root.parent_path() / "secret.txt");
}

// /metrics belongs to the operations routes: a client it is not allowed to gets the 404 of an
// unknown path (README), not the app's index.html (it did: found by tests/deploy's check).
TEST_F(StaticSiteTest, MetricsForADisallowedClientStayA404) {
    util::metrics::Registry registry;
    PipelineOptions opt;
    opt.access_log = false;
    opt.site = site.get();
    opt.metrics = &registry;
    opt.metrics_allow = parse_networks("10.0.0.0/8");
    Pipeline with_metrics(opt, router, db, auth, throttle);
    Request req;
    req.method = "GET";
    req.path = "/metrics";
    req.headers = {{"Host", "localhost"}};
    req.client_ip = "127.0.0.1";
    Response r = db::run_sync(with_metrics.respond(req));
    EXPECT_EQ(r.status, 404u);
    EXPECT_EQ(r.body, R"({"detail":"Not found."})");
    req.client_ip = "10.1.2.3";
    Response allowed = db::run_sync(with_metrics.respond(req));
    EXPECT_EQ(allowed.status, 200u);
    EXPECT_NE(allowed.content_type.find("text/plain"), std::string::npos);
    for (std::string path : {"/metrics", "/healthz", "/readyz"})
        EXPECT_FALSE(StaticSite::serves(path));
}

TEST(StaticSiteLoad, AFolderWithoutIndexHtmlIsRefused) {
    const fs::path empty =
        fs::temp_directory_path() / ("resumate-static-empty-" + std::to_string(::getpid()));
    fs::create_directories(empty);
    EXPECT_THROW(StaticSite::load(empty), std::runtime_error);
    fs::remove_all(empty);
}

}  // namespace
}  // namespace resumate::http
