// The provider wire formats that need no network: Gemini's answer shapes, error shapes,
// Retry-After / retryDelay, and per-model base URLs.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "ai/providers/gemini.hpp"
#include "ai/providers/openai_compatible.hpp"
#include "ai/providers/wire.hpp"

using namespace resumate::ai;
namespace json = boost::json;

namespace {
ProviderError::Kind gemini_failure(const char* answer) {
    try {
        GeminiProvider::extract_text(json::parse(answer));
    } catch (const ProviderError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "no failure for " << answer;
    return ProviderError::Kind::Permanent;
}
}  // namespace

TEST(GeminiWire, JoinsTextPartsAndSkipsThoughts) {
    auto answer = json::parse(R"({"candidates":[{"content":{"role":"model","parts":[
        {"text":"thinking...","thought":true},{"text":"# Jane"},{"text":" Doe"}]},"finishReason":"STOP"}]})");
    EXPECT_EQ(GeminiProvider::extract_text(answer), "# Jane Doe");
}

TEST(GeminiWire, BlockedPromptAndEmptyAnswersAreFailures) {
    EXPECT_EQ(gemini_failure(R"({"promptFeedback":{"blockReason":"SAFETY"}})"),
              ProviderError::Kind::Blocked);
    EXPECT_EQ(
        gemini_failure(R"({"candidates":[{"finishReason":"MAX_TOKENS","content":{"parts":[]}}]})"),
        ProviderError::Kind::Blocked);
    EXPECT_EQ(gemini_failure(R"({"candidates":[{"finishReason":"SAFETY"}]})"),
              ProviderError::Kind::Blocked);
    EXPECT_EQ(gemini_failure(R"([1,2])"), ProviderError::Kind::Transient);
}

TEST(Wire, ErrorShapes) {
    EXPECT_EQ(wire::error_message(json::parse(
                  R"({"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}})")),
              "quota");
    EXPECT_EQ(wire::error_message(json::parse(R"({"error":"model not found"})")),
              "model not found");
    EXPECT_EQ(wire::error_message(json::parse(R"({"object":"error","message":"bad","code":400})")),
              "bad");
    EXPECT_EQ(wire::error_message(json::parse(R"({"detail":"nope"})")), "nope");
    EXPECT_EQ(wire::error_message(json::parse(R"([])")), "");
}

TEST(Wire, StatusKinds) {
    EXPECT_EQ(wire::kind_for_status(401), ProviderError::Kind::KeyRejected);
    EXPECT_EQ(wire::kind_for_status(403), ProviderError::Kind::KeyRejected);
    EXPECT_EQ(wire::kind_for_status(429), ProviderError::Kind::RateLimited);
    for (unsigned s : {408u, 500u, 502u, 503u, 504u})
        EXPECT_EQ(wire::kind_for_status(s), ProviderError::Kind::Transient);
    EXPECT_EQ(wire::kind_for_status(400), ProviderError::Kind::Permanent);
    EXPECT_EQ(wire::kind_for_status(404), ProviderError::Kind::Permanent);
}

TEST(Wire, RetryDelaysAndRetryAfter) {
    EXPECT_EQ(wire::parse_duration("30s")->count(), 30000);
    EXPECT_EQ(wire::parse_duration("1.5s")->count(), 1500);
    EXPECT_FALSE(wire::parse_duration("30"));
    EXPECT_FALSE(wire::parse_duration("-1s"));
    resumate::net::HttpResponse r;
    r.headers.emplace_back("Retry-After", "7");
    EXPECT_EQ(wire::retry_after(r)->count(), 7000);
    r.headers[0].second = "Wed, 21 Oct 2015 07:28:00 GMT";  // in the past: retry now
    EXPECT_EQ(wire::retry_after(r)->count(), 0);
    r.headers[0].second = "soon";
    EXPECT_FALSE(wire::retry_after(r));
}

TEST(Wire, PerModelBaseUrl) {
    auto [model, base] =
        OpenAiCompatibleProvider::split_model("llama3@http://127.0.0.1:11434/v1", "https://x/v1");
    EXPECT_EQ(model, "llama3");
    EXPECT_EQ(base, "http://127.0.0.1:11434/v1");
    auto [m2, b2] = OpenAiCompatibleProvider::split_model("deepseek/deepseek-r1",
                                                          "https://openrouter.ai/api/v1");
    EXPECT_EQ(m2, "deepseek/deepseek-r1");
    EXPECT_EQ(b2, "https://openrouter.ai/api/v1");
    EXPECT_EQ(wire::join_url("https://openrouter.ai/api/v1/", "/chat/completions"),
              "https://openrouter.ai/api/v1/chat/completions");
}
