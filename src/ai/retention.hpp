#pragma once
// Anonymous generations are saved for the shared, inactive "anonymous_user" account; nobody can
// read or delete them through the API, so they are kept for a retention period only
// (RESUMATE_ANONYMOUS_RETENTION_DAYS).
#include <cstdint>

#include "db/database.hpp"
#include "users/system_users.hpp"
#include "util/time.hpp"

namespace resumate::ai {

// Deletes the anonymous generations (those of `system_users`' anonymous account: never an active
// account that holds the name) created more than `retention_days` before `now` (0: none), in
// short transactions of 100 rows so that other writers are not held up; how many it deleted.
db::Task<int64_t> purge_anonymous_generations(db::Database& db, users::SystemUsers& system_users,
                                              int64_t retention_days, util::Timestamp now);

}  // namespace resumate::ai
