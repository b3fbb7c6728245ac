// The operator's egress policy for AI models: which variables may hold a key, which hosts a
// model's own base URL may name.
#include "ai/egress_policy.hpp"

#include <gtest/gtest.h>

using resumate::ai::EgressPolicy;

TEST(EgressPolicy, DefaultAllowsOnlyApiKeyNames) {
    EgressPolicy p;
    EXPECT_TRUE(p.key_name_allowed("GEMINI_API_KEY"));
    EXPECT_TRUE(p.key_name_allowed("OPENROUTER_API_KEY"));
    EXPECT_FALSE(p.key_name_allowed("SECRET_KEY"));
    EXPECT_FALSE(p.key_name_allowed("DATABASE_URL"));
    EXPECT_FALSE(p.key_name_allowed("PATH"));
    EXPECT_FALSE(p.key_name_allowed("gemini_api_key"));  // names are case-sensitive
    EXPECT_FALSE(p.key_name_allowed(""));
    EXPECT_TRUE(p.key_name_problem("SECRET_KEY"));
    EXPECT_FALSE(p.key_name_problem("GEMINI_API_KEY"));
    EXPECT_FALSE(p.key_name_problem(""));  // no key needed
}

TEST(EgressPolicy, ServerSecretsAreNeverKeysWhateverTheAllowlist) {
    EgressPolicy p({"*"}, {}, {});
    EXPECT_TRUE(p.key_name_allowed("HF_TOKEN"));
    for (const char* name : {"SECRET_KEY", "DATABASE_URL", "DATABASE_REPLICA_URLS", "DB_PASSWORD",
                             "REDIS_URL", "PGPASSWORD", "DJANGO_SUPERUSER_PASSWORD",
                             "RESUMATE_DATA_DIR", "MY_PASSWORD_API_KEY", "CLIENT_SECRET_API_KEY"})
        EXPECT_FALSE(p.key_name_allowed(name)) << name;
}

TEST(EgressPolicy, BaseUrlsFromConfiguredProvidersAndAllowedHosts) {
    EgressPolicy p({"*_API_KEY"}, {"https://openrouter.ai/api/v1", "http://127.0.0.1:11434/v1", ""},
                   {"llm.internal", "10.1.2.3:8080", "[::1]:9000"});
    EXPECT_TRUE(p.base_url_allowed("https://openrouter.ai/api/v2"));
    EXPECT_TRUE(p.base_url_allowed("https://OpenRouter.AI:443/x"));
    EXPECT_FALSE(p.base_url_allowed("http://openrouter.ai/api/v1"));  // port 80, not 443
    EXPECT_TRUE(p.base_url_allowed("http://127.0.0.1:11434/v1"));
    EXPECT_FALSE(p.base_url_allowed("http://127.0.0.1:6379/"));
    EXPECT_TRUE(p.base_url_allowed("http://llm.internal:1234/v1"));
    EXPECT_TRUE(p.base_url_allowed("https://llm.internal/v1"));
    EXPECT_TRUE(p.base_url_allowed("http://10.1.2.3:8080/v1"));
    EXPECT_FALSE(p.base_url_allowed("http://10.1.2.3:8081/v1"));
    EXPECT_TRUE(p.base_url_allowed("http://[::1]:9000/v1"));
    EXPECT_FALSE(p.base_url_allowed("http://attacker.example/v1"));
    EXPECT_FALSE(p.base_url_allowed("http://user@llm.internal/v1"));  // no user information
    EXPECT_FALSE(p.base_url_allowed("ftp://llm.internal/v1"));
    EXPECT_FALSE(p.base_url_allowed("http://llm.internal.attacker.example/v1"));
}

TEST(EgressPolicy, ModelNameProblems) {
    EgressPolicy p({"*_API_KEY"}, {"https://openrouter.ai/api/v1"}, {"127.0.0.1"});
    EXPECT_FALSE(p.model_name_problem("deepseek/deepseek-r1"));
    EXPECT_FALSE(p.model_name_problem("llama3@http://127.0.0.1:11434/v1"));
    EXPECT_TRUE(p.model_name_problem("x@http://attacker.example/v1"));
    EXPECT_TRUE(p.model_name_problem("x@http://"));
    EXPECT_TRUE(p.model_name_problem("x@http://127.0.0.1@attacker.example/v1"));
}
