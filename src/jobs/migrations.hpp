// jobs/: every migration of the job_tracker app.
#pragma once
#include <vector>

#include "db/migrator.hpp"

namespace resumate::jobs {

// The job_tracker app's migrations in order (job_tracker_jobapplication), as Django's leave the
// schema.
std::vector<db::Migration> migrations();

}  // namespace resumate::jobs
