#include "app/backup.hpp"

#include <libpq-fe.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

extern char** environ;

namespace resumate::app {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// SQLite

struct SqliteHandle {
    sqlite3* db = nullptr;
    SqliteHandle(const std::string& path, int flags) {
        if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
            std::string why = db ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close_v2(db);
            db = nullptr;
            throw BackupError("cannot open " + path + ": " + why);
        }
        sqlite3_busy_timeout(db, 5000);
    }
    ~SqliteHandle() { sqlite3_close_v2(db); }
    SqliteHandle(const SqliteHandle&) = delete;
    SqliteHandle& operator=(const SqliteHandle&) = delete;

    int64_t count(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
            throw BackupError(std::string("sqlite: ") + sqlite3_errmsg(db));
        int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        return n;
    }
    std::string text(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
            throw BackupError(std::string("sqlite: ") + sqlite3_errmsg(db));
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW) {
            if (auto* t = sqlite3_column_text(st, 0)) out = reinterpret_cast<const char*>(t);
        }
        sqlite3_finalize(st);
        return out;
    }
};

constexpr const char* kUserTables =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

// Every page of `from` into `to`, in steps, so that the server's writers wait at most one step;
// the copy is consistent (a write in between restarts it, as the backup API does).
void copy_pages(SqliteHandle& from, SqliteHandle& to) {
    sqlite3_backup* b = sqlite3_backup_init(to.db, "main", from.db, "main");
    if (!b) throw BackupError(std::string("sqlite backup: ") + sqlite3_errmsg(to.db));
    int rc;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw BackupError(std::string("sqlite backup: ") + sqlite3_errstr(rc));
}

BackupReport sqlite_backup(const Config& config, const std::string& file) {
    const std::string path = config.sqlite_path();
    if (!fs::exists(path)) throw BackupError("no database at " + path);
    const std::string part = file + ".part";
    fs::remove(part);
    {
        SqliteHandle from(path, SQLITE_OPEN_READONLY);
        SqliteHandle to(part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        copy_pages(from, to);
        // One self-contained file (the live database is in WAL mode).
        to.text("PRAGMA journal_mode = DELETE");
    }
    fs::rename(part, file);
    return {"sqlite", fs::file_size(file)};
}

BackupReport sqlite_restore(const Config& config, const std::string& file, bool force) {
    if (!fs::exists(file)) throw BackupError("no backup at " + file);
    SqliteHandle from(file, SQLITE_OPEN_READONLY);
    std::string check;
    try {
        check = from.text("PRAGMA quick_check");
    } catch (const BackupError&) {
    }
    if (check != "ok" ||
        from.count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'django_migrations'") == 0)
        throw BackupError(file + " is not a ResuMate SQLite backup");
    const std::string path = config.sqlite_path();
    fs::create_directories(fs::path(path).parent_path());
    SqliteHandle to(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (const int64_t tables = to.count(kUserTables); tables > 0 && !force)
        throw BackupError("the database at " + path + " already holds " + std::to_string(tables) +
                          " tables; restore --force replaces it");
    copy_pages(from, to);
    to.text("PRAGMA journal_mode = WAL");
    return {"sqlite", fs::file_size(file)};
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

// The conninfo without its password (for a command line) and the password (for PGPASSWORD).
struct Credentials {
    std::string conninfo;
    std::string password;
};

std::string quote_conninfo_value(const std::string& v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

Credentials split_password(const std::string& conninfo) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
    if (!opts) {
        // libpq's message may quote the string, password included: not repeated here.
        PQfreemem(err);
        throw BackupError("DATABASE_URL is not a valid PostgreSQL connection string");
    }
    Credentials c;
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
        if (!o->val || !*o->val) continue;
        if (std::strcmp(o->keyword, "password") == 0) {
            c.password = o->val;
        } else {
            if (!c.conninfo.empty()) c.conninfo += ' ';
            c.conninfo += std::string(o->keyword) + "=" + quote_conninfo_value(o->val);
        }
    }
    PQconninfoFree(opts);
    return c;
}

// Runs `argv` with PGPASSWORD set (when there is one) and waits; its exit status.
int run_program(const std::vector<std::string>& argv, const std::string& password) {
    std::vector<std::string> env_store;
    for (char** e = environ; *e; ++e) {
        if (std::strncmp(*e, "PGPASSWORD=", 11) != 0) env_store.emplace_back(*e);
    }
    if (!password.empty()) env_store.push_back("PGPASSWORD=" + password);
    std::vector<char*> envp;
    for (auto& e : env_store) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> cargv;
    for (auto& a : args) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, cargv[0], nullptr, nullptr, cargv.data(), envp.data());
    if (rc != 0) {
        throw BackupError(argv[0] + " could not be started (" + std::strerror(rc) +
                          "): install postgresql-client");
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw BackupError("waitpid: " + std::string(std::strerror(errno)));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

BackupReport postgres_backup(const Config& config, const std::string& file) {
    const Credentials c = split_password(config.postgres_conninfo);
    const std::string part = file + ".part";
    fs::remove(part);
    const int rc = run_program(
        {"pg_dump", "--format=custom", "--file=" + part, "--dbname=" + c.conninfo}, c.password);
    if (rc != 0) {
        fs::remove(part);
        throw BackupError("pg_dump failed (exit status " + std::to_string(rc) + ")");
    }
    fs::rename(part, file);
    return {"postgres", fs::file_size(file)};
}

BackupReport postgres_restore(const Config& config, const std::string& file, bool force) {
    if (!fs::exists(file)) throw BackupError("no backup at " + file);
    const Credentials c = split_password(config.postgres_conninfo);
    if (run_program({"pg_restore", "--list", "--file=/dev/null", file}, "") != 0)
        throw BackupError(file + " is not a pg_dump custom-format backup");
    int64_t tables = 0;
    {
        std::unique_ptr<PGconn, decltype(&PQfinish)> conn(
            PQconnectdb(config.postgres_conninfo.c_str()), &PQfinish);
        if (PQstatus(conn.get()) != CONNECTION_OK)
            throw BackupError("cannot connect to the database of DATABASE_URL");
        std::unique_ptr<PGresult, decltype(&PQclear)> res(
            PQexec(conn.get(),
                   "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"),
            &PQclear);
        if (PQresultStatus(res.get()) != PGRES_TUPLES_OK)
            throw BackupError("cannot read the database's tables");
        tables = std::stoll(PQgetvalue(res.get(), 0, 0));
    }
    if (tables > 0 && !force)
        throw BackupError("the database already holds " + std::to_string(tables) +
                          " tables; restore --force replaces it");
    std::vector<std::string> argv{"pg_restore",      "--dbname=" + c.conninfo, "--no-owner",
                                  "--no-privileges", "--single-transaction",   "--exit-on-error"};
    if (tables > 0) {
        argv.push_back("--clean");
        argv.push_back("--if-exists");
    }
    argv.push_back(file);
    if (const int rc = run_program(argv, c.password); rc != 0)
        throw BackupError("pg_restore failed (exit status " + std::to_string(rc) +
                          "); the database is unchanged");
    return {"postgres", fs::file_size(file)};
}

}  // namespace

BackupReport backup_database(const Config& config, const std::string& file) {
    return config.embedded_database() ? sqlite_backup(config, file) : postgres_backup(config, file);
}

BackupReport restore_database(const Config& config, const std::string& file, bool force) {
    return config.embedded_database() ? sqlite_restore(config, file, force)
                                      : postgres_restore(config, file, force);
}

}  // namespace resumate::app
