#pragma once
#include "cache/cache.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "quotas/storage_quota.hpp"

namespace resumate::jobs {

inline constexpr std::string_view kExamplesCacheKey = "example_job_applications_list";

// /api/job-applications/ (+ {id}/) and /api/example-job-applications/ (+ {id}/). Creates and
// updates keep within `limits` (which must outlive the router).
void add_job_routes(http::Router& router, db::Database& db, cache::Cache& cache,
                    const quotas::StorageLimits& limits);

}  // namespace resumate::jobs
