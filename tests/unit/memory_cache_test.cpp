#include <gtest/gtest.h>

#include <thread>

#include "cache/memory_cache.hpp"

using resumate::cache::MemoryCache;
using namespace std::chrono_literals;

TEST(MemoryCache, SetGetErase) {
    MemoryCache c(10);
    EXPECT_FALSE(c.get_now("k"));
    c.set_now("k", "v", 60s);
    EXPECT_EQ(c.get_now("k").value(), "v");
    c.set_now("k", "w", 60s);
    EXPECT_EQ(c.get_now("k").value(), "w");
    c.erase_now("k");
    EXPECT_FALSE(c.get_now("k"));
}

TEST(MemoryCache, EntriesExpire) {
    MemoryCache c(10);
    c.set_now("k", "v", 0s);
    EXPECT_FALSE(c.get_now("k"));
    EXPECT_EQ(c.size(), 0u);
}

TEST(MemoryCache, EvictsLeastRecentlyUsed) {
    MemoryCache c(2);
    c.set_now("a", "1", 60s);
    c.set_now("b", "2", 60s);
    ASSERT_TRUE(c.get_now("a"));  // a is now more recent than b
    c.set_now("c", "3", 60s);
    EXPECT_TRUE(c.get_now("a"));
    EXPECT_FALSE(c.get_now("b"));
    EXPECT_TRUE(c.get_now("c"));
    EXPECT_EQ(c.size(), 2u);
}

TEST(MemoryCache, IncrementIsAtomicAcrossThreads) {
    MemoryCache c(10);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) (void)c.increment_now("n", 1, 60s);
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(c.increment_now("n", 0, 60s), 4000);
}

TEST(MemoryCache, IncrementRestartsAfterExpiry) {
    MemoryCache c(10);
    EXPECT_EQ(c.increment_now("n", 5, 0s), 5);
    EXPECT_EQ(c.increment_now("n", 1, 60s), 1);  // the first one had already expired
}

TEST(MemoryCache, EventLogsSlideAndKeepTheNewest) {
    MemoryCache c(10);
    using resumate::cache::EventLog;
    const std::vector<EventLog> logs{{"a", 1000ms, 3}, {"b", 5000ms, 10}};
    EXPECT_EQ(c.event_logs_now(logs, 100, true), (std::vector<std::vector<int64_t>>{{100}, {100}}));
    c.event_logs_now(logs, 600, true);
    c.event_logs_now(logs, 700, true);
    auto v = c.event_logs_now(logs, 900, true);
    EXPECT_EQ(v[0], (std::vector<int64_t>{600, 700, 900}));  // only the 3 newest kept
    EXPECT_EQ(v[1], (std::vector<int64_t>{100, 600, 700, 900}));
    v = c.event_logs_now(logs, 1600, false);  // 600 is exactly 1000 ms old: gone
    EXPECT_EQ(v[0], (std::vector<int64_t>{700, 900}));
    c.erase_now("b");
    EXPECT_TRUE(c.event_logs_now(logs, 1600, false)[1].empty());
}
