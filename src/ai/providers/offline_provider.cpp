#include "ai/providers/offline_provider.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "offline/writer.hpp"

namespace resumate::ai {

Task<GenerationResult> OfflineProvider::generate(const GenerationRequest& request) {
    if (!request.job_description.empty()) {
        co_return GenerationResult{
            offline::tailor_resume(request.raw_user_input, request.job_description)};
    }
    co_return GenerationResult{offline::write_resume(request.raw_user_input)};
}

Task<GenerationResult> OfflineProvider::stream(const GenerationRequest& request, DeltaFn on_delta) {
    if (pace_.count() == 0) co_return co_await Provider::stream(request, std::move(on_delta));
    bool first = true;
    DeltaFn paced = [&](std::string_view delta) -> Task<bool> {
        if (!first) {
            boost::asio::steady_timer pause(co_await boost::asio::this_coro::executor, pace_);
            co_await pause.async_wait(boost::asio::use_awaitable);
        }
        first = false;
        co_return co_await on_delta(delta);
    };
    co_return co_await Provider::stream(request, paced);
}

}  // namespace resumate::ai
