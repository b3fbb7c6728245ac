#pragma once
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <optional>
#include <utility>

namespace resumate::util {

// Threads for CPU-heavy work (password hashing) so IO threads keep serving other requests. The
// owner (app::App) creates one and hands it by reference to what uses it.
class WorkerPool {
  public:
    // One thread per core, at least two.
    static std::size_t default_threads();

    explicit WorkerPool(std::size_t threads = default_threads());
    // Joins: waits for the work in flight.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // How many jobs run at once.
    std::size_t threads() const { return threads_; }
    boost::asio::thread_pool::executor_type executor() { return pool_.get_executor(); }

    // Waits for the work in flight, then ends the threads (the pool takes no more work). For the
    // end of serving: a job that finished hashing still holds its caller's executor while it
    // hands the result over, so the IO context it came from must outlive it — even when that
    // context was stopped with the job in flight.
    void join() { pool_.join(); }

  private:
    std::size_t threads_;
    boost::asio::thread_pool pool_;
};

// Runs f() on `pool` and resumes the caller on its own executor with the result.
template <typename F>
auto on_cpu_pool(WorkerPool& pool, F f) -> boost::asio::awaitable<decltype(f())> {
    using R = decltype(f());
    // The job is built outside the co_await: GCC 12 destroys a temporary with a non-trivial
    // capture twice there (AddressSanitizer: a job capturing a shared_future).
    auto job = [fn = std::move(f)]() mutable -> boost::asio::awaitable<R> { co_return fn(); };
    auto done = boost::asio::co_spawn(pool.executor(), std::move(job), boost::asio::use_awaitable);
    co_return co_await std::move(done);
}

// Admission to a worker pool for one kind of work: at most `limit` jobs in flight (running on the
// pool's threads or waiting in its queue). Past it, run() answers nullopt at once instead of
// queueing, so the wait of an admitted job stays bounded (limit / threads jobs ahead of it).
class CpuGate {
  public:
    CpuGate(WorkerPool& pool, std::size_t limit) : pool_(pool), limit_(limit == 0 ? 1 : limit) {}
    WorkerPool& pool() const { return pool_; }
    std::size_t limit() const { return limit_; }
    std::size_t in_flight() const { return in_flight_.load(); }

    template <typename F>
    auto run(F f) -> boost::asio::awaitable<std::optional<decltype(f())>> {
        if (in_flight_.fetch_add(1) >= limit_) {
            in_flight_.fetch_sub(1);
            co_return std::nullopt;
        }
        struct Release {
            std::atomic<std::size_t>& n;
            ~Release() { n.fetch_sub(1); }
        } release{in_flight_};
        auto job = on_cpu_pool(pool_, std::move(f));  // not a temporary in the co_await: see above
        co_return co_await std::move(job);
    }

  private:
    WorkerPool& pool_;
    std::size_t limit_;
    std::atomic<std::size_t> in_flight_{0};
};

}  // namespace resumate::util
