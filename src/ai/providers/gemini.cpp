#include "ai/providers/gemini.hpp"

#include <boost/json.hpp>

#include "ai/providers/wire.hpp"

namespace resumate::ai {

namespace json = boost::json;

std::string GeminiProvider::extract_text(const json::value& answer) {
    if (!answer.is_object()) throw ProviderError(ProviderError::Kind::Transient, "gemini: malformed JSON answer");
    const auto& o = answer.as_object();
    const json::array* candidates = nullptr;
    if (auto* c = o.if_contains("candidates"); c && c->is_array()) candidates = &c->as_array();
    if (!candidates || candidates->empty()) {
        std::string reason = "no candidates";
        if (auto* fb = o.if_contains("promptFeedback"); fb && fb->is_object()) {
            if (auto* br = fb->as_object().if_contains("blockReason"); br && br->is_string()) {
                reason = "prompt blocked: " + std::string(br->as_string());
            }
        }
        throw ProviderError(ProviderError::Kind::Blocked, "gemini: " + reason);
    }
    std::string text;
    std::string finish;
    const auto& first = (*candidates)[0];
    if (first.is_object()) {
        if (auto* f = first.as_object().if_contains("finishReason"); f && f->is_string()) finish = f->as_string();
        if (auto* content = first.as_object().if_contains("content"); content && content->is_object()) {
            if (auto* parts = content->as_object().if_contains("parts"); parts && parts->is_array()) {
                for (const auto& part : parts->as_array()) {
                    if (!part.is_object()) continue;
                    const auto& p = part.as_object();
                    if (auto* thought = p.if_contains("thought"); thought && thought->is_bool() && thought->as_bool()) continue;
                    if (auto* t = p.if_contains("text"); t && t->is_string()) text += t->as_string();
                }
            }
        }
    }
    if (text.empty()) {
        throw ProviderError(ProviderError::Kind::Blocked,
                            "gemini: empty answer" + (finish.empty() ? std::string() : " (finishReason " + finish + ")"));
    }
    return text;
}

Task<GenerationResult> GeminiProvider::generate(const GenerationRequest& request) {
    json::object body;
    body["systemInstruction"] = json::object{{"parts", json::array{json::object{{"text", request.system_instruction}}}}};
    body["contents"] = json::array{
        json::object{{"role", "user"}, {"parts", json::array{json::object{{"text", request.user_message}}}}}};

    net::HttpRequest http;
    http.method = "POST";
    http.url = wire::join_url(base_url_, "/v1beta/models/" + request.model->model_name + ":generateContent");
    http.headers.emplace_back("Content-Type", "application/json");
    http.headers.emplace_back("x-goog-api-key", request.api_key);
    http.body = json::serialize(body);

    net::HttpResponse res;
    try {
        res = co_await client_->request(http);
    } catch (const net::HttpError& e) {
        throw wire::from_http_error("gemini", e);
    }
    json::error_code ec;
    json::value answer = json::parse(res.body, ec);
    if (res.status != 200) {
        // {"error": {"code", "message", "status", "details": [{"@type": "...RetryInfo", "retryDelay": "30s"}]}}
        std::optional<std::chrono::milliseconds> delay = wire::retry_after(res);
        std::string message;
        if (!ec && answer.is_object()) {
            message = wire::error_message(answer);
            if (auto* err = answer.as_object().if_contains("error"); err && err->is_object()) {
                if (auto* details = err->as_object().if_contains("details"); details && details->is_array()) {
                    for (const auto& d : details->as_array()) {
                        if (!d.is_object()) continue;
                        if (auto* rd = d.as_object().if_contains("retryDelay"); rd && rd->is_string()) {
                            if (auto parsed = wire::parse_duration(rd->as_string())) delay = parsed;
                        }
                    }
                }
            }
        }
        throw ProviderError(wire::kind_for_status(res.status),
                            "gemini: HTTP " + std::to_string(res.status) + (message.empty() ? "" : ": " + message.substr(0, 300)),
                            delay, res.status);
    }
    if (ec) throw ProviderError(ProviderError::Kind::Transient, "gemini: malformed JSON answer");
    co_return GenerationResult{extract_text(answer)};
}

}  // namespace resumate::ai
