#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ai/generation.hpp"
#include "ai/key_store.hpp"
#include "ai/provider.hpp"
#include "app/config.hpp"
#include "cache/cache.hpp"
#include "db/database.hpp"
#include "db/migrator.hpp"
#include "http/openapi.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/static_site.hpp"
#include "users/auth_routes.hpp"
#include "users/system_users.hpp"
#include "util/metrics.hpp"
#include "util/worker_pool.hpp"

namespace resumate::resumes {
class ResumeRoutes;
}
namespace resumate::jobs {
class JobRoutes;
}
namespace resumate::ai {
class AiRoutes;
}

namespace resumate::app {

// Every table's migrations, in dependency order.
std::vector<db::Migration> all_migrations();

// The wiring of components: one place that knows every feature.
class App {
  public:
    explicit App(Config config);
    ~App();

    const Config& config() const { return config_; }
    db::Database& database() { return *db_; }
    users::SystemUsers& system_users() { return system_users_; }

    db::MigrationReport migrate();
    struct SeedReport {
        int models = 0;
        int examples = 0;
    };
    SeedReport seed();
    // Drops the cached model list (in Redis: for every instance).
    void drop_models_cache();
    // `serve` keeps its pid in <data_dir>/resumate.pid; this sends `sig` to that server when it
    // is running. Its pid, or nullopt.
    std::optional<int> signal_running_server(int sig) const;
    // Builds the routes and serves until SIGINT/SIGTERM.
    void serve();
    // The request pipeline without a socket (tests and fuzzing): every stage but the write
    // and the access log.
    http::Task<http::Response> handle(http::Request& req);
    // Every feature's route table into the router, and the pipeline around it (once).
    void build_routes();
    // The OpenAPI 3.1 description of every route (GET /api/schema/), as JSON text.
    std::string openapi_json();
    // The routes (after build_routes()).
    const http::Router& router() const { return *router_; }

  private:
    std::string pid_file_path() const;
    void add_metrics_collectors();
    static void raise_file_limit(size_t connections);
    Config config_;
    // Password hashing runs here. Declared before everything that hands it work, so it is
    // joined (in its destructor, or by serve()) only after they are gone.
    util::WorkerPool cpu_pool_;
    std::unique_ptr<db::Database> db_;
    std::unique_ptr<cache::Cache> cache_;
    ai::ProviderRegistry providers_;
    // What GET /metrics shows; filled by build_routes().
    util::metrics::Registry metrics_;
    std::unique_ptr<ai::AiMetrics> ai_metrics_;
    ai::KeyStore keys_;
    users::AuthSettings auth_;
    users::SystemUsers system_users_;
    std::unique_ptr<users::AuthRoutes> auth_routes_;
    std::unique_ptr<resumes::ResumeRoutes> resume_routes_;
    std::unique_ptr<jobs::JobRoutes> job_routes_;
    std::unique_ptr<ai::AiRoutes> ai_routes_;
    std::unique_ptr<http::StaticSite> site_;  // the web app, when built
    std::unique_ptr<http::ApiDescriptionRoutes> api_description_;
    std::unique_ptr<http::Router> router_;
    std::unique_ptr<http::Pipeline> pipeline_;
};

// spdlog set-up: level and format (text, or JSON lines) of the default and the access logger.
void init_logging(const std::string& level, bool json = false);

}  // namespace resumate::app
