#pragma once
#include <string>
#include <string_view>

namespace resumate::ai {

// The original's instructions. They go in the provider's system part only.
std::string_view system_instruction();
// The user's text as the user message: fenced, so that instructions inside it read as data.
std::string user_message(std::string_view user_input);

}  // namespace resumate::ai
