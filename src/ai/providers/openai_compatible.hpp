#pragma once
#include <memory>
#include <string>
#include <vector>

#include "ai/egress_policy.hpp"
#include "ai/provider.hpp"
#include "net/http_client.hpp"

namespace resumate::ai {

// The OpenAI chat-completions wire: OpenRouter, Ollama, llama.cpp's server, vLLM and others.
// POST {base}/chat/completions, system + user messages, answer in choices[0].message.content.
class OpenAiCompatibleProvider final : public Provider {
  public:
    struct Options {
        std::string name = "openai_compatible";  // for logs
        std::string base_url;                    // e.g. https://openrouter.ai/api/v1
        std::vector<std::pair<std::string, std::string>> extra_headers;  // HTTP-Referer, X-Title
        EgressPolicy egress;  // which hosts a model's own "@http…" base URL may name
    };
    OpenAiCompatibleProvider(std::shared_ptr<const net::HttpClient> client, Options options)
        : client_(std::move(client)), options_(std::move(options)) {}
    Task<GenerationResult> generate(const GenerationRequest& request) override;
    Task<GenerationResult> stream(const GenerationRequest& request, DeltaFn on_delta) override;

    // A model_name of the form "<model>@<base URL>" names its own server (per-model base URL).
    static std::pair<std::string, std::string> split_model(const std::string& model_name,
                                                           const std::string& base_url);

  private:
    net::HttpRequest build(const GenerationRequest& request, bool stream) const;
    std::shared_ptr<const net::HttpClient> client_;
    Options options_;
};

}  // namespace resumate::ai
