// Secrets: SECRET_KEY is required (32 characters or more) with PostgreSQL, and no key, token or
// password appears in a log line, an error body or a crash message.
#include <libpq-fe.h>

#include "harness.hpp"

namespace e2e {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDbPassword = "Db-Pa55word-never-logged";
constexpr std::string_view kWrongPassword = "Wr0ng!Guess-never-logged";

// A PostgreSQL URL with a password and nothing listening behind it.
std::string unreachable_pg_url(std::string_view password_part = kDbPassword) {
    return "postgres://resumate:" + std::string(password_part) +
           "@127.0.0.1:" + std::to_string(unused_port()) + "/resumate";
}

// Runs `resumate <verb>` on a fresh data directory with base_env() plus `overrides`.
CliResult run_with(const std::string& verb, const EnvMap& overrides, const TempDir& dir) {
    fs::create_directories(dir.path() / "data");
    EnvMap env = base_env(dir.path() / "data");
    env["RESUMATE_PORT_FILE"] = (dir.path() / "port").string();
    for (const auto& [k, v] : overrides) {
        if (v == kUnset) {
            env.erase(k);
        } else {
            env[k] = v;
        }
    }
    return run_resumate({verb}, env, dir.path(), 30s);
}

TEST(SecretKey, ShortKeyIsRefusedWithPostgresBeforeConnecting) {
    const std::string key = "short-key-0123456789abcdefghijk";  // 31 characters
    ASSERT_EQ(key.size(), 31u);
    const std::vector<EnvMap> configs = {
        {{"DATABASE_URL", unreachable_pg_url()}, {"SECRET_KEY", key}},
        {{"DATABASE_URL", kUnset},
         {"DB_NAME", "resumate"},
         {"DB_USER", "resumate"},
         {"DB_PASSWORD", std::string(kDbPassword)},
         {"DB_HOST", "127.0.0.1"},
         {"DB_PORT", std::to_string(unused_port())},
         {"SECRET_KEY", key}},
    };
    for (const EnvMap& config : configs) {
        for (const std::string verb : {"serve", "check"}) {
            SCOPED_TRACE(verb);
            TempDir dir("shortkey");
            CliResult r = run_with(verb, config, dir);
            EXPECT_FALSE(r.timed_out) << r.describe();
            // 2 is a configuration error; a connection attempt would have failed with 1.
            EXPECT_EQ(r.exit_code, 2) << r.describe();
            EXPECT_EQ(r.err.rfind("configuration error: SECRET_KEY: ", 0), 0u) << r.describe();
            EXPECT_NE(r.err.find("32"), std::string::npos) << r.describe();
            EXPECT_EQ((r.out + r.err).find(key), std::string::npos) << "the key is printed";
            EXPECT_EQ((r.out + r.err).find(kDbPassword), std::string::npos) << r.describe();
            EXPECT_FALSE(fs::exists(dir.path() / "port")) << "a port file was written";
        }
    }
}

TEST(SecretKey, MissingKeyIsRefusedWithPostgres) {
    TempDir dir("nokey");
    CliResult r =
        run_with("serve", {{"DATABASE_URL", unreachable_pg_url()}, {"SECRET_KEY", kUnset}}, dir);
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_EQ(r.err.rfind("configuration error: SECRET_KEY: ", 0), 0u) << r.describe();
    EXPECT_FALSE(fs::exists(dir.path() / "data" / "secret_key")) << "a key was generated";
}

TEST(SecretKey, ShortKeyIsAcceptedOnTheEmbeddedDefaultWithAWarning) {
    TempDir dir("shortsqlite");
    const std::string key = "short-embedded-key";
    CliResult r = run_with("check", {{"DATABASE_URL", kUnset}, {"SECRET_KEY", key}}, dir);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
}

TEST(Secrets, DatabasePasswordIsNotInCrashMessages) {
    // libpq quotes a malformed URI's password (bad escape) or the whole URI (broken IPv6 host)
    // in its error; refused and unreachable servers are the common case.
    const std::string port = std::to_string(unused_port());
    const std::vector<std::string> urls = {
        unreachable_pg_url(),
        "postgres://resumate:" + std::string(kDbPassword) + "%zz@127.0.0.1:" + port + "/resumate",
        "postgres://resumate:" + std::string(kDbPassword) + "@[::1:" + port + "/resumate",
    };
    for (const std::string& url : urls) {
        for (const std::string verb : {"serve", "migrate"}) {
            SCOPED_TRACE(verb + " with " + url);
            TempDir dir("dbpassword");
            CliResult r = run_with(verb, {{"DATABASE_URL", url}}, dir);
            EXPECT_FALSE(r.timed_out) << r.describe();
            EXPECT_NE(r.exit_code, 0) << r.describe();
            EXPECT_FALSE(r.err.empty()) << "no error message" << r.describe();
            EXPECT_EQ((r.out + r.err).find(kDbPassword), std::string::npos) << r.describe();
        }
    }
}

// A fresh database on the test PostgreSQL, as a URL carrying a password (the test server trusts
// local connections, so the password is accepted and ignored). Empty without PostgreSQL.
std::string postgres_url_with_password() {
    const char* admin = std::getenv("TEST_DATABASE_URL");
    if (admin == nullptr || *admin == '\0') return {};
    const std::string name = "e2e_secrets_" + std::to_string(::getpid());
    PGconn* c = PQconnectdb(admin);
    PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error("CREATE DATABASE " + name + " failed");
    std::string url(admin);  // postgres://user@host:port/db
    const size_t at = url.find('@');
    if (at == std::string::npos) throw std::runtime_error("TEST_DATABASE_URL has no user");
    url.insert(at, ":" + std::string(kDbPassword));
    return url.substr(0, url.rfind('/')) + "/" + name;
}

TEST(Secrets, ServerLogHoldsNoKeyTokenOrPassword) {
    EnvMap env{{"RESUMATE_LOG_LEVEL", "trace"}};
    const std::string db_url = postgres_url_with_password();
    if (!db_url.empty()) env["DATABASE_URL"] = db_url;
    Server s(ServerOptions{.env = env, .tag = "secrets"});
    s.start();

    TestUser u = create_user(s, "secrets");  // register + login
    Response refreshed =
        post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", u.refresh}}));
    ASSERT_STATUS(refreshed, 200);
    const std::string new_access = str(refreshed.obj()["access"]);
    EXPECT_STATUS(get(s, "/api/resumes/", new_access), 200);
    EXPECT_STATUS(
        post(s, "/api/auth/token/",
             to_json(json::object{{"username", u.username}, {"password", kWrongPassword}})),
        401);
    EXPECT_STATUS(post(s, "/api/auth/token/",
                       to_json(json::object{{"username", "nobody-" + u.username},
                                            {"password", kWrongPassword}})),
                  401);
    EXPECT_STATUS(post(s, "/api/auth/token/verify/", to_json(json::object{{"token", u.access}})),
                  200);
    EXPECT_STATUS(
        post(s, "/api/auth/token/blacklist/", to_json(json::object{{"refresh", u.refresh}})), 200);
    EXPECT_STATUS(
        post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", u.refresh}})), 401);
    EXPECT_STATUS(get(s, "/api/resumes/", u.access + "x"), 401);
    ASSERT_EQ(s.stop(), 0);

    const std::string log = s.log_text();
    EXPECT_NE(log.find("listening on"), std::string::npos) << "the log looks empty:\n" << log;
    const std::vector<std::pair<std::string, std::string>> secrets = {
        {"the password", std::string(kPassword)},
        {"the wrong password", std::string(kWrongPassword)},
        {"the admin password", std::string(kAdminPassword)},
        {"SECRET_KEY", std::string(kSecretKey)},
        {"the database password", std::string(kDbPassword)},
        {"the access token", u.access},
        {"the refresh token", u.refresh},
        {"the refreshed access token", new_access},
    };
    for (const auto& [what, secret] : secrets) {
        EXPECT_EQ(log.find(secret), std::string::npos) << what << " appears in the log";
    }
    // Nor their signatures alone (a log line could cut a token short).
    for (const std::string& token : {u.access, u.refresh, new_access}) {
        EXPECT_EQ(log.find(token.substr(token.rfind('.') + 1)), std::string::npos);
    }
}

}  // namespace
}  // namespace e2e
