#pragma once
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <mutex>

#include "db/database.hpp"

namespace resumate::db {

// The one event loop of run_sync. It lives as long as the process: I/O objects cached by a
// database connection (its registered socket) stay valid across run_sync calls.
boost::asio::io_context& sync_context();
std::mutex& sync_mutex();

template <typename T>
T run_sync(Task<T> task) {
    std::lock_guard lock(sync_mutex());
    auto& ctx = sync_context();
    ctx.restart();
    auto fut = boost::asio::co_spawn(ctx, std::move(task), boost::asio::use_future);
    ctx.run();
    return fut.get();
}

}  // namespace resumate::db
