#pragma once
// "ResuMate Offline": the rule-based resume writer behind the `offline` provider. It needs no
// network and no key, so `serve` works out of the box and there is always a model to fall back
// on. It only rearranges what the user stated; every gap becomes a [Placeholder].
#include <string>
#include <string_view>

namespace resumate::ai {

inline constexpr std::string_view kOffTopicAnswer = "I can only assist with resume generation.";

// Deterministic, pure, thread-safe. Turns the user's free text into a one-page,
// ATS-friendly Markdown resume, or returns exactly kOffTopicAnswer for an off-topic request.
std::string generate_offline_resume(std::string_view user_input);

}  // namespace resumate::ai
