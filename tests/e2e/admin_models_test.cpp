// Staff-only AI model management (beyond): /api/admin/ai-models/, its effect on the public
// model list and its cache, disabled models, and per-model daily limits.
#include "harness.hpp"

namespace e2e {
namespace {

constexpr const char* kAdminList = "/api/admin/ai-models/";

std::string admin_path(int64_t id) {
    return std::string(kAdminList) + std::to_string(id) + "/";
}

const TestUser& staff() {
    static const TestUser user = admin_user(shared_server());
    return user;
}

const TestUser& plain_user() {
    static const TestUser user = create_user(shared_server(), "nonstaff");
    return user;
}

const std::vector<std::string> kColumns = {
    "id",         "display_name",   "model_name",  "api_provider",       "api_key_name",
    "is_active",  "login_required", "daily_limit", "response_time_info", "description",
    "created_at", "updated_at"};

void expect_columns(const json::object& o) {
    EXPECT_EQ(o.size(), kColumns.size()) << json::serialize(o);
    for (const auto& c : kColumns)
        EXPECT_TRUE(o.contains(c)) << c << " missing in " << json::serialize(o);
    if (o.contains("id")) {
        EXPECT_TRUE(o.at("id").is_int64()) << json::serialize(o);
    }
    if (o.contains("created_at")) {
        EXPECT_TRUE(is_timestamp(o.at("created_at"))) << json::serialize(o);
    }
    if (o.contains("updated_at")) {
        EXPECT_TRUE(is_timestamp(o.at("updated_at"))) << json::serialize(o);
    }
}

json::array admin_list() {
    Response r = get(shared_server(), kAdminList, staff().access);
    if (r.status != 200 || !r.json().is_array()) {
        throw std::runtime_error("staff cannot list the models" + r.describe());
    }
    return r.arr();
}

json::object seeded(std::string_view display_name) {
    for (const auto& m : admin_list()) {
        if (m.is_object() && str(m.as_object().at("display_name")) == display_name) {
            return m.as_object();
        }
    }
    throw std::runtime_error("seeded model not found: " + std::string(display_name));
}

// A new offline-provider model, deleted again when the guard goes.
struct ModelGuard {
    int64_t id = 0;
    std::string display_name;
    json::object created;
    ~ModelGuard() {
        if (id != 0) del(shared_server(), admin_path(id), staff().access);
    }
};

json::object offline_model_body(const std::string& display_name, int64_t daily_limit = 0) {
    json::object offline = seeded("ResuMate Offline");
    return json::object{{"display_name", display_name},
                        {"model_name", "offline"},
                        {"api_provider", "offline"},
                        {"api_key_name", offline["api_key_name"]},
                        {"is_active", true},
                        {"login_required", false},
                        {"daily_limit", daily_limit},
                        {"response_time_info", "Instant"},
                        {"description", "E2E test model."}};
}

std::unique_ptr<ModelGuard> create_model(const json::object& body) {
    Response r = post(shared_server(), kAdminList, to_json(body), staff().access);
    if (r.status != 201) throw std::runtime_error("model creation failed" + r.describe());
    auto guard = std::make_unique<ModelGuard>();
    guard->created = r.obj();
    guard->id = guard->created["id"].as_int64();
    guard->display_name = str(guard->created["display_name"]);
    return guard;
}

std::string display_name_for(std::string_view tag) {
    // "E2E ..." sorts between "Deepseek" and "Google Gemini".
    return "E2E " + unique_name(tag);
}

std::vector<std::string> public_model_names(const Response& r) {
    std::vector<std::string> names;
    json::object o = r.obj();
    if (!o.contains("data") || !o["data"].is_array()) return names;
    for (const auto& m : o["data"].as_array()) names.push_back(str(m.as_object().at("model_name")));
    return names;
}

void expect_public_cache(const Response& r, std::string_view status) {
    EXPECT_STATUS(r, 200);
    EXPECT_EQ(r.header("X-Cache-Status"), status) << r.describe();
    EXPECT_EQ(str(r.obj()["cache_status"]), status == "HIT" ? kHitText : kMissText);
}

int64_t seconds_until_utc_midnight() {
    return 86400 - unix_now() % 86400;
}

TEST(AdminModels, AnonymousIs401) {
    for (const auto& [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"GET", kAdminList},
                                                          {"POST", kAdminList},
                                                          {"GET", admin_path(1)},
                                                          {"PATCH", admin_path(1)},
                                                          {"DELETE", admin_path(1)}}) {
        SCOPED_TRACE(method + " " + target);
        Response r = call(shared_server(), method, target,
                          method == "POST" || method == "PATCH" ? std::optional<std::string>("{}")
                                                                : std::nullopt);
        EXPECT_STATUS(r, 401);
        EXPECT_JSON(r, kNotProvided);
        EXPECT_EQ(r.header("WWW-Authenticate"), R"(Bearer realm="api")");
        EXPECT_SECURITY_HEADERS(r);
    }
}

TEST(AdminModels, NonStaffIs403) {
    const int64_t gemini = seeded("Google Gemini")["id"].as_int64();
    for (const auto& [method, target, body] :
         std::vector<std::tuple<std::string, std::string, std::optional<std::string>>>{
             {"GET", kAdminList, std::nullopt},
             {"POST", kAdminList, to_json(offline_model_body(display_name_for("forbidden")))},
             {"GET", admin_path(gemini), std::nullopt},
             {"PATCH", admin_path(gemini), R"({"daily_limit": 1000})"},
             {"PUT", admin_path(gemini), R"({"daily_limit": 1000})"},
             {"DELETE", admin_path(gemini), std::nullopt}}) {
        SCOPED_TRACE(method + " " + target);
        Response r = call(shared_server(), method, target, body, plain_user().access);
        EXPECT_STATUS(r, 403);
        EXPECT_JSON(r, kForbidden);
        EXPECT_SECURITY_HEADERS(r);
    }
    json::object after = seeded("Google Gemini");
    EXPECT_EQ(after["daily_limit"], json::value(5));
    EXPECT_EQ(after["is_active"], json::value(true));
}

TEST(AdminModels, StaffListsEveryColumnOfTheSeededModels) {
    Response r = get(shared_server(), kAdminList, staff().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowList);
    EXPECT_SECURITY_HEADERS(r);
    json::array list = r.arr();
    EXPECT_GE(list.size(), 5u) << r.describe();
    for (const auto& m : list) expect_columns(m.as_object());

    struct Seed {
        const char* display;
        const char* model;
        const char* provider;
        const char* key;  // nullptr: no key
        bool login;
        int64_t limit;
    };
    for (const Seed& s :
         {Seed{"Google Gemini", "gemini-2.0-flash-exp", "google_gemini", "GEMINI_API_KEY", true, 5},
          Seed{"Deepseek", "deepseek/deepseek-r1", "open_router", "OPENROUTER_API_KEY", false, 0},
          Seed{"Cypher", "teknium/openhermes-2.5", "open_router", "OPENROUTER_API_KEY", false, 0},
          Seed{"ResuMate Offline", "offline", "offline", nullptr, false, 0},
          Seed{"Auto", "auto", "auto", nullptr, false, 0}}) {
        SCOPED_TRACE(s.display);
        json::object m = seeded(s.display);
        EXPECT_EQ(str(m["model_name"]), s.model);
        EXPECT_EQ(str(m["api_provider"]), s.provider);
        if (s.key != nullptr) {
            EXPECT_EQ(str(m["api_key_name"]), s.key);
        }
        EXPECT_EQ(m["is_active"], json::value(true));
        EXPECT_EQ(m["login_required"], json::value(s.login));
        EXPECT_EQ(m["daily_limit"], json::value(s.limit));
    }
    json::object gemini = seeded("Google Gemini");
    EXPECT_EQ(str(gemini["response_time_info"]), "Fast");
    EXPECT_EQ(str(gemini["description"]),
              "Google's Gemini model. Requires login; 5 resumes per day.");
    json::object deepseek = seeded("Deepseek");
    EXPECT_EQ(str(deepseek["response_time_info"]), "10-20 seconds");
    EXPECT_EQ(str(deepseek["description"]), "Deepseek R1 via OpenRouter. Free for everyone.");
    json::object cypher = seeded("Cypher");
    EXPECT_EQ(str(cypher["response_time_info"]), "5-10 seconds");
    EXPECT_EQ(str(cypher["description"]), "OpenHermes 2.5 via OpenRouter. Free for everyone.");
}

TEST(AdminModels, DetailMatchesTheListItem) {
    json::object gemini = seeded("Google Gemini");
    Response r = get(shared_server(), admin_path(gemini["id"].as_int64()), staff().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowDetail);
    EXPECT_EQ(r.json(), json::value(gemini));
}

TEST(AdminModels, CreateUpdateDeleteDropTheModelsCache) {
    auto& s = shared_server();
    get(s, "/api/ai/models/");
    expect_public_cache(get(s, "/api/ai/models/"), "HIT");

    // Create.
    const std::string name = display_name_for("crud");
    json::object body = offline_model_body(name);
    Response created = post(s, kAdminList, to_json(body), staff().access);
    ASSERT_STATUS(created, 201);
    EXPECT_EQ(created.header("Allow"), kAllowList);
    ModelGuard guard;
    guard.id = created.obj()["id"].as_int64();
    json::object c = created.obj();
    expect_columns(c);
    for (const auto& kv : body) EXPECT_EQ(c[kv.key()], kv.value()) << kv.key();

    Response after_create = get(s, "/api/ai/models/");
    expect_public_cache(after_create, "MISS");
    EXPECT_EQ(public_model_names(after_create),
              (std::vector<std::string>{"Auto", "Cypher", "Deepseek", name, "Google Gemini",
                                        "ResuMate Offline"}));
    json::array data = after_create.obj()["data"].as_array();
    if (data.size() == 6) {
        EXPECT_EQ(data[3], parse_json(to_json(json::object{{"model_name", name},
                                                           {"login_required", false},
                                                           {"response_time_info", "Instant"},
                                                           {"description", "E2E test model."}})));
    }
    expect_public_cache(get(s, "/api/ai/models/"), "HIT");

    // It generates.
    Response gen = post(s, "/api/ai/generate/",
                        to_json(json::object{{"model", name}, {"user_input", kResumeInput}}));
    EXPECT_STATUS(gen, 201);
    EXPECT_EQ(str(gen.obj()["model"]), name);

    // PATCH.
    Response patched =
        patch(s, admin_path(guard.id), R"({"description": "Changed."})", staff().access);
    ASSERT_STATUS(patched, 200);
    EXPECT_EQ(patched.header("Allow"), kAllowDetail);
    EXPECT_EQ(str(patched.obj()["description"]), "Changed.");
    EXPECT_EQ(patched.obj()["created_at"], c["created_at"]);
    EXPECT_EQ(str(patched.obj()["display_name"]), name);
    Response after_patch = get(s, "/api/ai/models/");
    expect_public_cache(after_patch, "MISS");
    if (after_patch.obj()["data"].as_array().size() == 6) {
        EXPECT_EQ(after_patch.obj()["data"].as_array()[3].as_object().at("description"),
                  json::value("Changed."));
    }
    expect_public_cache(get(s, "/api/ai/models/"), "HIT");

    // PUT.
    json::object full = body;
    full["login_required"] = true;
    full["response_time_info"] = "Slow";
    Response replaced = put(s, admin_path(guard.id), to_json(full), staff().access);
    ASSERT_STATUS(replaced, 200);
    EXPECT_EQ(replaced.obj()["login_required"], json::value(true));
    EXPECT_EQ(str(replaced.obj()["description"]), "E2E test model.");
    Response after_put = get(s, "/api/ai/models/");
    expect_public_cache(after_put, "MISS");
    if (after_put.obj()["data"].as_array().size() == 6) {
        EXPECT_EQ(after_put.obj()["data"].as_array()[3].as_object().at("login_required"),
                  json::value(true));
    }
    Response anon_gen = post(s, "/api/ai/generate/",
                             to_json(json::object{{"model", name}, {"user_input", kResumeInput}}));
    EXPECT_STATUS(anon_gen, 400);
    EXPECT_JSON(anon_gen,
                to_json(json::object{{"model", json::array{"You must be logged in to use the " +
                                                           name + " model."}}}));

    // Deactivate: gone from the public list, refused by generate.
    Response off = patch(s, admin_path(guard.id), R"({"is_active": false})", staff().access);
    ASSERT_STATUS(off, 200);
    Response after_off = get(s, "/api/ai/models/");
    expect_public_cache(after_off, "MISS");
    EXPECT_EQ(public_model_names(after_off),
              (std::vector<std::string>{"Auto", "Cypher", "Deepseek", "Google Gemini",
                                        "ResuMate Offline"}));
    Response disabled = post(s, "/api/ai/generate/",
                             to_json(json::object{{"model", name}, {"user_input", kResumeInput}}),
                             plain_user().access);
    EXPECT_STATUS(disabled, 400);
    EXPECT_JSON(disabled, R"({"model":["This model is not valid or is currently disabled."]})");
    expect_public_cache(get(s, "/api/ai/models/"), "HIT");

    // Delete.
    Response deleted = del(s, admin_path(guard.id), staff().access);
    EXPECT_STATUS(deleted, 204);
    EXPECT_EQ(deleted.body, "");
    Response gone = get(s, admin_path(guard.id), staff().access);
    EXPECT_STATUS(gone, 404);
    EXPECT_JSON(gone, kNotFound);
    expect_public_cache(get(s, "/api/ai/models/"), "MISS");
    guard.id = 0;
}

TEST(AdminModels, DeletingAModelDropsTheCacheToo) {
    auto guard = create_model(offline_model_body(display_name_for("del")));
    auto& s = shared_server();
    get(s, "/api/ai/models/");
    Response hit = get(s, "/api/ai/models/");
    expect_public_cache(hit, "HIT");
    EXPECT_EQ(public_model_names(hit).size(), 6u);
    ASSERT_STATUS(del(s, admin_path(guard->id), staff().access), 204);
    guard->id = 0;
    Response miss = get(s, "/api/ai/models/");
    expect_public_cache(miss, "MISS");
    EXPECT_EQ(public_model_names(miss).size(), 5u);
}

TEST(AdminModels, Validation) {
    auto& s = shared_server();
    const std::string& t = staff().access;

    Response empty = post(s, kAdminList, "{}", t);
    EXPECT_STATUS(empty, 400);
    EXPECT_EQ(empty.obj()["display_name"], parse_json(R"(["This field is required."])"))
        << empty.describe();

    json::object bad_provider = offline_model_body(display_name_for("badprov"));
    bad_provider["api_provider"] = "foo";
    Response provider = post(s, kAdminList, to_json(bad_provider), t);
    EXPECT_STATUS(provider, 400);
    EXPECT_JSON(provider, R"({"api_provider":["\"foo\" is not a valid choice."]})");

    json::object negative = offline_model_body(display_name_for("neg"));
    negative["daily_limit"] = -1;
    Response limit = post(s, kAdminList, to_json(negative), t);
    EXPECT_STATUS(limit, 400);
    EXPECT_JSON(limit, R"({"daily_limit":["Ensure this value is greater than or equal to 0."]})");

    json::object long_name = offline_model_body(std::string(101, 'n'));
    Response too_long = post(s, kAdminList, to_json(long_name), t);
    EXPECT_STATUS(too_long, 400);
    EXPECT_JSON(too_long,
                R"({"display_name":["Ensure this field has no more than 100 characters."]})");

    json::object not_bool = offline_model_body(display_name_for("bool"));
    not_bool["is_active"] = "maybe";
    Response boolean = post(s, kAdminList, to_json(not_bool), t);
    EXPECT_STATUS(boolean, 400);
    EXPECT_JSON(boolean, R"({"is_active":["Must be a valid boolean."]})");

    json::object duplicate = offline_model_body("Google Gemini");
    Response dup = post(s, kAdminList, to_json(duplicate), t);
    EXPECT_STATUS(dup, 400);
    EXPECT_TRUE(dup.obj().contains("display_name")) << dup.describe();

    // None of these created anything.
    EXPECT_EQ(admin_list().size(), 5u);
}

TEST(AdminModels, UnknownIdIs404AndListRejectsDelete) {
    auto& s = shared_server();
    for (const char* method : {"GET", "PATCH", "DELETE"}) {
        SCOPED_TRACE(method);
        Response r =
            call(s, method, admin_path(987654),
                 std::string(method) == "PATCH" ? std::optional<std::string>("{}") : std::nullopt,
                 staff().access);
        EXPECT_STATUS(r, 404);
        EXPECT_JSON(r, kNotFound);
    }
    Response r = call(s, "DELETE", kAdminList, std::nullopt, staff().access);
    EXPECT_STATUS(r, 405);
    EXPECT_JSON(r, R"({"detail":"Method \"DELETE\" not allowed."})");
    EXPECT_EQ(r.header("Allow"), kAllowList);
}

TEST(AdminModels, DailyLimitCapsSuccessfulGenerationsPerUserAndPerIp) {
    // beyond: a model's daily_limit caps successful generations per user (or client IP) per day.
    auto guard = create_model(offline_model_body(display_name_for("limited"), 2));
    auto& s = shared_server();
    const std::string body =
        to_json(json::object{{"model", guard->display_name}, {"user_input", kResumeInput}});
    const std::string expected =
        to_json(json::object{{"detail", "Daily limit of 2 requests reached for the " +
                                            guard->display_name + " model."}});

    TestUser a = create_user(s, "limit_a");
    EXPECT_STATUS(post(s, "/api/ai/generate/", body, a.access), 201);
    // Validation failures do not count.
    EXPECT_STATUS(
        post(s, "/api/ai/generate/",
             to_json(json::object{{"model", guard->display_name}, {"user_input", "short"}}),
             a.access),
        400);
    EXPECT_STATUS(post(s, "/api/ai/generate/", body, a.access), 201);
    Response limited = post(s, "/api/ai/generate/", body, a.access);
    EXPECT_STATUS(limited, 429);
    EXPECT_JSON(limited, expected);
    EXPECT_SECURITY_HEADERS(limited);
    const std::string retry = limited.header("Retry-After");
    ASSERT_FALSE(retry.empty()) << limited.describe();
    EXPECT_NEAR(static_cast<double>(std::stoll(retry)),
                static_cast<double>(seconds_until_utc_midnight()), 5.0)
        << limited.describe();

    // Another user has their own allowance; other models are not affected.
    TestUser b = create_user(s, "limit_b");
    EXPECT_STATUS(post(s, "/api/ai/generate/", body, b.access), 201);
    EXPECT_STATUS(
        post(s, "/api/ai/generate/",
             to_json(json::object{{"model", "ResuMate Offline"}, {"user_input", kResumeInput}}),
             a.access),
        201);

    // Anonymous callers are counted per client IP.
    EXPECT_STATUS(post(s, "/api/ai/generate/", body), 201);
    EXPECT_STATUS(post(s, "/api/ai/generate/", body), 201);
    Response anon = post(s, "/api/ai/generate/", body);
    EXPECT_STATUS(anon, 429);
    EXPECT_JSON(anon, expected);
    EXPECT_FALSE(anon.header("Retry-After").empty()) << anon.describe();
}

// Streaming (issue 4).
TEST(AdminModels, StreamingHonoursTheDailyLimit) {
    auto guard = create_model(offline_model_body(display_name_for("limited_stream"), 1));
    auto& s = shared_server();
    const std::string body =
        to_json(json::object{{"model", guard->display_name}, {"user_input", kResumeInput}});
    TestUser a = create_user(s, "limit_stream");
    EXPECT_STATUS(post(s, "/api/ai/generate/", body, a.access), 201);
    Response stream = post(s, "/api/ai/generate/stream/", body, a.access);
    EXPECT_STATUS(stream, 429);
    EXPECT_JSON(stream,
                to_json(json::object{{"detail", "Daily limit of 1 requests reached for the " +
                                                    guard->display_name + " model."}}));
}

}  // namespace
}  // namespace e2e
