#include "app/readiness.hpp"
#include "util/log.hpp"

#include <spdlog/spdlog.h>

namespace resumate::app {

http::Task<std::vector<std::pair<std::string, std::string>>> AppReadiness::checks() {
    std::string database = "ok";
    try {
        co_await db_.execute("SELECT 1", {});
    } catch (const db::Unavailable& e) {
        util::log::warn("readiness: database unavailable: {}", e.what());
        database = "unavailable";
    } catch (const std::exception& e) {
        util::log::warn("readiness: database check failed: {}", e.what());
        database = "error";
    }
    std::string migrations = "unknown";
    if (migrated_.load(std::memory_order_relaxed)) {
        migrations = "ok";
    } else if (database == "ok") {
        try {
            const auto pending = co_await db::unapplied_migrations(db_, migrations_);
            migrations = pending.empty() ? "ok" : "pending";
            if (pending.empty()) migrated_.store(true, std::memory_order_relaxed);
        } catch (const std::exception& e) {
            util::log::warn("readiness: migration check failed: {}", e.what());
        }
    }
    const std::string cache = co_await cache_.healthy() ? "ok" : "unavailable";
    co_return std::vector<std::pair<std::string, std::string>>{
        {"database", database}, {"cache", cache}, {"migrations", migrations}};
}

}  // namespace resumate::app
