#pragma once
#include <boost/asio/awaitable.hpp>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ai/model_store.hpp"

namespace resumate::ai {

template <typename T>
using Task = boost::asio::awaitable<T>;

struct GenerationRequest {
    const AiModel* model = nullptr;
    std::string system_instruction;  // our instructions only
    std::string user_message;        // the user's text, fenced; never mixed into the system part
    std::string raw_user_input;      // for providers that work on the text itself (offline)
    std::vector<std::string> api_keys;
};

struct GenerationResult {
    std::string content;
};

// Any failure talking to a provider. The client sees API.md's generic 503; `what()` is for logs.
class ProviderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One wire protocol. Retries, backoff, circuit breaking and key rotation wrap this interface
// once, outside the providers.
class Provider {
public:
    virtual ~Provider() = default;
    virtual Task<GenerationResult> generate(const GenerationRequest& request) = 0;
};

class ProviderRegistry {
public:
    void add(std::string api_provider, std::shared_ptr<Provider> p) { providers_[std::move(api_provider)] = std::move(p); }
    Provider* find(std::string_view api_provider) const {
        auto it = providers_.find(std::string(api_provider));
        return it == providers_.end() ? nullptr : it->second.get();
    }

private:
    std::map<std::string, std::shared_ptr<Provider>> providers_;
};

}  // namespace resumate::ai
