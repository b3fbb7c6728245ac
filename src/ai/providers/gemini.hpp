#pragma once
#include <memory>
#include <string>

#include "ai/provider.hpp"
#include "net/http_client.hpp"

namespace resumate::ai {

// Google Gemini's generateContent: POST {base}/v1beta/models/{model}:generateContent with the
// key in x-goog-api-key, our instructions in systemInstruction, the user's text in contents;
// streamGenerateContent?alt=sse for streams.
class GeminiProvider final : public Provider {
  public:
    GeminiProvider(std::shared_ptr<const net::HttpClient> client, std::string base_url)
        : client_(std::move(client)), base_url_(std::move(base_url)) {}
    Task<GenerationResult> generate(const GenerationRequest& request) override;
    Task<GenerationResult> stream(const GenerationRequest& request, DeltaFn on_delta) override;

    // The first candidate's text parts joined (thought parts skipped); throws ProviderError for
    // a blocked prompt or an empty answer. Public for unit tests of the wire format.
    static std::string extract_text(const boost::json::value& answer);

  private:
    net::HttpRequest build(const GenerationRequest& request, std::string_view method) const;
    std::shared_ptr<const net::HttpClient> client_;
    std::string base_url_;
};

}  // namespace resumate::ai
