#include "fuzz_common.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>

#include "app/app.hpp"
#include "app/throttle.hpp"
#include "db/run_sync.hpp"
#include "http/errors.hpp"
#include "http/pipeline.hpp"
#include "jobs/job_store.hpp"
#include "resumes/resume_store.hpp"
#include "users/password_hasher.hpp"
#include "users/tokens.hpp"
#include "users/user_store.hpp"
#include "util/time.hpp"

namespace resumate::fuzz {
namespace {

namespace bhttp = boost::beast::http;
using namespace std::string_view_literals;

resumes::Resume new_resume(int64_t user_id, std::string title, std::string content) {
    resumes::Resume r;
    r.user_id = user_id;
    r.title = std::move(title);
    r.content = std::move(content);
    return r;
}

struct State {
    std::unique_ptr<app::App> app;
    Fixture fixture;
    sqlite3* live = nullptr;      // one more connection to the App's database file
    sqlite3* pristine = nullptr;  // in memory: the database right after set-up
};

[[noreturn]] void fail(const std::string& what, const http::Request& req,
                       const http::Response* res = nullptr) {
    std::fprintf(stderr, "\n=== fuzz invariant violated: %s\n--- request: %s %s?%s\n", what.c_str(),
                 req.method.c_str(), req.path.c_str(), req.query.c_str());
    for (const auto& [k, v] : req.headers) std::fprintf(stderr, "%s: %s\n", k.c_str(), v.c_str());
    std::fprintf(stderr, "\n%s\n", req.body.substr(0, 2000).c_str());
    if (res) {
        std::fprintf(stderr, "--- response %u (%s)\n%s\n", res->status, res->content_type.c_str(),
                     res->body.substr(0, 2000).c_str());
    }
    std::fflush(stderr);
    std::abort();
}

void copy_database(sqlite3* from, sqlite3* to) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (b == nullptr) {
        std::fprintf(stderr, "fuzz: backup init failed: %s\n", sqlite3_errmsg(to));
        std::abort();
    }
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        std::fprintf(stderr, "fuzz: backup failed: %s\n", sqlite3_errstr(rc));
        std::abort();
    }
}

std::string make_temp_dir() {
    std::error_code ec;
    // Memory-backed when /dev/shm is there: the database costs no disk I/O.
    std::string base = std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : "/tmp";
    std::string tmpl = base + "/resumate-fuzz-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) {
        std::perror("fuzz: mkdtemp");
        std::abort();
    }
    return tmpl;
}

State& state() {
    static State* s = [] {
        auto* st = new State;
        // No provider may be reached: no keys, and every base URL a closed local port.
        for (const char* v : {"GEMINI_API_KEY", "OPENROUTER_API_KEY", "HTTP_PROXY", "HTTPS_PROXY",
                              "http_proxy", "https_proxy"}) {
            ::unsetenv(v);
        }
        const char* verbose = std::getenv("RESUMATE_FUZZ_LOG");
        spdlog::set_level(verbose != nullptr ? spdlog::level::debug : spdlog::level::off);

        static const std::string dir = make_temp_dir();
        // The database is in memory (/dev/shm): give it back when the fuzzer exits normally.
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        });
        app::Config c;
        c.data_dir = dir;
        // A file, not ":memory:": the App keeps a pool of connections, which must share it.
        c.database_url = "sqlite://" + dir + "/fuzz.sqlite3";
        c.threads = 1;
        // No rate limits nor login lockouts: an input must not depend on the ones before it.
        c.throttle = app::parse_throttle("off");
        c.secret_key = "fuzz-secret-key-0123456789abcdef0123456789abcdef";
        c.access_token_lifetime = std::chrono::hours(24 * 365 * 10);
        c.refresh_token_lifetime = std::chrono::hours(24 * 365 * 10);
        c.gemini_base_url = "http://127.0.0.1:9";
        c.openrouter_base_url = "http://127.0.0.1:9";
        c.openai_compat_base_url = "http://127.0.0.1:9";
        c.ai_connect_timeout = std::chrono::milliseconds(200);
        c.ai_timeout = std::chrono::milliseconds(500);
        c.ai_max_attempts = 1;
        st->app = std::make_unique<app::App>(c);
        app::App& a = *st->app;
        a.migrate();
        a.seed();
        a.build_routes();
        db::Database& db = a.database();
        // Only the offline generator (directly or through "Auto") is left active.
        db::run_sync(db.query(
            "UPDATE ai_aimodel SET is_active = $1 WHERE api_provider NOT IN ('offline', 'auto')",
            false));

        users::UserStore users(db);
        users::Argon2Params cheap{.memory_kib = 64, .time_cost = 1, .parallelism = 1};
        std::string hash = users::make_password("Fuzz!Passw0rd-42", cheap);
        Fixture& f = st->fixture;
        f.user_id = db::run_sync(users.create({"fuzz_user", "fuzz@example.com", hash}));
        int64_t admin =
            db::run_sync(users.create({"fuzz_admin", "admin@example.com", hash, true, true}));
        int64_t stranger = db::run_sync(users.create({"fuzz_stranger", "s@example.com", hash}));

        users::TokenSettings ts{c.secret_key, c.access_token_lifetime, c.refresh_token_lifetime};
        const int64_t now = util::now_seconds();
        f.access = users::mint_token(users::TokenType::Access, f.user_id, ts, now).token;
        f.refresh = users::mint_token(users::TokenType::Refresh, f.user_id, ts, now).token;
        f.admin_access = users::mint_token(users::TokenType::Access, admin, ts, now).token;

        resumes::ResumeStore resumes(db);
        f.resume_id =
            db::run_sync(resumes.create(new_resume(f.user_id, "Mine", "# Me\n\nWork."))).id;
        f.other_resume_id =
            db::run_sync(resumes.create(new_resume(stranger, "Theirs", "# Them"))).id;
        jobs::JobApplication job;
        job.user_id = f.user_id;
        job.job_title = "Engineer";
        job.company_name = "Acme";
        job.resume_used = f.resume_id;
        f.job_id = db::run_sync(jobs::JobStore(db).create(job)).id;
        jobs::JobApplication theirs = job;
        theirs.user_id = stranger;
        theirs.resume_used = f.other_resume_id;
        db::run_sync(jobs::JobStore(db).create(theirs));

        if (sqlite3_open(c.sqlite_path().c_str(), &st->live) != SQLITE_OK ||
            sqlite3_open(":memory:", &st->pristine) != SQLITE_OK) {
            std::fprintf(stderr, "fuzz: cannot open the database\n");
            std::abort();
        }
        sqlite3_busy_timeout(st->live, 5000);
        copy_database(st->live, st->pristine);
        return st;
    }();
    return *s;
}

bool safe_method(std::string_view m) {
    return m == "GET" || m == "HEAD" || m == "OPTIONS";
}

// Text that must never reach a client in a 5xx body: exception messages, SQL, type names.
constexpr std::array<std::string_view, 10> kInternalText = {
    "what()",       "std::",      "boost::",  "SQLITE",    "sqlite3",
    "syntax error", "constraint", "no such ", "exception", "UNIQUE"};

}  // namespace

const Fixture& fixture() {
    return state().fixture;
}

std::string substitute_tokens(std::string_view text) {
    const Fixture& f = fixture();
    std::string out(text);
    for (auto [placeholder, value] :
         {std::pair{kTokenPlaceholder, std::string_view(f.access)},
          std::pair{kRefreshPlaceholder, std::string_view(f.refresh)},
          std::pair{kAdminPlaceholder, std::string_view(f.admin_access)}}) {
        for (size_t at = out.find(placeholder); at != std::string::npos;
             at = out.find(placeholder, at + value.size())) {
            out.replace(at, placeholder.size(), value);
        }
    }
    return out;
}

void check_response(const http::Request& req, const http::Response& res) {
    if (res.status < 100 || res.status > 599) fail("status out of range", req, &res);
    for (const auto& [k, v] : res.headers) {
        if (k.empty() || k.find_first_of("\r\n:\0 "sv) != std::string::npos) {
            fail("bad header name '" + k + "'", req, &res);
        }
        if (v.find_first_of("\r\n\0"sv) != std::string::npos) {
            fail("header " + k + " holds CR, LF or NUL", req, &res);
        }
    }
    if (res.content_type.find_first_of("\r\n\0"sv) != std::string::npos) {
        fail("Content-Type holds CR, LF or NUL", req, &res);
    }
    if (res.content_type.starts_with("application/json") && !res.body.empty()) {
        boost::system::error_code ec;
        boost::json::parse(res.body, ec);
        if (ec) fail("the JSON body does not parse: " + ec.message(), req, &res);
    }
    if (res.status >= 500) {
        for (std::string_view t : kInternalText) {
            if (res.body.find(t) != std::string::npos) {
                fail("a 5xx body shows internal text '" + std::string(t) + "'", req, &res);
            }
        }
    }
}

http::Response handle(http::Request& req, unsigned version) {
    State& s = state();
    const std::string method = req.method;
    http::Response res;
    try {
        res = db::run_sync(s.app->handle(req));
    } catch (const std::exception& e) {
        // The server would log "unhandled error" and answer 500: a bug for any input.
        fail(std::string("unhandled exception: ") + e.what(), req);
    }
    // The pipeline answers an exception no handler expected with a 500 (and logs it).
    if (res.status == 500) fail("500: an unexpected exception (logged above)", req, &res);
    check_response(req, res);
    if (std::getenv("RESUMATE_FUZZ_LOG") != nullptr) {
        std::fprintf(stderr, "%s %s → %u %.300s\n", req.method.c_str(), req.path.c_str(),
                     res.status, res.body.c_str());
    }

    // What the server writes (the pipeline added every header but Server and Content-Type).
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
    out.set(bhttp::field::server, "ResuMate");
    if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) out.insert(k, v);
    out.keep_alive(true);
    if (req.is_head()) {
        out.content_length(res.body.size());
    } else {
        out.body() = res.body;
        out.prepare_payload();
    }
    std::ostringstream wire;
    wire << out;
    if (wire.str().empty()) fail("the response did not serialize", req, &res);

    if (!safe_method(method) && res.status < 400) {
        copy_database(s.pristine, s.live);
        s.app->drop_models_cache();
    }
    return res;
}

http::Request json_request(std::string method, std::string path, std::string_view body,
                           bool authenticated) {
    http::Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.headers.emplace_back("Host", "localhost:8000");
    req.headers.emplace_back("Content-Type", "application/json");
    if (authenticated) req.headers.emplace_back("Authorization", "Bearer " + fixture().access);
    req.body = substitute_tokens(body);
    req.client_ip = "127.0.0.1";
    return req;
}

}  // namespace resumate::fuzz
