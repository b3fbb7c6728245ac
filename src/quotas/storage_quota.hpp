// quotas/: how much one user may keep — rows per resource and bytes of text over the resume and
// job application tables — checked where rows are written, inside their transaction.
#pragma once
#include <cstdint>
#include <optional>

#include "db/database.hpp"

namespace resumate::quotas {

// 0 means no limit. Defaults: generous for a person, small for a flood.
struct StorageLimits {
    int64_t resumes = 1000;            // RESUMATE_QUOTA_RESUMES
    int64_t job_applications = 10000;  // RESUMATE_QUOTA_JOB_APPLICATIONS (live ones)
    int64_t bytes = 50'000'000;  // RESUMATE_QUOTA_BYTES: resume titles and contents + job text
};

enum class NewRow { None, Resume, JobApplication };

// Inside a write transaction, before the write: locks the user's auth_user row so that two
// writes of the same user check one after the other (exact on both engines), then throws
// http::Error (ErrorKind::QuotaExceeded: 403 {"detail": "…", "code": "quota_exceeded"} when
// `new_row` would pass its row limit or `added_bytes` (> 0: growth) the byte limit. A write that
// does not grow passes.
db::Task<void> enforce(db::Connection& c, int64_t user_id, const StorageLimits& limits,
                       NewRow new_row, int64_t added_bytes);

// The same check without the lock, for a cheap refusal before expensive work (a generation).
db::Task<void> precheck(db::Database& d, int64_t user_id, const StorageLimits& limits,
                        NewRow new_row, int64_t added_bytes);

}  // namespace resumate::quotas
