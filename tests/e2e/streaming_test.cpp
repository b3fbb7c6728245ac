// The network providers against a scripted stand-in (issue 4): 429 with retryDelay or
// Retry-After, malformed JSON, a blocked prompt, a slow provider, streams in both wire formats
// (comments, [DONE], an error inside the stream), a client that leaves mid-stream, and the daily
// limit under 20 concurrent requests.
#include <fstream>
#include <future>

#include "harness.hpp"

namespace e2e {
namespace {

using Reply = FakeProvider::Reply;
using Clock = std::chrono::steady_clock;

constexpr const char* kGenericError =
    R"({"error":"An error occurred while communicating with the AI service."})";

std::string body_for(std::string_view model, std::string_view title = {}) {
    json::object o{{"model", model}, {"user_input", kResumeInput}};
    if (!title.empty()) o["title"] = title;
    return to_json(o);
}

bool is_stream_request(const FakeProvider::Recorded& r) {
    return r.target.find("streamGenerateContent") != std::string::npos ||
           r.body.find("\"stream\":true") != std::string::npos;
}

Reply json_reply(int status, std::string body, HeaderList headers = {}) {
    Reply r;
    r.status = status;
    r.pieces = {std::move(body)};
    r.headers = std::move(headers);
    return r;
}

Reply sse_reply(std::vector<std::string> pieces, std::chrono::milliseconds gap = 0ms) {
    Reply r;
    r.content_type = "text/event-stream";
    r.pieces = std::move(pieces);
    if (r.pieces.size() == 1) r.pieces.push_back("");  // keep it a streamed (EOF-ended) answer
    r.gap = gap;
    return r;
}

std::string openai_success(std::string_view text) {
    return to_json(json::object{
        {"id", "x"},
        {"choices", json::array{json::object{
                        {"index", 0},
                        {"message", json::object{{"role", "assistant"}, {"content", text}}},
                        {"finish_reason", "stop"}}}}});
}

class Scripted : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        provider_ = std::make_unique<FakeProvider>(200, "# Scripted Default\n");
        server_ = std::make_unique<Server>(
            ServerOptions{.env = {{"GEMINI_API_KEY", "e2e-gemini-key"},
                                  {"GEMINI_BASE_URL", provider_->base_url()},
                                  {"OPENROUTER_API_KEY", "e2e-openrouter-key"},
                                  {"OPENROUTER_BASE_URL", provider_->base_url() + "/api/v1"},
                                  {"RESUMATE_AI_TIMEOUT_MS", "4000"}},
                          .with_superuser = true,
                          .tag = "scripted"});
        server_->start();
    }
    static void TearDownTestSuite() {
        if (server_ && server_->running()) {
            EXPECT_EQ(server_->stop(), 0);
        }
        server_.reset();
        provider_.reset();
    }
    void SetUp() override {
        ASSERT_TRUE(server_ && server_->running()) << "server did not start";
        provider_->script(nullptr);
    }
    void TearDown() override { provider_->script(nullptr); }

    // A generation with room for retries and backoff.
    static Response generate(std::string_view model, const std::string& token,
                             std::string_view path = "/api/ai/generate/") {
        Client client(server_->port(), 60s);
        return client.send(make_request("POST", std::string(path), body_for(model), token));
    }
    static std::string resumes_of(const TestUser& u) {
        return get(*server_, "/api/resumes/", u.access).body;
    }

    static inline std::unique_ptr<FakeProvider> provider_;
    static inline std::unique_ptr<Server> server_;
};

// ---------------------------------------------------------------------------------------------
// Errors and retries

TEST_F(Scripted, GeminiRetryDelayIsHonoured) {
    auto calls = std::make_shared<std::atomic<int>>(0);
    provider_->script([calls](const FakeProvider::Recorded&, int) -> std::optional<Reply> {
        if ((*calls)++ > 0)
            return json_reply(200, FakeProvider::gemini_answer("# After The Retry\n"));
        return json_reply(
            429,
            R"({"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",)"
            R"("details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}})");
    });
    TestUser u = create_user(*server_, "retrydelay");
    const auto start = Clock::now();
    Response r = generate("Google Gemini", u.access);
    const auto took = Clock::now() - start;
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["content"]), "# After The Retry\n");
    EXPECT_EQ(calls->load(), 2);
    // The backoff alone is 300-450 ms: only the provider's retryDelay makes it 1.5 s.
    EXPECT_GE(took, 1400ms);
}

TEST_F(Scripted, OpenRouterRetryAfterIsHonoured) {
    auto calls = std::make_shared<std::atomic<int>>(0);
    provider_->script([calls](const FakeProvider::Recorded&, int) -> std::optional<Reply> {
        if ((*calls)++ > 0) return json_reply(200, openai_success("# Second Try\n"));
        return json_reply(429, R"({"error":{"message":"Rate limit exceeded","code":429}})",
                          {{"Retry-After", "2"}});
    });
    TestUser u = create_user(*server_, "retryafter");
    const auto start = Clock::now();
    Response r = generate("Deepseek", u.access);
    ASSERT_STATUS(r, 201);
    EXPECT_GE(Clock::now() - start, 1900ms);
    EXPECT_EQ(str(r.obj()["content"]), "# Second Try\n");
    EXPECT_EQ(calls->load(), 2);
}

TEST_F(Scripted, MalformedJsonIs503AndSavesNothing) {
    provider_->script([](const FakeProvider::Recorded&, int) -> std::optional<Reply> {
        return json_reply(200, R"({"candidates": [{"content": {"parts": [{"text": "# Cut)");
    });
    TestUser u = create_user(*server_, "malformed");
    Response r = generate("Google Gemini", u.access);
    EXPECT_STATUS(r, 503);
    EXPECT_JSON(r, kGenericError);
    EXPECT_EQ(resumes_of(u), "[]");
    EXPECT_TRUE(server_->wait_for_log_line({"gemini: malformed JSON answer"}).has_value());

    provider_->script(nullptr);  // and the next generation works again
    EXPECT_STATUS(generate("Google Gemini", u.access), 201);
}

TEST_F(Scripted, BlockedPromptIsAFailureNotAnEmptyResume) {
    const std::size_t before = provider_->requests().size();
    provider_->script([](const FakeProvider::Recorded&, int) -> std::optional<Reply> {
        return json_reply(
            200,
            R"({"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},"usageMetadata":{}})");
    });
    TestUser u = create_user(*server_, "blocked");
    Response r = generate("Google Gemini", u.access);
    EXPECT_STATUS(r, 503);
    EXPECT_JSON(r, kGenericError);
    EXPECT_EQ(resumes_of(u), "[]");
    EXPECT_TRUE(server_->wait_for_log_line({"Google Gemini", "prompt blocked: SAFETY"}).has_value())
        << server_->log_text();
    EXPECT_EQ(provider_->requests().size(), before + 1) << "a blocked prompt is not retried";

    // An answer stopped by the safety filter before any text: the same.
    provider_->script([](const FakeProvider::Recorded&, int) -> std::optional<Reply> {
        return json_reply(
            200,
            R"({"candidates":[{"content":{"parts":[],"role":"model"},"finishReason":"SAFETY","index":0}]})");
    });
    Response empty = generate("Google Gemini", u.access);
    EXPECT_STATUS(empty, 503);
    EXPECT_TRUE(server_->wait_for_log_line({"empty answer (finishReason SAFETY)"}).has_value());
    EXPECT_EQ(resumes_of(u), "[]");

    provider_->script(nullptr);
    EXPECT_STATUS(generate("Google Gemini", u.access), 201);
}

TEST_F(Scripted, SlowProviderDoesNotHoldUpOtherRequests) {
    provider_->script([](const FakeProvider::Recorded&, int) -> std::optional<Reply> {
        Reply r = json_reply(200, openai_success("# Slow But Sure\n"));
        r.delay = 2s;
        return r;
    });
    TestUser u = create_user(*server_, "slow");
    const auto start = Clock::now();
    auto slow = std::async(std::launch::async, [&] { return generate("Deepseek", u.access); });
    std::this_thread::sleep_for(200ms);
    std::chrono::milliseconds worst{0};
    for (int i = 0; i < 20; ++i) {
        const auto t = Clock::now();
        Response r = get(*server_, "/api/resumes/", u.access);
        EXPECT_STATUS(r, 200);
        worst = std::max(worst,
                         std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t));
    }
    EXPECT_LT(Clock::now() - start, 1900ms) << "other requests waited for the generation";
    EXPECT_LT(worst, 500ms);
    Response r = slow.get();
    EXPECT_STATUS(r, 201);
    EXPECT_GE(Clock::now() - start, 2s);
}

TEST_F(Scripted, ProviderSlowerThanTheDeadlineIs503) {
    provider_->script([](const FakeProvider::Recorded&, int) -> std::optional<Reply> {
        Reply r = json_reply(200, openai_success("# Too Late\n"));
        r.delay = 8s;
        return r;
    });
    TestUser u = create_user(*server_, "deadline");
    const auto start = Clock::now();
    Response r = generate("Deepseek", u.access);
    const auto took = Clock::now() - start;
    EXPECT_STATUS(r, 503);
    EXPECT_JSON(r, kGenericError);
    // RESUMATE_AI_TIMEOUT_MS=4000 bounds the whole generation, retries included.
    EXPECT_LT(took, 6s);
    EXPECT_GE(took, 3500ms);
    EXPECT_EQ(resumes_of(u), "[]");
    provider_->script(nullptr);
    EXPECT_STATUS(generate("Deepseek", u.access), 201);
}

// ---------------------------------------------------------------------------------------------
// Streams

struct StreamResult {
    std::string raw;
    std::vector<SseEvent> events;
    std::string text;  // the deltas joined
    std::chrono::milliseconds first_delta{0};
    std::chrono::milliseconds total{0};
};

// The raw bytes of POST /api/ai/generate/stream/ for `model` as the holder of `token`.
std::string stream_request(const Server& s, std::string_view model, const std::string& token,
                           std::string_view title = {}) {
    const std::string body = body_for(model, title);
    return "POST /api/ai/generate/stream/ HTTP/1.1\r\nHost: " + s.host() +
           "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + token +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

StreamResult stream_generation(const Server& s, std::string_view model, const std::string& token,
                               std::string_view title = {}) {
    RawConn conn(s.port());
    const std::string req = stream_request(s, model, token, title);
    const auto start = Clock::now();
    EXPECT_TRUE(conn.send_all(req));
    StreamResult out;
    auto first = conn.read_until("data: {\"delta\"", 30s);
    out.first_delta = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    auto rest = conn.read_until_closed(30s);
    out.total = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    out.raw = first.data + rest.data;
    out.events = parse_sse(dechunk(out.raw));
    for (const auto& e : out.events) {
        if (e.event != "message") continue;
        json::value d = parse_json(e.data);
        out.text += str(d.as_object().at("delta"));
    }
    return out;
}

TEST_F(Scripted, GeminiStreamRelaysTextAsItArrives) {
    provider_->script([](const FakeProvider::Recorded& r, int) -> std::optional<Reply> {
        if (!is_stream_request(r)) return std::nullopt;
        return sse_reply(
            {FakeProvider::gemini_event("# Jane"), FakeProvider::gemini_event(" Doe\n\n## Skills"),
             FakeProvider::gemini_event("\n- C++\n", "STOP")},
            400ms);
    });
    TestUser u = create_user(*server_, "gemstream");
    StreamResult r = stream_generation(*server_, "Google Gemini", u.access, "Streamed Gemini");
    EXPECT_EQ(r.raw.rfind("HTTP/1.1 200", 0), 0u) << r.raw;
    EXPECT_NE(r.raw.find("Content-Type: text/event-stream"), std::string::npos) << r.raw;
    EXPECT_NE(r.raw.find("Transfer-Encoding: chunked"), std::string::npos) << r.raw;
    EXPECT_NE(r.raw.find("X-Content-Type-Options: nosniff"), std::string::npos) << r.raw;
    EXPECT_EQ(r.text, "# Jane Doe\n\n## Skills\n- C++\n");
    ASSERT_GE(r.events.size(), 4u) << r.raw;
    EXPECT_EQ(r.events[0].data, R"({"delta":"# Jane"})");
    // The first piece reached the client while the provider was still writing the rest.
    EXPECT_LT(r.first_delta + 600ms, r.total)
        << "first " << r.first_delta.count() << " ms, total " << r.total.count();
    const SseEvent& done = r.events.back();
    ASSERT_EQ(done.event, "done") << r.raw;
    json::object d = parse_json(done.data).as_object();
    EXPECT_EQ(str(d["model"]), "Google Gemini");
    Response saved =
        get(*server_, "/api/resumes/" + std::to_string(d["resume_id"].as_int64()) + "/", u.access);
    ASSERT_STATUS(saved, 200);
    EXPECT_EQ(str(saved.obj()["content"]), r.text);
    EXPECT_EQ(str(saved.obj()["title"]), "Streamed Gemini");
    EXPECT_NE(provider_->requests().back().target.find(":streamGenerateContent?alt=sse"),
              std::string::npos)
        << provider_->requests().back().target;
}

TEST_F(Scripted, OpenAiStreamSkipsCommentsAndEndsAtDone) {
    provider_->script([](const FakeProvider::Recorded& r, int) -> std::optional<Reply> {
        if (!is_stream_request(r)) return std::nullopt;
        return sse_reply({": OPENROUTER PROCESSING\n\n", FakeProvider::openai_event("# Hello"),
                          ": OPENROUTER PROCESSING\n\n", FakeProvider::openai_event(" World\n"),
                          FakeProvider::openai_event("", true), "data: [DONE]\n\n"},
                         50ms);
    });
    TestUser u = create_user(*server_, "oastream");
    StreamResult r = stream_generation(*server_, "Deepseek", u.access);
    EXPECT_EQ(r.text, "# Hello World\n");
    ASSERT_FALSE(r.events.empty()) << r.raw;
    EXPECT_EQ(r.events.back().event, "done") << r.raw;
    EXPECT_EQ(r.raw.find("OPENROUTER"), std::string::npos) << "comments are not relayed";
    const auto sent = provider_->requests().back();
    EXPECT_NE(sent.body.find("\"stream\":true"), std::string::npos) << sent.body;
    EXPECT_EQ(sent.header("Authorization"), "Bearer e2e-openrouter-key");
}

TEST_F(Scripted, ErrorInsideAStreamEndsWithAnErrorEventAndSavesNothing) {
    provider_->script([](const FakeProvider::Recorded& r, int) -> std::optional<Reply> {
        if (!is_stream_request(r)) return std::nullopt;
        return sse_reply(
            {FakeProvider::openai_event("# Partial"),
             R"(data: {"error":{"code":502,"message":"upstream provider died: secret-detail"},)"
             R"("choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})"
             "\n\n"},
            50ms);
    });
    TestUser u = create_user(*server_, "streamerr");
    StreamResult r = stream_generation(*server_, "Deepseek", u.access);
    EXPECT_EQ(r.text, "# Partial");
    ASSERT_FALSE(r.events.empty()) << r.raw;
    EXPECT_EQ(r.events.back().event, "error") << r.raw;
    EXPECT_EQ(r.events.back().data, kGenericError);
    EXPECT_EQ(r.raw.find("secret-detail"), std::string::npos) << "the provider's text leaked";
    EXPECT_EQ(resumes_of(u), "[]");

    // A stream cut before [DONE] is a failure too, and so is a blocked prompt.
    provider_->script([](const FakeProvider::Recorded& r, int) -> std::optional<Reply> {
        if (!is_stream_request(r)) return std::nullopt;
        if (r.target.find("gemini") != std::string::npos)
            return sse_reply({R"(data: {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"}})"
                              "\r\n\r\n"});
        return sse_reply({FakeProvider::openai_event("# Cut short")});
    });
    StreamResult cut = stream_generation(*server_, "Deepseek", u.access);
    ASSERT_FALSE(cut.events.empty()) << cut.raw;
    EXPECT_EQ(cut.events.back().event, "error") << cut.raw;
    StreamResult blocked = stream_generation(*server_, "Google Gemini", u.access);
    ASSERT_FALSE(blocked.events.empty()) << blocked.raw;
    EXPECT_EQ(blocked.events.back().event, "error") << blocked.raw;
    EXPECT_TRUE(blocked.text.empty());
    EXPECT_EQ(resumes_of(u), "[]");
}

TEST_F(Scripted, FailureBeforeTheFirstPieceIsRetried) {
    auto calls = std::make_shared<std::atomic<int>>(0);
    provider_->script([calls](const FakeProvider::Recorded& r, int) -> std::optional<Reply> {
        if (!is_stream_request(r)) return std::nullopt;
        if ((*calls)++ == 0)
            return json_reply(503, R"({"error":{"code":503,"message":"overloaded"}})");
        return sse_reply({FakeProvider::gemini_event("# Retried Stream\n", "STOP")});
    });
    TestUser u = create_user(*server_, "streamretry");
    StreamResult r = stream_generation(*server_, "Google Gemini", u.access);
    EXPECT_EQ(r.text, "# Retried Stream\n");
    ASSERT_FALSE(r.events.empty()) << r.raw;
    EXPECT_EQ(r.events.back().event, "done") << r.raw;
    EXPECT_EQ(calls->load(), 2);
}

// Once text has reached the client the generation is spent: a reader who takes the deltas and
// hangs up before `event: done` does not get the unit back (6 full generations on a limit of 1
// before the fix).
TEST_F(Scripted, ClientLeavingCancelsTheUpstreamCallAndSpendsTheUnitOnceTextWasSent) {
    provider_->script([](const FakeProvider::Recorded& r, int) -> std::optional<Reply> {
        if (!is_stream_request(r)) return json_reply(200, FakeProvider::gemini_answer("# Whole\n"));
        std::vector<std::string> pieces;
        for (int i = 0; i < 20; ++i)
            pieces.push_back(FakeProvider::gemini_event("line " + std::to_string(i) + "\n"));
        return sse_reply(pieces, 300ms);
    });
    TestUser u = create_user(*server_, "leaver");
    const int abandoned_before = provider_->abandoned();
    {
        RawConn conn(server_->port());
        ASSERT_TRUE(conn.send_all(stream_request(*server_, "Google Gemini", u.access)));
        auto first = conn.read_until("line 0", 10s);
        ASSERT_NE(first.data.find("line 0"), std::string::npos) << first.data;
    }  // the client goes away after the first piece
    const auto left = Clock::now();
    while (provider_->abandoned() == abandoned_before && Clock::now() - left < 3s)
        std::this_thread::sleep_for(20ms);
    EXPECT_GT(provider_->abandoned(), abandoned_before)
        << "the upstream call went on without a listener";
    EXPECT_LT(Clock::now() - left, 1s);
    EXPECT_TRUE(server_->wait_for_log_line({"stopped: the client went away"}).has_value());
    EXPECT_EQ(resumes_of(u), "[]");
    // The abandoned generation had sent text: it used one of the 5 a day.
    for (int i = 0; i < 4; ++i) {
        SCOPED_TRACE(i);
        EXPECT_STATUS(generate("Google Gemini", u.access), 201);
    }
    EXPECT_STATUS(generate("Google Gemini", u.access), 429);
}

// A client that leaves before any text was sent (the provider has not answered yet) has had
// nothing: the unit comes back.
TEST_F(Scripted, ClientLeavingBeforeAnyTextGivesTheUnitBack) {
    provider_->script([](const FakeProvider::Recorded& r, int) -> std::optional<Reply> {
        if (!is_stream_request(r)) return json_reply(200, FakeProvider::gemini_answer("# Whole\n"));
        Reply slow = sse_reply({FakeProvider::gemini_event("late\n")});
        slow.delay = 1500ms;
        return slow;
    });
    TestUser u = create_user(*server_, "earlyleaver");
    auto stops = [] {
        const std::string log = server_->log_text();
        size_t n = 0;
        for (size_t at = log.find("stopped: the client went away"); at != std::string::npos;
             at = log.find("stopped: the client went away", at + 1))
            ++n;
        return n;
    };
    const size_t stops_before = stops();
    {
        RawConn conn(server_->port());
        ASSERT_TRUE(conn.send_all(stream_request(*server_, "Google Gemini", u.access)));
        auto head = conn.read_until("text/event-stream", 5s);
        ASSERT_NE(head.data.find("200 OK"), std::string::npos) << head.data;
        EXPECT_EQ(head.data.find("delta"), std::string::npos) << head.data;
    }
    // The server notices at once (it watches the connection) and gives the unit back before it
    // logs the stop.
    const auto left = Clock::now();
    while (stops() == stops_before && Clock::now() - left < 5s) std::this_thread::sleep_for(20ms);
    EXPECT_GT(stops(), stops_before) << "the server did not notice the client leaving";
    provider_->script(nullptr);
    for (int i = 0; i < 5; ++i) {
        SCOPED_TRACE(i);
        EXPECT_STATUS(generate("Google Gemini", u.access), 201);
    }
    EXPECT_STATUS(generate("Google Gemini", u.access), 429);
}

// ---------------------------------------------------------------------------------------------
// Daily limit under concurrency

TEST_F(Scripted, TwentyConcurrentRequestsOnALimitOfFiveGetExactlyFive) {
    TestUser admin = admin_user(*server_);
    const std::string name = "E2E " + unique_name("concurrent");
    Response created = post(*server_, "/api/admin/ai-models/",
                            to_json(json::object{{"display_name", name},
                                                 {"model_name", "quota/limited-model"},
                                                 {"api_provider", "open_router"},
                                                 {"api_key_name", "OPENROUTER_API_KEY"},
                                                 {"login_required", true},
                                                 {"daily_limit", 5}}),
                            admin.access);
    ASSERT_STATUS(created, 201);
    provider_->script([](const FakeProvider::Recorded&, int) -> std::optional<Reply> {
        Reply r = json_reply(200, openai_success("# Limited\n"));
        r.delay = 300ms;  // all 20 are in flight together
        return r;
    });
    auto count_calls = [&] {
        int n = 0;
        for (const auto& r : provider_->requests())
            n += r.body.find("quota/limited-model") != std::string::npos;
        return n;
    };
    const int calls_before = count_calls();
    TestUser u = create_user(*server_, "concurrent");
    std::vector<std::future<Response>> all;
    for (int i = 0; i < 20; ++i)
        all.push_back(std::async(std::launch::async, [&] { return generate(name, u.access); }));
    int ok = 0, limited = 0;
    for (auto& f : all) {
        Response r = f.get();
        if (r.status == 201) {
            ++ok;
        } else if (r.status == 429) {
            ++limited;
        } else {
            ADD_FAILURE() << r.describe();
        }
    }
    EXPECT_EQ(ok, 5);
    EXPECT_EQ(limited, 15);
    EXPECT_EQ(count_calls() - calls_before, 5) << "only the allowed five reached the provider";
    Response list = get(*server_, "/api/resumes/", u.access);
    EXPECT_EQ(list.arr().size(), 5u);
    del(*server_, "/api/admin/ai-models/" + std::to_string(created.obj()["id"].as_int64()) + "/",
        admin.access);
}

}  // namespace
}  // namespace e2e
