#include "ai/providers/gemini.hpp"

#include <boost/json.hpp>

#include "ai/providers/wire.hpp"

namespace resumate::ai {

namespace json = boost::json;

namespace {

// What one GenerateContentResponse (a whole answer, or one event of a stream) says.
struct Piece {
    bool has_candidates = false;
    std::string block_reason;  // promptFeedback.blockReason
    std::string finish_reason;
    std::string text;  // the first candidate's text parts, thought parts skipped
};

Piece read_piece(const json::object& o) {
    Piece p;
    if (auto* fb = o.if_contains("promptFeedback"); fb && fb->is_object()) {
        if (auto* br = fb->as_object().if_contains("blockReason"); br && br->is_string())
            p.block_reason = br->as_string();
    }
    const auto* candidates = o.if_contains("candidates");
    if (!candidates || !candidates->is_array() || candidates->as_array().empty()) return p;
    p.has_candidates = true;
    const auto& first = candidates->as_array()[0];
    if (!first.is_object()) return p;
    if (auto* f = first.as_object().if_contains("finishReason"); f && f->is_string())
        p.finish_reason = f->as_string();
    if (auto* content = first.as_object().if_contains("content"); content && content->is_object()) {
        if (auto* parts = content->as_object().if_contains("parts"); parts && parts->is_array()) {
            for (const auto& part : parts->as_array()) {
                if (!part.is_object()) continue;
                const auto& po = part.as_object();
                if (auto* thought = po.if_contains("thought");
                    thought && thought->is_bool() && thought->as_bool())
                    continue;
                if (auto* t = po.if_contains("text"); t && t->is_string()) p.text += t->as_string();
            }
        }
    }
    return p;
}

ProviderError empty_answer(const std::string& finish_reason) {
    return ProviderError(
        ProviderError::Kind::Blocked,
        "gemini: empty answer" +
            (finish_reason.empty() ? std::string() : " (finishReason " + finish_reason + ")"));
}

// {"error": {"code", "message", "status", "details": [{"@type": "...RetryInfo", "retryDelay":
// "30s"}]}}
ProviderError error_from(unsigned status, const json::value& answer,
                         std::optional<std::chrono::milliseconds> delay) {
    std::string message;
    if (answer.is_object()) {
        message = wire::error_message(answer);
        if (auto* err = answer.as_object().if_contains("error"); err && err->is_object()) {
            if (auto* details = err->as_object().if_contains("details");
                details && details->is_array()) {
                for (const auto& d : details->as_array()) {
                    if (!d.is_object()) continue;
                    if (auto* rd = d.as_object().if_contains("retryDelay"); rd && rd->is_string()) {
                        if (auto parsed = wire::parse_duration(rd->as_string())) delay = parsed;
                    }
                }
            }
        }
    }
    return ProviderError(wire::kind_for_status(status),
                         "gemini: HTTP " + std::to_string(status) +
                             (message.empty() ? "" : ": " + message.substr(0, 300)),
                         delay, status);
}

ProviderError error_from(const net::HttpResponse& res) {
    json::error_code ec;
    json::value answer = json::parse(res.body, ec);
    return error_from(res.status, ec ? json::value() : answer, wire::retry_after(res));
}

}  // namespace

std::string GeminiProvider::extract_text(const json::value& answer) {
    if (!answer.is_object())
        throw ProviderError(ProviderError::Kind::Transient, "gemini: malformed JSON answer");
    Piece p = read_piece(answer.as_object());
    if (!p.has_candidates) {
        throw ProviderError(
            ProviderError::Kind::Blocked,
            "gemini: " + (p.block_reason.empty() ? std::string("no candidates")
                                                 : "prompt blocked: " + p.block_reason));
    }
    if (p.text.empty()) throw empty_answer(p.finish_reason);
    return p.text;
}

net::HttpRequest GeminiProvider::build(const GenerationRequest& request,
                                       std::string_view method) const {
    json::object body;
    body["systemInstruction"] =
        json::object{{"parts", json::array{json::object{{"text", request.system_instruction}}}}};
    body["contents"] = json::array{json::object{
        {"role", "user"}, {"parts", json::array{json::object{{"text", request.user_message}}}}}};
    net::HttpRequest http;
    http.method = "POST";
    http.url = wire::join_url(base_url_,
                              "/v1beta/models/" + request.model->model_name + std::string(method));
    http.headers.emplace_back("Content-Type", "application/json");
    http.headers.emplace_back("x-goog-api-key", request.api_key);
    http.body = json::serialize(body);
    return http;
}

Task<GenerationResult> GeminiProvider::generate(const GenerationRequest& request) {
    net::HttpRequest http = build(request, ":generateContent");
    net::HttpResponse res;
    try {
        res = co_await client_->request(http);
    } catch (const net::HttpError& e) {
        throw wire::from_http_error("gemini", e);
    }
    if (res.status != 200) throw error_from(res);
    json::error_code ec;
    json::value answer = json::parse(res.body, ec);
    if (ec) throw ProviderError(ProviderError::Kind::Transient, "gemini: malformed JSON answer");
    co_return GenerationResult{extract_text(answer)};
}

// streamGenerateContent?alt=sse: each event is a GenerateContentResponse carrying the next piece
// of text; the stream ends at EOF, without a [DONE]. A blocked prompt comes as an event with
// promptFeedback.blockReason, a failure after the 200 as an event with an "error" object.
Task<GenerationResult> GeminiProvider::stream(const GenerationRequest& request, DeltaFn on_delta) {
    net::HttpRequest http = build(request, ":streamGenerateContent?alt=sse");
    std::string text;
    std::string finish_reason;
    std::optional<ProviderError> failure;
    bool abandoned = false;
    auto on_event = [&](const net::SseEvent& ev) -> Task<bool> {
        json::error_code ec;
        json::value v = json::parse(ev.data, ec);
        if (ec || !v.is_object()) {
            failure =
                ProviderError(ProviderError::Kind::Transient, "gemini: malformed JSON in stream");
            co_return false;
        }
        if (auto* err = v.as_object().if_contains("error"); err && err->is_object()) {
            unsigned code = 500;
            if (auto* c = err->as_object().if_contains("code"); c && c->is_int64())
                code = static_cast<unsigned>(c->as_int64());
            failure = error_from(code, v, std::nullopt);
            co_return false;
        }
        Piece p = read_piece(v.as_object());
        if (!p.block_reason.empty()) {
            failure = ProviderError(ProviderError::Kind::Blocked,
                                    "gemini: prompt blocked: " + p.block_reason);
            co_return false;
        }
        if (!p.finish_reason.empty()) finish_reason = p.finish_reason;
        if (p.text.empty()) co_return true;
        text += p.text;
        if (!co_await on_delta(p.text)) {
            abandoned = true;
            co_return false;
        }
        co_return true;
    };
    net::HttpResponse head = co_await wire::stream_events(*client_, http, "gemini", on_event);
    if (head.status != 200) throw error_from(head);
    if (abandoned)
        throw ProviderError(ProviderError::Kind::Abandoned,
                            "gemini: stream abandoned by the client");
    if (failure) throw *failure;
    if (text.empty()) throw empty_answer(finish_reason);
    co_return GenerationResult{std::move(text)};
}

}  // namespace resumate::ai
