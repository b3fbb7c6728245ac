#pragma once
// `resumate backup FILE` and `resumate restore FILE`: the configured database to a file and back.
// SQLite goes through its online backup API (a consistent copy while the server serves);
// PostgreSQL through pg_dump / pg_restore in their custom format (the client programs of the
// postgresql-client package). The password never appears on a command line.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "app/config.hpp"

namespace resumate::app {

class BackupError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct BackupReport {
    std::string engine;  // "sqlite" or "postgres"
    uintmax_t bytes = 0;
};

// Writes the configured database to `file` (replaced when it exists). Throws BackupError.
BackupReport backup_database(const Config& config, const std::string& file);

// Replaces the configured database's content with the backup in `file`. Refuses a database that
// already holds tables unless `force` (then the backup's tables replace theirs namesakes). Throws
// BackupError, leaving the database as it was on SQLite (one transaction) and, on PostgreSQL,
// as pg_restore --single-transaction does.
BackupReport restore_database(const Config& config, const std::string& file, bool force);

}  // namespace resumate::app
