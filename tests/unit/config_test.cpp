// Configuration read into Config's own variables (no process environment written), and the
// provider keys read from them.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ai/key_store.hpp"
#include "app/config.hpp"

using resumate::ai::EgressPolicy;
using resumate::ai::KeyStore;
using resumate::app::Config;
using resumate::app::Variables;

namespace {

// A .env file in a fresh temporary directory, removed at the end.
class DotenvFile {
  public:
    explicit DotenvFile(const std::string& text) {
        char tmpl[] = "/tmp/resumate-config-XXXXXX";
        dir_ = ::mkdtemp(tmpl);
        std::ofstream(path()) << text;
    }
    ~DotenvFile() { std::filesystem::remove_all(dir_); }
    std::string path() const { return (dir_ / ".env").string(); }

  private:
    std::filesystem::path dir_;
};

}  // namespace

TEST(Config, ReadsTheEnvironmentAndDotenvWithoutChangingTheEnvironment) {
    const char* path = std::getenv("PATH");
    ASSERT_NE(path, nullptr);
    DotenvFile dotenv("PATH=/from/dotenv\nRESUMATE_CONFIG_TEST_ONLY_IN_DOTENV=\"quoted\"\n");
    Variables vars = resumate::app::read_variables(dotenv.path());
    // The environment wins over .env; what only .env names is added.
    EXPECT_EQ(vars.at("PATH"), path);
    EXPECT_EQ(vars.at("RESUMATE_CONFIG_TEST_ONLY_IN_DOTENV"), "quoted");
    // And the process environment is left alone.
    EXPECT_EQ(std::getenv("RESUMATE_CONFIG_TEST_ONLY_IN_DOTENV"), nullptr);
    EXPECT_STREQ(std::getenv("PATH"), path);
}

TEST(Config, SettingsAndNamedValuesComeFromItsVariables) {
    Config c = Config::from_variables({{"PORT", "8123"},
                                       {"DJANGO_SUPERUSER_USERNAME", "boss"},
                                       {"https_proxy", "http://proxy.internal:3128"},
                                       {"HTTP_PROXY", ""},
                                       {"http_proxy", "http://lower.internal:8080"},
                                       {"NO_PROXY", "example.com"},
                                       {"no_proxy", "ignored.example"}});
    EXPECT_EQ(c.port, 8123);
    EXPECT_EQ(c.variable("DJANGO_SUPERUSER_USERNAME"), "boss");
    EXPECT_EQ(c.variable("DJANGO_SUPERUSER_EMAIL"), std::nullopt);
    // As curl reads them: the upper-case name, else (also when empty) the lower-case one.
    EXPECT_EQ(c.proxy.https_proxy, "http://proxy.internal:3128");
    EXPECT_EQ(c.proxy.http_proxy, "http://lower.internal:8080");
    EXPECT_EQ(c.proxy.no_proxy, "example.com");

    EXPECT_THROW(Config::from_variables({{"PORT", "99999"}}), resumate::app::ConfigError);
    EXPECT_EQ(
        Config::from_variables({{"RESUMATE_OFFLINE_STREAM_PACE_MS", "40"}}).offline_stream_pace,
        std::chrono::milliseconds(40));
    EXPECT_THROW(Config::from_variables({{"RESUMATE_OFFLINE_STREAM_PACE_MS", "1001"}}),
                 resumate::app::ConfigError);
    // Logs and metrics.
    EXPECT_TRUE(Config::from_variables({{"RESUMATE_LOG_FORMAT", " JSON "}}).json_logs);
    EXPECT_FALSE(Config::from_variables({{"RESUMATE_LOG_FORMAT", "text"}}).json_logs);
    EXPECT_THROW(Config::from_variables({{"RESUMATE_LOG_FORMAT", "xml"}}),
                 resumate::app::ConfigError);
    Config allow = Config::from_variables({{"RESUMATE_METRICS_ALLOW", "10.0.0.0/8, fd00::/8"}});
    EXPECT_TRUE(resumate::http::in_networks(allow.metrics_allow, "10.1.2.3"));
    EXPECT_TRUE(resumate::http::in_networks(allow.metrics_allow, "fd00::1"));
    EXPECT_FALSE(resumate::http::in_networks(allow.metrics_allow, "127.0.0.1"));
    EXPECT_TRUE(Config::from_variables({{"RESUMATE_METRICS_ALLOW", ""}}).metrics_allow.empty());
    EXPECT_THROW(Config::from_variables({{"RESUMATE_METRICS_ALLOW", "10.0.0.0/33"}}),
                 resumate::app::ConfigError);
    EXPECT_THROW(Config::from_variables({{"RESUMATE_METRICS_ALLOW", "prometheus"}}),
                 resumate::app::ConfigError);
    Config defaults = Config::from_variables({});
    EXPECT_FALSE(defaults.json_logs);
    EXPECT_TRUE(resumate::http::in_networks(defaults.metrics_allow, "127.0.0.1"));
    EXPECT_TRUE(resumate::http::in_networks(defaults.metrics_allow, "::1"));
    EXPECT_FALSE(resumate::http::in_networks(defaults.metrics_allow, "192.168.1.10"));
    EXPECT_EQ(defaults.port, 8000);
    EXPECT_EQ(defaults.offline_stream_pace.count(), 0);
    EXPECT_TRUE(defaults.proxy.https_proxy.empty());
}

TEST(KeyStore, StartupValuesThenReloadedOnesWinAndOnlyAllowedNamesAreKept) {
    std::vector<std::pair<std::string, std::string>> dotenv;
    KeyStore keys(
        {{"GEMINI_API_KEY", " a , b,"},
         {"OPENROUTER_API_KEY", "router"},
         {"SECRET_KEY", "server-secret"}},
        [&dotenv] { return dotenv; }, EgressPolicy{});
    EXPECT_EQ(keys.keys("GEMINI_API_KEY"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(keys.keys("OPENROUTER_API_KEY"), std::vector<std::string>{"router"});
    EXPECT_TRUE(keys.keys("SECRET_KEY").empty()) << "a server secret is never a provider key";
    EXPECT_TRUE(keys.keys("MISSING_API_KEY").empty());

    dotenv = {{"GEMINI_API_KEY", "rotated"}, {"SECRET_KEY", "x"}};
    EXPECT_EQ(keys.reload(), 2u);
    EXPECT_EQ(keys.keys("GEMINI_API_KEY"), std::vector<std::string>{"rotated"});
    EXPECT_EQ(keys.keys("OPENROUTER_API_KEY"), std::vector<std::string>{"router"})
        << "a variable .env does not name keeps its start-up value";
    EXPECT_TRUE(keys.keys("SECRET_KEY").empty());
}
