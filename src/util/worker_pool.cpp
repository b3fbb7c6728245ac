#include "util/worker_pool.hpp"

#include <thread>

namespace resumate::util {

boost::asio::thread_pool& cpu_pool() {
    static boost::asio::thread_pool pool(std::max(2u, std::thread::hardware_concurrency()));
    return pool;
}

void drain_cpu_pool() {
    cpu_pool().join();
}

}  // namespace resumate::util
