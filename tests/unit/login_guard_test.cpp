// The login guard's policy on the in-process cache, with a clock the test moves: locks per
// (username, address) and per address over sliding windows, a slowdown (never a lock) per
// username across addresses, and what a success clears.
#include <gtest/gtest.h>

#include "cache/memory_cache.hpp"
#include "db/run_sync.hpp"
#include "users/login_guard.hpp"

namespace {

using namespace std::chrono_literals;
using resumate::cache::MemoryCache;
using resumate::db::run_sync;
using resumate::users::LoginGuard;
using resumate::users::LoginGuardOptions;
using resumate::users::LoginVerdict;

struct Fixture {
    explicit Fixture(LoginGuardOptions o = {}) : guard(cache, o, [this] { return now_ms; }) {}
    LoginVerdict check(const std::string& user, const std::string& ip) {
        return run_sync(guard.check(user, ip));
    }
    void fail(const std::string& user, const std::string& ip, int times = 1) {
        for (int i = 0; i < times; ++i) run_sync(guard.failed(user, ip));
    }
    void succeed(const std::string& user, const std::string& ip) {
        run_sync(guard.succeeded(user, ip));
    }
    // Mid-window of the old clock-aligned windows (900 s) unless a test moves it.
    int64_t now_ms = 1'700'000'100'000;
    MemoryCache cache{1000};
    LoginGuard guard;
};

TEST(LoginGuard, LocksTheUsernameOnlyFromTheFailingAddress) {
    Fixture f;
    f.fail("admin", "10.0.0.1", 4);
    EXPECT_FALSE(f.check("admin", "10.0.0.1").retry_after);
    f.fail("admin", "10.0.0.1");
    auto locked = f.check("admin", "10.0.0.1");
    ASSERT_TRUE(locked.retry_after);
    EXPECT_EQ(*locked.retry_after, 900);
    // The owner, elsewhere, is neither locked nor slowed down by five failures.
    auto owner = f.check("admin", "192.0.2.7");
    EXPECT_FALSE(owner.retry_after);
    EXPECT_EQ(owner.delay, 0ms);
}

TEST(LoginGuard, ManyAddressesSlowTheUsernameDownButNeverLockIt) {
    Fixture f;  // slowdown after 10, up to 16 s
    for (int i = 0; i < 9; ++i) f.fail("admin", "10.0.1." + std::to_string(i), 4);  // 36
    auto v = f.check("admin", "192.0.2.7");
    EXPECT_FALSE(v.retry_after);
    EXPECT_EQ(v.delay, 16s);  // 36 failures: 2^26 s capped at 16 s, counted from the last one
    f.now_ms += 10'000;
    EXPECT_EQ(f.check("admin", "192.0.2.7").delay, 6s);
    f.now_ms += 6'000;
    EXPECT_EQ(f.check("admin", "192.0.2.7").delay, 0ms);
    EXPECT_FALSE(f.check("admin", "192.0.2.7").retry_after);
}

TEST(LoginGuard, TheDelayDoublesWithEachFailureOverTheThreshold) {
    Fixture f(LoginGuardOptions{.max_per_username = 5,
                                .max_per_address = 50,
                                .window = 900s,
                                .slowdown_after = 3,
                                .max_delay = 8s});
    f.fail("bob", "10.0.0.1", 2);
    EXPECT_EQ(f.check("bob", "10.0.0.2").delay, 0ms);
    const std::chrono::milliseconds expected[] = {1s, 2s, 4s, 8s, 8s};
    for (auto want : expected) {
        f.fail("bob", "10.0.0.1");
        EXPECT_EQ(f.check("bob", "10.0.0.2").delay, want);
    }
}

TEST(LoginGuard, WindowsSlideInsteadOfResettingAtClockBoundaries) {
    Fixture f;
    f.now_ms = 1'700'000'099'000;  // 1 s before a multiple of 900 s (1'700'000'100 s)
    f.fail("carol", "10.0.0.1", 5);
    f.now_ms += 2'000;  // across the old fixed window's boundary
    auto v = f.check("carol", "10.0.0.1");
    ASSERT_TRUE(v.retry_after) << "a new clock window gave 5 fresh guesses";
    EXPECT_EQ(*v.retry_after, 898);  // a lockout lasts the window from the failure, not 1 s
    f.now_ms += 897'000;
    EXPECT_TRUE(f.check("carol", "10.0.0.1").retry_after);
    f.now_ms += 1'000;  // the five failures are now 900 s old
    EXPECT_FALSE(f.check("carol", "10.0.0.1").retry_after);
}

TEST(LoginGuard, FailuresAgeOutOneByOne) {
    Fixture f;
    for (int i = 0; i < 5; ++i) {
        f.fail("dave", "10.0.0.1");
        f.now_ms += 60'000;
    }
    // Failures at 0, 60, …, 240 s; now 300 s: the oldest leaves at 900 s.
    EXPECT_EQ(f.check("dave", "10.0.0.1").retry_after.value_or(0), 600);
    f.now_ms += 600'000;
    EXPECT_FALSE(f.check("dave", "10.0.0.1").retry_after);
    f.fail("dave", "10.0.0.1");  // five within the window again
    EXPECT_EQ(f.check("dave", "10.0.0.1").retry_after.value_or(0), 60);
}

TEST(LoginGuard, OneAddressIsLockedForEveryUsernameAfterItsLimit) {
    Fixture f(LoginGuardOptions{.max_per_username = 5, .max_per_address = 8});
    for (int i = 0; i < 8; ++i) f.fail("user" + std::to_string(i), "10.0.0.9");
    EXPECT_TRUE(f.check("someone-else", "10.0.0.9").retry_after);
    EXPECT_FALSE(f.check("someone-else", "10.0.0.10").retry_after);
}

TEST(LoginGuard, ASuccessClearsThePairAndTheAddress) {
    Fixture f(LoginGuardOptions{.max_per_username = 5, .max_per_address = 8});
    f.fail("erin", "10.0.0.1", 4);
    f.fail("other", "10.0.0.1", 3);
    f.succeed("erin", "10.0.0.1");
    f.fail("erin", "10.0.0.1", 4);  // 4 again for the pair, 4 for the address
    EXPECT_FALSE(f.check("erin", "10.0.0.1").retry_after);
    f.fail("erin", "10.0.0.1");
    EXPECT_TRUE(f.check("erin", "10.0.0.1").retry_after);
}

}  // namespace
