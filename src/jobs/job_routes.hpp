#pragma once
#include "cache/cache.hpp"
#include "db/database.hpp"
#include "http/router.hpp"

namespace resumate::jobs {

inline constexpr std::string_view kExamplesCacheKey = "example_job_applications_list";

// /api/job-applications/ (+ {id}/) and /api/example-job-applications/ (+ {id}/).
void add_job_routes(http::Router& router, db::Database& db, cache::Cache& cache);

}  // namespace resumate::jobs
