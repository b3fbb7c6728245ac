#pragma once
// Brute-force protection of POST /api/auth/token/: after too many failed logins for one
// username, or from one address, within a window, further attempts are answered 429 without
// looking at the password. Same answer whether the user exists or not.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cache/cache.hpp"

namespace resumate::users {

struct LoginGuardOptions {
    int64_t max_per_username = 5;      // RESUMATE_LOGIN_MAX_FAILURES
    int64_t max_per_address = 50;      // RESUMATE_LOGIN_MAX_FAILURES_PER_IP
    std::chrono::seconds window{900};  // RESUMATE_LOGIN_LOCKOUT_SECONDS
};

class LoginGuard {
  public:
    LoginGuard(cache::Cache& cache, LoginGuardOptions options) : cache_(cache), opt_(options) {}
    // Seconds until this username and address may try again; nullopt: go ahead.
    cache::Task<std::optional<int64_t>> blocked(std::string_view username,
                                                std::string_view address);
    cache::Task<void> failed(std::string_view username, std::string_view address);
    // A good password clears the username's count (not the address's: one attacker may hold a
    // valid account).
    cache::Task<void> succeeded(std::string_view username);

  private:
    std::string key(std::string_view kind, std::string_view who, int64_t window) const;
    int64_t window_now() const;
    cache::Cache& cache_;
    LoginGuardOptions opt_;
};

}  // namespace resumate::users
