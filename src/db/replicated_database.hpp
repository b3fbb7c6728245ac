#pragma once
#include <atomic>
#include <memory>
#include <vector>

#include "db/database.hpp"

namespace resumate::db {
// A PostgreSQL WAL position ("16/B374D848") as a number; 0 for anything else.
uint64_t parse_lsn(std::string_view text);
}  // namespace resumate::db

namespace resumate::db {

// A primary with read replicas (DATABASE_REPLICA_URLS). Every statement issued on it directly
// goes to the primary; a Session's reads (before its request writes) go to the replicas in turn. A
// replica that fails is skipped for a while and tried again after; with none left, reads go to the
// primary.
class ReplicatedDatabase final : public Database {
  public:
    ReplicatedDatabase(std::unique_ptr<Database> primary,
                       std::vector<std::unique_ptr<Database>> replicas,
                       std::chrono::milliseconds retry_after = std::chrono::seconds(5));

    Dialect dialect() const override { return primary_->dialect(); }
    Task<Result> execute(std::string_view sql, std::vector<Value> params) override {
        return primary_->execute(sql, std::move(params));
    }
    Task<void> transaction(std::function<Task<void>(Connection&)> body) override {
        return primary_->transaction(std::move(body));
    }
    void release_io() override {
        primary_->release_io();
        for (auto& r : replicas_) r->db->release_io();
    }

    // The primary's pool, then "replica1", "replica2"… in DATABASE_REPLICA_URLS order.
    std::vector<PoolStats> pool_stats() const override;

    // The primary's WAL insert position on PostgreSQL (after the commit record of a write that
    // has committed; the write and flush positions may still be behind it when
    // synchronous_commit is off); nullopt otherwise.
    Task<std::optional<std::string>> write_position() override;

    // Reads each replica served (tests and the log look at it).
    std::vector<int64_t> reads_per_replica() const;

  protected:
    // The replicas in turn, skipping one that is down, or (min_position given) that has not
    // replayed that far yet — asked with pg_last_wal_replay_lsn() until it has; none left: the
    // primary. A read a replica cancelled (a conflict with recovery) goes to the primary.
    Task<Result> execute_on_replica(std::string_view sql, std::vector<Value> params,
                                    std::string_view min_position) override;

  private:
    struct Replica {
        std::unique_ptr<Database> db;
        std::atomic<int64_t> down_until_ms{0};
        std::atomic<int64_t> reads{0};
        std::atomic<uint64_t> replayed{0};  // the last WAL position it was seen to have replayed
    };
    // Whether `r` has replayed up to `min` (a parse_lsn value), asking it when it was behind.
    Task<bool> caught_up(Replica& r, uint64_t min);
    std::unique_ptr<Database> primary_;
    std::vector<std::unique_ptr<Replica>> replicas_;
    std::atomic<size_t> next_{0};
    std::chrono::milliseconds retry_after_;
};

}  // namespace resumate::db
