#include "ai/retention.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "resumes/resume_store.hpp"

namespace resumate::ai {

db::Task<int64_t> purge_anonymous_generations(db::Database& db, users::SystemUsers& system_users,
                                              int64_t retention_days, util::Timestamp now) {
    if (retention_days <= 0) co_return 0;
    const int64_t anonymous = co_await system_users.id(db, users::SystemAccount::Anonymous);
    util::Timestamp cutoff{now.micros - retention_days * 86'400'000'000LL};
    resumes::ResumeStore store(db);
    constexpr int64_t kBatch = 100;
    int64_t total = 0;
    while (true) {
        int64_t n = co_await store.remove_created_before(anonymous, cutoff, kBatch);
        total += n;
        if (n < kBatch) break;
        // Let the requests waiting on this thread run between two batches.
        co_await boost::asio::post(co_await boost::asio::this_coro::executor,
                                   boost::asio::use_awaitable);
    }
    co_return total;
}

}  // namespace resumate::ai
