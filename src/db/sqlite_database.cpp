#include "db/sqlite_database.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <unordered_map>

namespace resumate::db {

namespace {

// PostgreSQL's octet_length(text) (SQLite has it only from 3.43): the bytes of a value as UTF-8,
// so that features write byte counts once for both engines.
void octet_length(sqlite3_context* ctx, int, sqlite3_value** argv) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_int64(ctx, sqlite3_value_bytes(argv[0]));
}

struct StmtDeleter {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    int primary = rc & 0xFF;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        throw UniqueViolation(msg);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
        primary == SQLITE_FULL || primary == SQLITE_CANTOPEN) {
        throw Unavailable(msg);
    }
    throw DbError(msg);
}

}  // namespace

class SqliteDatabase::Conn final : public Connection {
  public:
    Dialect dialect() const override { return Dialect::Sqlite; }
    explicit Conn(const std::string& path) {
        int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            db_ = nullptr;
            throw Unavailable("cannot open " + path + ": " + msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, 5000);
        sqlite3_create_function_v2(db_, "octet_length", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                   octet_length, nullptr, nullptr, nullptr);
        exec_script("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
    }
    ~Conn() override {
        stmts_.clear();
        sqlite3_close_v2(db_);
    }

    Task<Result> execute(std::string_view sql, std::vector<Value> params) override {
        co_return run(sql, params);
    }

    Task<void> execute_script(std::string_view sql) override {
        exec_script(sql);
        co_return;
    }

    Result run(std::string_view sql, const std::vector<Value>& params) {
        sqlite3_stmt* st = prepare(sql);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        for (size_t i = 0; i < params.size(); ++i) {
            // Placeholders are $1..$n; look each up by name so their order in the SQL is free.
            std::string name = "$" + std::to_string(i + 1);
            int idx = sqlite3_bind_parameter_index(st, name.c_str());
            if (idx == 0) continue;
            bind(st, idx, params[i]);
        }
        Result result;
        int cols = sqlite3_column_count(st);
        while (true) {
            int rc = sqlite3_step(st);
            if (rc == SQLITE_ROW) {
                Row row;
                row.reserve(static_cast<size_t>(cols), 256);
                for (int c = 0; c < cols; ++c) {
                    if (sqlite3_column_type(st, c) == SQLITE_NULL) {
                        row.append_null();
                        continue;
                    }
                    auto* txt = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
                    int len = sqlite3_column_bytes(st, c);
                    row.append(std::string_view(txt ? txt : "", static_cast<size_t>(len)));
                }
                result.rows.push_back(std::move(row));
            } else if (rc == SQLITE_DONE) {
                break;
            } else {
                sqlite3_reset(st);
                fail(db_, rc, "sqlite step");
            }
        }
        result.affected = sqlite3_changes(db_);
        sqlite3_reset(st);
        return result;
    }

    void exec_script(std::string_view sql) {
        std::string s(sql);
        char* err = nullptr;
        int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : "error";
            sqlite3_free(err);
            fail(nullptr, rc, "sqlite exec: " + msg);
        }
    }

  private:
    sqlite3_stmt* prepare(std::string_view sql) {
        auto it = stmts_.find(std::string(sql));
        if (it != stmts_.end()) return it->second.get();
        sqlite3_stmt* st = nullptr;
        int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &st, nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, "sqlite prepare");
        auto& slot = stmts_[std::string(sql)];
        slot.reset(st);
        return st;
    }

    static void bind(sqlite3_stmt* st, int idx, const Value& v) {
        std::visit(
            [&](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, std::monostate>) {
                    sqlite3_bind_null(st, idx);
                } else if constexpr (std::is_same_v<T, int64_t>) {
                    sqlite3_bind_int64(st, idx, x);
                } else if constexpr (std::is_same_v<T, double>) {
                    sqlite3_bind_double(st, idx, x);
                } else if constexpr (std::is_same_v<T, bool>) {
                    sqlite3_bind_int(st, idx, x ? 1 : 0);
                } else if constexpr (std::is_same_v<T, std::string>) {
                    sqlite3_bind_text(st, idx, x.data(), static_cast<int>(x.size()),
                                      SQLITE_TRANSIENT);
                } else if constexpr (std::is_same_v<T, util::Timestamp>) {
                    std::string s = util::to_sql_timestamp(x);
                    sqlite3_bind_text(st, idx, s.data(), static_cast<int>(s.size()),
                                      SQLITE_TRANSIENT);
                } else if constexpr (std::is_same_v<T, util::Date>) {
                    std::string s = util::to_iso_date(x);
                    sqlite3_bind_text(st, idx, s.data(), static_cast<int>(s.size()),
                                      SQLITE_TRANSIENT);
                }
            },
            v);
    }

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, StmtPtr> stmts_;
};

struct SqliteDatabase::Lease {
    SqliteDatabase* owner;
    Conn* conn;
    Lease(SqliteDatabase* o, Conn* c) : owner(o), conn(c) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { owner->release(conn); }
};

SqliteDatabase::SqliteDatabase(const std::string& path, size_t pool_size) {
    std::filesystem::path p(path);
    if (p.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(p.parent_path(), ec);
    }
    for (size_t i = 0; i < std::max<size_t>(1, pool_size); ++i) {
        all_.push_back(std::make_unique<Conn>(path));
        free_.push_back(all_.back().get());
    }
}

SqliteDatabase::~SqliteDatabase() = default;

SqliteDatabase::Lease SqliteDatabase::acquire() {
    std::unique_lock lock(mu_);
    if (free_.empty()) {
        const auto started = std::chrono::steady_clock::now();
        cv_.wait(lock, [&] { return !free_.empty(); });
        wait_.observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    } else {
        wait_.observe(0);
    }
    Conn* c = free_.back();
    free_.pop_back();
    return Lease(this, c);
}

std::vector<Database::PoolStats> SqliteDatabase::pool_stats() const {
    std::lock_guard lock(mu_);
    return {PoolStats{"sqlite", all_.size(), all_.size() - free_.size(), wait_.snapshot()}};
}

void SqliteDatabase::release(Conn* c) {
    {
        std::lock_guard lock(mu_);
        free_.push_back(c);
    }
    cv_.notify_one();
}

Task<Result> SqliteDatabase::execute(std::string_view sql, std::vector<Value> params) {
    Lease lease = acquire();
    co_return lease.conn->run(sql, params);
}

Task<void> SqliteDatabase::transaction(std::function<Task<void>(Connection&)> body) {
    Lease lease = acquire();
    lease.conn->exec_script("BEGIN IMMEDIATE");
    try {
        co_await body(*lease.conn);
    } catch (...) {
        try {
            lease.conn->exec_script("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    lease.conn->exec_script("COMMIT");
}

}  // namespace resumate::db
