#include "ai/providers/offline_provider.hpp"

#include "offline/writer.hpp"

namespace resumate::ai {

Task<GenerationResult> OfflineProvider::generate(const GenerationRequest& request) {
    co_return GenerationResult{offline::write_resume(request.raw_user_input)};
}

}  // namespace resumate::ai
