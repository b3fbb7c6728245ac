#pragma once
#include "ai/provider.hpp"

namespace resumate::ai {

// The built-in, deterministic generator: no network, no key.
class OfflineProvider final : public Provider {
  public:
    Task<GenerationResult> generate(const GenerationRequest& request) override;
};

}  // namespace resumate::ai
