#include "db/run_sync.hpp"

namespace resumate::db {

boost::asio::io_context& sync_context() {
    static boost::asio::io_context ctx(1);
    return ctx;
}

std::mutex& sync_mutex() {
    static std::mutex mu;
    return mu;
}

}  // namespace resumate::db
