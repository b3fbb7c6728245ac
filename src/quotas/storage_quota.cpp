#include "quotas/storage_quota.hpp"

#include <boost/json/object.hpp>
#include <string>

#include "http/errors.hpp"

namespace resumate::quotas {
namespace {

// Rows the user can see (soft-deleted applications are not counted: the API cannot remove them).
constexpr std::string_view kCounts =
    "SELECT (SELECT COUNT(*) FROM resume_resume WHERE user_id = $1), "
    "(SELECT COUNT(*) FROM job_tracker_jobapplication WHERE user_id = $1 AND is_deleted = $2)";
// octet_length: PostgreSQL's, and a function of the same name the SQLite connection registers.
// Each table's rows are read once for both their count and their bytes.
constexpr std::string_view kCountsAndBytes =
    "SELECT r.n, j.n, r.b + j.b FROM "
    "(SELECT COUNT(*) AS n, COALESCE(SUM(octet_length(title) + octet_length(content)), 0) AS b "
    "FROM resume_resume WHERE user_id = $1) r, "
    "(SELECT COUNT(*) AS n, COALESCE(SUM(COALESCE(octet_length(job_title), 0) + "
    "COALESCE(octet_length(company_name), 0) + "
    "COALESCE(octet_length(original_job_description), 0) + COALESCE(octet_length(notes), 0)), 0) "
    "AS b FROM job_tracker_jobapplication WHERE user_id = $1 AND is_deleted = $2) j";

[[noreturn]] void refuse(std::string detail) {
    throw http::Error::quota_exceeded(std::move(detail));
}

void judge(const db::Result& usage, const StorageLimits& limits, NewRow new_row,
           int64_t added_bytes) {
    const auto& row = usage.rows.at(0);
    if (new_row == NewRow::Resume && limits.resumes > 0 && row.integer(0) >= limits.resumes) {
        refuse("Storage quota exceeded: at most " + std::to_string(limits.resumes) +
               " resumes per user.");
    }
    if (new_row == NewRow::JobApplication && limits.job_applications > 0 &&
        row.integer(1) >= limits.job_applications) {
        refuse("Storage quota exceeded: at most " + std::to_string(limits.job_applications) +
               " job applications per user.");
    }
    if (limits.bytes > 0 && added_bytes > 0 && row.size() > 2 &&
        row.integer(2) + added_bytes > limits.bytes) {
        refuse("Storage quota exceeded: resumes and job applications may hold at most " +
               std::to_string(limits.bytes) + " bytes of text per user.");
    }
}

bool needs_bytes(const StorageLimits& limits, int64_t added_bytes) {
    return limits.bytes > 0 && added_bytes > 0;
}

bool nothing_to_check(const StorageLimits& limits, NewRow new_row, int64_t added_bytes) {
    bool rows = (new_row == NewRow::Resume && limits.resumes > 0) ||
                (new_row == NewRow::JobApplication && limits.job_applications > 0);
    return !rows && !needs_bytes(limits, added_bytes);
}

}  // namespace

db::Task<void> enforce(db::Connection& c, int64_t user_id, const StorageLimits& limits,
                       NewRow new_row, int64_t added_bytes) {
    if (nothing_to_check(limits, new_row, added_bytes)) co_return;
    // One check at a time per user. SQLite's BEGIN IMMEDIATE already serializes writers. On
    // PostgreSQL a lock on the user's row: FOR NO KEY UPDATE, so foreign-key checks of other
    // inserts are not blocked, and taken without writing a new version of the row (which every
    // authenticated request of the user reads).
    if (c.dialect() == db::Dialect::Postgres) {
        co_await c.query("SELECT id FROM auth_user WHERE id = $1 FOR NO KEY UPDATE", user_id);
    }
    auto usage = co_await c.query(needs_bytes(limits, added_bytes) ? kCountsAndBytes : kCounts,
                                  user_id, false);
    judge(usage, limits, new_row, added_bytes);
}

db::Task<void> precheck(db::Database& d, int64_t user_id, const StorageLimits& limits,
                        NewRow new_row, int64_t added_bytes) {
    if (nothing_to_check(limits, new_row, added_bytes)) co_return;
    auto usage = co_await d.read(needs_bytes(limits, added_bytes) ? kCountsAndBytes : kCounts,
                                 user_id, false);
    judge(usage, limits, new_row, added_bytes);
}

}  // namespace resumate::quotas
