#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <thread>

#include "util/worker_pool.hpp"

using namespace std::chrono_literals;
using resumate::util::CpuGate;
using resumate::util::WorkerPool;

TEST(CpuGate, RefusesPastItsLimitAtOnceAndAdmitsAgainAfter) {
    WorkerPool pool(2);
    CpuGate gate(pool, 2);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    boost::asio::io_context ioc;
    auto blocked = [released] {
        released.wait();
        return 1;
    };
    auto a = boost::asio::co_spawn(ioc, gate.run(blocked), boost::asio::use_future);
    auto b = boost::asio::co_spawn(ioc, gate.run(blocked), boost::asio::use_future);
    ioc.poll();
    EXPECT_EQ(gate.in_flight(), 2u);
    auto c = boost::asio::co_spawn(ioc, gate.run([] { return 3; }), boost::asio::use_future);
    ioc.poll();
    ASSERT_EQ(c.wait_for(0s), std::future_status::ready) << "the overflow waited";
    EXPECT_FALSE(c.get().has_value());
    release.set_value();
    ioc.run();
    EXPECT_EQ(a.get(), 1);
    EXPECT_EQ(b.get(), 1);
    EXPECT_EQ(gate.in_flight(), 0u);
    ioc.restart();
    auto d = boost::asio::co_spawn(ioc, gate.run([] { return 4; }), boost::asio::use_future);
    ioc.run();
    EXPECT_EQ(d.get(), 4);
}

TEST(WorkerPool, RunsJobsOnItsOwnThreadsAndJoinWaitsForThem) {
    WorkerPool pool(2);
    EXPECT_EQ(pool.threads(), 2u);
    boost::asio::io_context ioc;
    auto job = resumate::util::on_cpu_pool(pool, [] { return std::this_thread::get_id(); });
    auto ran_on = boost::asio::co_spawn(ioc, std::move(job), boost::asio::use_future);
    ioc.run();
    EXPECT_NE(ran_on.get(), std::this_thread::get_id());

    std::atomic<bool> finished{false};
    boost::asio::post(pool.executor(), [&finished] {
        std::this_thread::sleep_for(50ms);
        finished = true;
    });
    pool.join();
    EXPECT_TRUE(finished) << "join() returned before the job in flight ended";
}
