#pragma once
#include "db/database.hpp"
#include "http/router.hpp"
#include "quotas/storage_quota.hpp"

namespace resumate::resumes {
// /api/resumes/ and /api/resumes/{id}/ (ModelViewSet with format suffixes). Creates and updates
// keep within `limits` (which must outlive the router).
void add_resume_routes(http::Router& router, db::Database& db, const quotas::StorageLimits& limits);
}  // namespace resumate::resumes
