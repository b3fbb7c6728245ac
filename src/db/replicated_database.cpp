#include "db/replicated_database.hpp"

#include <charconv>

#include "util/log.hpp"

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

uint64_t parse_lsn(std::string_view text) {
    const size_t slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) return 0;
    uint64_t hi = 0, lo = 0;
    auto hex = [](std::string_view part, uint64_t& out) {
        if (part.size() > 8) return false;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out, 16);
        return ec == std::errc() && end == part.data() + part.size();
    };
    if (!hex(text.substr(0, slash), hi) || !hex(text.substr(slash + 1), lo)) return 0;
    return hi << 32 | lo;
}

Task<std::optional<std::string>> ReplicatedDatabase::write_position() {
    if (replicas_.empty() || dialect() != Dialect::Postgres) co_return std::nullopt;
    Result r = co_await primary_->execute("SELECT pg_current_wal_insert_lsn()::text", {});
    if (r.empty() || r.rows[0].is_null(0)) co_return std::nullopt;
    co_return r.rows[0].text(0);
}

Task<bool> ReplicatedDatabase::caught_up(Replica& r, uint64_t min) {
    if (r.replayed.load(std::memory_order_relaxed) >= min) co_return true;
    Result res = co_await r.db->execute("SELECT pg_last_wal_replay_lsn()::text", {});
    const uint64_t now = res.empty() || res.rows[0].is_null(0) ? 0 : parse_lsn(res.rows[0].view(0));
    uint64_t seen = r.replayed.load(std::memory_order_relaxed);
    while (now > seen && !r.replayed.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
    }
    co_return now >= min;
}

Task<Result> ReplicatedDatabase::execute_on_replica(std::string_view sql, std::vector<Value> params,
                                                    std::string_view min_position) {
    const uint64_t min = min_position.empty() ? 0 : parse_lsn(min_position);
    size_t n = replicas_.size();
    size_t start = next_.fetch_add(1, std::memory_order_relaxed);
    for (size_t k = 0; k < n; ++k) {
        Replica& r = *replicas_[(start + k) % n];
        if (steady_ms() < r.down_until_ms.load(std::memory_order_relaxed)) continue;
        bool failed = false;
        try {
            if (min > 0 && !co_await caught_up(r, min)) continue;  // behind the caller's write
            Result res = co_await r.db->execute(sql, params);
            r.reads.fetch_add(1, std::memory_order_relaxed);
            co_return res;
        } catch (const Unavailable& e) {
            failed = true;
            util::log::warn("read replica {} unavailable, skipping it for {} ms: {}",
                            (start + k) % n, retry_after_.count(), e.what());
        } catch (const ReplicaCannotAnswer& e) {
            // Cancelled by a conflict with recovery, or a migration not replayed yet: the read
            // is answered by the primary.
            util::log::info("read replica {}: {}; reading from the primary", (start + k) % n,
                            e.what());
            break;
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

std::vector<Database::PoolStats> ReplicatedDatabase::pool_stats() const {
    std::vector<PoolStats> out;
    for (auto& p : primary_->pool_stats()) {
        p.pool = "primary";
        out.push_back(std::move(p));
    }
    for (size_t i = 0; i < replicas_.size(); ++i) {
        for (auto& p : replicas_[i]->db->pool_stats()) {
            p.pool = "replica" + std::to_string(i + 1);
            out.push_back(std::move(p));
        }
    }
    return out;
}

}  // namespace resumate::db
