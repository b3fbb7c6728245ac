#pragma once
// The offline resume writer: pure text in, text out. It needs no network and no key, so there
// is always a model to fall back on. It only rearranges what the user stated; every gap becomes
// a [Placeholder]. Its internals (offline/detail/) are private to this folder.
#include <string>
#include <string_view>

namespace resumate::offline {

inline constexpr std::string_view kOffTopicAnswer = "I can only assist with resume generation.";

// Deterministic, pure, thread-safe. Turns the user's free text into a one-page,
// ATS-friendly Markdown resume, or returns exactly kOffTopicAnswer for an off-topic request.
std::string write_resume(std::string_view user_input);

}  // namespace resumate::offline
