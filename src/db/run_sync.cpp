#include "db/run_sync.hpp"

namespace resumate::db {

// Process-wide on purpose (see run_sync.hpp): a database connection made in one run_sync call
// keeps its socket registered with this loop for the next one. Only run_sync uses it, one call at
// a time under sync_mutex(); the server's own loops never touch it.
boost::asio::io_context& sync_context() {
    static boost::asio::io_context ctx(1);
    return ctx;
}

std::mutex& sync_mutex() {
    static std::mutex mu;
    return mu;
}

}  // namespace resumate::db
