// The offline model's stream: the whole answer, a line per delta, paced when asked to be.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "ai/providers/offline_provider.hpp"

namespace resumate::ai {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Streamed {
    std::vector<std::string> deltas;
    std::vector<Clock::duration> at;  // when each delta arrived, from the call
    std::string returned;
};

Streamed stream_with(milliseconds pace, size_t stop_after = SIZE_MAX) {
    boost::asio::io_context ioc;
    OfflineProvider provider(pace);
    GenerationRequest req;
    req.raw_user_input =
        "Dana Kim, data engineer with six years of Spark, Airflow and SQL; built a lakehouse "
        "that cut reporting time from days to hours; mentors two juniors.";
    Streamed out;
    const auto start = Clock::now();
    DeltaFn on_delta = [&](std::string_view d) -> Task<bool> {
        out.deltas.emplace_back(d);
        out.at.push_back(Clock::now() - start);
        co_return out.deltas.size() < stop_after;
    };
    auto done = boost::asio::co_spawn(
        ioc,
        [&]() -> Task<void> { out.returned = (co_await provider.stream(req, on_delta)).content; },
        boost::asio::use_future);
    ioc.run();
    done.get();
    return out;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string all;
    for (const auto& p : parts) all += p;
    return all;
}

TEST(OfflineProviderStream, HandsOnTheWholeAnswerALineAtATime) {
    const Streamed s = stream_with(milliseconds(0));
    ASSERT_GE(s.deltas.size(), 3u);
    EXPECT_EQ(joined(s.deltas), s.returned);
    for (size_t i = 0; i + 1 < s.deltas.size(); ++i) EXPECT_EQ(s.deltas[i].back(), '\n');
}

TEST(OfflineProviderStream, APaceSpacesTheLinesAndChangesNothingElse) {
    const Streamed plain = stream_with(milliseconds(0));
    const Streamed paced = stream_with(milliseconds(20));
    EXPECT_EQ(paced.deltas, plain.deltas);
    EXPECT_EQ(paced.returned, plain.returned);
    // Lower bounds only: each line waits at least the pace after the one before it.
    for (size_t i = 1; i < paced.at.size(); ++i)
        EXPECT_GE(paced.at[i] - paced.at[i - 1], milliseconds(20)) << "line " << i;
}

TEST(OfflineProviderStream, AListenerThatLeavesEndsThePacedStream) {
    EXPECT_THROW(stream_with(milliseconds(5), 2), ProviderError);
}

}  // namespace
}  // namespace resumate::ai
