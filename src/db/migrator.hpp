#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace resumate::db {

// One versioned schema step, recorded in Django's `django_migrations` under the same
// (app, name) Django uses, so either implementation sees the other's migrations as applied.
struct Migration {
    std::string_view app;
    std::string_view name;
    std::string_view sqlite_sql;
    std::string_view postgres_sql;
    // When this table already exists the step was applied by someone else (e.g. Django itself):
    // record it without running it, like Django's --fake-initial.
    std::string_view existing_table = {};
};

struct MigrationReport {
    std::vector<std::string> applied;  // "app.name"
    std::vector<std::string> faked;
};

// Serialises schema and seed work of several instances starting at once: on PostgreSQL a
// transaction-scoped advisory lock; on SQLite the write transaction already is one.
Task<void> lock_for_setup(Connection& c, Dialect dialect);

// Applies pending migrations in order, each in its own transaction. Idempotent.
MigrationReport migrate(Database& db, const std::vector<Migration>& migrations);

// Names ("app.name") not yet recorded.
std::vector<std::string> pending_migrations(Database& db, const std::vector<Migration>& migrations);
// The same without writing anything (pending_migrations creates django_migrations when it is
// missing; here a missing table means every migration is pending): for readiness probes.
// Throws Unavailable when the database does not answer.
Task<std::vector<std::string>> unapplied_migrations(Database& db,
                                                    const std::vector<Migration>& migrations);

}  // namespace resumate::db
