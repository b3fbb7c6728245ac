// Attacks from the second security round (an outsider with the README and the API contract),
// kept here so they stay fixed: system account squatting, secrets and URLs through AI model rows,
// Unicode look-alike usernames, data files readable by others.
#include <sys/stat.h>

#include <filesystem>

#include "harness.hpp"

namespace e2e {
namespace {

namespace fs = std::filesystem;

const std::string kTaken = R"({"username":["A user with that username already exists."]})";

bool postgres_run() {
    return std::getenv("TEST_DATABASE_URL") != nullptr;
}

std::string register_body(std::string_view username) {
    return to_json(json::object{
        {"username", username}, {"email", ""}, {"password", kPassword}, {"password2", kPassword}});
}

// ---------------------------------------------------------------------------------------------
// 1. The system accounts exist from `migrate` on: their names cannot be registered.

TEST(SystemAccounts, TheirNamesCannotBeRegisteredOnAFreshInstance) {
    Server s(ServerOptions{.env = {}, .with_superuser = true, .tag = "squat"});
    s.start();
    for (const char* name : {"anonymous_user", "example_user"}) {
        SCOPED_TRACE(name);
        Response r = post(s, "/api/auth/register/", register_body(name));
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, kTaken);
        Response login = post(s, "/api/auth/token/",
                              to_json(json::object{{"username", name}, {"password", kPassword}}));
        EXPECT_STATUS(login, 401);
    }
    EXPECT_EQ(s.stop(), 0);
}

// An old instance where someone registered `anonymous_user` before the first anonymous
// generation: the server says so at start-up and never saves anonymous resumes to that account.
TEST(SystemAccounts, AnActiveHolderOfTheNameNeverReceivesAnonymousResumes) {
    Server s(ServerOptions{.env = {}, .with_superuser = false, .tag = "squatted"});
    fs::create_directories(s.data_dir());
    ASSERT_EQ(s.cli({"migrate"}).exit_code, 0);
    ASSERT_EQ(s.cli({"createsuperuser", "--noinput", "--username", "squatter", "--password",
                     std::string(kPassword)})
                  .exit_code,
              0);
    // The state an attacker's registration left behind: an active account with a password.
    ASSERT_TRUE(execute_sql(s.data_dir(),
                            "UPDATE auth_user SET is_active = TRUE, password = (SELECT password "
                            "FROM auth_user WHERE username = 'squatter') WHERE username = "
                            "'anonymous_user'"));
    s.start();
    EXPECT_TRUE(s.wait_for_log_line({"SECURITY", "anonymous_user"}, 5s).has_value())
        << s.log_text();
    TestUser squatter = login(s, "anonymous_user", kPassword);

    Response gen = post(s, "/api/ai/generate/",
                        to_json(json::object{{"model", "ResuMate Offline"},
                                             {"user_input", kResumeInput},
                                             {"title", "Private anonymous resume"}}));
    ASSERT_STATUS(gen, 201);
    const int64_t id = gen.obj()["resume_id"].as_int64();
    Response list = get(s, "/api/resumes/", squatter.access);
    ASSERT_STATUS(list, 200);
    EXPECT_EQ(list.body.find("Private anonymous resume"), std::string::npos) << list.body;
    EXPECT_STATUS(get(s, "/api/resumes/" + std::to_string(id) + "/", squatter.access), 404);
    EXPECT_EQ(s.stop(), 0);
}

// ---------------------------------------------------------------------------------------------
// 2. A staff user cannot make a model read the server's secrets or call any URL.

class Egress : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        provider_ = std::make_unique<FakeProvider>(200, "# Exfiltrated\n");
        server_ = std::make_unique<Server>(ServerOptions{
            .env = {{"GEMINI_BASE_URL", "http://127.0.0.1:9"},
                    {"OPENROUTER_BASE_URL", "http://127.0.0.1:9/api/v1"},
                    {"RESUMATE_AI_ALLOWED_HOSTS", "localhost:" + std::to_string(provider_->port())},
                    {"E2E_PROVIDER_API_KEY", "e2e-provider-key"}},
            .with_superuser = true,
            .tag = "egress"});
        server_->start();
    }
    static void TearDownTestSuite() {
        if (server_ && server_->running()) {
            EXPECT_EQ(server_->stop(), 0);
        }
        server_.reset();
        provider_.reset();
    }
    static Response add_model(const json::object& fields) {
        json::object body{{"display_name", "E2E " + unique_name("egress")},
                          {"model_name", "m"},
                          {"api_provider", "openai_compatible"},
                          {"api_key_name", ""},
                          {"daily_limit", 0}};
        for (const auto& [k, v] : fields) body[k] = v;
        return post(*server_, "/api/admin/ai-models/", to_json(body), admin_user(*server_).access);
    }
    static bool secret_reached_provider() {
        for (const auto& r : provider_->requests()) {
            if (r.header("Authorization").find(kSecretKey) != std::string::npos ||
                r.body.find(kSecretKey) != std::string::npos)
                return true;
        }
        return false;
    }
    static inline std::unique_ptr<FakeProvider> provider_;
    static inline std::unique_ptr<Server> server_;
};

TEST_F(Egress, KeyNamesOutsideTheAllowlistAreRefused) {
    for (const char* name : {"SECRET_KEY", "DATABASE_URL", "DB_PASSWORD", "PATH", "HOME"}) {
        SCOPED_TRACE(name);
        Response r = add_model({{"api_key_name", name}});
        EXPECT_STATUS(r, 400);
        EXPECT_TRUE(r.obj().contains("api_key_name")) << r.describe();
        EXPECT_EQ(r.body.find("e2e-"), std::string::npos) << "a value leaked: " << r.body;
    }
    EXPECT_STATUS(add_model({{"api_key_name", "E2E_PROVIDER_API_KEY"}}), 201);
}

TEST_F(Egress, BaseUrlsOutsideTheAllowedHostsAreRefused) {
    const std::string port = std::to_string(provider_->port());
    for (const std::string& url :
         std::vector<std::string>{"http://127.0.0.1:" + port + "/v1", "http://attacker.example/v1",
                                  "http://localhost:" + port + "@attacker.example/v1",
                                  "http://169.254.169.254/latest", "http://127.0.0.1:6379/"}) {
        SCOPED_TRACE(url);
        Response r = add_model({{"model_name", "m@" + url}});
        EXPECT_STATUS(r, 400);
        EXPECT_TRUE(r.obj().contains("model_name")) << r.describe();
    }
    EXPECT_STATUS(add_model({{"model_name", "m@http://localhost:" + port + "/v1"}}), 201);
    EXPECT_STATUS(add_model({{"model_name", "m@http://127.0.0.1:9/other"}}), 201);  // configured
}

// Rows written before the policy (or straight into the database) are refused at run time too:
// the signing key never leaves the server.
TEST_F(Egress, OldRowsCannotSendTheSigningKeyAnywhere) {
    const std::string port = std::to_string(provider_->port());
    const std::string name = "E2E " + unique_name("oldrow");
    ASSERT_TRUE(execute_sql(
        server_->data_dir(),
        "INSERT INTO ai_aimodel (display_name, model_name, api_provider, api_key_name, is_active, "
        "login_required, daily_limit, response_time_info, description, created_at, updated_at) "
        "VALUES ('" +
            name + "', 'm@http://127.0.0.1:" + port +
            "/v1', 'openai_compatible', 'SECRET_KEY', TRUE, FALSE, 0, '', '', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"));
    Response r = post(*server_, "/api/ai/generate/",
                      to_json(json::object{{"model", name}, {"user_input", kResumeInput}}));
    EXPECT_STATUS(r, 503);
    EXPECT_JSON(r, R"({"error":"API key 'SECRET_KEY' is not configured in the environment."})");
    // Without a key name the request would go out keyless; its host is still not allowed.
    ASSERT_TRUE(
        execute_sql(server_->data_dir(),
                    "UPDATE ai_aimodel SET api_key_name = '' WHERE display_name = '" + name + "'"));
    const size_t calls = provider_->requests().size();
    Response keyless = post(*server_, "/api/ai/generate/",
                            to_json(json::object{{"model", name}, {"user_input", kResumeInput}}));
    EXPECT_STATUS(keyless, 503);
    EXPECT_EQ(provider_->requests().size(), calls) << "the model's URL was called";
    EXPECT_FALSE(secret_reached_provider());
}

TEST(EgressCli, TheCliAppliesTheSamePolicy) {
    Server s(ServerOptions{.env = {{"RESUMATE_AI_ALLOWED_HOSTS", "llm.internal"}},
                           .with_superuser = false,
                           .tag = "egresscli"});
    fs::create_directories(s.data_dir());
    CliResult key = s.cli({"ai-models", "add", "--display-name", "Leak", "--model-name", "m",
                           "--provider", "openai_compatible", "--api-key-name", "SECRET_KEY"});
    EXPECT_EQ(key.exit_code, 2) << key.describe();
    EXPECT_NE(key.err.find("api_key_name"), std::string::npos) << key.describe();
    CliResult url = s.cli({"ai-models", "add", "--display-name", "Far", "--model-name",
                           "m@http://attacker.example/v1", "--provider", "openai_compatible"});
    EXPECT_EQ(url.exit_code, 2) << url.describe();
    EXPECT_NE(url.err.find("model_name"), std::string::npos) << url.describe();
    CliResult ok = s.cli({"ai-models", "add", "--display-name", "Near", "--model-name",
                          "m@http://llm.internal:8080/v1", "--provider", "openai_compatible",
                          "--api-key-name", "LLM_API_KEY"});
    EXPECT_EQ(ok.exit_code, 0) << ok.describe();
}

// ---------------------------------------------------------------------------------------------
// 10. Usernames are NFKC-normalized, as Django does: look-alikes are the same user.

// "abc_1" in fullwidth forms (U+FF01..U+FF5E mirror ASCII '!'..'~').
std::string fullwidth(std::string_view ascii) {
    std::string out;
    for (char c : ascii) {
        char32_t cp = static_cast<char32_t>(c) - 0x21 + 0xFF01;
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

// A unique name of letters and digits only: the fullwidth low line is not a word character, so
// Django's validator (which sees the name as sent) refuses it.
std::string plain_unique_name(std::string_view tag) {
    std::string name = unique_name(tag);
    std::erase(name, '_');
    return name;
}

TEST(Usernames, LookAlikesOfAnExistingUserAreTaken) {
    const std::string name = plain_unique_name("nfkc");
    ASSERT_STATUS(post(shared_server(), "/api/auth/register/", register_body(name)), 201);
    Response twin = post(shared_server(), "/api/auth/register/", register_body(fullwidth(name)));
    EXPECT_STATUS(twin, 400);
    EXPECT_JSON(twin, kTaken);
    // Login normalizes too: the fullwidth form logs in as the user.
    Response in =
        post(shared_server(), "/api/auth/token/",
             to_json(json::object{{"username", fullwidth(name)}, {"password", kPassword}}));
    EXPECT_STATUS(in, 200);
}

TEST(Usernames, ANewLookAlikeIsStoredInItsNormalForm) {
    const std::string name = plain_unique_name("nfkcnew");
    // "𝐚" (U+1D41A, mathematical bold a) + the name: stored and answered as "a" + the name.
    Response r = post(shared_server(), "/api/auth/register/",
                      register_body("\xF0\x9D\x90\x9A" + fullwidth(name)));
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["username"]), "a" + name);
    EXPECT_STATUS(post(shared_server(), "/api/auth/register/", register_body("a" + name)), 400);
    login(shared_server(), "a" + name, kPassword);
}

// ---------------------------------------------------------------------------------------------
// 12. The data directory is private to the service user.

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return 07777;
    return st.st_mode & 07777;
}

TEST(DataFiles, ArePrivateToTheServiceUser) {
    if (postgres_run()) GTEST_SKIP() << "the embedded database's files";
    Server s(ServerOptions{.env = {}, .with_superuser = true, .tag = "perms"});
    // A data directory an older version left readable by everyone.
    fs::create_directories(s.data_dir());
    fs::permissions(s.data_dir(), fs::perms(0755));
    s.start();
    ASSERT_STATUS(post(s, "/api/auth/register/", register_body(unique_name("perms"))), 201);
    EXPECT_EQ(mode_of(s.data_dir()), 0700u);
    int files = 0;
    for (const auto& e : fs::directory_iterator(s.data_dir())) {
        if (!e.is_regular_file()) continue;
        ++files;
        EXPECT_EQ(mode_of(e.path()), 0600u) << e.path();
    }
    EXPECT_GE(files, 3) << "the database, its WAL and the secret key";
    EXPECT_EQ(s.stop(), 0);
    // Files made readable by others meanwhile are tightened at the next start.
    for (const auto& e : fs::directory_iterator(s.data_dir()))
        if (e.is_regular_file()) fs::permissions(e.path(), fs::perms(0644));
    s.start();
    for (const auto& e : fs::directory_iterator(s.data_dir()))
        if (e.is_regular_file()) {
            EXPECT_EQ(mode_of(e.path()), 0600u) << e.path();
        }
    EXPECT_EQ(s.stop(), 0);
}

}  // namespace
}  // namespace e2e
