#include "ai/quota_store.hpp"

namespace resumate::ai {

db::Task<bool> QuotaStore::reserve(int64_t model_id, const std::string& subject, util::Date day,
                                   int64_t limit) {
    // One statement, so concurrent requests cannot both take the last unit: the upsert's
    // WHERE refuses the increment once the count has reached the limit (and then returns no row).
    auto res = co_await db_.query(
        "INSERT INTO resumate_ai_usage (model_id, subject, day, count) VALUES ($1, $2, $3, 1) "
        "ON CONFLICT (model_id, subject, day) DO UPDATE SET count = resumate_ai_usage.count + 1 "
        "WHERE resumate_ai_usage.count < $4 RETURNING count",
        model_id, subject, day, limit);
    co_return !res.empty();
}

db::Task<void> QuotaStore::release(int64_t model_id, const std::string& subject, util::Date day) {
    co_await db_.query(
        "UPDATE resumate_ai_usage SET count = count - 1 WHERE model_id = $1 AND subject = $2 AND "
        "day = $3 AND count > 0",
        model_id, subject, day);
}

}  // namespace resumate::ai
