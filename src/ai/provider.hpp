#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
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
    std::string system_instruction;     // our instructions only
    std::string user_message;           // the user's text, fenced; never mixed into the system part
    std::string raw_user_input;         // for providers that work on the text itself (offline)
    std::string job_description;        // tailoring: the posting raw_user_input (a resume) is for
    std::vector<std::string> api_keys;  // all keys configured for the model (rotation)
    std::string api_key;                // the key of this attempt (set by ResilientProvider)
};

struct GenerationResult {
    std::string content;
};

// Any failure talking to a provider. The client sees a generic 503; `what()` is for
// logs and never carries a key.
class ProviderError : public std::runtime_error {
  public:
    enum class Kind {
        Transient,    // connection errors, timeouts, 408/5xx: worth retrying
        RateLimited,  // 429: retry after a while, or with another key
        KeyRejected,  // 401/403: this key is no good; another may be
        Permanent,    // other 4xx, malformed answers: retrying will not help
        Blocked,      // the provider refused the content (Gemini's blockReason, safety stops)
        Unavailable,  // our circuit breaker is open: fail fast
        Abandoned,    // a stream's listener went away; not the provider's fault
    };
    ProviderError(Kind kind, const std::string& message,
                  std::optional<std::chrono::milliseconds> retry_after = {}, unsigned status = 0)
        : std::runtime_error(message), kind_(kind), retry_after_(retry_after), status_(status) {}
    explicit ProviderError(const std::string& message) : ProviderError(Kind::Permanent, message) {}
    Kind kind() const { return kind_; }
    std::optional<std::chrono::milliseconds> retry_after() const { return retry_after_; }
    unsigned status() const { return status_; }

  private:
    Kind kind_;
    std::optional<std::chrono::milliseconds> retry_after_;
    unsigned status_;
};

// Receives a stream's text as the provider produces it; returns false when nobody listens any
// more (the provider then abandons the call and throws ProviderError Kind::Abandoned).
using DeltaFn = std::function<Task<bool>(std::string_view delta)>;

// One wire protocol. Retries, backoff, circuit breaking and key rotation wrap this interface
// once, outside the providers (ResilientProvider).
class Provider {
  public:
    virtual ~Provider() = default;
    virtual Task<GenerationResult> generate(const GenerationRequest& request) = 0;
    // Hands the answer to on_delta piece by piece as it is produced and returns it whole. The
    // default, for providers without a streaming wire, generates the whole answer and then hands
    // it on line by line.
    virtual Task<GenerationResult> stream(const GenerationRequest& request, DeltaFn on_delta);
};

// What "Auto" looks at to pick a model.
struct ProviderHealth {
    bool circuit_open = false;
    bool half_open = false;  // the cool-down is over: the next generation probes the provider
    int in_flight = 0;
    double latency_ms = 0;  // recent successful calls (moving average)
};

class ProviderRegistry {
  public:
    using HealthFn = std::function<ProviderHealth()>;
    void add(std::string api_provider, std::shared_ptr<Provider> p, HealthFn health = {}) {
        entries_[std::move(api_provider)] = Entry{std::move(p), std::move(health)};
    }
    Provider* find(std::string_view api_provider) const {
        auto it = entries_.find(std::string(api_provider));
        return it == entries_.end() ? nullptr : it->second.provider.get();
    }
    // Each provider's name, in order.
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& [name, entry] : entries_) out.push_back(name);
        return out;
    }
    ProviderHealth health(std::string_view api_provider) const {
        auto it = entries_.find(std::string(api_provider));
        if (it == entries_.end() || !it->second.health) return {};
        return it->second.health();
    }

  private:
    struct Entry {
        std::shared_ptr<Provider> provider;
        HealthFn health;
    };
    std::map<std::string, Entry> entries_;
};

}  // namespace resumate::ai
