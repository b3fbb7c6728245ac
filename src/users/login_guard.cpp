#include "users/login_guard.hpp"

#include "util/strings.hpp"
#include "util/time.hpp"

namespace resumate::users {

int64_t LoginGuard::window_now() const {
    return util::now_seconds() / opt_.window.count();
}

std::string LoginGuard::key(std::string_view kind, std::string_view who, int64_t window) const {
    return "login_failures:" + std::string(kind) + ":" + std::to_string(window) + ":" +
           std::string(who);
}

cache::Task<std::optional<int64_t>> LoginGuard::blocked(std::string_view username,
                                                        std::string_view address) {
    const int64_t w = window_now();
    auto count = [](const std::optional<std::string>& v) {
        return v ? util::parse_int64(*v).value_or(0) : 0;
    };
    auto by_user = co_await cache_.get(key("user", username, w));
    auto by_address = co_await cache_.get(key("ip", address, w));
    if (count(by_user) < opt_.max_per_username && count(by_address) < opt_.max_per_address)
        co_return std::nullopt;
    const int64_t now = util::now_seconds();
    co_return std::max<int64_t>(1, (w + 1) * opt_.window.count() - now);
}

cache::Task<void> LoginGuard::failed(std::string_view username, std::string_view address) {
    const int64_t w = window_now();
    co_await cache_.increment(key("user", username, w), 1, opt_.window);
    co_await cache_.increment(key("ip", address, w), 1, opt_.window);
}

cache::Task<void> LoginGuard::succeeded(std::string_view username) {
    co_await cache_.erase(key("user", username, window_now()));
}

}  // namespace resumate::users
