#include "db/postgres_database.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <poll.h>
#include "db/run_sync.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <charconv>
#include <deque>
#include <mutex>
#include <unordered_map>

namespace resumate::db {

namespace asio = boost::asio;

namespace {

struct PgConnDeleter {
    void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using ConnPtr = std::unique_ptr<PGconn, PgConnDeleter>;
using ResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

std::string quote_conninfo(const std::string& v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out + "'";
}

void replace_all(std::string& text, std::string_view needle, std::string_view with) {
    if (needle.empty()) return;
    for (size_t pos = text.find(needle); pos != std::string::npos;
         pos = text.find(needle, pos + with.size())) {
        text.replace(pos, needle.size(), with);
    }
}

// Waits until the socket is readable or writable. The descriptor is borrowed from libpq for the
// duration of the wait only (released, never closed), so it is valid on whichever executor the
// calling coroutine runs.
Task<bool> wait_socket(int fd, bool write, std::chrono::steady_clock::time_point deadline) {
    using namespace asio::experimental::awaitable_operators;
    auto ex = co_await asio::this_coro::executor;
    asio::posix::stream_descriptor sd(ex, fd);
    asio::steady_timer timer(ex, deadline);
    auto wait =
        write ? asio::posix::descriptor_base::wait_write : asio::posix::descriptor_base::wait_read;
    auto result = co_await (sd.async_wait(wait, asio::as_tuple(asio::use_awaitable)) ||
                            timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    sd.release();
    co_return result.index() == 0;
}

std::string text_of(const Value& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return {};
            else if constexpr (std::is_same_v<T, int64_t>)
                return std::to_string(x);
            else if constexpr (std::is_same_v<T, double>) {
                char buf[32];
                auto r = std::to_chars(buf, buf + sizeof buf, x);
                return std::string(buf, r.ptr);
            } else if constexpr (std::is_same_v<T, bool>)
                return x ? "true" : "false";
            else if constexpr (std::is_same_v<T, std::string>)
                return x;
            else if constexpr (std::is_same_v<T, util::Timestamp>)
                return util::to_sql_timestamp(x) + "+00";
            else
                return util::to_iso_date(x);
        },
        v);
}

}  // namespace

class PgConnection final : public Connection {
  public:
    PgConnection(PostgresDatabase::Impl& owner) : owner_(owner) {}
    Dialect dialect() const override { return Dialect::Postgres; }

    Task<Result> execute(std::string_view sql, std::vector<Value> params) override;
    Task<void> execute_script(std::string_view sql) override;

    bool connected() const { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }
    // An idle connection whose server went away (restart, failover) has the server's goodbye
    // waiting in its socket: reading it now, before sending, lets us reconnect instead of failing
    // the request. One non-blocking recv().
    // The goodbye (a FATAL message, then EOF) may take two reads to notice; poll() says whether
    // anything is still pending.
    bool still_alive() {
        if (!connected()) return false;
        for (int i = 0; i < 4; ++i) {
            if (!PQconsumeInput(conn_.get()) || PQstatus(conn_.get()) != CONNECTION_OK) {
                drop();
                return false;
            }
            pollfd p{PQsocket(conn_.get()), POLLIN, 0};
            if (::poll(&p, 1, 0) <= 0) break;
            if (p.revents & (POLLHUP | POLLERR)) {
                drop();
                return false;
            }
        }
        bool healthy = true;
        while (ResultPtr stray{PQgetResult(conn_.get())}) {
            // An error while idle is the server saying goodbye (e.g. an administrator shutdown).
            if (PQresultStatus(stray.get()) == PGRES_FATAL_ERROR) healthy = false;
        }
        if (!healthy) drop();
        return healthy;
    }

    // Gives up the socket's reactor registration; the event loop it belongs to is going away.
    void release_io() {
        if (socket_) socket_->release();
        socket_.reset();
        socket_context_ = nullptr;
    }
    Task<void> connect();
    void drop() {
        if (socket_) socket_->release();  // libpq owns the descriptor: never close it twice
        socket_.reset();
        conn_.reset();
        prepared_.clear();
    }

  private:
    // Waits for the connection's socket, registered with the reactor once per connection (not
    // once per wait). No timer here: a query is bounded by the server's statement_timeout, a
    // dead peer by TCP keepalives, a closed one by the socket becoming readable.
    Task<void> wait(bool write);
    Task<ResultPtr> collect();
    Task<void> flush(std::chrono::steady_clock::time_point deadline);
    [[noreturn]] void fail(const char* what, PGresult* res = nullptr);

    PostgresDatabase::Impl& owner_;
    ConnPtr conn_;
    std::unique_ptr<asio::posix::stream_descriptor> socket_;
    asio::execution_context* socket_context_ = nullptr;
    std::unordered_map<std::string, std::string> prepared_;  // sql → statement name
};

struct PostgresDatabase::Impl {
    // The free connections. A waiter is woken by the release that hands it a connection, in
    // arrival order; the channel's own executor is only a fallback (completions go to the
    // waiting coroutine's executor), so the process-wide one of run_sync serves.
    using Channel =
        asio::experimental::concurrent_channel<void(boost::system::error_code, PgConnection*)>;
    PostgresOptions opt;
    std::vector<std::unique_ptr<PgConnection>> all;
    Channel free;
    std::atomic<bool> down_logged{false};
    std::atomic<size_t> in_use{0};
    util::metrics::Histogram wait{util::metrics::latency_buckets()};

    explicit Impl(PostgresOptions o)
        : opt(std::move(o)),
          free(sync_context().get_executor(), std::max<size_t>(1, opt.pool_size)) {
        for (size_t i = 0; i < std::max<size_t>(1, opt.pool_size); ++i) {
            all.push_back(std::make_unique<PgConnection>(*this));
            free.try_send(boost::system::error_code{}, all.back().get());
        }
    }

    // A free connection, connected. No timeout on the wait itself: racing the receive
    // against a timer can lose a connection handed over at the moment the timer fires. The
    // wait is bounded anyway — every holder returns its connection within the statement
    // timeout, and a dead server makes connects fail fast (refused) or within connect_timeout.
    Task<PgConnection*> acquire() {
        PgConnection* c = nullptr;
        free.try_receive([&](boost::system::error_code, PgConnection* p) { c = p; });
        if (c) {
            wait.observe(0);
        } else {
            const auto started = std::chrono::steady_clock::now();
            c = co_await free.async_receive(asio::use_awaitable);
            wait.observe(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        }
        in_use.fetch_add(1, std::memory_order_relaxed);
        if (!c->still_alive()) {
            try {
                co_await c->connect();
            } catch (...) {
                release(c);
                throw;
            }
        }
        co_return c;
    }

    void release(PgConnection* c) {
        in_use.fetch_sub(1, std::memory_order_relaxed);
        free.try_send(boost::system::error_code{}, c);
    }
};

// RAII: the connection goes back to the pool however the coroutine leaves.
struct Lease {
    PostgresDatabase::Impl* impl;
    PgConnection* conn;
    ~Lease() {
        if (conn) impl->release(conn);
    }
};

void PgConnection::fail(const char* what, PGresult* res) {
    std::string message = std::string(what) + ": ";
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    if (res) {
        // The primary message and the constraint only: DETAIL may quote a row's values
        // ("Failing row contains (...)": password hashes, tokens).
        const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        message += primary ? primary : "error";
        if (state) message += std::string(" (SQLSTATE ") + state + ")";
        if (const char* constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME)) {
            message += std::string(" on constraint ") + constraint;
        }
    } else {
        message += conn_ ? PQerrorMessage(conn_.get()) : "no connection";
    }
    message = redact_conninfo(std::move(message), owner_.opt.conninfo);
    bool broken = !conn_ || PQstatus(conn_.get()) != CONNECTION_OK;
    std::string sqlstate = state ? state : "";
    if (broken) drop();
    if (sqlstate == "23505") throw UniqueViolation(message);
    if (sqlstate == "40001") throw SerializationFailure(message);
    if (sqlstate == "42P01" || sqlstate == "42703") throw UndefinedObject(message);
    // Class 08 connection exceptions, 57P0x shutdown/crash, 53 resources, 57014 timeout.
    if (broken || sqlstate.starts_with("08") || sqlstate.starts_with("57P") ||
        sqlstate.starts_with("53") || sqlstate == "57014") {
        throw Unavailable(message);
    }
    throw DbError(message);
}

Task<void> PgConnection::wait(bool write) {
    auto ex = co_await asio::this_coro::executor;
    auto& ctx = asio::query(ex, asio::execution::context);
    if (!socket_ || socket_context_ != &ctx || socket_->native_handle() != PQsocket(conn_.get())) {
        if (socket_) socket_->release();
        socket_ = std::make_unique<asio::posix::stream_descriptor>(ex, PQsocket(conn_.get()));
        socket_context_ = &ctx;
    }
    auto [ec] = co_await socket_->async_wait(
        write ? asio::posix::descriptor_base::wait_write : asio::posix::descriptor_base::wait_read,
        asio::as_tuple(asio::use_awaitable));
    if (ec) fail("wait");
}

Task<void> PgConnection::connect() {
    drop();
    auto deadline = std::chrono::steady_clock::now() + owner_.opt.connect_timeout;
    // expand_dbname: the first value may be a URI or key=value pairs; keepalives detect a peer
    // that vanished without closing the connection.
    const char* const keys[] = {"dbname",
                                "keepalives",
                                "keepalives_idle",
                                "keepalives_interval",
                                "keepalives_count",
                                "application_name",
                                nullptr};
    const char* const values[] = {
        owner_.opt.conninfo.c_str(), "1", "10", "3", "3", "resumate", nullptr};
    conn_.reset(PQconnectStartParams(keys, values, 1));
    if (!conn_ || PQstatus(conn_.get()) == CONNECTION_BAD) fail("connect");
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (st != PGRES_POLLING_OK) {
        if (st == PGRES_POLLING_FAILED) fail("connect");
        bool ready =
            co_await wait_socket(PQsocket(conn_.get()), st == PGRES_POLLING_WRITING, deadline);
        if (!ready) {
            drop();
            throw Unavailable("connect: timed out");
        }
        st = PQconnectPoll(conn_.get());
    }
    PQsetnonblocking(conn_.get(), 1);
    // The server's notices (e.g. "relation … already exists, skipping" from a migration) go to
    // the log at debug level, not raw to stderr, where they would sit in a CLI verb's output.
    PQsetNoticeProcessor(
        conn_.get(),
        [](void*, const char* message) {
            std::string_view text(message);
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
                text.remove_suffix(1);
            util::log::debug("PostgreSQL: {}", text);
        },
        nullptr);
    // UTC text timestamps; a statement timeout so no query holds a connection forever.
    std::string setup = "SET TIME ZONE 'UTC'; SET statement_timeout = " +
                        std::to_string(owner_.opt.statement_timeout.count());
    co_await execute_script(setup);
    if (owner_.down_logged.exchange(false)) util::log::info("PostgreSQL connection re-established");
}

Task<void> PgConnection::flush(std::chrono::steady_clock::time_point deadline) {
    while (true) {
        int r = PQflush(conn_.get());
        if (r == 0) co_return;
        if (r < 0) fail("send");
        if (std::chrono::steady_clock::now() > deadline) fail("send timed out");
        co_await wait(true);
    }
}

// Reads every result of the current command; returns the last one (the others are discarded).
Task<ResultPtr> PgConnection::collect() {
    ResultPtr last;
    while (true) {
        while (PQisBusy(conn_.get())) {
            co_await wait(false);
            if (!PQconsumeInput(conn_.get())) fail("receive");
        }
        ResultPtr r(PQgetResult(conn_.get()));
        if (!r) break;
        auto status = PQresultStatus(r.get());
        if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE) {
            // Drain the rest so the connection is usable again, then report.
            while (ResultPtr rest{PQgetResult(conn_.get())}) {
            }
            fail("query", r.get());
        }
        last = std::move(r);
    }
    co_return last;
}

Task<Result> PgConnection::execute(std::string_view sql, std::vector<Value> params) {
    if (!connected()) co_await connect();
    // The server's own statement_timeout bounds the query; this bounds a silent network.
    auto deadline =
        std::chrono::steady_clock::now() + owner_.opt.statement_timeout + std::chrono::seconds(2);
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
        std::string name = "rm" + std::to_string(prepared_.size() + 1);
        if (!PQsendPrepare(conn_.get(), name.c_str(), key.c_str(), static_cast<int>(params.size()),
                           nullptr))
            fail("prepare");
        co_await flush(deadline);
        co_await collect();
        it = prepared_.emplace(key, name).first;
    }
    std::vector<std::string> texts;
    std::vector<const char*> values;
    texts.reserve(params.size());
    values.reserve(params.size());
    for (const auto& p : params) {
        if (std::holds_alternative<std::monostate>(p)) {
            texts.emplace_back();
            values.push_back(nullptr);
        } else {
            texts.push_back(text_of(p));
            // Parameters go as C strings: a NUL would silently cut the text there. PostgreSQL's
            // text cannot hold one anyway; refuse it as psycopg does under Django (the routes
            // refuse NUL with a field error long before this; this guards one that forgets).
            if (texts.back().find('\0') != std::string::npos) {
                throw DbError("A string literal cannot contain NUL (0x00) characters.");
            }
            values.push_back(texts.back().c_str());
        }
    }
    // c_str() pointers of texts stay valid: reserve() above prevents reallocation.
    if (!PQsendQueryPrepared(conn_.get(), it->second.c_str(), static_cast<int>(values.size()),
                             values.data(), nullptr, nullptr, 0)) {
        fail("execute");
    }
    co_await flush(deadline);
    ResultPtr r = co_await collect();
    Result out;
    if (r) {
        int rows = PQntuples(r.get());
        int cols = PQnfields(r.get());
        out.rows.reserve(static_cast<size_t>(rows));
        for (int i = 0; i < rows; ++i) {
            Row row;
            size_t bytes = 0;
            for (int j = 0; j < cols; ++j) bytes += static_cast<size_t>(PQgetlength(r.get(), i, j));
            row.reserve(static_cast<size_t>(cols), bytes);
            for (int j = 0; j < cols; ++j) {
                if (PQgetisnull(r.get(), i, j)) {
                    row.append_null();
                } else {
                    row.append(std::string_view(PQgetvalue(r.get(), i, j),
                                                static_cast<size_t>(PQgetlength(r.get(), i, j))));
                }
            }
            out.rows.push_back(std::move(row));
        }
        const char* affected = PQcmdTuples(r.get());
        if (affected && *affected)
            std::from_chars(affected, affected + std::strlen(affected), out.affected);
    }
    co_return out;
}

Task<void> PgConnection::execute_script(std::string_view sql) {
    if (!connected()) co_await connect();
    auto deadline =
        std::chrono::steady_clock::now() + owner_.opt.statement_timeout + std::chrono::seconds(2);
    std::string text(sql);
    if (!PQsendQuery(conn_.get(), text.c_str())) fail("script");
    co_await flush(deadline);
    co_await collect();
}

PostgresDatabase::PostgresDatabase(PostgresOptions options)
    : impl_(std::make_shared<Impl>(std::move(options))) {}

void PostgresDatabase::release_io() {
    for (auto& c : impl_->all) c->release_io();
}

std::vector<Database::PoolStats> PostgresDatabase::pool_stats() const {
    return {PoolStats{"primary", impl_->all.size(), impl_->in_use.load(std::memory_order_relaxed),
                      impl_->wait.snapshot()}};
}
PostgresDatabase::~PostgresDatabase() = default;

Task<Result> PostgresDatabase::execute(std::string_view sql, std::vector<Value> params) {
    Lease lease{impl_.get(), nullptr};
    try {
        lease.conn = co_await impl_->acquire();
    } catch (const Unavailable& e) {
        if (!impl_->down_logged.exchange(true))
            util::log::error("PostgreSQL unavailable: {}", e.what());
        throw;
    }
    co_return co_await lease.conn->execute(sql, std::move(params));
}

Task<void> PostgresDatabase::transaction(std::function<Task<void>(Connection&)> body) {
    Lease lease{impl_.get(), nullptr};
    lease.conn = co_await impl_->acquire();
    co_await lease.conn->execute_script("BEGIN");
    std::exception_ptr error;
    try {
        co_await body(*lease.conn);
        co_await lease.conn->execute_script("COMMIT");
    } catch (...) {
        error = std::current_exception();
    }
    if (error) {
        if (lease.conn->connected()) {
            try {
                co_await lease.conn->execute_script("ROLLBACK");
            } catch (...) {
                lease.conn->drop();
            }
        }
        std::rethrow_exception(error);
    }
}

std::string redact_conninfo(std::string message, const std::string& conninfo) {
    std::vector<std::string> secrets{conninfo};
    // The password as libpq reads it (key=value strings, well-formed URIs; percent-decoded).
    char* error = nullptr;
    if (PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error)) {
        for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
            if (o->val != nullptr && std::string_view(o->keyword) == "password")
                secrets.emplace_back(o->val);
        }
        PQconninfoFree(options);
    }
    if (error != nullptr) PQfreemem(error);
    // The password as written in a URI's user info, for URIs libpq cannot parse.
    if (size_t scheme = conninfo.find("://"); scheme != std::string::npos) {
        size_t start = scheme + 3;
        size_t at = conninfo.rfind('@');
        if (at != std::string::npos && at > start) {
            std::string_view userinfo = std::string_view(conninfo).substr(start, at - start);
            if (size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
                secrets.emplace_back(userinfo.substr(colon + 1));
            }
        }
    }
    // Longest first, so a password inside the whole string does not leave the rest behind.
    std::sort(secrets.begin(), secrets.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& secret : secrets) replace_all(message, secret, "********");
    return message;
}

std::string conninfo_from_parts(const std::string& name, const std::string& user,
                                const std::string& password, const std::string& host,
                                const std::string& port) {
    std::string ci = "dbname=" + quote_conninfo(name);
    if (!user.empty()) ci += " user=" + quote_conninfo(user);
    if (!password.empty()) ci += " password=" + quote_conninfo(password);
    ci += " host=" + quote_conninfo(host.empty() ? "localhost" : host);
    if (!port.empty()) ci += " port=" + quote_conninfo(port);
    return ci;
}

}  // namespace resumate::db
