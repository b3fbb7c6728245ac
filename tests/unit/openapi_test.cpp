// The API description (http/openapi.hpp) is generated from the route tables: every route and
// method the server has is in it, with its path parameters, security and error answers, and
// every schema it names exists. (That the document is valid OpenAPI 3.1 is checked by a
// validator from npm: tests/web/openapi-valid.)
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "app/app.hpp"
#include "http/openapi.hpp"
#include "util/strings.hpp"

namespace resumate {
namespace {

namespace json = boost::json;

class OpenApiTest : public ::testing::Test {
  protected:
    app::App app{app::Config::from_variables({{"DATABASE_URL", "sqlite://:memory:"},
                                              {"RESUMATE_WEB_DIR", "off"},
                                              {"RESUMATE_THROTTLE", "off"}})};
    json::object doc;
    void SetUp() override { doc = json::parse(app.openapi_json()).as_object(); }
};

TEST_F(OpenApiTest, EveryRouteAndMethodIsDescribed) {
    app.build_routes();
    const json::object& paths = doc.at("paths").as_object();
    size_t operations = 0;
    for (const auto& route : app.router().routes()) {
        const std::string path(route->def.path);
        ASSERT_TRUE(paths.contains(path)) << path;
        const json::object& item = paths.at(path).as_object();
        for (const auto& e : route->def.endpoints) {
            const std::string method = util::to_lower_ascii(http::method_name(e.method));
            ASSERT_TRUE(item.contains(method)) << method << " " << path;
            const json::object& op = item.at(method).as_object();
            EXPECT_FALSE(op.at("summary").as_string().empty());
            EXPECT_TRUE(op.contains("responses"));
            // Each path parameter is declared.
            for (size_t i = path.find('{'); i != std::string::npos; i = path.find('{', i + 1)) {
                const std::string name = path.substr(i + 1, path.find('}', i) - i - 1);
                bool declared = false;
                for (const auto& p : op.at("parameters").as_array())
                    declared |=
                        p.at("name").as_string() == name && p.at("in").as_string() == "path";
                EXPECT_TRUE(declared) << name << " in " << path;
            }
            ++operations;
        }
        // Nothing described that the route does not answer.
        EXPECT_EQ(item.size(), route->def.endpoints.size()) << path;
    }
    EXPECT_GE(operations, 30u);
    for (const char* probe : {"/healthz", "/readyz", "/metrics"})
        EXPECT_TRUE(paths.contains(probe));
    // Every described path is a route (or a probe).
    EXPECT_EQ(paths.size(), app.router().routes().size() + 3);
}

TEST_F(OpenApiTest, SecurityAndErrorsFollowTheRoutesPolicy) {
    const json::object& paths = doc.at("paths").as_object();
    auto op = [&](const char* path, const char* method) -> const json::object& {
        return paths.at(path).as_object().at(method).as_object();
    };
    // Authenticated: a token or an API key required, 401; with {id}: 404.
    const auto& resume = op("/api/resumes/{id}/", "get");
    EXPECT_EQ(json::serialize(resume.at("security")), R"([{"bearerAuth":[]},{"apiKeyAuth":[]}])");
    EXPECT_TRUE(resume.at("responses").as_object().contains("401"));
    EXPECT_TRUE(resume.at("responses").as_object().contains("404"));
    EXPECT_FALSE(resume.at("responses").as_object().contains("403"));
    // Staff: 403 too.
    EXPECT_TRUE(op("/api/admin/ai-models/", "get").at("responses").as_object().contains("403"));
    // A write: 403 for a read-only API key.
    EXPECT_TRUE(op("/api/resumes/{id}/", "delete").at("responses").as_object().contains("403"));
    // Account: the account's own token only; 403 for a key.
    const auto& keys = op("/api/auth/api-keys/", "post");
    EXPECT_EQ(json::serialize(keys.at("security")), R"([{"bearerAuth":[]}])");
    EXPECT_TRUE(keys.at("responses").as_object().contains("403"));
    // Anyone: the credentials are optional.
    EXPECT_EQ(json::serialize(op("/api/ai/models/", "get").at("security")),
              R"([{},{"bearerAuth":[]},{"apiKeyAuth":[]}])");
    // Open: none at all.
    EXPECT_EQ(json::serialize(op("/api/auth/token/", "post").at("security")), "[]");
    // A body: 400 and its schema; success status as the route answers.
    const auto& create = op("/api/resumes/", "post");
    EXPECT_TRUE(create.at("responses").as_object().contains("201"));
    EXPECT_TRUE(create.at("responses").as_object().contains("400"));
    EXPECT_EQ(create.at("requestBody")
                  .at("content")
                  .at("application/json")
                  .at("schema")
                  .at("$ref")
                  .as_string(),
              "#/components/schemas/ResumeRequest");
    // A paginated list: limit/offset, and either an array or the page envelope.
    const auto& list = op("/api/job-applications/", "get");
    bool limit = false;
    for (const auto& p : list.at("parameters").as_array())
        limit |= p.at("name").as_string() == "limit";
    EXPECT_TRUE(limit);
    EXPECT_EQ(list.at("responses")
                  .at("200")
                  .at("content")
                  .at("application/json")
                  .at("schema")
                  .at("oneOf")
                  .as_array()
                  .size(),
              2u);
    // The throttle scope is said.
    EXPECT_NE(std::string(op("/api/ai/generate/", "post").at("description").as_string())
                  .find("`generate`"),
              std::string::npos);
    // Streaming answers are event streams.
    EXPECT_TRUE(op("/api/ai/generate/stream/", "post")
                    .at("responses")
                    .at("200")
                    .at("content")
                    .as_object()
                    .contains("text/event-stream"));
}

TEST_F(OpenApiTest, TheDocumentIsOpenApi31WithItsSchemas) {
    EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
    EXPECT_FALSE(doc.at("info").at("version").as_string().empty());
    const json::object& schemas = doc.at("components").at("schemas").as_object();
    for (const char* name : {"Resume", "JobApplication", "AdminAIModel", "GenerateRequest",
                             "TokenPair", "ErrorDetail", "ValidationErrors"})
        EXPECT_TRUE(schemas.contains(name)) << name;
    // Operation ids are unique.
    std::set<std::string> ids;
    for (const auto& [path, item] : doc.at("paths").as_object())
        for (const auto& [method, op] : item.as_object())
            EXPECT_TRUE(ids.insert(std::string(op.at("operationId").as_string())).second) << path;
}

TEST(OpenApiGeneration, AnUndocumentedEndpointOrUnknownSchemaFailsLoudly) {
    http::Router router;
    auto handler =
        +[](http::Context&) -> http::Task<http::Response> { co_return http::Response::empty(204); };
    router.add({{"/api/x/",
                 "X",
                 http::Access::Anyone,
                 http::kNoScope,
                 {http::on(http::Method::Get, handler)}}});
    EXPECT_THROW(http::openapi_document(router, {.version = "1"}), std::runtime_error);
    http::Router named;
    named.add({{"/api/x/",
                "X",
                http::Access::Anyone,
                http::kNoScope,
                {http::on(http::Method::Get, handler, {.summary = "x", .response = "Nope"})}}});
    EXPECT_THROW(http::openapi_document(named, {.version = "1"}), std::runtime_error);
    named.add_schemas({{"Nope", R"({"type": "object"})"}});
    EXPECT_NO_THROW(http::openapi_document(named, {.version = "1"}));
}

}  // namespace
}  // namespace resumate
