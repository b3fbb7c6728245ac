// Example job applications (§6), the AI model list and its cache (§7), resume generation (§8)
// and its streaming variant (beyond).
#include "harness.hpp"

namespace e2e {
namespace {

const TestUser& ai_user() {
    static const TestUser user = create_user(shared_server(), "aiuser");
    return user;
}

std::string generate_body(std::string_view model, std::string_view input,
                          std::optional<std::string_view> title = std::nullopt) {
    json::object o{{"model", model}, {"user_input", input}};
    if (title) o["title"] = *title;
    return to_json(o);
}

Response generate(std::string_view model, std::string_view input, const std::string& token = {},
                  std::optional<std::string_view> title = std::nullopt) {
    return post(shared_server(), "/api/ai/generate/", generate_body(model, input, title), token);
}

const json::array& expected_examples() {
    static const json::array examples = parse_json(R"JSON([
      {"id": 1, "job_title": "Senior Python Developer", "company_name": "TechCorp",
       "original_job_description": "Seeking an experienced Python developer to work on our flagship data analysis platform.",
       "date_applied": "2025-07-10", "status": "Applied", "notes": null, "is_deleted": false,
       "is_example": true, "resume_used": null},
      {"id": 2, "job_title": "Frontend Engineer (React)", "company_name": "Innovate Inc.",
       "original_job_description": "Join our dynamic frontend team to build beautiful and responsive user interfaces with React and TypeScript.",
       "date_applied": "2025-07-11", "status": "Interviewing", "notes": null, "is_deleted": false,
       "is_example": true, "resume_used": null},
      {"id": 3, "job_title": "UX/UI Designer", "company_name": "Creative Solutions",
       "original_job_description": "We are looking for a talented designer to create intuitive and engaging user experiences for our mobile applications.",
       "date_applied": "2025-07-12", "status": "Applied", "notes": null, "is_deleted": false,
       "is_example": true, "resume_used": null},
      {"id": 4, "job_title": "DevOps Engineer", "company_name": "CloudNet",
       "original_job_description": "Help us build and maintain our cloud infrastructure using AWS, Docker, and Kubernetes.",
       "date_applied": "2025-07-13", "status": "Offer", "notes": null, "is_deleted": false,
       "is_example": true, "resume_used": null},
      {"id": 5, "job_title": "Product Manager", "company_name": "Visionary Products",
       "original_job_description": "Lead the development of our next-generation products from conception to launch.",
       "date_applied": "2025-07-14", "status": "Rejected", "notes": null, "is_deleted": false,
       "is_example": true, "resume_used": null}
    ])JSON")
                                            .as_array();
    return examples;
}

// Compares a served example with the expectation; user and timestamps are generated.
void expect_example(const json::value& actual, const json::value& expected,
                    std::optional<int64_t> user) {
    ASSERT_TRUE(actual.is_object()) << json::serialize(actual);
    json::object a = actual.as_object();
    EXPECT_EQ(a.size(), 13u) << json::serialize(a);
    EXPECT_TRUE(a.contains("created_at") && is_timestamp(a["created_at"])) << json::serialize(a);
    EXPECT_TRUE(a.contains("updated_at") && is_timestamp(a["updated_at"])) << json::serialize(a);
    EXPECT_TRUE(a.contains("user") && a["user"].is_int64()) << json::serialize(a);
    if (user && a.contains("user")) {
        EXPECT_EQ(a["user"], json::value(*user));
    }
    a.erase("created_at");
    a.erase("updated_at");
    a.erase("user");
    EXPECT_EQ(json::value(a), expected);
}

void expect_examples_body(const Response& r) {
    json::object o = r.obj();
    ASSERT_EQ(o.size(), 2u) << r.describe();
    ASSERT_TRUE(o["data"].is_array()) << r.describe();
    const json::array& data = o["data"].as_array();
    ASSERT_EQ(data.size(), 5u) << r.describe();
    std::optional<int64_t> user;
    if (data[0].is_object() && data[0].as_object().contains("user") &&
        data[0].as_object().at("user").is_int64()) {
        user = data[0].as_object().at("user").as_int64();
    }
    for (std::size_t i = 0; i < 5; ++i) {
        SCOPED_TRACE(i);
        expect_example(data[i], expected_examples()[i], user);
    }
}

void expect_cache_status(const Response& r, std::string_view status) {
    EXPECT_EQ(r.header("X-Cache-Status"), status) << r.describe();
    EXPECT_EQ(str(r.obj()["cache_status"]), status == "HIT" ? kHitText : kMissText) << r.describe();
}

void expect_cache_consistent(const Response& r) {
    const std::string header = r.header("X-Cache-Status");
    ASSERT_TRUE(header == "HIT" || header == "MISS") << r.describe();
    expect_cache_status(r, header);
}

// ------------------------------------------------------------------------------------------
// /api/example-job-applications/

TEST(Examples, ListIsPublicAndHoldsTheFiveSeededApplications) {
    Response r = get(shared_server(), "/api/example-job-applications/");
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowReadOnly);
    EXPECT_SECURITY_HEADERS(r);
    expect_cache_consistent(r);
    expect_examples_body(r);
}

TEST(Examples, SecondRequestIsAHitWithTheSameData) {
    Response first = get(shared_server(), "/api/example-job-applications/");
    Response second = get(shared_server(), "/api/example-job-applications/");
    ASSERT_STATUS(first, 200);
    ASSERT_STATUS(second, 200);
    expect_cache_status(second, "HIT");
    EXPECT_EQ(first.obj()["data"], second.obj()["data"]);
}

TEST(Examples, AuthenticatedCallersSeeTheSame) {
    Response anon = get(shared_server(), "/api/example-job-applications/");
    Response authed = get(shared_server(), "/api/example-job-applications/", ai_user().access);
    ASSERT_STATUS(authed, 200);
    EXPECT_EQ(anon.obj()["data"], authed.obj()["data"]);
}

TEST(Examples, DetailReturnsTheExample) {
    // beyond: the original answers 500 here.
    Response list = get(shared_server(), "/api/example-job-applications/");
    ASSERT_STATUS(list, 200);
    for (int64_t id = 1; id <= 5; ++id) {
        SCOPED_TRACE(id);
        Response r =
            get(shared_server(), "/api/example-job-applications/" + std::to_string(id) + "/");
        ASSERT_STATUS(r, 200);
        EXPECT_EQ(r.header("Allow"), kAllowReadOnly);
        EXPECT_EQ(r.json(), list.obj()["data"].as_array()[static_cast<std::size_t>(id - 1)]);
    }
}

TEST(Examples, DetailOfANonExampleIs404) {
    Response job =
        post(shared_server(), "/api/job-applications/", R"({"job_title":"x"})", ai_user().access);
    ASSERT_STATUS(job, 201);
    const std::string own = std::to_string(job.obj()["id"].as_int64());
    for (const std::string& id :
         {own, std::string("999999"), std::string("abc"), std::string("0")}) {
        SCOPED_TRACE(id);
        Response r = get(shared_server(), "/api/example-job-applications/" + id + "/");
        EXPECT_STATUS(r, 404);
        EXPECT_JSON(r, kNotFound);
        EXPECT_SECURITY_HEADERS(r);
    }
}

TEST(Examples, WritesAre405) {
    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
        SCOPED_TRACE(method);
        Response r =
            call(shared_server(), method, "/api/example-job-applications/",
                 std::string(method) == "DELETE" ? std::nullopt : std::optional<std::string>("{}"));
        EXPECT_STATUS(r, 405);
        EXPECT_JSON(r, std::string(R"({"detail":"Method \")") + method + R"(\" not allowed."})");
        EXPECT_EQ(r.header("Allow"), kAllowReadOnly);
        EXPECT_SECURITY_HEADERS(r);
    }
    Response d = del(shared_server(), "/api/example-job-applications/1/", ai_user().access);
    EXPECT_STATUS(d, 405);
    EXPECT_EQ(d.header("Allow"), kAllowReadOnly);
    EXPECT_STATUS(get(shared_server(), "/api/example-job-applications/1/"), 200);
}

TEST(Examples, HeadHasNoBody) {
    Response r = head(shared_server(), "/api/example-job-applications/");
    EXPECT_STATUS(r, 200);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << r.describe();
}

// ------------------------------------------------------------------------------------------
// /api/ai/models/

const char* kModelsData = R"([
  {"model_name":"Cypher","login_required":false,"response_time_info":"5-10 seconds","description":"OpenHermes 2.5 via OpenRouter. Free for everyone."},
  {"model_name":"Deepseek","login_required":false,"response_time_info":"10-20 seconds","description":"Deepseek R1 via OpenRouter. Free for everyone."},
  {"model_name":"Google Gemini","login_required":true,"response_time_info":"Fast","description":"Google's Gemini model. Requires login; 5 resumes per day."}
])";

void expect_models_body(const Response& r) {
    json::object o = r.obj();
    ASSERT_EQ(o.size(), 2u) << r.describe();
    ASSERT_TRUE(o["data"].is_array()) << r.describe();
    const json::array& data = o["data"].as_array();
    std::vector<std::string> names;
    for (const auto& m : data) {
        ASSERT_TRUE(m.is_object()) << r.describe();
        const json::object& mo = m.as_object();
        EXPECT_EQ(mo.size(), 4u) << json::serialize(mo);
        EXPECT_TRUE(mo.contains("login_required") && mo.at("login_required").is_bool());
        EXPECT_TRUE(mo.contains("response_time_info") && mo.at("response_time_info").is_string());
        EXPECT_TRUE(mo.contains("description") && mo.at("description").is_string());
        names.push_back(mo.contains("model_name") ? str(mo.at("model_name")) : "");
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Auto", "Cypher", "Deepseek", "Google Gemini",
                                               "ResuMate Offline"}))
        << r.describe();
    if (data.size() != 5) return;
    const json::array original = parse_json(kModelsData).as_array();
    EXPECT_EQ(data[1], original[0]);
    EXPECT_EQ(data[2], original[1]);
    EXPECT_EQ(data[3], original[2]);
    EXPECT_EQ(data[0].as_object().at("login_required"), json::value(false));
    EXPECT_EQ(data[4].as_object().at("login_required"), json::value(false));
}

TEST(AiModels, ListsTheActiveModelsByDisplayName) {
    Response r = get(shared_server(), "/api/ai/models/");
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowReadOnly);
    EXPECT_SECURITY_HEADERS(r);
    expect_cache_consistent(r);
    expect_models_body(r);
}

TEST(AiModels, SecondRequestIsAHit) {
    Response first = get(shared_server(), "/api/ai/models/");
    Response second = get(shared_server(), "/api/ai/models/");
    ASSERT_STATUS(second, 200);
    expect_cache_status(second, "HIT");
    EXPECT_EQ(first.obj()["data"], second.obj()["data"]);
    // The wire format of the original: cache_status first, compact JSON.
    EXPECT_EQ(
        second.body.rfind(R"J({"cache_status":"HIT (Response from Redis cache)","data":[)J", 0), 0u)
        << second.describe();
}

TEST(AiModels, WritesAre405) {
    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
        SCOPED_TRACE(method);
        Response r =
            call(shared_server(), method, "/api/ai/models/",
                 std::string(method) == "DELETE" ? std::nullopt : std::optional<std::string>("{}"));
        EXPECT_STATUS(r, 405);
        EXPECT_JSON(r, std::string(R"({"detail":"Method \")") + method + R"(\" not allowed."})");
        EXPECT_EQ(r.header("Allow"), kAllowReadOnly);
    }
}

// A server of its own, so that "first request after start" is known to be the first.
class FreshCache : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<Server>(
            ServerOptions{.env = {}, .with_superuser = false, .tag = "cache"});
        server_->start();
    }
    static void TearDownTestSuite() {
        if (server_) {
            EXPECT_EQ(server_->stop(), 0);
        }
        server_.reset();
    }
    void SetUp() override { ASSERT_TRUE(server_ && server_->running()) << "server did not start"; }
    static inline std::unique_ptr<Server> server_;
};

TEST_F(FreshCache, ModelsMissThenHit) {
    Response first = get(*server_, "/api/ai/models/");
    ASSERT_STATUS(first, 200);
    expect_cache_status(first, "MISS");
    EXPECT_EQ(first.body.rfind(R"J({"cache_status":"MISS (Response from database)","data":[)J", 0),
              0u)
        << first.describe();
    expect_models_body(first);

    Response second = get(*server_, "/api/ai/models/");
    ASSERT_STATUS(second, 200);
    expect_cache_status(second, "HIT");
    EXPECT_EQ(first.obj()["data"], second.obj()["data"]);

    Response third = get(*server_, "/api/ai/models/");
    expect_cache_status(third, "HIT");
}

TEST_F(FreshCache, ExamplesMissThenHit) {
    Response first = get(*server_, "/api/example-job-applications/");
    ASSERT_STATUS(first, 200);
    expect_cache_status(first, "MISS");
    expect_examples_body(first);

    Response second = get(*server_, "/api/example-job-applications/");
    ASSERT_STATUS(second, 200);
    expect_cache_status(second, "HIT");
    EXPECT_EQ(first.obj()["data"], second.obj()["data"]);
}

// ------------------------------------------------------------------------------------------
// POST /api/ai/generate/ — validation

TEST(Generate, AnonymousWithLoginRequiredModel) {
    Response r = generate("Google Gemini", kResumeInput);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"model":["You must be logged in to use the Google Gemini model."]})");
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
    EXPECT_SECURITY_HEADERS(r);

    Response lower = generate("google gemini", kResumeInput);
    EXPECT_STATUS(lower, 400);
    EXPECT_JSON(lower, R"({"model":["You must be logged in to use the Google Gemini model."]})");
}

TEST(Generate, UnknownModel) {
    Response r = generate("GPT-4", kResumeInput);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"model":["This model is not valid or is currently disabled."]})");
}

TEST(Generate, UserInputShorterThan50) {
    Response r = generate("Deepseek", std::string(49, 'a'));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"user_input":["Ensure this field has at least 50 characters."]})");

    // Surrounding whitespace does not count.
    Response padded = generate("Deepseek", "   " + std::string(49, 'a') + "\n\n  ");
    EXPECT_STATUS(padded, 400);
    EXPECT_JSON(padded, R"({"user_input":["Ensure this field has at least 50 characters."]})");
}

// Beyond the original: the text sent to a (paid) provider is capped, 20,000 characters by
// default (RESUMATE_AI_MAX_INPUT_CHARS), counted as Python's len() counts them.
TEST(Generate, UserInputLongerThanTheCap) {
    Response r = generate("ResuMate Offline", std::string(20001, 'a'));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"user_input":["Ensure this field has no more than 20000 characters."]})");
    // 20,000 two-byte characters are 40,000 bytes but within the cap.
    std::string accents;
    for (int i = 0; i < 20000; ++i) accents += "\xc3\xa9";
    EXPECT_STATUS(generate("ResuMate Offline", accents), 201);

    Server small(ServerOptions{.env = {{"RESUMATE_AI_MAX_INPUT_CHARS", "60"}},
                               .with_superuser = false,
                               .tag = "input-cap"});
    small.start();
    Response over =
        post(small, "/api/ai/generate/", generate_body("ResuMate Offline", std::string(61, 'a')));
    EXPECT_STATUS(over, 400);
    EXPECT_JSON(over, R"({"user_input":["Ensure this field has no more than 60 characters."]})");
    EXPECT_STATUS(
        post(small, "/api/ai/generate/", generate_body("ResuMate Offline", std::string(60, 'a'))),
        201);
}

TEST(Generate, MissingFields) {
    Response r = post(shared_server(), "/api/ai/generate/", "{}");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(
        r, R"({"model":["This field is required."],"user_input":["This field is required."]})");
}

TEST(Generate, UnknownModelAndShortInput) {
    Response r = generate("Nope", "short");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(
        r,
        R"({"model":["This model is not valid or is currently disabled."],"user_input":["Ensure this field has at least 50 characters."]})");
}

TEST(Generate, NullAndBlankFields) {
    Response nulls =
        post(shared_server(), "/api/ai/generate/", R"({"model": null, "user_input": null})");
    EXPECT_STATUS(nulls, 400);
    EXPECT_JSON(
        nulls,
        R"({"model":["This field may not be null."],"user_input":["This field may not be null."]})");

    Response blank = post(shared_server(), "/api/ai/generate/",
                          to_json(json::object{{"model", ""}, {"user_input", kResumeInput}}));
    EXPECT_STATUS(blank, 400);
    EXPECT_JSON(blank, R"({"model":["This field may not be blank."]})");
}

TEST(Generate, BodyErrors) {
    Response array = post(shared_server(), "/api/ai/generate/", "[]");
    EXPECT_STATUS(array, 400);
    EXPECT_JSON(array,
                R"({"non_field_errors":["Invalid data. Expected a dictionary, but got list."]})");

    Response malformed = post(shared_server(), "/api/ai/generate/", R"({"model": "Auto")");
    EXPECT_STATUS(malformed, 400);
    EXPECT_EQ(str(malformed.obj()["detail"]).rfind("JSON parse error - ", 0), 0u)
        << malformed.describe();

    Response plain = call(shared_server(), "POST", "/api/ai/generate/", "hello", "", "text/plain");
    EXPECT_STATUS(plain, 415);
    EXPECT_JSON(plain, R"({"detail":"Unsupported media type \"text/plain\" in request."})");
}

TEST(Generate, GetIs405) {
    Response r = get(shared_server(), "/api/ai/generate/");
    EXPECT_STATUS(r, 405);
    EXPECT_JSON(r, R"({"detail":"Method \"GET\" not allowed."})");
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
}

// ------------------------------------------------------------------------------------------
// POST /api/ai/generate/ — providers without keys

TEST(Generate, GeminiWithoutKeyIs503AndSavesNothing) {
    const TestUser& u = ai_user();
    const std::size_t before = get(shared_server(), "/api/resumes/", u.access).arr().size();
    Response r = generate("Google Gemini", kResumeInput, u.access);
    EXPECT_STATUS(r, 503);
    EXPECT_JSON(r, R"({"error":"API key 'GEMINI_API_KEY' is not configured in the environment."})");
    EXPECT_SECURITY_HEADERS(r);
    EXPECT_EQ(get(shared_server(), "/api/resumes/", u.access).arr().size(), before);
}

TEST(Generate, OpenRouterModelsWithoutKeyAre503) {
    const char* expected =
        R"({"error":"API key 'OPENROUTER_API_KEY' is not configured in the environment."})";
    Response anon = generate("Deepseek", kResumeInput);
    EXPECT_STATUS(anon, 503);
    EXPECT_JSON(anon, expected);

    Response lower = generate("deepseek", kResumeInput);
    EXPECT_STATUS(lower, 503);
    EXPECT_JSON(lower, expected);

    Response cypher = generate("Cypher", kResumeInput, ai_user().access);
    EXPECT_STATUS(cypher, 503);
    EXPECT_JSON(cypher, expected);
}

// ------------------------------------------------------------------------------------------
// POST /api/ai/generate/ — the offline generator

TEST(Generate, OfflineForALoggedInUserSavesTheResumeWithTheTitle) {
    const TestUser& u = ai_user();
    Response r = generate("ResuMate Offline", kResumeInput, u.access, "Senior Developer Resume");
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
    EXPECT_SECURITY_HEADERS(r);
    json::object o = r.obj();
    EXPECT_EQ(o.size(), 3u) << r.describe();
    ASSERT_TRUE(o["resume_id"].is_int64()) << r.describe();
    EXPECT_EQ(str(o["model"]), "ResuMate Offline");
    const std::string content = str(o["content"]);
    EXPECT_EQ(content.rfind("# ", 0), 0u) << r.describe();

    Response saved =
        get(shared_server(), "/api/resumes/" + std::to_string(o["resume_id"].as_int64()) + "/",
            u.access);
    ASSERT_STATUS(saved, 200);
    EXPECT_EQ(str(saved.obj()["title"]), "Senior Developer Resume");
    EXPECT_EQ(str(saved.obj()["content"]), content);
    EXPECT_EQ(str(saved.obj()["user"]), u.username);
}

TEST(Generate, DefaultTitleIsUntitledResume) {
    const TestUser& u = ai_user();
    Response r = generate("ResuMate Offline", kResumeInput, u.access);
    ASSERT_STATUS(r, 201);
    Response saved =
        get(shared_server(),
            "/api/resumes/" + std::to_string(r.obj()["resume_id"].as_int64()) + "/", u.access);
    ASSERT_STATUS(saved, 200);
    EXPECT_EQ(str(saved.obj()["title"]), "Untitled Resume");
}

TEST(Generate, ModelNameIsCaseInsensitive) {
    Response r = generate("resumate OFFLINE", kResumeInput);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["model"]), "ResuMate Offline");
}

TEST(Generate, AnonymousResumeBelongsToTheInactiveAnonymousUser) {
    Response r = generate("ResuMate Offline", kResumeInput);
    ASSERT_STATUS(r, 201);
    const int64_t id = r.obj()["resume_id"].as_int64();

    // Not visible to anybody through the API.
    Response other =
        get(shared_server(), "/api/resumes/" + std::to_string(id) + "/", ai_user().access);
    EXPECT_STATUS(other, 404);

    auto row = query_row(shared_server().data_dir(),
                         "SELECT u.username, u.is_active, r.title FROM resume_resume r JOIN "
                         "auth_user u ON u.id = r.user_id WHERE r.id = " +
                             std::to_string(id));
    ASSERT_TRUE(row.has_value()) << "no SQLite database with resume_resume found";
    ASSERT_EQ(row->size(), 3u) << "resume " << id << " not found in the database";
    EXPECT_EQ((*row)[0], "anonymous_user");
    EXPECT_TRUE((*row)[1] == "0" || (*row)[1] == "f" || (*row)[1] == "false") << (*row)[1];
    EXPECT_EQ((*row)[2], "Untitled Resume");
}

TEST(Generate, AutoUsesTheOfflineModelWhenNoKeyIsConfigured) {
    Response anon = generate("Auto", kResumeInput);
    ASSERT_STATUS(anon, 201);
    EXPECT_EQ(str(anon.obj()["model"]), "ResuMate Offline");
    EXPECT_EQ(str(anon.obj()["content"]).rfind("# ", 0), 0u) << anon.describe();

    Response authed = generate("auto", kResumeInput, ai_user().access);
    ASSERT_STATUS(authed, 201);
    EXPECT_EQ(str(authed.obj()["model"]), "ResuMate Offline");
}

TEST(Generate, OffTopicRequestIsRefused) {
    Response r =
        generate("ResuMate Offline",
                 "Please write me a long poem about cats and the moon and the stars tonight");
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["content"]), "I can only assist with resume generation.");
}

TEST(Generate, OfflineIsDeterministic) {
    Response a = generate("ResuMate Offline", kResumeInput);
    Response b = generate("ResuMate Offline", kResumeInput);
    ASSERT_STATUS(a, 201);
    ASSERT_STATUS(b, 201);
    EXPECT_EQ(str(a.obj()["content"]), str(b.obj()["content"]));
    EXPECT_NE(a.obj()["resume_id"], b.obj()["resume_id"]);
}

TEST(Generate, ExactlyFiftyCharactersIsEnough) {
    const std::string input = "Python developer, 5 years, Django and PostgreSQL!!";
    ASSERT_EQ(input.size(), 50u);
    Response r = generate("ResuMate Offline", input);
    EXPECT_STATUS(r, 201);
}

TEST(Generate, FormEncoded) {
    Response r = post_form(
        shared_server(), "/api/ai/generate/",
        "model=ResuMate+Offline&user_input=" + url_encode(kResumeInput) + "&title=Form+CV",
        ai_user().access);
    ASSERT_STATUS(r, 201);
    Response saved = get(shared_server(),
                         "/api/resumes/" + std::to_string(r.obj()["resume_id"].as_int64()) + "/",
                         ai_user().access);
    EXPECT_EQ(str(saved.obj()["title"]), "Form CV");
}

// ------------------------------------------------------------------------------------------
// POST /api/ai/generate/stream/ (beyond)

// Streaming (issue 4).
TEST(GenerateStream, OfflineStreamsDeltasThenDone) {
    const TestUser& u = ai_user();
    Response r = post(shared_server(), "/api/ai/generate/stream/",
                      generate_body("ResuMate Offline", kResumeInput, "Streamed CV"), u.access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Type").rfind("text/event-stream", 0), 0u) << r.describe();
    EXPECT_SECURITY_HEADERS(r);

    std::vector<SseEvent> events = parse_sse(r.body);
    ASSERT_GE(events.size(), 2u) << r.describe();
    std::string text;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(events[i].event, "message");
        json::value d = parse_json(events[i].data);
        ASSERT_TRUE(d.is_object() && d.as_object().contains("delta")) << events[i].data;
        text += str(d.as_object().at("delta"));
    }
    EXPECT_EQ(events.back().event, "done") << r.describe();
    json::value done = parse_json(events.back().data);
    ASSERT_TRUE(done.is_object() && done.as_object().contains("resume_id") &&
                done.as_object().at("resume_id").is_int64())
        << events.back().data;
    EXPECT_EQ(text.rfind("# ", 0), 0u) << text;

    Response saved =
        get(shared_server(),
            "/api/resumes/" + std::to_string(done.as_object().at("resume_id").as_int64()) + "/",
            u.access);
    ASSERT_STATUS(saved, 200);
    EXPECT_EQ(str(saved.obj()["content"]), text);
    EXPECT_EQ(str(saved.obj()["title"]), "Streamed CV");
}

// An EventSource-style client accepts only the event stream (it was a 406: the route accepted
// nothing but JSON, found by the web app). Its validation failures stay JSON.
TEST(GenerateStream, ClientsAcceptingOnlyTheEventStreamGetIt) {
    const TestUser& u = ai_user();
    Response r = call(shared_server(), "POST", "/api/ai/generate/stream/",
                      generate_body("ResuMate Offline", kResumeInput, "Accept CV"), u.access,
                      "application/json", {{"Accept", "text/event-stream"}});
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Type").rfind("text/event-stream", 0), 0u) << r.describe();
    EXPECT_EQ(parse_sse(r.body).back().event, "done") << r.describe();
    Response bad = call(shared_server(), "POST", "/api/ai/generate/stream/", "{}", u.access,
                        "application/json", {{"Accept", "text/event-stream"}});
    EXPECT_STATUS(bad, 400);
    // Anything else is still refused, as before.
    Response other = call(shared_server(), "POST", "/api/ai/generate/stream/",
                          generate_body("ResuMate Offline", kResumeInput), u.access,
                          "application/json", {{"Accept", "image/png"}});
    EXPECT_STATUS(other, 406);
}

// HTTP/1.0 has no chunked encoding (and nginx speaks HTTP/1.0 to its upstreams unless told
// otherwise): the events come as they are, and the close ends the body.
TEST(GenerateStream, Http10ClientsGetThePlainStreamEndedByTheClose) {
    const std::string body = generate_body("ResuMate Offline", kResumeInput, "HTTP/1.0 CV");
    RawConn conn(shared_server().port());
    ASSERT_TRUE(conn.send_all(
        "POST /api/ai/generate/stream/ HTTP/1.0\r\nHost: " + shared_server().host() +
        "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + ai_user().access +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
    auto res = conn.read_until_closed(30s);
    ASSERT_TRUE(res.closed) << res.data;
    EXPECT_EQ(res.data.rfind("HTTP/1.0 200", 0), 0u) << res.data;
    const size_t head_end = res.data.find("\r\n\r\n");
    ASSERT_NE(head_end, std::string::npos) << res.data;
    const std::string head = res.data.substr(0, head_end);
    EXPECT_EQ(head.find("Transfer-Encoding"), std::string::npos) << head;
    const std::string events_text = res.data.substr(head_end + 4);
    EXPECT_EQ(events_text.rfind("data: {\"delta\"", 0), 0u) << events_text;
    std::vector<SseEvent> events = parse_sse(events_text);
    ASSERT_GE(events.size(), 2u) << events_text;
    EXPECT_EQ(events.back().event, "done") << events_text;
}

// Streaming (issue 4).
TEST(GenerateStream, ValidationFailuresAnswerJson) {
    Response anon = post(shared_server(), "/api/ai/generate/stream/",
                         generate_body("Google Gemini", kResumeInput));
    EXPECT_STATUS(anon, 400);
    EXPECT_JSON(anon, R"({"model":["You must be logged in to use the Google Gemini model."]})");
    EXPECT_EQ(anon.header("Content-Type").rfind("application/json", 0), 0u) << anon.describe();

    Response empty = post(shared_server(), "/api/ai/generate/stream/", "{}");
    EXPECT_STATUS(empty, 400);
    EXPECT_JSON(
        empty, R"({"model":["This field is required."],"user_input":["This field is required."]})");

    Response get_r = get(shared_server(), "/api/ai/generate/stream/");
    EXPECT_STATUS(get_r, 405);
    EXPECT_EQ(get_r.header("Allow"), kAllowPostOnly);
}

}  // namespace
}  // namespace e2e
