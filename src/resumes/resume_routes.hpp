#pragma once
#include "db/database.hpp"
#include "http/router.hpp"

namespace resumate::resumes {
// /api/resumes/ and /api/resumes/{id}/ (ModelViewSet with format suffixes).
void add_resume_routes(http::Router& router, db::Database& db);
}  // namespace resumate::resumes
