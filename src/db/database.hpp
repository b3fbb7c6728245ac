// db/: one small interface for SQL with bound parameters, transactions and pooling, with one
// implementation per engine (SQLite, PostgreSQL, PostgreSQL with replicas), plus migrations.
// Features write SQL once with $1..$n placeholders; engine differences stay in this folder.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/metrics.hpp"
#include "util/time.hpp"

namespace resumate::db {

template <typename T>
using Task = boost::asio::awaitable<T>;

using Value =
    std::variant<std::monostate, int64_t, double, bool, std::string, util::Timestamp, util::Date>;
inline constexpr std::monostate null{};

// A row of text-or-null cells; typed getters convert the way each engine stores values.
// All cells share one buffer: one allocation per row, not one per cell.
class Row {
  public:
    Row() = default;
    void reserve(size_t cells, size_t bytes) {
        cells_.reserve(cells);
        data_.reserve(bytes);
    }
    void append(std::string_view cell) {
        cells_.push_back({static_cast<uint32_t>(data_.size()), static_cast<int32_t>(cell.size())});
        data_.append(cell);
    }
    void append_null() { cells_.push_back({static_cast<uint32_t>(data_.size()), -1}); }
    bool is_null(size_t i) const { return cells_.at(i).length < 0; }
    std::string_view view(size_t i) const;  // throws DbError on NULL
    std::string text(size_t i) const { return std::string(view(i)); }
    std::optional<std::string> optional_text(size_t i) const {
        if (is_null(i)) return std::nullopt;
        return text(i);
    }
    int64_t integer(size_t i) const;
    std::optional<int64_t> optional_integer(size_t i) const;
    bool boolean(size_t i) const;  // SQLite 0/1, PostgreSQL t/f
    util::Timestamp timestamp(size_t i) const;
    std::optional<util::Timestamp> optional_timestamp(size_t i) const;
    std::optional<util::Date> optional_date(size_t i) const;
    size_t size() const { return cells_.size(); }

  private:
    struct Cell {
        uint32_t offset;
        int32_t length;  // -1: NULL
    };
    std::string data_;
    std::vector<Cell> cells_;
};

struct Result {
    std::vector<Row> rows;
    int64_t affected = 0;
    bool empty() const { return rows.empty(); }
};

// Errors the http layer maps to status codes; their text never reaches a client.
class DbError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};
class UniqueViolation : public DbError {
  public:
    using DbError::DbError;
};
class Unavailable : public DbError {  // → 503 with Retry-After
  public:
    using DbError::DbError;
};
// A read a hot-standby replica failed where the primary would not: ReplicatedDatabase sends the
// same read to the primary.
class ReplicaCannotAnswer : public DbError {
  public:
    using DbError::DbError;
};
// SQLSTATE 40001. On a hot-standby replica: a read cancelled because it conflicted with the
// replay of the primary's changes.
class SerializationFailure : public ReplicaCannotAnswer {
  public:
    using ReplicaCannotAnswer::ReplicaCannotAnswer;
};
// SQLSTATE 42P01 / 42703 (no such table / column). On a replica: a migration the primary has
// applied is not replayed there yet (a fresh deployment, a new table, a replica with an apply
// delay).
class UndefinedObject : public ReplicaCannotAnswer {
  public:
    using ReplicaCannotAnswer::ReplicaCannotAnswer;
};

// A window of a list: `limit` rows from `offset`; limit 0 → every row.
//
// Stores (one per table or resource, in the feature folders) take these shapes:
//   list(owner_id, Page = {}) -> std::vector<T>    the owner's rows in the resource's list order
//   count(owner_id)           -> int64_t
//   find(owner_id, id)        -> std::optional<T>  (tables without an owner: find(id))
//   create(const T&)          -> T                 the row as stored (UserStore: its id)
//   update(const T&)          -> void              the writable columns, updated_at = now
//   remove(owner_id, id)      -> bool              false when there was no such row
//   list_head(owner_id) and fetch(owner_id, ids)   a list read a page at a time
// A SELECT that a replica may answer is issued with read(); everything else with query().
struct Page {
    int64_t limit = 0;
    int64_t offset = 0;
};

// A list read in one statement as far as it is small: its first rows whole, up to about
// kListHeadBytes of text (at least one row), and only the ids of the rows after them, in list
// order. A short list is then one query and one answer; a long one holds one page at a time.
inline constexpr int64_t kListHeadBytes = 48 * 1024;
// The statement's rows are (id, columns…): a row whose second column is NULL was not read
// whole and contributes only its id.
template <typename T>
struct ListHead {
    std::vector<T> rows;
    std::vector<int64_t> rest;

    template <typename FromRow>
    static ListHead read(const Result& res, FromRow from_row) {
        ListHead out;
        for (const auto& row : res.rows) {
            if (row.is_null(1)) {
                out.rest.push_back(row.integer(0));
            } else {
                out.rows.push_back(from_row(row));
            }
        }
        return out;
    }
};

// Builds a parameter list outside any coroutine. (GCC 12 miscompiles braced initializer lists
// of non-trivial types inside co_await expressions — "array used as initializer" — so call
// sites pass parameters as arguments and this plain function makes the vector.)
template <typename... Args>
std::vector<Value> params(Args&&... args) {
    std::vector<Value> v;
    v.reserve(sizeof...(Args));
    (v.emplace_back(std::forward<Args>(args)), ...);
    return v;
}

enum class Dialect { Sqlite, Postgres };

// A connection held for the length of a transaction.
class Connection {
  public:
    virtual ~Connection() = default;
    virtual Dialect dialect() const = 0;
    virtual Task<Result> execute(std::string_view sql, std::vector<Value> params) = 0;
    template <typename... Args>
    Task<Result> query(std::string_view sql, Args&&... args) {
        return execute(sql, params(std::forward<Args>(args)...));
    }
    // Several statements without parameters (schema migrations).
    virtual Task<void> execute_script(std::string_view sql) = 0;
};

class Session;

// Statements go to the primary. A read that may be served by a read replica says so where it is
// issued, with read(); it reaches a replica only through a Session, which knows whether the
// request has written yet. Everywhere else (CLI verbs, start-up, background work) a read goes to
// the primary, like every other statement.
class Database {
  public:
    virtual ~Database() = default;
    virtual Dialect dialect() const = 0;
    // One statement in autocommit mode on a pooled connection, on the primary.
    virtual Task<Result> execute(std::string_view sql, std::vector<Value> params) = 0;
    template <typename... Args>
    Task<Result> query(std::string_view sql, Args&&... args) {
        return execute(sql, params(std::forward<Args>(args)...));
    }
    // A plain SELECT (no FOR UPDATE / FOR SHARE) whose answer may lag the primary a little:
    // a Session sends it to a replica until its request writes. Here: the primary.
    virtual Task<Result> execute_read(std::string_view sql, std::vector<Value> params) {
        return execute(sql, std::move(params));
    }
    template <typename... Args>
    Task<Result> read(std::string_view sql, Args&&... args) {
        return execute_read(sql, params(std::forward<Args>(args)...));
    }
    // Runs `body` inside BEGIN … COMMIT on one connection; rolls back when it throws.
    virtual Task<void> transaction(std::function<Task<void>(Connection&)> body) = 0;
    // Called after the server's event loop stopped and before it is destroyed: drop anything
    // registered with it (cached socket registrations).
    virtual void release_io() {}

    // Each connection pool's state (metrics): "primary", "replica1"…, or "sqlite".
    struct PoolStats {
        std::string pool;
        size_t size = 0;
        size_t in_use = 0;
        util::metrics::Histogram::Snapshot wait;  // seconds a statement waited for a connection
    };
    virtual std::vector<PoolStats> pool_stats() const { return {}; }

    // Read-your-writes across requests. After a request wrote, where the primary's log stands
    // (PostgreSQL: its WAL position, e.g. "16/B374D848"): a later read that must see the write
    // goes to a replica only once the replica has replayed that far. nullopt when reads never
    // lag (no replicas).
    virtual Task<std::optional<std::string>> write_position() { co_return std::nullopt; }

  protected:
    // Where a Session sends a read before its request wrote: a replica when there is one
    // (ReplicatedDatabase), else wherever execute_read goes.
    // A replica that has replayed the primary's log up to `min_position` (write_position()),
    // when one is given.
    virtual Task<Result> execute_on_replica(std::string_view sql, std::vector<Value> params,
                                            std::string_view min_position) {
        (void)min_position;
        return execute_read(sql, std::move(params));
    }
    friend class Session;
};

// One request's view of the database: read() goes to a replica until the request writes;
// execute()/query() and transactions go to the primary and count as writes (a locking read
// too), so from then on everything goes to the primary and a request always reads its own
// writes. With read_at_least(), a replica read also sees what the caller wrote in earlier
// requests (through any instance). Cheap to create; make one per request.
class Session final : public Database {
  public:
    explicit Session(Database& db) : db_(db) {}
    Dialect dialect() const override { return db_.dialect(); }
    Task<Result> execute(std::string_view sql, std::vector<Value> params) override;
    Task<Result> execute_read(std::string_view sql, std::vector<Value> params) override;
    Task<void> transaction(std::function<Task<void>(Connection&)> body) override {
        wrote_ = true;
        return db_.transaction(std::move(body));
    }
    // Sends the rest of this request to the primary (e.g. a login, which may rewrite the hash).
    void pin_to_primary() { wrote_ = true; }
    // Whether the request wrote (or was pinned to the primary).
    bool wrote() const { return wrote_; }
    // The caller wrote, in an earlier request, up to this position of the primary's log
    // (write_position()): this request's replica reads must see at least that.
    void read_at_least(std::string position) { min_position_ = std::move(position); }
    Task<std::optional<std::string>> write_position() override { return db_.write_position(); }

  private:
    Database& db_;
    bool wrote_ = false;
    std::string min_position_;
};

// Runs a task to completion on a private event loop: CLI verbs and start-up use the same code
// paths as the server without running one.
template <typename T>
T run_sync(Task<T> task);

}  // namespace resumate::db
