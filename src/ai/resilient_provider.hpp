#pragma once
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "ai/provider.hpp"

namespace resumate::ai {

struct ResilienceOptions {
    int max_attempts = 3;                         // per generation, key switches not counted
    std::chrono::milliseconds base_backoff{300};  // doubled each retry, with jitter
    std::chrono::milliseconds max_backoff{5000};
    std::chrono::milliseconds deadline{60000};          // the whole generation, retries included
    int breaker_threshold = 5;                          // consecutive failed generations → open
    std::chrono::milliseconds breaker_cooldown{30000};  // then one probe is let through
    std::chrono::milliseconds key_cooldown{60000};  // a key answering 401/403/429 rests this long
};

// Wraps one wire protocol with what every provider needs: several keys used round-robin (a key
// answering 401/403/429 is set aside and the next one tried), retries with exponential backoff
// and jitter honouring Retry-After / retryDelay within the request's deadline, and a circuit
// breaker so that during an outage a generation fails in microseconds instead of waiting.
class ResilientProvider final : public Provider {
  public:
    ResilientProvider(std::string name, std::shared_ptr<Provider> inner,
                      ResilienceOptions options = {});
    Task<GenerationResult> generate(const GenerationRequest& request) override;
    // As generate, but retries (and key switches) happen only until the first piece of text has
    // gone to the listener: after that a failure ends the stream.
    Task<GenerationResult> stream(const GenerationRequest& request, DeltaFn on_delta) override;
    ProviderHealth health() const;

  private:
    using Clock = std::chrono::steady_clock;
    Task<GenerationResult> run(const GenerationRequest& request, const DeltaFn* on_delta);
    std::optional<std::string> pick_key(const std::vector<std::string>& keys);
    void rest_key(const std::string& key, std::chrono::milliseconds how_long);
    bool admit();  // breaker: may this generation go out?
    std::chrono::milliseconds backoff(int attempt);
    void record(bool success, std::chrono::milliseconds latency);
    void forget_probe();  // a half-open probe ended without a verdict

    std::string name_;
    std::shared_ptr<Provider> inner_;
    ResilienceOptions opt_;
    mutable std::mutex mu_;
    std::map<std::string, Clock::time_point> resting_;  // key → usable again at
    size_t next_key_ = 0;
    int consecutive_failures_ = 0;
    Clock::time_point open_until_{};
    bool probing_ = false;
    double latency_ms_ = 0;
    std::atomic<int> in_flight_{0};
    std::mt19937 rng_{std::random_device{}()};
};

}  // namespace resumate::ai
