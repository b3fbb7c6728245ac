#include "db/replicated_database.hpp"

#include <spdlog/spdlog.h>

namespace resumate::db {
namespace {
int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
}  // namespace

ReplicatedDatabase::ReplicatedDatabase(std::unique_ptr<Database> primary,
                                       std::vector<std::unique_ptr<Database>> replicas,
                                       std::chrono::milliseconds retry_after)
    : primary_(std::move(primary)), retry_after_(retry_after) {
    for (auto& r : replicas) {
        auto rep = std::make_unique<Replica>();
        rep->db = std::move(r);
        replicas_.push_back(std::move(rep));
    }
}

Task<Result> ReplicatedDatabase::execute_on_replica(std::string_view sql,
                                                    std::vector<Value> params) {
    size_t n = replicas_.size();
    size_t start = next_.fetch_add(1, std::memory_order_relaxed);
    for (size_t k = 0; k < n; ++k) {
        Replica& r = *replicas_[(start + k) % n];
        if (steady_ms() < r.down_until_ms.load(std::memory_order_relaxed)) continue;
        bool failed = false;
        try {
            Result res = co_await r.db->execute(sql, params);
            r.reads.fetch_add(1, std::memory_order_relaxed);
            co_return res;
        } catch (const Unavailable& e) {
            failed = true;
            spdlog::warn("read replica {} unavailable, skipping it for {} ms: {}", (start + k) % n,
                         retry_after_.count(), e.what());
        }
        if (failed) r.down_until_ms = steady_ms() + retry_after_.count();
    }
    co_return co_await primary_->execute(sql, std::move(params));
}

std::vector<int64_t> ReplicatedDatabase::reads_per_replica() const {
    std::vector<int64_t> out;
    for (const auto& r : replicas_) out.push_back(r->reads.load());
    return out;
}

}  // namespace resumate::db
