// The management verbs of the binary (migrate, seed, createsuperuser, --help), configuration
// errors, and what persists in RESUMATE_DATA_DIR across restarts.
#include "harness.hpp"

namespace e2e {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) lines.push_back(line);
        pos = end + 1;
    }
    return lines;
}

std::optional<int64_t> count(const Server& s, const std::string& sql) {
    auto row = query_row(s.data_dir(), sql);
    if (!row || row->empty()) return std::nullopt;
    return std::stoll((*row)[0]);
}

// A server object whose data directory is prepared by hand before `start()`.
std::unique_ptr<Server> unstarted_server(std::string tag, EnvMap env = {}) {
    auto s = std::make_unique<Server>(
        ServerOptions{.env = std::move(env), .with_superuser = false, .tag = std::move(tag)});
    fs::create_directories(s->data_dir());
    return s;
}

TEST(Cli, HelpPrintsUsageAndExits0) {
    TempDir dir("help");
    const EnvMap env = base_env(dir.path() / "data");
    CliResult top = run_resumate({"--help"}, env, dir.path());
    EXPECT_EQ(top.exit_code, 0) << top.describe();
    const std::string top_text = top.out + top.err;
    for (const char* verb : {"serve", "migrate", "createsuperuser", "seed"}) {
        EXPECT_NE(top_text.find(verb), std::string::npos) << verb << top.describe();
    }

    CliResult serve = run_resumate({"serve", "--help"}, env, dir.path());
    EXPECT_EQ(serve.exit_code, 0) << serve.describe();
    EXPECT_FALSE((serve.out + serve.err).empty());
    EXPECT_FALSE(serve.timed_out) << "serve --help must not start the server";

    CliResult su = run_resumate({"createsuperuser", "--help"}, env, dir.path());
    EXPECT_EQ(su.exit_code, 0) << su.describe();
    EXPECT_NE((su.out + su.err).find("--username"), std::string::npos) << su.describe();
}

TEST(Cli, UnknownVerbFails) {
    TempDir dir("badverb");
    CliResult r = run_resumate({"frobnicate"}, base_env(dir.path() / "data"), dir.path(), 20s);
    EXPECT_NE(r.exit_code, 0) << r.describe();
    EXPECT_FALSE(r.timed_out);
}

TEST(Cli, MigrateIsIdempotent) {
    auto s = unstarted_server("migrate");
    for (int i = 0; i < 2; ++i) {
        CliResult r = s->cli({"migrate"});
        EXPECT_EQ(r.exit_code, 0) << "run " << i << r.describe();
    }
    EXPECT_TRUE(count(*s, "SELECT COUNT(*) FROM auth_user").has_value())
        << "no SQLite database with auth_user in " << s->data_dir();
    for (const char* table : {"resume_resume", "job_tracker_jobapplication", "ai_aimodel"}) {
        EXPECT_TRUE(count(*s, std::string("SELECT COUNT(*) FROM ") + table).has_value()) << table;
    }
}

TEST(Cli, SeedIsIdempotentAndServeSeedsOnlyOnce) {
    auto s = unstarted_server("seed");
    ASSERT_EQ(s->cli({"migrate"}).exit_code, 0);
    for (int i = 0; i < 2; ++i) {
        CliResult r = s->cli({"seed"});
        EXPECT_EQ(r.exit_code, 0) << "run " << i << r.describe();
    }
    EXPECT_EQ(count(*s, "SELECT COUNT(*) FROM job_tracker_jobapplication WHERE is_example"), 5);
    EXPECT_EQ(count(*s, "SELECT COUNT(*) FROM ai_aimodel"), 5);

    // serve seeds again on start: still exactly five of each.
    s->start();
    Response models = get(*s, "/api/ai/models/");
    ASSERT_STATUS(models, 200);
    EXPECT_EQ(models.obj()["data"].as_array().size(), 5u);
    Response examples = get(*s, "/api/example-job-applications/");
    ASSERT_STATUS(examples, 200);
    EXPECT_EQ(examples.obj()["data"].as_array().size(), 5u);
    for (int id = 6; id <= 10; ++id) {
        EXPECT_STATUS(get(*s, "/api/example-job-applications/" + std::to_string(id) + "/"), 404);
    }
    EXPECT_EQ(count(*s, "SELECT COUNT(*) FROM job_tracker_jobapplication WHERE is_example"), 5);
    EXPECT_EQ(count(*s, "SELECT COUNT(*) FROM ai_aimodel"), 5);
    EXPECT_EQ(count(*s,
                    "SELECT COUNT(*) FROM auth_user WHERE username = 'example_user' AND "
                    "NOT is_active"),
              1);
    EXPECT_EQ(s->stop(), 0);
}

TEST(Cli, CreateSuperuserFromFlagsAndFromEnvironment) {
    auto s = unstarted_server("superuser");
    ASSERT_EQ(s->cli({"migrate"}).exit_code, 0);

    const std::vector<std::string> flags = {"createsuperuser",  "--username",       "boss",
                                            "--email",          "boss@example.com", "--password",
                                            "Sup3r!Secret-Pass"};
    CliResult first = s->cli(flags);
    EXPECT_EQ(first.exit_code, 0) << first.describe();
    CliResult again = s->cli(flags);
    EXPECT_EQ(again.exit_code, 0) << "an existing user is not an error" << again.describe();

    CliResult from_env = s->cli({"createsuperuser", "--noinput"},
                                {{"DJANGO_SUPERUSER_USERNAME", "envboss"},
                                 {"DJANGO_SUPERUSER_EMAIL", "envboss@example.com"},
                                 {"DJANGO_SUPERUSER_PASSWORD", "Env!Secret-Pass-9"}});
    EXPECT_EQ(from_env.exit_code, 0) << from_env.describe();
    EXPECT_EQ(count(*s,
                    "SELECT COUNT(*) FROM auth_user WHERE username IN ('boss', 'envboss') "
                    "AND is_staff AND is_superuser AND is_active"),
              2);

    s->start();
    for (const auto& [user, password] : std::vector<std::pair<std::string, std::string>>{
             {"boss", "Sup3r!Secret-Pass"}, {"envboss", "Env!Secret-Pass-9"}}) {
        SCOPED_TRACE(user);
        TestUser u;
        ASSERT_NO_THROW(u = login(*s, user, password));
        EXPECT_STATUS(get(*s, "/api/admin/ai-models/", u.access), 200);
    }

    // While the server runs, against the same database.
    CliResult live = s->cli({"createsuperuser", "--username", "liveboss", "--email",
                             "live@example.com", "--password", "L1ve!Secret-Pass"});
    EXPECT_EQ(live.exit_code, 0) << live.describe();
    TestUser lu;
    ASSERT_NO_THROW(lu = login(*s, "liveboss", "L1ve!Secret-Pass"));
    EXPECT_STATUS(get(*s, "/api/admin/ai-models/", lu.access), 200);

    // A registered (non-staff) user is not let in.
    TestUser plain = create_user(*s, "plain");
    Response forbidden = get(*s, "/api/admin/ai-models/", plain.access);
    EXPECT_STATUS(forbidden, 403);
    EXPECT_JSON(forbidden, kForbidden);
    EXPECT_EQ(s->stop(), 0);
}

std::string repeated(std::string_view piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += piece;
    return out;
}

// createsuperuser applies registration's rules with registration's messages: 150 characters
// (code points, not bytes) at most, and an email of at most 254.
TEST(Cli, CreateSuperuserValidatesLikeRegistration) {
    auto s = unstarted_server("superuser-rules");
    ASSERT_EQ(s->cli({"migrate"}).exit_code, 0);
    s->start();
    const std::string password = "Sup3r!Secret-Pass";
    auto register_user = [&](const std::string& name, const std::string& email) {
        return post(*s, "/api/auth/register/",
                    to_json(json::object{{"username", name},
                                         {"email", email},
                                         {"password", password},
                                         {"password2", password}}));
    };
    auto createsuperuser = [&](const std::string& name, const std::string& email) {
        return s->cli(
            {"createsuperuser", "--username", name, "--email", email, "--password", password});
    };
    const std::string too_long = "Ensure this field has no more than 150 characters.";

    // 151 two-byte and three-byte characters: both refuse them, with the same message.
    for (std::string_view piece : {"é", "字"}) {
        SCOPED_TRACE(std::string(piece));
        const std::string name = repeated(piece, 151);
        Response api = register_user(name, "long@example.com");
        EXPECT_STATUS(api, 400);
        EXPECT_JSON(api, to_json(json::object{{"username", json::array{too_long}}}));
        CliResult cli = createsuperuser(name, "long@example.com");
        EXPECT_EQ(cli.exit_code, 2) << cli.describe();
        EXPECT_EQ(lines_of(cli.err),
                  std::vector<std::string>{"createsuperuser: username: " + too_long})
            << cli.describe();
        EXPECT_THROW(login(*s, name, password), std::runtime_error);
    }

    // 150 of them (300 and 450 bytes): both accept them.
    const std::string api_name = repeated("é", 150);
    Response created = register_user(api_name, "e@example.com");
    EXPECT_STATUS(created, 201);
    EXPECT_NO_THROW(login(*s, api_name, password));

    const std::string cli_name = repeated("字", 150);
    CliResult cli = createsuperuser(cli_name, "zi@example.com");
    EXPECT_EQ(cli.exit_code, 0) << cli.describe();
    EXPECT_NE(cli.out.find("Superuser \"" + cli_name + "\" created.\n"), std::string::npos)
        << cli.describe();
    TestUser admin;
    ASSERT_NO_THROW(admin = login(*s, cli_name, password));
    EXPECT_STATUS(get(*s, "/api/admin/ai-models/", admin.access), 200);
    // Registration sees the same account.
    Response taken = register_user(cli_name, "zi2@example.com");
    EXPECT_STATUS(taken, 400);
    EXPECT_JSON(taken, R"({"username":["A user with that username already exists."]})");

    // A name with a character the validator refuses, and a 255-character email.
    const std::string bad_name = "no spaces";
    const std::string long_email = std::string(244, 'a') + "@example.io";
    ASSERT_EQ(long_email.size(), 255u);
    Response api = register_user(bad_name, long_email);
    EXPECT_STATUS(api, 400);
    const std::string invalid_name =
        "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ "
        "characters.";
    const std::string email_too_long = "Ensure this field has no more than 254 characters.";
    EXPECT_JSON(api, to_json(json::object{{"username", json::array{invalid_name}},
                                          {"email", json::array{email_too_long}}}));
    CliResult bad = createsuperuser(bad_name, long_email);
    EXPECT_EQ(bad.exit_code, 2) << bad.describe();
    EXPECT_EQ(lines_of(bad.err),
              (std::vector<std::string>{"createsuperuser: username: " + invalid_name,
                                        "createsuperuser: email: " + email_too_long}))
        << bad.describe();
    EXPECT_EQ(s->stop(), 0);
}

void expect_config_error(const std::string& variable, const std::string& value) {
    SCOPED_TRACE(variable + "=" + value);
    TempDir dir("badconfig");
    fs::create_directories(dir.path() / "data");
    EnvMap env = base_env(dir.path() / "data");
    env["RESUMATE_PORT_FILE"] = (dir.path() / "port").string();
    env[variable] = value;
    CliResult r = run_resumate({"serve"}, env, dir.path(), 10s);
    EXPECT_FALSE(r.timed_out) << "serve kept running with a bad " << variable << r.describe();
    EXPECT_NE(r.exit_code, 0) << r.describe();
    std::vector<std::string> lines = lines_of(r.err);
    EXPECT_EQ(lines.size(), 1u) << "expected exactly one line on stderr" << r.describe();
    if (!lines.empty()) {
        EXPECT_NE(lines[0].find(variable), std::string::npos) << r.describe();
    }
    EXPECT_FALSE(fs::exists(dir.path() / "port")) << "a port file was written";
}

TEST(Cli, BadConfigurationFailsWithOneLineNamingTheVariable) {
    expect_config_error("RESUMATE_THREADS", "abc");
    expect_config_error("PORT", "99999");
    expect_config_error("PORT", "abc");
    expect_config_error("RESUMATE_AI_MAX_INPUT_CHARS", "10");  // below the 50 DRF's min needs
}

TEST(Cli, GeneratedSecretAndDataPersistAcrossRestarts) {
    // Without SECRET_KEY the server generates one in RESUMATE_DATA_DIR and keeps it — on the
    // embedded default only; elsewhere a missing key is a configuration error (next test).
    if (std::getenv("TEST_DATABASE_URL")) GTEST_SKIP() << "embedded default only";
    auto s = unstarted_server("restart", {{"SECRET_KEY", kUnset}});
    s->start();
    TestUser u = create_user(*s, "persist");
    Response created =
        post(*s, "/api/resumes/", R"({"title":"Kept","content":"# Kept"})", u.access);
    ASSERT_STATUS(created, 201);
    // The generated secret is not the test's.
    EXPECT_STATUS(get(*s, "/api/resumes/", "",
                      HeaderList{{"Authorization", "Bearer " + mint_token(token_claims(u.id))}}),
                  401);
    ASSERT_EQ(s->stop(), 0);

    s->start();
    Response list = get(*s, "/api/resumes/", u.access);
    ASSERT_STATUS(list, 200) << "a token issued before the restart must stay valid";
    ASSERT_EQ(list.arr().size(), 1u) << list.describe();
    EXPECT_EQ(list.arr()[0], created.json());
    Response refreshed =
        post(*s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", u.refresh}}));
    EXPECT_STATUS(refreshed, 200);
    EXPECT_NO_THROW(login(*s, u.username, u.password));
    // Seeding on the second start added nothing.
    EXPECT_STATUS(get(*s, "/api/example-job-applications/6/"), 404);
    EXPECT_EQ(s->stop(), 0);
}

}  // namespace
TEST(Cli, SecretKeyIsRequiredOutsideTheEmbeddedDefault) {
    const char* admin = std::getenv("TEST_DATABASE_URL");
    if (!admin) GTEST_SKIP() << "needs the PostgreSQL run";
    auto s = unstarted_server("nosecret", {{"SECRET_KEY", kUnset}});
    CliResult r = s->cli({"serve"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("SECRET_KEY"), std::string::npos) << r.describe();
}

TEST(Cli, AiModelsVerbsManageTheTable) {
    auto s = unstarted_server("aimodels", {{"RESUMATE_AI_ALLOWED_HOSTS", "127.0.0.1"}});
    CliResult add = s->cli({"ai-models", "add", "--display-name", "Local Llama", "--model-name",
                            "llama3@http://127.0.0.1:9/v1", "--provider", "openai_compatible",
                            "--daily-limit", "3", "--description", "A local model"});
    ASSERT_EQ(add.exit_code, 0) << add.describe();
    CliResult dup = s->cli({"ai-models", "add", "--display-name", "Local Llama", "--model-name",
                            "x", "--provider", "offline"});
    EXPECT_NE(dup.exit_code, 0) << dup.describe();
    CliResult bad = s->cli(
        {"ai-models", "add", "--display-name", "Y", "--model-name", "y", "--provider", "bogus"});
    EXPECT_NE(bad.exit_code, 0) << bad.describe();
    CliResult list = s->cli({"ai-models", "list"});
    ASSERT_EQ(list.exit_code, 0) << list.describe();
    EXPECT_NE(list.out.find("Local Llama"), std::string::npos) << list.out;
    s->start();
    Response models = get(*s, "/api/ai/models/");
    EXPECT_NE(models.body.find("Local Llama"), std::string::npos) << models.describe();
    EXPECT_EQ(s->stop(), 0);
    ASSERT_EQ(s->cli({"ai-models", "disable", "Local Llama"}).exit_code, 0);
    ASSERT_EQ(s->cli({"ai-models", "update", "Cypher", "--login-required", "true"}).exit_code, 0);
    s->start();
    models = get(*s, "/api/ai/models/");
    EXPECT_EQ(models.body.find("Local Llama"), std::string::npos) << models.describe();
    EXPECT_NE(models.body.find(R"({"model_name":"Cypher","login_required":true)"),
              std::string::npos)
        << models.describe();
    EXPECT_EQ(s->stop(), 0);
    EXPECT_EQ(s->cli({"ai-models", "remove", "Local Llama"}).exit_code, 0);
    EXPECT_NE(s->cli({"ai-models", "remove", "Local Llama"}).exit_code, 0);
}

// A change made with the CLI reaches a running server's in-process cache: the CLI finds the
// server through <data_dir>/resumate.pid and sends it SIGHUP (issue 4, point 7).
TEST(Cli, AiModelsChangeDropsARunningServersCache) {
    auto s = unstarted_server("aimodels-live");
    s->start();
    get(*s, "/api/ai/models/");
    Response hit = get(*s, "/api/ai/models/");
    ASSERT_NE(hit.body.find("HIT"), std::string::npos) << hit.describe();
    ASSERT_NE(hit.body.find(R"("model_name":"Cypher")"), std::string::npos) << hit.describe();

    CliResult off = s->cli({"ai-models", "disable", "Cypher"});
    ASSERT_EQ(off.exit_code, 0) << off.describe();
    EXPECT_NE(off.out.find("pid " + std::to_string(s->pid())), std::string::npos) << off.describe();
    ASSERT_TRUE(s->wait_for_log_line({"cached model list dropped"}, 5s).has_value())
        << s->log_text();
    Response after = get(*s, "/api/ai/models/");
    EXPECT_NE(after.body.find("MISS"), std::string::npos) << after.describe();
    EXPECT_EQ(after.body.find(R"("model_name":"Cypher")"), std::string::npos) << after.describe();
    EXPECT_EQ(s->stop(), 0);
    EXPECT_FALSE(std::filesystem::exists(s->data_dir() / "resumate.pid"))
        << "the pid file outlived the server";
    // With no server running the CLI still works, and says nothing about a server.
    CliResult on = s->cli({"ai-models", "enable", "Cypher"});
    ASSERT_EQ(on.exit_code, 0) << on.describe();
    EXPECT_EQ(on.out, "ok\n");
}

}  // namespace e2e

namespace e2e {
namespace {

// `resumate healthcheck` (the image's HEALTHCHECK): 0 while the server at HOST:PORT answers
// /healthz, 1 with the reason once it is gone.
TEST(Cli, HealthcheckAsksTheServersHealthz) {
    Server s(ServerOptions{.env = {}, .with_superuser = false, .tag = "healthcheck"});
    s.start();
    const EnvMap at_port{{"PORT", std::to_string(s.port())}};
    CliResult up = s.cli({"healthcheck"}, at_port);
    EXPECT_EQ(up.exit_code, 0) << up.describe();
    // HOST=0.0.0.0 (a container's) is asked on loopback.
    CliResult any =
        s.cli({"healthcheck"}, {{"PORT", std::to_string(s.port())}, {"HOST", "0.0.0.0"}});
    EXPECT_EQ(any.exit_code, 0) << any.describe();
    EXPECT_EQ(s.stop(), 0);
    CliResult down = s.cli({"healthcheck"}, at_port);
    EXPECT_EQ(down.exit_code, 1) << down.describe();
    EXPECT_NE(down.err.find("unhealthy: cannot connect"), std::string::npos) << down.describe();
}

}  // namespace
}  // namespace e2e
