#include "util/worker_pool.hpp"

#include <algorithm>
#include <thread>

namespace resumate::util {

std::size_t WorkerPool::default_threads() {
    return std::max(2u, std::thread::hardware_concurrency());
}

WorkerPool::WorkerPool(std::size_t threads)
    : threads_(threads == 0 ? 1 : threads), pool_(threads_) {}

WorkerPool::~WorkerPool() {
    pool_.join();
}

}  // namespace resumate::util
