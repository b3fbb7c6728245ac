#include "ai/provider.hpp"

namespace resumate::ai {

Task<GenerationResult> Provider::stream(const GenerationRequest& request, DeltaFn on_delta) {
    GenerationResult result = co_await generate(request);
    std::string_view rest = result.content;
    while (!rest.empty()) {
        size_t end = rest.find('\n');
        end = end == std::string_view::npos ? rest.size() : end + 1;
        const bool more = co_await on_delta(rest.substr(0, end));
        if (!more)
            throw ProviderError(ProviderError::Kind::Abandoned, "stream abandoned by the client");
        rest.remove_prefix(end);
    }
    co_return result;
}

}  // namespace resumate::ai
