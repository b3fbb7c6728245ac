#pragma once
// Brute-force protection of POST /api/auth/token/, over sliding windows of failed logins:
// * one username from one address: after max_per_username failures, 429 for that pair only;
// * one address, any usernames: after max_per_address failures, 429 for that address;
// * one username, every address: after slowdown_after failures each attempt waits (1 s, 2 s,
//   4 s… up to max_delay after the last failure) — slowed down, never locked, so nobody can lock
//   an account out by failing on purpose.
// Failures for unknown usernames count the same, so the answers do not tell whether a user
// exists.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cache/cache.hpp"

namespace resumate::users {

struct LoginGuardOptions {
    int64_t max_per_username = 5;      // RESUMATE_LOGIN_MAX_FAILURES (per username and address)
    int64_t max_per_address = 50;      // RESUMATE_LOGIN_MAX_FAILURES_PER_IP
    std::chrono::seconds window{900};  // RESUMATE_LOGIN_LOCKOUT_SECONDS
    int64_t slowdown_after = 10;  // RESUMATE_LOGIN_SLOWDOWN_AFTER (per username, all addresses)
    std::chrono::seconds max_delay{16};  // RESUMATE_LOGIN_MAX_DELAY_SECONDS
};

struct LoginVerdict {
    std::optional<int64_t> retry_after;  // seconds: answer 429 without looking at the password
    std::chrono::milliseconds delay{0};  // otherwise: wait this long before checking it
};

class LoginGuard {
  public:
    using NowMs = std::function<int64_t()>;  // wall clock in ms; injectable for tests
    LoginGuard(cache::Cache& cache, LoginGuardOptions options, NowMs now_ms = {});
    cache::Task<LoginVerdict> check(std::string_view username, std::string_view address);
    cache::Task<void> failed(std::string_view username, std::string_view address);
    // A good password clears the counts of this username from this address and of the address
    // (not the username's count over every address: that only slows down, and ages out).
    cache::Task<void> succeeded(std::string_view username, std::string_view address);

  private:
    std::vector<cache::EventLog> logs(std::string_view username, std::string_view address) const;
    cache::Cache& cache_;
    LoginGuardOptions opt_;
    NowMs now_ms_;
};

}  // namespace resumate::users
