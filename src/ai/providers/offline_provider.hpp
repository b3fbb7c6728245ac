#pragma once
#include <chrono>

#include "ai/provider.hpp"

namespace resumate::ai {

// The built-in, deterministic generator: no network, no key.
class OfflineProvider final : public Provider {
  public:
    // pace: a pause between the lines of a stream (RESUMATE_OFFLINE_STREAM_PACE_MS; none by
    // default). The answer then arrives as it would from a remote model, a line at a time, which
    // is what shows that a proxy in front passes each event on at once.
    explicit OfflineProvider(std::chrono::milliseconds pace = {}) : pace_(pace) {}
    Task<GenerationResult> generate(const GenerationRequest& request) override;
    Task<GenerationResult> stream(const GenerationRequest& request, DeltaFn on_delta) override;

  private:
    std::chrono::milliseconds pace_;
};

}  // namespace resumate::ai
