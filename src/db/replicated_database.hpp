#pragma once
#include <atomic>
#include <memory>
#include <vector>

#include "db/database.hpp"

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

    // Reads each replica served (tests and the log look at it).
    std::vector<int64_t> reads_per_replica() const;

  protected:
    Task<Result> execute_on_replica(std::string_view sql, std::vector<Value> params) override;

  private:
    struct Replica {
        std::unique_ptr<Database> db;
        std::atomic<int64_t> down_until_ms{0};
        std::atomic<int64_t> reads{0};
    };
    std::unique_ptr<Database> primary_;
    std::vector<std::unique_ptr<Replica>> replicas_;
    std::atomic<size_t> next_{0};
    std::chrono::milliseconds retry_after_;
};

}  // namespace resumate::db
