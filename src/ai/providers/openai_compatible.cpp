#include "ai/providers/openai_compatible.hpp"

#include <boost/json.hpp>

#include "ai/providers/wire.hpp"

namespace resumate::ai {

namespace json = boost::json;

namespace {

// The error object some servers put in a 200 answer or a stream event (OpenRouter does both);
// its code may be numeric or a string.
ProviderError error_in_answer(const std::string& name, const json::value& answer) {
    unsigned code = 502;
    const auto& err = answer.as_object().at("error");
    if (err.is_object()) {
        if (auto* c = err.as_object().if_contains("code"); c && c->is_int64())
            code = static_cast<unsigned>(c->as_int64());
    }
    return ProviderError(wire::kind_for_status(code),
                         name + ": error in answer: " + wire::error_message(answer).substr(0, 300),
                         std::nullopt, code);
}

ProviderError http_error(const std::string& name, const net::HttpResponse& res) {
    json::error_code ec;
    json::value answer = json::parse(res.body, ec);
    std::string message = ec ? std::string() : wire::error_message(answer);
    return ProviderError(wire::kind_for_status(res.status),
                         name + ": HTTP " + std::to_string(res.status) +
                             (message.empty() ? "" : ": " + message.substr(0, 300)),
                         wire::retry_after(res), res.status);
}

bool has_error(const json::value& answer) {
    auto* err = answer.as_object().if_contains("error");
    return err && !err->is_null();
}

// choices[0].<member> as an object, or null.
const json::object* first_choice_member(const json::value& answer, std::string_view member) {
    auto* choices = answer.as_object().if_contains("choices");
    if (!choices || !choices->is_array() || choices->as_array().empty()) return nullptr;
    const auto& first = choices->as_array()[0];
    if (!first.is_object()) return nullptr;
    auto* m = first.as_object().if_contains(member);
    return m && m->is_object() ? &m->as_object() : nullptr;
}

}  // namespace

std::pair<std::string, std::string> OpenAiCompatibleProvider::split_model(
    const std::string& model_name, const std::string& base_url) {
    size_t at = model_name.find("@http");
    if (at == std::string::npos) return {model_name, base_url};
    return {model_name.substr(0, at), model_name.substr(at + 1)};
}

net::HttpRequest OpenAiCompatibleProvider::build(const GenerationRequest& request,
                                                 bool stream) const {
    auto [model, base] = split_model(request.model->model_name, options_.base_url);
    if (base.empty())
        throw ProviderError(ProviderError::Kind::Permanent,
                            options_.name + ": no base URL configured");
    // A row written before the policy (or straight into the database) is refused here too.
    if (base != options_.base_url && !options_.egress.base_url_allowed(base))
        throw ProviderError(ProviderError::Kind::Permanent,
                            options_.name + ": the model's base URL is not an allowed host");
    json::array messages;
    messages.push_back(json::object{{"role", "system"}, {"content", request.system_instruction}});
    messages.push_back(json::object{{"role", "user"}, {"content", request.user_message}});
    json::object body{{"model", model}, {"messages", std::move(messages)}};
    if (stream) body["stream"] = true;

    net::HttpRequest http;
    http.method = "POST";
    http.url = wire::join_url(base, "/chat/completions");
    http.headers.emplace_back("Content-Type", "application/json");
    http.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
    if (!request.api_key.empty())
        http.headers.emplace_back("Authorization", "Bearer " + request.api_key);
    for (const auto& h : options_.extra_headers) http.headers.push_back(h);
    http.body = json::serialize(body);
    return http;
}

Task<GenerationResult> OpenAiCompatibleProvider::generate(const GenerationRequest& request) {
    net::HttpRequest http = build(request, false);
    net::HttpResponse res;
    try {
        res = co_await client_->request(http);
    } catch (const net::HttpError& e) {
        throw wire::from_http_error(options_.name, e);
    }
    if (res.status != 200) throw http_error(options_.name, res);
    json::error_code ec;
    json::value answer = json::parse(res.body, ec);
    if (ec || !answer.is_object())
        throw ProviderError(ProviderError::Kind::Transient,
                            options_.name + ": malformed JSON answer");
    // OpenRouter reports some upstream failures as 200 with an error object.
    if (has_error(answer)) throw error_in_answer(options_.name, answer);
    const json::value* content = nullptr;
    if (auto* msg = first_choice_member(answer, "message")) content = msg->if_contains("content");
    if (!content || !content->is_string() || content->as_string().empty()) {
        throw ProviderError(ProviderError::Kind::Transient,
                            options_.name + ": answer without content");
    }
    co_return GenerationResult{std::string(content->as_string())};
}

// "stream": true: events carry choices[0].delta.content; ": …" comment lines keep the connection
// alive (the SSE parser drops them); "[DONE]" ends the stream. An error after the 200 arrives as
// an event with an "error" object (and finish_reason "error").
Task<GenerationResult> OpenAiCompatibleProvider::stream(const GenerationRequest& request,
                                                        DeltaFn on_delta) {
    net::HttpRequest http = build(request, true);
    std::string text;
    std::optional<ProviderError> failure;
    bool abandoned = false;
    bool finished = false;  // [DONE] or a finish_reason: the answer is complete
    auto on_event = [&](const net::SseEvent& ev) -> Task<bool> {
        if (ev.data == "[DONE]") {
            finished = true;
            co_return false;
        }
        json::error_code ec;
        json::value v = json::parse(ev.data, ec);
        if (ec || !v.is_object()) {
            failure = ProviderError(ProviderError::Kind::Transient,
                                    options_.name + ": malformed JSON in stream");
            co_return false;
        }
        if (has_error(v)) {
            failure = error_in_answer(options_.name, v);
            co_return false;
        }
        auto* choices = v.as_object().if_contains("choices");
        if (choices && choices->is_array() && !choices->as_array().empty() &&
            choices->as_array()[0].is_object()) {
            if (auto* fr = choices->as_array()[0].as_object().if_contains("finish_reason");
                fr && fr->is_string()) {
                finished = true;
            }
        }
        std::string_view piece;
        if (auto* delta = first_choice_member(v, "delta")) {
            if (auto* c = delta->if_contains("content"); c && c->is_string())
                piece = c->as_string();
        }
        if (piece.empty()) co_return true;
        text += piece;
        if (!co_await on_delta(piece)) {
            abandoned = true;
            co_return false;
        }
        co_return true;
    };
    net::HttpResponse head = co_await wire::stream_events(*client_, http, options_.name, on_event);
    if (head.status != 200) throw http_error(options_.name, head);
    if (abandoned)
        throw ProviderError(ProviderError::Kind::Abandoned,
                            options_.name + ": stream abandoned by the client");
    if (failure) throw *failure;
    if (!finished)
        throw ProviderError(ProviderError::Kind::Transient,
                            options_.name + ": stream ended before [DONE]");
    if (text.empty())
        throw ProviderError(ProviderError::Kind::Transient,
                            options_.name + ": answer without content");
    co_return GenerationResult{std::move(text)};
}

}  // namespace resumate::ai
