// The web app served by `resumate serve` itself (issue 13, point 2), over real HTTP: the app's
// index.html for paths outside /api/, assets with their caching headers and 304s, precompressed
// bodies, the API description at /api/schema/ and its page at /api/docs/, and /api/ unchanged.
#include <filesystem>
#include <fstream>

#include "harness.hpp"

namespace e2e {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, std::string_view bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

class WebApp : public ::testing::Test {
  protected:
    static inline std::unique_ptr<TempDir> dist;
    static inline std::unique_ptr<Server> server;

    static void SetUpTestSuite() {
        dist = std::make_unique<TempDir>("web-dist");
        const fs::path d = dist->path();
        write(d / "index.html",
              "<!doctype html><html><head><script type=\"module\" "
              "src=\"/assets/index-abc123.js\"></script></head><body></body></html>");
        write(d / "docs.html", "<!doctype html><title>API docs</title>");
        write(d / "assets/index-abc123.js", std::string(5000, 'a'));
        write(d / "assets/index-abc123.js.gz", "gzipped-bytes");
        write(d / "manifest.webmanifest", R"({"name": "ResuMate"})");
        server = std::make_unique<Server>(
            ServerOptions{.env = {{"RESUMATE_WEB_DIR", d.string()},
                                  {"RESUMATE_THROTTLE", "anon=4/min,user=4/min"}},
                          .with_superuser = false,
                          .tag = "web"});
        server->start();
    }
    static void TearDownTestSuite() {
        if (server) {
            EXPECT_EQ(server->stop(), 0);
        }
        server.reset();
        dist.reset();
    }
};

TEST_F(WebApp, IndexForAppPathsAssetsCachedApiUnchanged) {
    // More requests than the anonymous rate (4/min) allows: the app's files are never throttled.
    for (int i = 0; i < 5; ++i) {
        Response r = get(*server, "/tracker/board?x=1");
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_NE(r.body.find("/assets/index-abc123.js"), std::string::npos);
        EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
        EXPECT_EQ(r.header("Cache-Control"), "no-cache");
        EXPECT_NE(r.header("Content-Security-Policy").find("default-src 'self'"),
                  std::string::npos);
        EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    }
    Response asset = get(*server, "/assets/index-abc123.js");
    EXPECT_EQ(asset.status, 200);
    EXPECT_EQ(asset.body.size(), 5000u);
    EXPECT_EQ(asset.header("Cache-Control"), "public, max-age=31536000, immutable");
    const std::string etag = asset.header("ETag");
    ASSERT_FALSE(etag.empty());
    Response again = get(*server, "/assets/index-abc123.js", {}, {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    Response gz = get(*server, "/assets/index-abc123.js", {}, {{"Accept-Encoding", "gzip, br"}});
    EXPECT_EQ(gz.status, 200);
    EXPECT_EQ(gz.body, "gzipped-bytes");
    EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
    EXPECT_EQ(gz.header("Vary"), "Accept-Encoding");
    Response h = head(*server, "/assets/index-abc123.js");
    EXPECT_EQ(h.status, 200);
    EXPECT_EQ(h.header("Content-Length"), "5000");
    EXPECT_TRUE(h.body.empty());
    // A bad token does not matter to the app's files.
    EXPECT_EQ(get(*server, "/", "not-a-token").status, 200);

    Response unknown = get(*server, "/api/no-such-thing/");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.body, R"({"detail":"Not found."})");
    EXPECT_EQ(get(*server, "/assets/gone.js").status, 404);
}

TEST_F(WebApp, ApiDescriptionAndItsPage) {
    Response schema = get(*server, "/api/schema/");
    ASSERT_EQ(schema.status, 200) << schema.body;
    EXPECT_EQ(schema.header("Content-Type"), "application/json");
    json::value doc = parse_json(schema.body);
    EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
    EXPECT_TRUE(doc.at("paths").as_object().contains("/api/resumes/{id}/"));
    Response typed = get(*server, "/api/schema/", {},
                         {{"Accept", "application/vnd.oai.openapi+json;version=3.1"}});
    EXPECT_EQ(typed.status, 200);
    EXPECT_EQ(typed.header("Content-Type"), "application/vnd.oai.openapi+json;version=3.1");
    EXPECT_EQ(typed.body, schema.body);
    Response page = get(*server, "/api/docs/");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body, "<!doctype html><title>API docs</title>");
    EXPECT_NE(page.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
}

TEST(WebAppAbsent, WithoutTheAppPathsOutsideApiAre404AndDocsToo) {
    Server s(ServerOptions{.env = {}, .with_superuser = false, .tag = "noweb"});
    s.start();
    Response r = get(s, "/tracker");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"detail":"Not found."})");
    EXPECT_EQ(get(s, "/api/docs/").status, 404);
    EXPECT_EQ(get(s, "/api/schema/").status, 200);  // the description needs no app
    EXPECT_EQ(s.stop(), 0);
}

}  // namespace
}  // namespace e2e
