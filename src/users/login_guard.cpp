#include "users/login_guard.hpp"

#include <algorithm>

namespace resumate::users {
namespace {

// Enough of the username's failures to reach the longest delay (2^30 s is far beyond any cap).
constexpr int64_t kDelaySteps = 31;

int64_t system_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Seconds until fewer than `limit` of `times` are within the window; nullopt when already so.
std::optional<int64_t> lock_left(const std::vector<int64_t>& times, int64_t limit,
                                 std::chrono::milliseconds window, int64_t now) {
    if (static_cast<int64_t>(times.size()) < limit) return std::nullopt;
    // The failure whose ageing out brings the count below the limit.
    const int64_t ends = times[times.size() - static_cast<size_t>(limit)] + window.count();
    return std::max<int64_t>(1, (ends - now + 999) / 1000);
}

}  // namespace

LoginGuard::LoginGuard(cache::Cache& cache, LoginGuardOptions options, NowMs now_ms)
    : cache_(cache), opt_(options), now_ms_(now_ms ? std::move(now_ms) : NowMs(system_now_ms)) {}

std::vector<cache::EventLog> LoginGuard::logs(std::string_view username,
                                              std::string_view address) const {
    const std::chrono::milliseconds window = opt_.window;
    // The address (which may hold ':') comes with its length, so no pair of strings collides.
    std::string pair = "login_failures:pair:" + std::to_string(address.size()) + ":" +
                       std::string(address) + ":" + std::string(username);
    return {{std::move(pair), window, opt_.max_per_username},
            {"login_failures:ip:" + std::string(address), window, opt_.max_per_address},
            {"login_failures:user:" + std::string(username), window,
             opt_.slowdown_after + kDelaySteps}};
}

cache::Task<LoginVerdict> LoginGuard::check(std::string_view username, std::string_view address) {
    const int64_t now = now_ms_();
    const auto l = logs(username, address);
    auto times = co_await cache_.event_logs(l, now, /*record=*/false);
    LoginVerdict v;
    if (!times || times->size() != l.size()) co_return v;  // shared cache down: let it through
    auto by_pair = lock_left((*times)[0], opt_.max_per_username, l[0].window, now);
    auto by_address = lock_left((*times)[1], opt_.max_per_address, l[1].window, now);
    if (by_pair || by_address) {
        v.retry_after = std::max(by_pair.value_or(0), by_address.value_or(0));
        co_return v;
    }
    const auto& by_user = (*times)[2];
    const int64_t over = static_cast<int64_t>(by_user.size()) - opt_.slowdown_after;
    if (over >= 0 && !by_user.empty()) {
        const int64_t step_ms = int64_t{1000} << std::min<int64_t>(over, 30);
        const int64_t delay_ms =
            std::min<int64_t>(step_ms, std::chrono::milliseconds(opt_.max_delay).count());
        v.delay = std::chrono::milliseconds(std::max<int64_t>(0, by_user.back() + delay_ms - now));
    }
    co_return v;
}

cache::Task<void> LoginGuard::failed(std::string_view username, std::string_view address) {
    co_await cache_.event_logs(logs(username, address), now_ms_(), /*record=*/true);
}

cache::Task<void> LoginGuard::succeeded(std::string_view username, std::string_view address) {
    const auto l = logs(username, address);
    co_await cache_.erase(l[0].key);
    co_await cache_.erase(l[1].key);
}

}  // namespace resumate::users
