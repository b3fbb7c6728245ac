#pragma once
// What GET /readyz checks (http::Readiness): the database answers, the cache answers, and every
// migration this build knows is applied. A load balancer sends traffic only to a ready instance.
#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "cache/cache.hpp"
#include "db/database.hpp"
#include "db/migrator.hpp"
#include "http/pipeline.hpp"

namespace resumate::app {

class AppReadiness final : public http::Readiness {
  public:
    AppReadiness(db::Database& db, cache::Cache& cache, std::vector<db::Migration> migrations)
        : db_(db), cache_(cache), migrations_(std::move(migrations)) {}

    // database: "ok" | "unavailable" | "error"; cache: "ok" | "unavailable";
    // migrations: "ok" | "pending" | "unknown" (the database did not answer).
    http::Task<std::vector<std::pair<std::string, std::string>>> checks() override;

  private:
    db::Database& db_;
    cache::Cache& cache_;
    std::vector<db::Migration> migrations_;
    // Once every migration was seen applied, it stays so: later probes skip that query.
    std::atomic<bool> migrated_{false};
};

}  // namespace resumate::app
