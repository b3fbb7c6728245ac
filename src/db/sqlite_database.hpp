#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/database.hpp"

struct sqlite3;

namespace resumate::db {

// SQLite in WAL mode with foreign keys on. A small pool of connections: WAL lets readers run
// in parallel with the single writer; writers take the lock up front (BEGIN IMMEDIATE) so two
// transactions never deadlock upgrading a read lock. Statements are cached per connection.
// Calls complete synchronously — SQLite is a library, not a server — so the awaitables never
// suspend.
class SqliteDatabase final : public Database {
  public:
    SqliteDatabase(const std::string& path, size_t pool_size);
    ~SqliteDatabase() override;

    Dialect dialect() const override { return Dialect::Sqlite; }
    Task<Result> execute(std::string_view sql, std::vector<Value> params) override;
    Task<void> transaction(std::function<Task<void>(Connection&)> body) override;

    class Conn;

    std::vector<PoolStats> pool_stats() const override;

  private:
    struct Lease;
    Lease acquire();
    void release(Conn* c);

    std::vector<std::unique_ptr<Conn>> all_;
    std::vector<Conn*> free_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    util::metrics::Histogram wait_{util::metrics::latency_buckets()};
};

}  // namespace resumate::db
