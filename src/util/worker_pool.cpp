#include "util/worker_pool.hpp"

#include <algorithm>
#include <thread>

namespace resumate::util {

std::size_t cpu_pool_threads() {
    return std::max(2u, std::thread::hardware_concurrency());
}

boost::asio::thread_pool& cpu_pool() {
    static boost::asio::thread_pool pool(cpu_pool_threads());
    return pool;
}

void drain_cpu_pool() {
    cpu_pool().join();
}

}  // namespace resumate::util
