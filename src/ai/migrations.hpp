// ai/: every migration of the ai app and of the tables ResuMate adds for it.
#pragma once
#include <vector>

#include "db/migrator.hpp"

namespace resumate::ai {

// The ai app's migrations (ai_aimodel), then ResuMate's own "resumate" app (resumate_ai_usage:
// the daily generation counts), which Django's schema does not have.
std::vector<db::Migration> migrations();

}  // namespace resumate::ai
