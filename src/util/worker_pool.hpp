#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

namespace resumate::util {

// Threads for CPU-heavy work (password hashing) so IO threads keep serving other requests.
boost::asio::thread_pool& cpu_pool();

// Runs f() on the CPU pool and resumes the caller on its own executor with the result.
template <typename F>
auto on_cpu_pool(F f) -> boost::asio::awaitable<decltype(f())> {
    using R = decltype(f());
    co_return co_await boost::asio::co_spawn(
        cpu_pool(), [fn = std::move(f)]() mutable -> boost::asio::awaitable<R> { co_return fn(); },
        boost::asio::use_awaitable);
}

}  // namespace resumate::util
