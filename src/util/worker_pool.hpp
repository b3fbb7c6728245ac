#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

namespace resumate::util {

// Threads for CPU-heavy work (password hashing) so IO threads keep serving other requests.
boost::asio::thread_pool& cpu_pool();

// Waits for the work in flight on the CPU pool, then ends its threads (it takes no more work).
// For the end of serving: a job that finished hashing still holds its caller's executor while it
// hands the result over, so the IO context it came from must outlive it — even when that
// context was stopped with the job in flight.
void drain_cpu_pool();

// Runs f() on the CPU pool and resumes the caller on its own executor with the result.
template <typename F>
auto on_cpu_pool(F f) -> boost::asio::awaitable<decltype(f())> {
    using R = decltype(f());
    co_return co_await boost::asio::co_spawn(
        cpu_pool(), [fn = std::move(f)]() mutable -> boost::asio::awaitable<R> { co_return fn(); },
        boost::asio::use_awaitable);
}

}  // namespace resumate::util
