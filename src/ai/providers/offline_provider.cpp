#include "ai/providers/offline_provider.hpp"

#include "ai/providers/offline_generator.hpp"

namespace resumate::ai {

Task<GenerationResult> OfflineProvider::generate(const GenerationRequest& request) {
    co_return GenerationResult{generate_offline_resume(request.raw_user_input)};
}

}  // namespace resumate::ai
