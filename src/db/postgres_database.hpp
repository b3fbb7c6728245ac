#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "db/database.hpp"

namespace resumate::db {

struct PostgresOptions {
    std::string conninfo;  // a postgres:// URI or "key=value" pairs, as libpq takes them
    size_t pool_size = 8;
    std::chrono::milliseconds statement_timeout{5000};
    std::chrono::milliseconds connect_timeout{1000};
};

// PostgreSQL through libpq's asynchronous API driven by Asio: a query waits on the socket,
// never on a thread, so IO threads keep serving other requests. Prepared statements per
// connection, text-format bound parameters, a fixed pool that reconnects by itself; a server
// that cannot be reached surfaces as db::Unavailable (→ 503) within about a second.
class PostgresDatabase final : public Database {
  public:
    explicit PostgresDatabase(PostgresOptions options);
    ~PostgresDatabase() override;

    Dialect dialect() const override { return Dialect::Postgres; }
    Task<Result> execute(std::string_view sql, std::vector<Value> params) override;
    Task<void> transaction(std::function<Task<void>(Connection&)> body) override;
    void release_io() override;
    std::vector<PoolStats> pool_stats() const override;  // one pool, named "primary"

    struct Impl;

  private:
    std::shared_ptr<Impl> impl_;
};

// `message` with the password and the whole of `conninfo` replaced by "********". libpq quotes
// parts of a connection string it cannot parse in its errors (a bad percent-escape quotes the
// password; a broken IPv6 host, the whole URI), and those errors reach logs and stderr.
std::string redact_conninfo(std::string message, const std::string& conninfo);

// libpq conninfo from the Django version's DB_NAME/DB_USER/DB_PASSWORD/DB_HOST/DB_PORT.
std::string conninfo_from_parts(const std::string& name, const std::string& user,
                                const std::string& password, const std::string& host,
                                const std::string& port);

}  // namespace resumate::db
