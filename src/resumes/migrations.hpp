// resumes/: every migration of the resume app.
#pragma once
#include <vector>

#include "db/migrator.hpp"

namespace resumate::resumes {

// The resume app's migrations in order (resume_resume), as Django's leave the schema.
std::vector<db::Migration> migrations();

}  // namespace resumate::resumes
