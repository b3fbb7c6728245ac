#include "app/app.hpp"
#include "app/readiness.hpp"
#include "app/throttle.hpp"
#include "http/edge.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include "ai/ai_routes.hpp"
#include "ai/migrations.hpp"
#include "ai/model_store.hpp"
#include "ai/providers/gemini.hpp"
#include "ai/providers/offline_provider.hpp"
#include "ai/providers/openai_compatible.hpp"
#include "ai/quota_store.hpp"
#include "ai/resilient_provider.hpp"
#include "ai/retention.hpp"
#include "cache/memory_cache.hpp"
#include "cache/redis_cache.hpp"
#include "db/postgres_database.hpp"
#include "db/replicated_database.hpp"
#include "db/run_sync.hpp"
#include "db/sqlite_database.hpp"
#include "http/context.hpp"
#include "http/errors.hpp"
#include "http/server.hpp"
#include "jobs/job_routes.hpp"
#include "jobs/job_store.hpp"
#include "jobs/migrations.hpp"
#include "net/http_client.hpp"
#include "resumes/migrations.hpp"
#include "resumes/resume_routes.hpp"
#include "resumes/resume_store.hpp"
#include "users/migrations.hpp"
#include "users/user_store.hpp"
#include "util/log.hpp"
#include "util/worker_pool.hpp"

namespace resumate::app {

std::vector<db::Migration> all_migrations() {
    std::vector<db::Migration> all = users::migrations();
    for (auto&& group : {resumes::migrations(), jobs::migrations(), ai::migrations()}) {
        all.insert(all.end(), group.begin(), group.end());
    }
    return all;
}

void init_logging(const std::string& level, bool json) {
    if (!spdlog::get("access")) {
        spdlog::init_thread_pool(16384, 1);
        auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
        auto main_logger = std::make_shared<spdlog::async_logger>(
            "resumate", sink, spdlog::thread_pool(), spdlog::async_overflow_policy::block);
        auto access = std::make_shared<spdlog::async_logger>("access", sink, spdlog::thread_pool(),
                                                             spdlog::async_overflow_policy::block);
        spdlog::register_logger(access);
        spdlog::set_default_logger(main_logger);
        spdlog::flush_every(std::chrono::seconds(1));
    }
    util::log::set_format(json ? util::log::Format::Json : util::log::Format::Text);
    auto lvl = spdlog::level::from_str(level);
    spdlog::set_level(lvl);
}

namespace {

// The data directory holds the database, its WAL and the signing key: private to the service
// user (0700, files 0600). A directory made by an older version (0755/0644) is tightened.
void make_data_dir_private(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    bool tightened = false;
    auto tighten = [&](const fs::path& p, fs::perms want) {
        auto st = fs::status(p, ec);
        if (ec) return;
        if ((st.permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none)
            return;
        fs::permissions(p, want, fs::perm_options::replace, ec);
        tightened = tightened || !ec;
    };
    tighten(dir, fs::perms::owner_all);
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_regular_file(ec))
            tighten(entry.path(), fs::perms::owner_read | fs::perms::owner_write);
    }
    if (tightened) util::log::info("{}: access restricted to the service user (0700/0600)", dir);
}

}  // namespace

App::App(Config config)
    : config_(std::move(config)),
      keys_(
          config_.variables, [] { return read_dotenv(".env"); }, config_.ai_egress()) {
    // (An in-memory database, as `resumate openapi` uses, keeps nothing in the data folder.)
    if (config_.embedded_database() && config_.sqlite_path() != ":memory:")
        make_data_dir_private(config_.data_dir);
    config_.ensure_secret_key();
    if (config_.embedded_database()) {
        db_ = std::make_unique<db::SqliteDatabase>(config_.sqlite_path(), config_.threads + 2);
    } else {
        db::PostgresOptions pg;
        pg.conninfo = config_.postgres_conninfo;
        pg.pool_size = config_.db_pool_size;
        pg.statement_timeout = config_.db_statement_timeout;
        auto primary = std::make_unique<db::PostgresDatabase>(pg);
        if (config_.replica_conninfos.empty()) {
            db_ = std::move(primary);
        } else {
            std::vector<std::unique_ptr<db::Database>> replicas;
            for (const auto& ci : config_.replica_conninfos) {
                db::PostgresOptions r = pg;
                r.conninfo = ci;
                replicas.push_back(std::make_unique<db::PostgresDatabase>(r));
            }
            db_ = std::make_unique<db::ReplicatedDatabase>(std::move(primary), std::move(replicas));
        }
    }
    if (!config_.redis) {
        cache_ = std::make_unique<cache::MemoryCache>(config_.cache_max_entries);
    } else {
        cache_ = std::make_unique<cache::RedisCache>(*config_.redis);
    }
    providers_.add("offline", std::make_shared<ai::OfflineProvider>(config_.offline_stream_pace));
    net::ClientOptions client_options;
    client_options.connect_timeout = config_.ai_connect_timeout;
    client_options.total_timeout = config_.ai_timeout;
    auto client = std::make_shared<const net::HttpClient>(client_options, config_.proxy);
    ai::ResilienceOptions resilience;
    resilience.deadline = config_.ai_timeout;
    resilience.max_attempts = config_.ai_max_attempts;
    auto add_network = [&](const std::string& name, std::shared_ptr<ai::Provider> wire) {
        auto resilient = std::make_shared<ai::ResilientProvider>(name, std::move(wire), resilience);
        providers_.add(name, resilient, [resilient] { return resilient->health(); });
    };
    add_network("google_gemini",
                std::make_shared<ai::GeminiProvider>(client, config_.gemini_base_url));
    ai::OpenAiCompatibleProvider::Options openrouter{
        "open_router", config_.openrouter_base_url, {}, keys_.policy()};
    if (!config_.site_url.empty())
        openrouter.extra_headers.emplace_back("HTTP-Referer", config_.site_url);
    if (!config_.site_name.empty())
        openrouter.extra_headers.emplace_back("X-Title", config_.site_name);
    add_network("open_router", std::make_shared<ai::OpenAiCompatibleProvider>(client, openrouter));
    add_network(
        "openai_compatible",
        std::make_shared<ai::OpenAiCompatibleProvider>(
            client, ai::OpenAiCompatibleProvider::Options{
                        "openai_compatible", config_.openai_compat_base_url, {}, keys_.policy()}));
    auth_.tokens.signing_key = config_.secret_key;
    auth_.tokens.access_lifetime = config_.access_token_lifetime;
    auth_.tokens.refresh_lifetime = config_.refresh_token_lifetime;
    auth_.tokens.rotate_refresh_tokens = config_.rotate_refresh_tokens;
    const std::size_t threads = cpu_pool_.threads();
    auth_.max_hashing = threads + (config_.hash_queue ? config_.hash_queue : 4 * threads);
}

App::~App() = default;

db::MigrationReport App::migrate() {
    auto report = db::migrate(*db_, all_migrations());
    // The server's own accounts exist from the first migration on, so their names can never be
    // registered.
    db::run_sync(users::SystemUsers::create_missing(*db_));
    return report;
}

App::SeedReport App::seed() {
    SeedReport r;
    r.models = db::run_sync(ai::ModelStore(*db_).seed_defaults());
    int64_t example_user = db::run_sync(system_users_.id(*db_, users::SystemAccount::Example));
    r.examples = db::run_sync(jobs::JobStore(*db_).seed_examples(example_user));
    // Seeding may change what the cached endpoints show.
    db::run_sync(cache_->erase(ai::kModelsCacheKey));
    db::run_sync(cache_->erase(jobs::kExamplesCacheKey));
    return r;
}

void App::drop_models_cache() {
    db::run_sync(cache_->erase(ai::kModelsCacheKey));
}

std::string App::pid_file_path() const {
    return (std::filesystem::path(config_.data_dir) / "resumate.pid").string();
}

std::optional<int> App::signal_running_server(int sig) const {
    std::ifstream in(pid_file_path());
    long pid = 0;
    if (!(in >> pid) || pid <= 1) return std::nullopt;
    // Only a resumate process: the pid file may be stale and the number reused.
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    if (!std::getline(comm, name) || name != "resumate") return std::nullopt;
    if (::kill(static_cast<pid_t>(pid), sig) != 0) return std::nullopt;
    return static_cast<int>(pid);
}

// Each connection is a file descriptor; the usual soft limit of 1024 is below the default cap.
void App::raise_file_limit(size_t connections) {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
    rlim_t want = static_cast<rlim_t>(connections) + 256;  // database, cache, providers, logs
    if (lim.rlim_cur >= want) return;
    lim.rlim_cur = std::min(want, lim.rlim_max);
    if (::setrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < want) {
        util::log::warn(
            "open files limited to {}: fewer than RESUMATE_MAX_CONNECTIONS={} connections fit",
            static_cast<unsigned long long>(lim.rlim_cur), connections);
    }
}

namespace {

// GET /api/: DRF's DefaultRouter root.
http::Task<http::Response> api_root(http::Context& ctx) {
    std::string base = ctx.request.base_url();
    boost::json::object o{{"resumes", base + "/api/resumes/"},
                          {"job-applications", base + "/api/job-applications/"},
                          {"example-job-applications", base + "/api/example-job-applications/"},
                          {"ai/models", base + "/api/ai/models/"}};
    co_return http::Response::json(200, o);
}

// Where each user last wrote, in the cache every instance shares (Redis in production): for
// five minutes after a write, that user's replica reads wait for a replica that has replayed it.
// A replica more than five minutes behind may then show older data.
class CacheWriteLog final : public http::WriteLog {
  public:
    explicit CacheWriteLog(cache::Cache& cache) : cache_(cache) {}
    http::Task<std::optional<std::string>> last_write(int64_t user_id) override {
        co_return co_await cache_.get(key(user_id));
    }
    http::Task<void> wrote(int64_t user_id, std::string position) override {
        co_await cache_.set(key(user_id), std::move(position), std::chrono::seconds(300));
    }

  private:
    static std::string key(int64_t user_id) { return "wrote:" + std::to_string(user_id); }
    cache::Cache& cache_;
};

std::vector<http::RouteDef> root_routes() {
    return {{"/api/",
             "Api Root",
             http::Access::Anyone,
             http::kNoScope,
             {http::on(http::Method::Get, &api_root,
                       {.summary = "Links to the API's resources", .response = "ApiRoot"})},
             false,
             "The default basic root view for DefaultRouter"}};
}

// The web app's files: RESUMATE_WEB_DIR, or where a build or a package puts them.
std::unique_ptr<http::StaticSite> load_web_app(const std::string& configured) {
    namespace fs = std::filesystem;
    if (configured == "off") return nullptr;
    std::vector<fs::path> candidates;
    if (!configured.empty()) {
        candidates.emplace_back(configured);
    } else {
        std::error_code ec;
        const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        if (!ec) candidates.push_back(exe.parent_path().parent_path() / "web" / "dist");
        candidates.emplace_back("/usr/share/resumate/web");
    }
    for (const auto& dir : candidates) {
        std::error_code ec;
        if (!fs::is_regular_file(dir / "index.html", ec)) continue;
        auto site = http::StaticSite::load(dir);
        util::log::info("serving the web app from {} ({} files)", dir.string(), site->file_count());
        return site;
    }
    if (!configured.empty())
        throw std::runtime_error("RESUMATE_WEB_DIR=" + configured + " holds no index.html");
    util::log::info("no web app found (build it with `make build`); serving the API only");
    return nullptr;
}

}  // namespace

std::string App::openapi_json() {
    build_routes();
    return api_description_->document();
}

void App::build_routes() {
    if (router_) return;
    auto common = std::make_shared<users::CommonPasswordList>(
        users::CommonPasswordList::load(config_.common_passwords_path));
    std::shared_ptr<users::LoginGuard> guard;
    if (!config_.throttle.off)
        guard = std::make_shared<users::LoginGuard>(*cache_, config_.login_guard);
    // What account deletion removes besides the users feature's own rows, in this order.
    std::vector<users::UserData> user_data{{"resumes", resumes::erase_user_resumes},
                                           {"job_applications", jobs::erase_user_applications}};
    auth_routes_ =
        std::make_unique<users::AuthRoutes>(auth_, cpu_pool_, common, guard, std::move(user_data));
    resume_routes_ = std::make_unique<resumes::ResumeRoutes>(config_.storage_limits, &cpu_pool_);
    job_routes_ = std::make_unique<jobs::JobRoutes>(*cache_, config_.storage_limits);
    ai_metrics_ = std::make_unique<ai::AiMetrics>(metrics_, providers_);
    ai_routes_ = std::make_unique<ai::AiRoutes>(
        *cache_, ai::GenerationDeps{*db_, providers_, keys_, config_.ai_max_input_chars,
                                    system_users_, &config_.storage_limits, ai_metrics_.get()});
    site_ = load_web_app(config_.web_dir);
    router_ = std::make_unique<http::Router>();
    api_description_ = std::make_unique<http::ApiDescriptionRoutes>(
        *router_,
        http::OpenApiInfo{.version = RESUMATE_VERSION,
                          .description = "ResuMate: AI-assisted resume writing and "
                                         "job-application tracking. The Django REST API it "
                                         "replaces, and more."},
        site_.get());
    router_->add(root_routes());
    router_->add(api_description_->routes());
    router_->add(auth_routes_->routes());
    router_->add(resume_routes_->routes());
    router_->add(job_routes_->routes());
    router_->add(ai_routes_->routes());
    router_->add_schemas(users::AuthRoutes::schemas());
    router_->add_schemas(resumes::ResumeRoutes::schemas());
    router_->add_schemas(jobs::JobRoutes::schemas());
    router_->add_schemas(ai::AiRoutes::schemas());
    router_->add_schemas({{"ApiRoot", R"json({
      "type": "object",
      "description": "Each resource's absolute URL",
      "additionalProperties": {"type": "string", "format": "uri"}})json"}});

    http::PipelineOptions pipeline;
    pipeline.allowed_hosts = config_.allowed_hosts;
    pipeline.trusted_proxies = config_.trusted_proxies;
    pipeline.cors = http::CorsPolicy{config_.cors_allowed_origins};
    pipeline.access_log = config_.access_log;
    pipeline.metrics = &metrics_;
    pipeline.metrics_allow = config_.metrics_allow;
    pipeline.site = site_.get();
    add_metrics_collectors();
    pipeline_ = std::make_unique<http::Pipeline>(
        std::move(pipeline), *router_, *db_,
        std::make_shared<users::RequestAuthenticator>(*db_, auth_),
        std::make_shared<CacheThrottler>(*cache_, config_.throttle),
        std::make_shared<AppReadiness>(*db_, *cache_, all_migrations()),
        config_.replica_conninfos.empty() ? nullptr : std::make_shared<CacheWriteLog>(*cache_));
}

void App::add_metrics_collectors() {
    metrics_.add([](util::metrics::Exposition& out) {
        out.gauge("resumate_build_info", "The running version.", {{"version", RESUMATE_VERSION}},
                  1);
        util::metrics::collect_process(out);
    });
    metrics_.add([this](util::metrics::Exposition& out) {
        const auto pools = db_->pool_stats();  // one snapshot for both families
        for (const auto& p : pools) {
            out.gauge("resumate_db_pool_connections", "Database connections by pool and state.",
                      {{"pool", p.pool}, {"state", "in_use"}}, static_cast<double>(p.in_use));
            out.gauge("resumate_db_pool_connections", "Database connections by pool and state.",
                      {{"pool", p.pool}, {"state", "idle"}},
                      static_cast<double>(p.size - std::min(p.size, p.in_use)));
        }
        for (const auto& p : pools) {
            out.histogram("resumate_db_pool_wait_seconds",
                          "Time a statement waited for a free connection.", {{"pool", p.pool}},
                          p.wait);
        }
        const char* help = "Lookups of cached answers, by result.";
        out.counter("resumate_cache_requests_total", help, {{"result", "hit"}},
                    static_cast<double>(cache_->lookup_hits()));
        out.counter("resumate_cache_requests_total", help, {{"result", "miss"}},
                    static_cast<double>(cache_->lookup_misses()));
        if (config_.redis) {
            out.counter("resumate_cache_near_hits_total",
                        "Values served from the in-process near cache, without a Redis round "
                        "trip.",
                        {}, static_cast<double>(cache_->near_hits()));
        }
    });
}

http::Task<http::Response> App::handle(http::Request& req) {
    return pipeline_->respond(req);
}

void App::serve() {
    build_routes();
    // Before listening: creates the system accounts a database migrated by an older version
    // lacks, and says at once (loudly) when an active account holds one of their names.
    try {
        for (auto a : {users::SystemAccount::Anonymous, users::SystemAccount::Example})
            db::run_sync(system_users_.id(*db_, a));
    } catch (const std::exception& e) {
        util::log::warn("system accounts not checked at start-up ({}); checked on first use",
                        e.what());
    }
    http::ServerOptions opt;
    opt.host = config_.host;
    opt.port = config_.port;
    opt.threads = config_.threads;
    opt.max_body_bytes = config_.max_body_bytes;
    opt.header_timeout = config_.header_timeout;
    opt.idle_timeout = config_.idle_timeout;
    opt.body_timeout = config_.body_timeout;
    opt.shutdown_grace = config_.shutdown_grace;
    opt.max_connections = config_.max_connections;
    opt.max_connections_per_address = config_.max_connections_per_ip;
    opt.trusted_proxies = config_.trusted_proxies;
    raise_file_limit(config_.max_connections);
    opt.port_file = config_.port_file;
    opt.on_reload = [this]() -> http::Task<void> {
        size_t n = keys_.reload();
        util::log::info("API keys re-read from .env ({} variables there)", n);
        // `resumate ai-models …` sends SIGHUP after a change: an in-process cache is only
        // reachable this way.
        co_await cache_->erase(ai::kModelsCacheKey);
        util::log::info("cached model list dropped");
    };
    if (config_.anonymous_retention_days > 0) {
        // At start, then hourly: anonymous generations past the retention period.
        opt.background.push_back([this]() -> http::Task<void> {
            auto ex = co_await boost::asio::this_coro::executor;
            boost::asio::steady_timer timer(ex);
            while (true) {
                try {
                    int64_t n = co_await ai::purge_anonymous_generations(
                        *db_, system_users_, config_.anonymous_retention_days, util::now());
                    if (n > 0) {
                        util::log::info("deleted {} anonymous generations older than {} days", n,
                                        config_.anonymous_retention_days);
                    }
                } catch (const std::exception& e) {
                    util::log::error("purging anonymous generations failed: {}", e.what());
                }
                timer.expires_after(std::chrono::hours(1));
                co_await timer.async_wait(boost::asio::use_awaitable);
            }
        });
    }
    http::Server server(opt, *pipeline_);
    const std::string pid_file = pid_file_path();
    {
        std::ofstream out(pid_file, std::ios::trunc);
        out << ::getpid() << "\n";
    }
    // The shared cache's connections live on the server's event loop, and are let go once it
    // has stopped, before it is destroyed.
    cache_->attach(server.executor());
    try {
        server.run();
    } catch (...) {
        cache_->detach();
        throw;
    }
    cache_->detach();
    std::error_code ignored;
    std::filesystem::remove(pid_file, ignored);
    // The server's event loop is stopped but not yet destroyed: let go of what is registered
    // with it before it goes. A password hash still on the CPU pool (a request that was in
    // flight at shutdown) holds the loop's executor until it has handed its result over:
    // destroying the loop before that was a use after free (AddressSanitizer, graceful
    // shutdown e2e test).
    cpu_pool_.join();
    db_->release_io();
}

}  // namespace resumate::app
