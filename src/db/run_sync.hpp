#pragma once
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "db/database.hpp"

namespace resumate::db {

template <typename T>
T run_sync(Task<T> task) {
    boost::asio::io_context ctx;
    auto fut = boost::asio::co_spawn(ctx, std::move(task), boost::asio::use_future);
    ctx.run();
    return fut.get();
}

}  // namespace resumate::db
