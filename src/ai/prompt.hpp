#pragma once
#include <string>
#include <string_view>

namespace resumate::ai {

// The original's instructions. They go in the provider's system part only.
std::string_view system_instruction();
// The user's text as the user message: fenced, so that instructions inside it read as data.
std::string user_message(std::string_view user_input);

// Tailoring an existing resume to a job posting: our instructions, and the resume and the
// posting as the user message, each in its own fence.
std::string_view tailor_instruction();
std::string tailor_message(std::string_view resume, std::string_view job_description);

}  // namespace resumate::ai
