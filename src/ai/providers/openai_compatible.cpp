#include "ai/providers/openai_compatible.hpp"

#include <boost/json.hpp>

#include "ai/providers/wire.hpp"

namespace resumate::ai {

namespace json = boost::json;

std::pair<std::string, std::string> OpenAiCompatibleProvider::split_model(const std::string& model_name,
                                                                         const std::string& base_url) {
    size_t at = model_name.find("@http");
    if (at == std::string::npos) return {model_name, base_url};
    return {model_name.substr(0, at), model_name.substr(at + 1)};
}

Task<GenerationResult> OpenAiCompatibleProvider::generate(const GenerationRequest& request) {
    auto [model, base] = split_model(request.model->model_name, options_.base_url);
    if (base.empty()) throw ProviderError(ProviderError::Kind::Permanent, options_.name + ": no base URL configured");
    json::array messages;
    messages.push_back(json::object{{"role", "system"}, {"content", request.system_instruction}});
    messages.push_back(json::object{{"role", "user"}, {"content", request.user_message}});
    json::object body{{"model", model}, {"messages", std::move(messages)}};

    net::HttpRequest http;
    http.method = "POST";
    http.url = wire::join_url(base, "/chat/completions");
    http.headers.emplace_back("Content-Type", "application/json");
    http.headers.emplace_back("Accept", "application/json");
    if (!request.api_key.empty()) http.headers.emplace_back("Authorization", "Bearer " + request.api_key);
    for (const auto& h : options_.extra_headers) http.headers.push_back(h);
    http.body = json::serialize(body);

    net::HttpResponse res;
    try {
        res = co_await client_->request(http);
    } catch (const net::HttpError& e) {
        throw wire::from_http_error(options_.name, e);
    }
    json::error_code ec;
    json::value answer = json::parse(res.body, ec);
    if (res.status != 200) {
        std::string message = ec ? std::string() : wire::error_message(answer);
        throw ProviderError(wire::kind_for_status(res.status),
                            options_.name + ": HTTP " + std::to_string(res.status) +
                                (message.empty() ? "" : ": " + message.substr(0, 300)),
                            wire::retry_after(res), res.status);
    }
    if (ec || !answer.is_object()) throw ProviderError(ProviderError::Kind::Transient, options_.name + ": malformed JSON answer");
    // OpenRouter reports some upstream failures as 200 with an error object.
    if (auto* err = answer.as_object().if_contains("error"); err && !err->is_null()) {
        unsigned code = 502;
        if (err->is_object()) {
            if (auto* c = err->as_object().if_contains("code"); c && c->is_int64()) code = static_cast<unsigned>(c->as_int64());
        }
        throw ProviderError(wire::kind_for_status(code), options_.name + ": error in answer: " + wire::error_message(answer),
                            std::nullopt, code);
    }
    const json::value* content = nullptr;
    if (auto* choices = answer.as_object().if_contains("choices"); choices && choices->is_array() &&
                                                                    !choices->as_array().empty()) {
        const auto& first = choices->as_array()[0];
        if (first.is_object()) {
            if (auto* msg = first.as_object().if_contains("message"); msg && msg->is_object()) {
                content = msg->as_object().if_contains("content");
            }
        }
    }
    if (!content || !content->is_string() || content->as_string().empty()) {
        throw ProviderError(ProviderError::Kind::Transient, options_.name + ": answer without content");
    }
    co_return GenerationResult{std::string(content->as_string())};
}

}  // namespace resumate::ai
